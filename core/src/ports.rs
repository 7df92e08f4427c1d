//! Platform ports: what the apps (and the CLI acting as a phone) implement for the core.
//!
//! The driver asks these when a step needs something only the platform has: the citizen's answers on a
//! form, a picture from the camera, the SMS code (auto-read, with manual entry as the fallback), a PIN
//! through the platform's secure prompt, and the time. Every method can fail with a [`PortError`]; a
//! cancelled prompt is not a crash, and the flow stays where it was.

use async_trait::async_trait;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::keystore::KeyStorageKind;
use qoltanba_protocol::Person;

/// Why a port could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    /// The citizen cancelled (closed the screen, pressed back, dismissed the prompt). The flow stays at
    /// the step and can be resumed later.
    #[error("cancelled by the citizen")]
    Cancelled,
    /// The platform could not do it (no camera permission, camera busy, …). `reason` is for logs, not
    /// for display.
    #[error("the platform could not do it: {reason}")]
    Unavailable {
        /// What the platform said.
        reason: String,
    },
}

/// The device check of step 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceCheck {
    /// A camera is present and the app may use it.
    pub camera: bool,
    /// The network is reachable.
    pub network: bool,
}

/// The citizen's answers on the flow's forms.
#[async_trait]
pub trait Citizen: Send + Sync {
    /// Step 1: the device check (camera, network).
    async fn device_check(&self) -> Result<DeviceCheck, PortError>;
    /// Step 2: the IIN as typed (the core validates it).
    async fn iin(&self) -> Result<String, PortError>;
    /// Step 4: the phone number to register, as typed (the core normalises and validates it).
    async fn phone_number(&self) -> Result<String, PortError>;
    /// Step 9: consent to the NCA processing the citizen's data.
    async fn consent(&self) -> Result<bool, PortError>;
    /// Step 10: the e-mail address, after showing the registry data.
    async fn email(&self, person: &Person) -> Result<String, PortError>;
    /// Step 10: where to keep the keys; `hardware_available` says whether the platform store exists.
    async fn key_storage(&self, hardware_available: bool) -> Result<KeyStorageKind, PortError>;
    /// Step 11: the key files' password and its confirmation.
    async fn password(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError>;
}

/// Which picture the camera should take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PictureKind {
    /// The citizen's face, for the Digital ID check (front camera).
    Selfie,
    /// The front of the ID card (back camera).
    IdCard,
}

/// The camera.
#[async_trait]
pub trait Camera: Send + Sync {
    /// Takes a picture, JPEG or PNG bytes.
    async fn capture(&self, kind: PictureKind) -> Result<Vec<u8>, PortError>;
}

/// Where the SMS code from 1414 comes from: read automatically (Android SMS Retriever, iOS one-time
/// code autofill), else typed by the citizen.
#[async_trait]
pub trait SmsCodeSource: Send + Sync {
    /// The code sent to `phone_masked`; `tries_left` is shown when a previous code was wrong.
    async fn code(&self, phone_masked: &str, tries_left: u8) -> Result<Zeroizing<String>, PortError>;
}

/// Why the PIN is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PinPurpose {
    /// Step 9: confirm the PIN chosen at step 7 before consenting.
    Confirm,
    /// Unlock a key to sign or log in.
    Unlock,
}

/// The platform's secure PIN (or biometric) prompt.
#[async_trait]
pub trait PinPrompt: Send + Sync {
    /// Step 7: a new 4-digit PIN and its confirmation.
    async fn choose_pin(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError>;
    /// The PIN, for `purpose`; `tries_left` is shown after a wrong one.
    async fn pin(&self, purpose: PinPurpose, tries_left: u8) -> Result<Zeroizing<String>, PortError>;
}

/// The time, from the edge (tests and demos use a fixed or fast clock).
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> OffsetDateTime;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Long work the driver does without the citizen (shown as progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Work {
    /// Talking to the server.
    Server,
    /// Generating the key pairs on the device.
    GeneratingKeys,
    /// Putting the certificates beside their keys.
    Installing,
    /// Waiting for the operator or the face check.
    Waiting,
}

/// Told what happens, to render it: every new view of the flow, refused input, long work.
pub trait Observer: Send + Sync {
    /// The flow shows `view` now.
    fn view(&self, view: &crate::enrollment::View);
    /// The citizen's last input was refused; the step is unchanged and will be asked again.
    fn rejected(&self, error: &crate::enrollment::InputError);
    /// Long work starts.
    fn working(&self, work: Work);
}
