//! [`EnrollmentFlow`]: the enrollment as an object with an async `run` and an observable state.
//! It only wires core's driver to the platform services; every decision is core's.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use qoltanba_core::client::{Client, ClientConfig};
use qoltanba_core::driver::{Driver, Outcome, Platform};
use qoltanba_core::enrollment::Enrollment;
use qoltanba_core::keystore::KeyStore;
use qoltanba_core::ports::SystemClock;
use qoltanba_core::store::Store;
use qoltanba_protocol::DeviceInfo;

use crate::error::FlowError;
use crate::keystore::{ForeignKeyStore, PlatformKeyStore};
use crate::platform::{
    Camera, CameraPort, CitizenForms, CitizenPort, EnrollmentObserver, ObserverPort, PinPort, PinPrompt,
    SmsCodeSource, SmsPort,
};
use crate::state::{EnrollmentState, FailReason, IssuedCertificates, Step};

/// The local database's file name inside the data directory.
pub const DATABASE_FILE: &str = "qoltanba.db";
/// The software key files' directory inside the data directory.
pub const KEY_DIRECTORY: &str = "keys";

/// Where the flow talks to and keeps its data, and what device it runs on.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FlowConfig {
    /// The server's base URL (`https://…`).
    pub server_url: String,
    /// The app's private directory: the local database and the key files live here.
    pub data_dir: String,
    /// The device, as reported to the server.
    pub device: Device,
}

/// The enrolling device.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Device {
    /// Its operating system.
    pub os: DeviceOs,
    /// The OS version (`14`, `17.4`).
    pub os_version: String,
    /// The app's version.
    pub app_version: String,
    /// The model, when known.
    pub model: Option<String>,
}

/// Operating system family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
#[allow(missing_docs)] // the names say it
pub enum DeviceOs {
    Android,
    Ios,
    Desktop,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum EnrollmentOutcome {
    /// Both certificates are installed beside their keys.
    Enrolled {
        /// The certificates and the CA chain.
        certificates: IssuedCertificates,
    },
    /// The enrollment ended without certificates.
    Failed {
        /// Why.
        reason: FailReason,
        /// The server's or operator's words, if any.
        detail: Option<String>,
    },
    /// The citizen cancelled a prompt; the flow is saved and resumes on the next run.
    Paused,
}

/// One enrollment on this device: `run` drives it to its end (resuming a saved one), asking the
/// platform services for what only the citizen or the device has, and telling the observer each state.
#[derive(uniffi::Object)]
pub struct EnrollmentFlow {
    config: FlowConfig,
    platform: Platform,
    latest: Arc<Mutex<EnrollmentState>>,
    running: Arc<AtomicBool>,
}

#[uniffi::export]
impl EnrollmentFlow {
    /// A flow with its platform services; `key_store` is the hardware-backed store, where there is one.
    /// Reads the saved enrollment, if any, for [`EnrollmentFlow::state`].
    #[uniffi::constructor]
    pub fn new(
        config: FlowConfig,
        citizen: Arc<dyn CitizenForms>,
        camera: Arc<dyn Camera>,
        sms: Arc<dyn SmsCodeSource>,
        pin: Arc<dyn PinPrompt>,
        observer: Arc<dyn EnrollmentObserver>,
        key_store: Option<Arc<dyn PlatformKeyStore>>,
    ) -> Result<Arc<Self>, FlowError> {
        let data_dir = PathBuf::from(&config.data_dir);
        std::fs::create_dir_all(data_dir.join(KEY_DIRECTORY))
            .map_err(|e| FlowError::Store { reason: e.to_string() })?;
        let saved = Store::open(data_dir.join(DATABASE_FILE))?.snapshot::<Enrollment>()?;
        let latest = Arc::new(Mutex::new(saved.map_or_else(initial_state, |machine| machine.view().into())));
        let platform = Platform {
            citizen: Arc::new(CitizenPort(citizen)),
            camera: Arc::new(CameraPort(camera)),
            sms: Arc::new(SmsPort(sms)),
            pin: Arc::new(PinPort(pin)),
            clock: Arc::new(SystemClock),
            observer: Arc::new(ObserverPort { foreign: observer, latest: latest.clone() }),
            hardware_keys: key_store.map(|store| Arc::new(ForeignKeyStore(store)) as Arc<dyn KeyStore>),
            key_dir: data_dir.join(KEY_DIRECTORY),
        };
        Ok(Arc::new(Self { config, platform, latest, running: Arc::new(AtomicBool::new(false)) }))
    }

    /// The state the UI shows now.
    pub fn state(&self) -> EnrollmentState {
        self.latest.lock().map(|state| state.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// Runs the flow until it is enrolled, failed, or paused by the citizen. Cancelling the caller (a
    /// coroutine, a task) stops it at its next wait; the state saved so far is kept. One run at a time:
    /// a second concurrent call is [`FlowError::AlreadyRunning`].
    pub async fn run(&self) -> Result<EnrollmentOutcome, FlowError> {
        let guard = RunGuard::acquire(&self.running)?;
        let (config, platform) = (self.config.clone(), self.platform.clone());
        crate::runtime::spawn_local(move || async move {
            let _guard = guard;
            let mut driver = open_driver(&config, platform)?;
            Ok(driver.run().await?.into())
        })
        .await
    }
}

fn open_driver(config: &FlowConfig, platform: Platform) -> Result<Driver, FlowError> {
    let store = Store::open(PathBuf::from(&config.data_dir).join(DATABASE_FILE))?;
    let client = Client::new(&config.server_url, &ClientConfig::default())
        .map_err(|e| FlowError::InvalidServer { reason: e.to_string() })?;
    Ok(Driver::open(store, client, platform, config.device.clone().into())?)
}

/// Before the first run: the device check.
fn initial_state() -> EnrollmentState {
    EnrollmentState { step: Step::DeviceCheck, busy: false, stalled: false, notice: None, expires_at: None }
}

/// Marks the flow running until dropped (when the driver is really done, not when the caller left).
struct RunGuard(Arc<AtomicBool>);

impl RunGuard {
    fn acquire(running: &Arc<AtomicBool>) -> Result<Self, FlowError> {
        match running.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => Ok(Self(running.clone())),
            Err(_) => Err(FlowError::AlreadyRunning),
        }
    }
}

impl Drop for RunGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

impl From<Outcome> for EnrollmentOutcome {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Enrolled(certificates) => Self::Enrolled { certificates: certificates.into() },
            Outcome::Failed { reason, detail } => Self::Failed { reason: reason.into(), detail },
            Outcome::Paused => Self::Paused,
        }
    }
}

impl From<Device> for DeviceInfo {
    fn from(device: Device) -> Self {
        let platform = match device.os {
            DeviceOs::Android => qoltanba_protocol::Platform::Android,
            DeviceOs::Ios => qoltanba_protocol::Platform::Ios,
            DeviceOs::Desktop => qoltanba_protocol::Platform::Desktop,
        };
        Self { platform, os_version: device.os_version, app_version: device.app_version, model: device.model }
    }
}
