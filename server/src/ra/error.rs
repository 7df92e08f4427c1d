//! What the RA answers when a step cannot be done.

use qoltanba_protocol::{ApiError, ErrorCode};
use uuid::Uuid;

use crate::ca::CaError;
use crate::storage::StorageError;

/// Why an RA operation failed: a typed answer for the client, or an internal failure.
#[derive(Debug, thiserror::Error)]
pub enum RaError {
    /// The client's request cannot be done (wrong state, bad input, expiry, rate limit, …).
    #[error("{0}")]
    Api(ApiError),
    /// The database failed.
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    /// A stored session's state does not decode.
    #[error("the stored state of session {0} is unreadable")]
    CorruptSession(Uuid),
    /// A stored certificate does not decode (its serial).
    #[error("the stored certificate {0} is unreadable")]
    CorruptCertificate(String),
    /// The CA failed for a reason that is not the client's request.
    #[error("CA: {0}")]
    Ca(#[from] CaError),
    /// The signing task panicked or was cancelled.
    #[error("the issuance task failed")]
    Task,
    /// No randomness for an SMS code.
    #[error("the random number generator failed")]
    Random,
    /// A value could not be serialised.
    #[error("serialisation failed: {0}")]
    Json(#[from] serde_json::Error),
}

impl RaError {
    /// The typed answer, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error) => Some(error),
            _ => None,
        }
    }
}

impl From<ApiError> for RaError {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

/// A typed answer with a code and a detail.
pub(crate) fn api(code: ErrorCode, detail: impl Into<String>) -> RaError {
    RaError::Api(ApiError::new(code, detail))
}
