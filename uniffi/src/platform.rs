//! The platform services the shells implement (foreign traits), and their adapters to core's ports.
//! Every foreign method returns `Result<_, PlatformError>`, so an exception on the foreign side comes
//! back as a typed error, never as a panic.

use std::sync::Arc;

use async_trait::async_trait;
use qoltanba_core::enrollment::{InputError, View};
use qoltanba_core::keystore::KeyStorageKind;
use qoltanba_core::ports::{self, DeviceCheck, PictureKind, PinPurpose, PortError, Work};
use zeroize::Zeroizing;

use crate::error::PlatformError;
use crate::state::{EnrollmentState, InputProblem, KeyStorage, Person, Progress};

/// The device check of step 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DeviceStatus {
    /// A camera is present and may be used.
    pub camera: bool,
    /// The network is reachable.
    pub network: bool,
}

/// A new secret typed twice (PIN, password). `Debug` shows neither.
#[derive(Clone, uniffi::Record)]
pub struct SecretChoice {
    /// The secret.
    pub value: String,
    /// Its confirmation.
    pub confirmation: String,
}

impl std::fmt::Debug for SecretChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretChoice(..)")
    }
}

/// Which picture to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Picture {
    /// The citizen's face (front camera).
    Selfie,
    /// The front of the ID card (back camera).
    IdCard,
}

/// Why the PIN is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PinReason {
    /// Confirm the chosen PIN before consenting (step 9).
    Confirm,
    /// Unlock a key.
    Unlock,
}

/// The citizen's answers on the flow's forms.
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait CitizenForms: Send + Sync {
    /// Step 1: camera and network.
    async fn device_check(&self) -> Result<DeviceStatus, PlatformError>;
    /// Step 2: the IIN as typed.
    async fn iin(&self) -> Result<String, PlatformError>;
    /// Step 4: the phone number to register, as typed.
    async fn phone_number(&self) -> Result<String, PlatformError>;
    /// Step 9: consent to the NCA processing the data.
    async fn consent(&self) -> Result<bool, PlatformError>;
    /// Step 10: the e-mail address, after showing the registry's data.
    async fn email(&self, person: Person) -> Result<String, PlatformError>;
    /// Step 10: where to keep the keys.
    async fn key_storage(&self, hardware_available: bool) -> Result<KeyStorage, PlatformError>;
    /// Step 11: the key files' password, twice.
    async fn password(&self) -> Result<SecretChoice, PlatformError>;
}

/// The camera.
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait Camera: Send + Sync {
    /// A JPEG or PNG picture.
    async fn capture(&self, picture: Picture) -> Result<Vec<u8>, PlatformError>;
}

/// The SMS code from 1414: auto-read (SMS Retriever, one-time-code autofill), else typed.
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait SmsCodeSource: Send + Sync {
    /// The code sent to `phone_masked`; `tries_left` is shown after a wrong code.
    async fn code(&self, phone_masked: String, tries_left: u8) -> Result<String, PlatformError>;
}

/// The platform's secure PIN (or biometric) prompt.
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait PinPrompt: Send + Sync {
    /// Step 7: a new PIN, twice.
    async fn choose_pin(&self) -> Result<SecretChoice, PlatformError>;
    /// The PIN for `reason`; `tries_left` is shown after a wrong one.
    async fn pin(&self, reason: PinReason, tries_left: u8) -> Result<String, PlatformError>;
}

/// The push token of the device (FCM, APNs), for signing requests pushed by services.
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait PushTokenSource: Send + Sync {
    /// The current token.
    async fn token(&self) -> Result<String, PlatformError>;
}

/// Told what happens, to render it. Called on a core thread: hand over to the UI thread.
#[uniffi::export(with_foreign)]
pub trait EnrollmentObserver: Send + Sync {
    /// The flow shows `state` now.
    fn state_changed(&self, state: EnrollmentState) -> Result<(), PlatformError>;
    /// The last input was refused; the step is asked again.
    fn input_rejected(&self, problem: InputProblem) -> Result<(), PlatformError>;
    /// Long work starts.
    fn progress(&self, progress: Progress) -> Result<(), PlatformError>;
}

/// The foreign forms as core's [`ports::Citizen`].
pub(crate) struct CitizenPort(pub Arc<dyn CitizenForms>);

#[async_trait]
impl ports::Citizen for CitizenPort {
    async fn device_check(&self) -> Result<DeviceCheck, PortError> {
        let status = self.0.device_check().await?;
        Ok(DeviceCheck { camera: status.camera, network: status.network })
    }

    async fn iin(&self) -> Result<String, PortError> {
        Ok(self.0.iin().await?)
    }

    async fn phone_number(&self) -> Result<String, PortError> {
        Ok(self.0.phone_number().await?)
    }

    async fn consent(&self) -> Result<bool, PortError> {
        Ok(self.0.consent().await?)
    }

    async fn email(&self, person: &qoltanba_protocol::Person) -> Result<String, PortError> {
        Ok(self.0.email(person.clone().into()).await?)
    }

    async fn key_storage(&self, hardware_available: bool) -> Result<KeyStorageKind, PortError> {
        Ok(self.0.key_storage(hardware_available).await?.into())
    }

    async fn password(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        Ok(pair(self.0.password().await?))
    }
}

/// The foreign camera as core's [`ports::Camera`].
pub(crate) struct CameraPort(pub Arc<dyn Camera>);

#[async_trait]
impl ports::Camera for CameraPort {
    async fn capture(&self, kind: PictureKind) -> Result<Vec<u8>, PortError> {
        let picture = match kind {
            PictureKind::Selfie => Picture::Selfie,
            PictureKind::IdCard => Picture::IdCard,
        };
        Ok(self.0.capture(picture).await?)
    }
}

/// The foreign SMS code source as core's [`ports::SmsCodeSource`].
pub(crate) struct SmsPort(pub Arc<dyn SmsCodeSource>);

#[async_trait]
impl ports::SmsCodeSource for SmsPort {
    async fn code(&self, phone_masked: &str, tries_left: u8) -> Result<Zeroizing<String>, PortError> {
        Ok(Zeroizing::new(self.0.code(phone_masked.to_owned(), tries_left).await?))
    }
}

/// The foreign PIN prompt as core's [`ports::PinPrompt`].
pub(crate) struct PinPort(pub Arc<dyn PinPrompt>);

#[async_trait]
impl ports::PinPrompt for PinPort {
    async fn choose_pin(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        Ok(pair(self.0.choose_pin().await?))
    }

    async fn pin(&self, purpose: PinPurpose, tries_left: u8) -> Result<Zeroizing<String>, PortError> {
        let reason = match purpose {
            PinPurpose::Confirm => PinReason::Confirm,
            PinPurpose::Unlock => PinReason::Unlock,
        };
        Ok(Zeroizing::new(self.0.pin(reason, tries_left).await?))
    }
}

/// The foreign observer as core's [`ports::Observer`]; also keeps the latest state for
/// [`crate::EnrollmentFlow::state`]. A failing observer is logged and otherwise ignored.
pub(crate) struct ObserverPort {
    pub foreign: Arc<dyn EnrollmentObserver>,
    pub latest: Arc<std::sync::Mutex<EnrollmentState>>,
}

impl ports::Observer for ObserverPort {
    fn view(&self, view: &View) {
        let state = EnrollmentState::from(view.clone());
        if let Ok(mut latest) = self.latest.lock() {
            *latest = state.clone();
        }
        report(self.foreign.state_changed(state));
    }

    fn rejected(&self, error: &InputError) {
        report(self.foreign.input_rejected(error.into()));
    }

    fn working(&self, work: Work) {
        report(self.foreign.progress(work.into()));
    }
}

fn report(outcome: Result<(), PlatformError>) {
    if let Err(error) = outcome {
        tracing::warn!(%error, "the enrollment observer failed");
    }
}

fn pair(choice: SecretChoice) -> (Zeroizing<String>, Zeroizing<String>) {
    (Zeroizing::new(choice.value), Zeroizing::new(choice.confirmation))
}

/// The key files' password prompt (keys kept in PKCS#12 files; never called for hardware keys).
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait KeyPasswordPrompt: Send + Sync {
    /// The password; `wrong` after one that did not open the key.
    async fn key_password(&self, wrong: bool) -> Result<String, PlatformError>;
}
