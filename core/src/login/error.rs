//! Why the approval machine refused an event, and why a login could not start.

use qoltanba_protocol::login::QrError;

use super::event::EventKind;
use super::stage::StageKind;
use crate::ports::PortError;
use crate::store::StoreError;

/// An event [`super::Approval::handle`] did not take; the machine is exactly as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    /// The event has no meaning in this stage.
    #[error("{event:?} is not expected in stage {stage:?}")]
    NotExpected {
        /// The current stage.
        stage: StageKind,
        /// The refused event.
        event: EventKind,
    },
    /// The number is not one of the three the challenge offers; pick again.
    #[error("{number} is not one of the numbers offered")]
    NotOffered {
        /// The refused number.
        number: u8,
    },
}

/// Why [`super::approve`] could not run a login to an [`super::Ending`].
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// The scanned text is not a Qoltanba login QR code.
    #[error("not a login QR code: {0}")]
    Qr(#[from] QrError),
    /// The phone has no AUTH certificate (not enrolled yet).
    #[error("no AUTH certificate on this phone")]
    NotEnrolled,
    /// No PIN is set on this phone.
    #[error("no PIN is set on this phone")]
    NoPin,
    /// The local store failed.
    #[error("local store: {0}")]
    Store(StoreError),
    /// A platform prompt could not answer (not a cancellation: that declines the login).
    #[error("{0}")]
    Port(PortError),
    /// The approval waits for something the driver does not have (a defect).
    #[error("the login is stuck at {0:?}")]
    Stuck(StageKind),
    /// The machine refused what the driver fed it (a defect, reported rather than hidden).
    #[error("login defect: {0}")]
    Machine(#[from] ApprovalError),
}

impl From<StoreError> for LoginError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NoPin => Self::NoPin,
            other => Self::Store(other),
        }
    }
}
