//! Why the driver stopped without finishing.

use crate::enrollment::{MachineError, Notice, StepKind};
use crate::ports::PortError;
use crate::store::StoreError;

/// Why [`super::Driver::run`] returned an error. The flow's state is saved: running again resumes it.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// The local store failed (disk full, damaged database).
    #[error("local store: {0}")]
    Store(#[from] StoreError),
    /// A platform port could not answer (no camera permission, no answer for a prompt).
    #[error("{0}")]
    Port(PortError),
    /// The server could not be reached or kept refusing for a while; `notice` says why (network, rate
    /// limit, unavailable). Run again later.
    #[error("the server could not be reached: {notice:?}")]
    Stalled {
        /// The machine's notice about the last failure.
        notice: Option<Notice>,
    },
    /// The machine refused what the driver fed it: a defect of the driver, reported rather than hidden.
    #[error("enrollment defect: {0}")]
    Machine(#[from] MachineError),
    /// The machine waits for something in flight that the driver does not have (a defect).
    #[error("the flow is stuck at {0:?}")]
    Stuck(StepKind),
}
