//! The FFI facade of `qoltanba-core` for the Android and iOS apps, generated with UniFFI (proc-macros,
//! library mode). It only adapts core; no business logic lives here.
//!
//! - [`EnrollmentFlow`]: the enrollment as an object with an async `run` and an observable
//!   [`EnrollmentState`] (records and enums the UI renders directly).
//! - [`LocalStore`]: the certificates and the history of operations.
//! - Platform services are foreign traits the shells implement: [`CitizenForms`], [`Camera`],
//!   [`SmsCodeSource`], [`PinPrompt`], [`EnrollmentObserver`], [`PlatformKeyStore`] (adapted to core's
//!   `KeyStore`) and [`PushTokenSource`]. Each returns `Result<_, PlatformError>`; any other foreign
//!   exception becomes [`PlatformError::Unexpected`], never a panic.
//! - Async calls run on one tokio runtime owned by this crate ([`runtime`]), not UniFFI's fallback.
//! - `DevTools` (feature `dev-tools`): the operator's side of a `--dev` server, for tests.
#![warn(missing_docs)]

#[cfg(feature = "dev-tools")]
mod dev;
mod error;
mod flow;
mod keystore;
mod local;
mod platform;
pub mod runtime;
mod state;

#[cfg(feature = "dev-tools")]
pub use dev::DevTools;
pub use error::{FlowError, PlatformError};
pub use flow::{
    DATABASE_FILE, Device, DeviceOs, EnrollmentFlow, EnrollmentOutcome, FlowConfig, KEY_DIRECTORY,
};
pub use keystore::{KeyEntry, KeyPurpose, NewKey, PlatformKeyStore};
pub use local::{CertificateInfo, HistoryItem, LocalStore, Operation};
pub use platform::{
    Camera, CitizenForms, DeviceStatus, EnrollmentObserver, Picture, PinPrompt, PinReason, PushTokenSource,
    SecretChoice, SmsCodeSource,
};
pub use state::{
    EnrollmentState, FailReason, InputProblem, IssuedCertificates, KeyStorage, Notice, Person, Progress, Step,
};

uniffi::setup_scaffolding!();
