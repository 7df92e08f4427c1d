//! What the machine waits for, as persisted in the snapshot: never a secret nor a picture (those stay in
//! [`Transient`] memory, so an action that needs one is re-asked or re-checked after a restart).

use qoltanba_protocol::{Consent, CsrPair, EmailAddress, PhoneNumber, StartEnrollment};
use serde::{Deserialize, Serialize};

use super::secret::{Picture, Secret};
use crate::keystore::KeyStorageKind;

/// The action in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "pending", rename_all = "snake_case")]
pub(crate) enum Pending {
    /// An API call; `key` is its idempotency key (`None` for the `GET`).
    Api { call: Call, key: Option<String> },
    /// A `PollAfter` wait.
    Poll,
    /// `StorePin` (the PIN is transient).
    StorePin,
    /// `CheckPin` (the PIN is transient).
    CheckPin,
    /// `GenerateKeys` (the password is transient).
    GenerateKeys { storage: KeyStorageKind, label: String },
    /// `InstallCertificates` (the password is transient).
    Install,
    /// `DeleteKeys`.
    DeleteKeys,
}

/// An API call without its transient payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Call {
    Start(StartEnrollment),
    Fetch,
    Phone(PhoneNumber),
    SmsCode,
    Resend,
    Selfie,
    IdCardPhoto,
    Consent(Consent),
    Email(EmailAddress),
    Csrs(CsrPair),
}

/// What lives only in memory: the secret or picture of the action in flight, and the key files' password
/// from its choice until the certificates are installed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Transient {
    pub(crate) secret: Option<Secret>,
    pub(crate) picture: Option<Picture>,
    pub(crate) password: Option<Secret>,
}

impl Transient {
    /// Forgets the in-flight secret and picture (the password stays).
    pub(crate) fn clear_action(&mut self) {
        self.secret = None;
        self.picture = None;
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }
}
