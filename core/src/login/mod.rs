//! QR login on the phone: the citizen scans the animated QR code of a relying party's page, checks who
//! asks, picks the page's number, confirms with the PIN, and the AUTH key signs the login
//! ([`qoltanba_protocol::login`] has the wire contract).
//!
//! - [`Approval`]: the sans-IO machine ([`Event`]s in, [`Command`]s out, [`Stage`] to show);
//! - [`approve`]: the driver running it against the server ([`crate::client::Client`]), the
//!   [`LoginPrompt`] and [`crate::ports::PinPrompt`] ports, the store's PIN check and the AUTH key;
//! - [`LoginRecord`]: the history entry of a login the citizen saw;
//! - [`text`]: what the citizen reads, in kk, ru and en.
//!
//! ```text
//! start(qr) → Scanning ─Scanned ok→ Choosing ─NumberChosen (one of three)→ EnteringPin ─PinEntered→
//!   CheckingPin ─Correct→ (file keys: EnteringPassword ─PasswordEntered→) Signing ─Signed→ Answering
//!   ─Answered ok→ Ended(Approved)
//! CheckingPin ─Wrong→ EnteringPin (tries left) · ─Locked→ Ended(PinLocked)
//! Signing ─WrongPassword→ EnteringPassword · ─Cancelled→ Declining · ─Key failure→ Ended(Failed)
//! Choosing | EnteringPin | EnteringPassword ─Declined→ Declining ─DeclineSent ok→ Ended(Declined)
//! any call refused by the server → Ended(Refused { reason }) · unreachable server → Ended(Failed)
//! ```
//!
//! Nothing is retried by the machine: the client retries transient failures with the same idempotency
//! key, and a login session lives only a minute. Secrets (PIN, password) travel in events and commands
//! only, as [`crate::enrollment::Secret`]s.

mod command;
mod driver;
mod error;
mod event;
mod history;
mod machine;
mod ports;
mod stage;
pub mod text;

#[cfg(test)]
mod tests;

pub use command::Command;
pub use driver::{LoginPlatform, approve};
pub use error::{ApprovalError, LoginError};
pub use event::{Event, EventKind, SignFailure, Signed};
pub use history::{LoginOutcome, LoginRecord};
pub use machine::Approval;
pub use ports::{Choice, LoginPrompt};
pub use qoltanba_protocol::login::QrError;
pub use stage::{Ending, LoginFailure, Stage, StageKind};
