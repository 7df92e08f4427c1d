//! What the approval machine asks the edge to do.

use qoltanba_protocol::{LoginAnswer, LoginDecline, LoginScan};
use uuid::Uuid;

use crate::enrollment::Secret;

/// Work for the edge; each ends with the [`super::Event`] its documentation names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `POST /v1/login/scans` with idempotency key `key` → [`super::Event::Scanned`].
    Scan {
        /// The QR text.
        scan: LoginScan,
        /// The idempotency key.
        key: String,
    },
    /// Check the PIN against the store (counting failures, locking) → [`super::Event::PinChecked`].
    CheckPin(Secret),
    /// Sign `message` with the AUTH key, opening a key file with `password` → [`super::Event::Signed`].
    Sign {
        /// [`qoltanba_protocol::login_message`] for the chosen number.
        message: Vec<u8>,
        /// The key files' password (file storage only).
        password: Option<Secret>,
    },
    /// `POST /v1/login/sessions/{id}/answer` → [`super::Event::Answered`].
    SendAnswer {
        /// The answer.
        answer: LoginAnswer,
        /// The idempotency key.
        key: String,
    },
    /// `POST /v1/login/sessions/{id}/refusal` → [`super::Event::DeclineSent`].
    SendDecline {
        /// The session.
        session_id: Uuid,
        /// The refusal.
        decline: LoginDecline,
        /// The idempotency key.
        key: String,
    },
}
