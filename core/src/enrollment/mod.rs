//! The sans-IO enrollment state machine of the remote issuance flow (DEVELOPERS.md, steps 1–11).
//!
//! [`Enrollment::handle`] takes an [`Event`] (the citizen's input, or the result of a [`Command`] the
//! edge ran) and returns the next commands; [`Enrollment::view`] is what the UI shows. The machine does no
//! I/O, reads no clock and draws no random numbers: the edge gives it a random nonce once
//! ([`Enrollment::new`]), from which every idempotency key is derived (`<nonce>-<action number>`).
//!
//! Persist the machine (serde) after every accepted event. After a crash, deserialise it and run
//! [`Enrollment::resume`]: the action in flight is issued again with the same idempotency key. Secrets
//! (SMS code, PIN, password) and pictures are never serialised nor shown by `Debug`; an action that needed
//! one is turned into a `GET` of the session (uploads) or its step is asked again (PIN, password).
//!
//! A refused event ([`MachineError`]) changes nothing: bad input ([`InputError`]) leaves the step as it
//! was; input while an action is in flight is [`MachineError::Busy`]; an event the step has no use for is
//! [`MachineError::NotExpected`].
//!
//! # States
//!
//! ```text
//! DeviceCheck ─DeviceChecked→ EnterIin ─IinEntered→ StartingSession ──POST /enrollments──┐
//!   ┌─────────────────────────── expect_phone_number ─────────────────────────────────────┤
//!   ▼                                                                                     │
//! EnterPhone ─PhoneEntered→ AwaitingOperator ⟲ (PollAfter → PollDue → GET)                │
//!                                   │ operator approves                     phone known   │
//!                                   ▼                                                     ▼
//!                    EnterSmsCode (code_mismatch: tries_left−1; ResendRequested) ←────────┘
//!                                   │ SmsCodeEntered
//!                                   ▼
//!                    TakeSelfie ⇄ SelfieUnderReview ⟲ (poll)
//!                                   │ accepted
//!                                   ▼
//!        ChoosePin ─PinChosen→ StorePin ─PinStored→ TakeIdCardPhoto ─IdCardPhotoTaken→
//!        ConfirmPinAndConsent ─ConsentGiven→ CheckPin ─PinChecked ok→ POST consent →
//!        ReviewPersonAndEmail ─EmailEntered→ ChooseKeyStorage ─┬─ Hardware ───────────────┐
//!                                                              └─ File → ChoosePassword ──┤
//!                                                                                         ▼
//!        GeneratingKeys ─KeysGenerated→ Issuing (POST csrs) ─issued→ Installing ─CertificatesInstalled→ Done
//!              └─KeysFailed→ ChooseKeyStorage      (file storage, password lost) UnlockKeys ─┘
//!
//! any step ─(server failed / too_many_attempts / session_expired / not_found / defect)→ Failed
//!            (keys already made are deleted: DeleteKeys → KeysDeleted)
//! ```
//!
//! Server refusals: `code_mismatch` stays in `EnterSmsCode` with the tries left; `code_expired` stays
//! (ask for a new code); `rate_limited`, `internal`, `unavailable` and a transport failure *stall* the
//! action (the view says so with the seconds to wait; `Retry` re-sends it with the same key, or the
//! citizen's next input for the step replaces it); `wrong_state` fetches the session and follows it;
//! refused input (`invalid_input`, `payload_too_large`, …) stays on the step with a notice.

mod command;
mod error;
mod event;
pub mod input;
mod machine;
mod pending;
mod secret;
mod server;
mod step;

#[cfg(test)]
mod tests;

pub use command::{ApiCall, ApiRequest, Command};
pub use error::MachineError;
pub use event::{Event, EventKind};
pub use input::InputError;
pub use machine::{Enrollment, POLL_INTERVAL};
pub use secret::{Picture, Secret};
pub use step::{FailReason, Notice, Step, StepKind, View};
