//! Where an approval is, and how it ended.

use qoltanba_protocol::{LoginChallenge, LoginRefusal};
use time::OffsetDateTime;

use crate::client::ClientError;

/// Where an [`super::Approval`] is: what the phone shows, or what it waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// The QR text is being sent to the server ([`super::Command::Scan`] in flight).
    Scanning,
    /// The challenge is shown (who asks, the browser, its place and time, the address warning, three
    /// numbers): the citizen picks the page's number, or declines.
    Choosing {
        /// What the server said about the login.
        challenge: LoginChallenge,
    },
    /// The citizen confirms with the PIN (or biometrics), or declines.
    EnteringPin {
        /// The login.
        challenge: LoginChallenge,
        /// The number chosen.
        number: u8,
        /// Wrong PINs left before the lock, after a wrong one (`None` at the first prompt).
        tries_left: Option<u8>,
    },
    /// The PIN is being checked ([`super::Command::CheckPin`] in flight).
    CheckingPin {
        /// The login.
        challenge: LoginChallenge,
        /// The number chosen.
        number: u8,
    },
    /// The key files' password is asked for (keys kept in files only), or the citizen declines.
    EnteringPassword {
        /// The login.
        challenge: LoginChallenge,
        /// The number chosen.
        number: u8,
        /// The previous password did not open the key.
        wrong: bool,
    },
    /// The AUTH key signs ([`super::Command::Sign`] in flight).
    Signing {
        /// The login.
        challenge: LoginChallenge,
        /// The number chosen.
        number: u8,
    },
    /// The answer is being sent ([`super::Command::SendAnswer`] in flight).
    Answering {
        /// The login.
        challenge: LoginChallenge,
        /// The number chosen.
        number: u8,
    },
    /// The citizen's refusal is being sent ([`super::Command::SendDecline`] in flight).
    Declining {
        /// The login.
        challenge: LoginChallenge,
    },
    /// The approval is over.
    Ended(Ending),
}

/// The stages, without their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum StageKind {
    Scanning,
    Choosing,
    EnteringPin,
    CheckingPin,
    EnteringPassword,
    Signing,
    Answering,
    Declining,
    Ended,
}

/// How an approval ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The server accepted the answer: the browser is logged in to `relying_party`.
    Approved {
        /// Who the citizen logged in to.
        relying_party: String,
    },
    /// The citizen declined, and the server was told (the page shows it).
    Declined,
    /// The server refused the login (a wrong number, a stale QR code, an expired session, …); the page
    /// shows the same reason.
    Refused {
        /// Why.
        reason: LoginRefusal,
    },
    /// Too many wrong PINs: no PIN is checked before `until`.
    PinLocked {
        /// When the PIN can be tried again.
        until: OffsetDateTime,
    },
    /// The login could not be carried out.
    Failed {
        /// Why.
        failure: LoginFailure,
    },
}

/// Why an approval failed without a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginFailure {
    /// The server could not be reached or answered something unexpected.
    Server(ClientError),
    /// The key store could not sign (a damaged key file, a key the platform invalidated).
    Key {
        /// What the key store said (never secret).
        detail: String,
    },
}
