//! Why the machine refused an event. A refused event changes nothing.

use super::event::EventKind;
use super::input::InputError;
use super::step::StepKind;

/// An event the machine did not take; its state is exactly what it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MachineError {
    /// The input is invalid; the step stays for the citizen to correct it.
    #[error(transparent)]
    Input(#[from] InputError),
    /// An action is in flight; input waits until it ends (or stalls).
    #[error("busy in step {step:?}: {event:?} must wait")]
    Busy {
        /// The current step.
        step: StepKind,
        /// The refused event.
        event: EventKind,
    },
    /// This event has no meaning now (input for another step, or a result nobody waits for).
    #[error("{event:?} is not expected in step {step:?}")]
    NotExpected {
        /// The current step.
        step: StepKind,
        /// The refused event.
        event: EventKind,
    },
    /// The server answered about another session than this enrollment's.
    #[error("the answer is about another session")]
    ForeignSession,
}
