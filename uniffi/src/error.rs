//! The typed errors crossing the FFI: [`PlatformError`] (what a platform service throws, including any
//! exception the foreign code did not declare) and [`FlowError`] (why a call on the core failed). No
//! variant has a field named `message`, which clashes with `Throwable.message` in Kotlin.

use qoltanba_core::driver::DriverError;
use qoltanba_core::keystore::KeyStoreError;
use qoltanba_core::ports::PortError;
use qoltanba_core::store::StoreError;

use crate::runtime::RuntimeFailure;
use crate::state::Notice;

/// Why a platform service (camera, SMS source, PIN prompt, forms, key store, …) could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum PlatformError {
    /// The citizen cancelled (closed the screen, dismissed the prompt); the flow pauses at the step.
    #[error("cancelled by the citizen")]
    Cancelled,
    /// The platform could not do it (no permission, camera busy, no such key, …); `reason` is for logs.
    #[error("the platform could not do it: {reason}")]
    Unavailable {
        /// What the platform said.
        reason: String,
    },
    /// The foreign code threw something it does not declare (any other exception): reported, never a
    /// panic.
    #[error("the platform failed unexpectedly: {reason}")]
    Unexpected {
        /// The exception, as the foreign side described it.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Unexpected { reason: error.reason }
    }
}

impl From<PlatformError> for PortError {
    fn from(error: PlatformError) -> Self {
        match error {
            PlatformError::Cancelled => Self::Cancelled,
            PlatformError::Unavailable { reason } => Self::Unavailable { reason },
            PlatformError::Unexpected { reason } => {
                Self::Unavailable { reason: format!("unexpected: {reason}") }
            }
        }
    }
}

impl From<PlatformError> for KeyStoreError {
    fn from(error: PlatformError) -> Self {
        match error {
            PlatformError::Cancelled => Self::Cancelled,
            PlatformError::Unavailable { reason } => Self::Platform(reason),
            PlatformError::Unexpected { reason } => Self::Platform(format!("unexpected: {reason}")),
        }
    }
}

/// Why a call on the core failed. The enrollment's state is saved: running it again resumes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum FlowError {
    /// The server address is not an `http(s)` URL, or the HTTP stack could not start.
    #[error("the server address is unusable: {reason}")]
    InvalidServer {
        /// What is wrong with it.
        reason: String,
    },
    /// The local database failed (disk full, damaged file, written by a newer app).
    #[error("the local store failed: {reason}")]
    Store {
        /// The store's explanation.
        reason: String,
    },
    /// A platform service failed (not a cancellation: that pauses the flow).
    #[error("a platform service failed: {reason}")]
    Platform {
        /// The service's explanation (from the foreign exception).
        reason: String,
    },
    /// The server could not be reached, or kept refusing for a while; run again later.
    #[error("the server could not be reached")]
    Stalled {
        /// Why, as the flow shows it (network, rate limit with seconds to wait, unavailable).
        notice: Option<Notice>,
    },
    /// This flow is already running; one run at a time.
    #[error("the flow is already running")]
    AlreadyRunning,
    /// The core's runtime could not start (the system refused threads).
    #[error("the core's runtime could not start: {reason}")]
    Runtime {
        /// What the system said.
        reason: String,
    },
    /// The server refused or failed (developer tools only; the flow reports the server through its state).
    #[error("the server failed: {reason}")]
    Server {
        /// What went wrong.
        reason: String,
    },
    /// A defect in the core (reported rather than hidden).
    #[error("defect: {reason}")]
    Defect {
        /// What went wrong.
        reason: String,
    },
}

impl From<DriverError> for FlowError {
    fn from(error: DriverError) -> Self {
        match error {
            DriverError::Store(error) => error.into(),
            DriverError::Port(PortError::Unavailable { reason }) => Self::Platform { reason },
            DriverError::Port(PortError::Cancelled) => Self::Platform { reason: "cancelled".into() },
            DriverError::Stalled { notice } => Self::Stalled { notice: notice.map(Notice::from) },
            error @ (DriverError::Machine(_) | DriverError::Stuck(_)) => {
                Self::Defect { reason: error.to_string() }
            }
        }
    }
}

impl From<RuntimeFailure> for FlowError {
    fn from(failure: RuntimeFailure) -> Self {
        match failure {
            RuntimeFailure::Unavailable(reason) => Self::Runtime { reason },
            RuntimeFailure::Lost(reason) => Self::Defect { reason },
        }
    }
}

impl From<StoreError> for FlowError {
    fn from(error: StoreError) -> Self {
        Self::Store { reason: error.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undeclared_foreign_exception_becomes_a_typed_port_error() {
        let error = PlatformError::from(uniffi::UnexpectedUniFFICallbackError::new(
            "java.lang.IllegalStateException: boom",
        ));
        assert_eq!(
            PortError::from(error),
            PortError::Unavailable { reason: "unexpected: java.lang.IllegalStateException: boom".into() }
        );
    }

    #[test]
    fn a_cancelled_key_store_prompt_stays_a_cancellation() {
        assert!(matches!(KeyStoreError::from(PlatformError::Cancelled), KeyStoreError::Cancelled));
        assert_eq!(PortError::from(PlatformError::Cancelled), PortError::Cancelled);
    }
}
