//! What the approval machine is told: the citizen's input and the results of its commands.

use qoltanba_protocol::{LoginAccepted, LoginChallenge, LoginStatus};

use crate::client::ClientError;
use crate::enrollment::Secret;
use crate::store::PinCheck;

/// An input of [`super::Approval::handle`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The answer to [`super::Command::Scan`].
    Scanned(Result<LoginChallenge, ClientError>),
    /// The citizen picked this number.
    NumberChosen(u8),
    /// The citizen declined (it was not them) or cancelled a prompt.
    Declined,
    /// The PIN as entered.
    PinEntered(Secret),
    /// The result of [`super::Command::CheckPin`].
    PinChecked(PinCheck),
    /// The key files' password as entered.
    PasswordEntered(Secret),
    /// The result of [`super::Command::Sign`].
    Signed(Result<Signed, SignFailure>),
    /// The answer to [`super::Command::SendAnswer`].
    Answered(Result<LoginAccepted, ClientError>),
    /// The answer to [`super::Command::SendDecline`].
    DeclineSent(Result<LoginStatus, ClientError>),
}

/// The events, without their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum EventKind {
    Scanned,
    NumberChosen,
    Declined,
    PinEntered,
    PinChecked,
    PasswordEntered,
    Signed,
    Answered,
    DeclineSent,
}

/// The AUTH key's signature of the login message, with the certificate that verifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The AUTH certificate, DER.
    pub auth_certificate: Vec<u8>,
    /// The RSA PKCS#1 v1.5 SHA-256 signature.
    pub signature: Vec<u8>,
}

/// Why the AUTH key did not sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignFailure {
    /// The password does not open the key file (asked again).
    WrongPassword,
    /// The citizen cancelled the platform's authentication prompt (the login is declined).
    Cancelled,
    /// Anything else (damaged key, invalidated key, no key).
    Key {
        /// What the key store said (never secret).
        detail: String,
    },
}
