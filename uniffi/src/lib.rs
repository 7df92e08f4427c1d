//! The FFI facade of `qoltanba-core` for the Android and iOS apps, generated with UniFFI (proc-macros,
//! library mode). It only adapts core; no business logic lives here.
//!
//! - [`EnrollmentFlow`]: the enrollment as an object with an async `run` and an observable
//!   [`EnrollmentState`] (records and enums the UI renders directly).
//! - [`Wallet`]: the enrolled citizen: certificates, history, signing and verifying files, QR login and
//!   the sign-request inbox, with typed [`WalletError`]s.
//! - Platform services are foreign traits the shells implement: [`CitizenForms`], [`Camera`],
//!   [`SmsCodeSource`], [`PinPrompt`], [`KeyPasswordPrompt`], [`LoginScreens`], [`EnrollmentObserver`], [`PlatformKeyStore`] (adapted to core's
//!   `KeyStore`) and [`PushTokenSource`]. Each returns `Result<_, PlatformError>`; any other foreign
//!   exception becomes [`PlatformError::Unexpected`], never a panic.
//! - Async calls run on one tokio runtime owned by this crate ([`runtime`]), not UniFFI's fallback.
//! - `DevTools` (feature `dev-tools`): the operator's side of a `--dev` server, for tests.
#![warn(missing_docs)]

#[cfg(feature = "dev-tools")]
mod dev;
mod documents;
mod error;
mod flow;
mod keystore;
mod login;
mod platform;
mod records;
mod requests;
pub mod runtime;
mod state;
mod wallet;
mod wallet_error;

#[cfg(feature = "dev-tools")]
pub use dev::DevTools;
pub use documents::{CertificateUse, ChainStatus, SignedDocument, SignerInfo, Verification};
pub use error::{FlowError, PlatformError};
pub use flow::{
    DATABASE_FILE, Device, DeviceOs, EnrollmentFlow, EnrollmentOutcome, FlowConfig, KEY_DIRECTORY,
};
pub use keystore::{KeyEntry, KeyPurpose, NewKey, PlatformKeyStore};
pub use login::{LoginChallengeInfo, LoginChoice, LoginEnding, LoginRefusalReason, LoginScreens};
pub use platform::{
    Camera, CitizenForms, DeviceStatus, EnrollmentObserver, KeyPasswordPrompt, Picture, PinPrompt, PinReason,
    PushTokenSource, SecretChoice, SmsCodeSource,
};
pub use records::{CertificateInfo, HistoryItem, Operation};
pub use requests::{ApprovedRequest, RequestVerdict, SignRequest, SignatureFormat};
pub use state::{
    EnrollmentState, FailReason, InputProblem, IssuedCertificates, KeyStorage, Notice, Person, Progress, Step,
};
pub use wallet::Wallet;
pub use wallet_error::WalletError;

uniffi::setup_scaffolding!();
