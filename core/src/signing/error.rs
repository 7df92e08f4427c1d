//! What can go wrong with a signing request on the phone, typed for a UI to say it in the citizen's
//! language ([`crate::text::signing_error`]).

use time::OffsetDateTime;
use uuid::Uuid;

use super::inbox::Malformed;
use crate::client::ClientError;
use crate::keystore::KeyStoreError;
use crate::ports::PortError;
use crate::store::StoreError;

/// Why listing, approving or refusing failed. Never carries the PIN, a password or the device token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The local store holds no AUTH or SIGN certificate: the phone is not enrolled.
    #[error("no {0} certificate on this phone")]
    NotEnrolled(&'static str),
    /// The device has not registered yet and no server was given to register with.
    #[error("the device is not registered for signing requests")]
    NotRegistered,
    /// The server no longer holds the request as pending (it ended, or never was this citizen's).
    #[error("request {0} is not pending")]
    NotPending(Uuid),
    /// The code the server announced is not the one computed from the document's digest.
    #[error("the verification code does not match (announced {announced}, computed {computed})")]
    CodeMismatch {
        /// What the server said.
        announced: String,
        /// What the phone computed.
        computed: String,
    },
    /// The request expired.
    #[error("the request expired")]
    Expired,
    /// The request cannot be signed as sent.
    #[error("the request is malformed: {0:?}")]
    Malformed(Malformed),
    /// The PIN is wrong.
    #[error("wrong PIN; {tries_left} tries left")]
    WrongPin {
        /// Wrong PINs left before the lock.
        tries_left: u32,
    },
    /// Too many wrong PINs: no PIN is checked before `until`.
    #[error("the PIN is locked until {until}")]
    PinLocked {
        /// When checking resumes.
        until: OffsetDateTime,
    },
    /// The citizen cancelled the PIN prompt; nothing was sent.
    #[error("cancelled")]
    Cancelled,
    /// The PIN prompt could not be shown.
    #[error("{0}")]
    Prompt(PortError),
    /// The key could not sign (wrong key password, key invalidated, …).
    #[error("key store: {0}")]
    Keys(#[from] KeyStoreError),
    /// The local store failed.
    #[error("local store: {0}")]
    Store(#[from] StoreError),
    /// The server refused or could not be reached.
    #[error("server: {0}")]
    Server(#[from] ClientError),
    /// The signature could not be made (a stored certificate unreadable, the CMS not buildable).
    #[error("the signature could not be made: {0}")]
    Signature(String),
}
