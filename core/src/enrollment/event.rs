//! What happens to the machine: the citizen's inputs and the edge's results.

use qoltanba_protocol::{ApiError, CsrPair, Session};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::secret::Secret;
use crate::keystore::{KeyId, KeyStorageKind};

/// An input to [`super::Enrollment::handle`]. Secrets are [`Secret`]s; `Debug` never shows them.
#[derive(Debug, Clone)]
pub enum Event {
    /// The device check ran.
    DeviceChecked {
        /// Whether a usable camera was found.
        camera_ok: bool,
        /// Whether the network is reachable.
        network_ok: bool,
    },
    /// The citizen typed an IIN.
    IinEntered(String),
    /// The citizen typed a phone number.
    PhoneEntered(String),
    /// The citizen typed (or the phone read) the SMS code.
    SmsCodeEntered(Secret),
    /// The citizen asks for a new SMS code.
    ResendRequested,
    /// The camera took a selfie (raw JPEG or PNG).
    SelfieTaken(Vec<u8>),
    /// The citizen chose a PIN and typed it twice.
    PinChosen {
        /// The PIN.
        pin: Secret,
        /// The PIN typed again.
        confirmation: Secret,
    },
    /// The camera took a photo of the ID card (raw JPEG or PNG).
    IdCardPhotoTaken(Vec<u8>),
    /// The citizen typed the PIN again and consents to the NCA processing their data.
    ConsentGiven {
        /// The PIN typed again.
        pin: Secret,
    },
    /// The citizen refuses consent (the session then fails).
    ConsentRefused,
    /// The citizen typed an e-mail address.
    EmailEntered(String),
    /// The citizen chose where the keys live.
    KeyStorageChosen(KeyStorageKind),
    /// The citizen chose the key files' password and typed it twice.
    PasswordChosen {
        /// The password.
        password: Secret,
        /// The password typed again.
        confirmation: Secret,
    },
    /// The citizen typed the key files' password again (step [`super::Step::UnlockKeys`]).
    PasswordEntered(Secret),
    /// The citizen asks to retry the stalled action (same idempotency key).
    Retry,
    /// The server answered the API call in flight with the session.
    ServerAnswered(Session),
    /// The server refused the API call in flight.
    ServerRefused(ApiError),
    /// The API call in flight could not reach the server (after the driver's own retries).
    TransportFailed,
    /// The wait asked for by [`super::Command::PollAfter`] is over.
    PollDue,
    /// The PIN's hash was stored.
    PinStored,
    /// The PIN typed again was checked against the stored hash.
    PinChecked {
        /// Whether it matched.
        ok: bool,
        /// Tries left before the PIN locks.
        tries_left: u8,
        /// Until when the PIN is locked, if it is.
        locked_until: Option<OffsetDateTime>,
    },
    /// The key store made both key pairs and their CSRs.
    KeysGenerated {
        /// The authentication key.
        auth: KeyId,
        /// The signing key.
        sign: KeyId,
        /// Their CSRs.
        csrs: CsrPair,
    },
    /// The key store could not make the keys.
    KeysFailed {
        /// Its explanation (no secrets).
        detail: String,
    },
    /// The certificates were installed beside their keys.
    CertificatesInstalled,
    /// The certificates could not be installed.
    InstallFailed {
        /// Its explanation (no secrets).
        detail: String,
    },
    /// The keys asked for by [`super::Command::DeleteKeys`] are gone.
    KeysDeleted,
}

/// The name of an [`Event`], without its data (for errors and tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // one per `Event` variant, documented there
pub enum EventKind {
    DeviceChecked,
    IinEntered,
    PhoneEntered,
    SmsCodeEntered,
    ResendRequested,
    SelfieTaken,
    PinChosen,
    IdCardPhotoTaken,
    ConsentGiven,
    ConsentRefused,
    EmailEntered,
    KeyStorageChosen,
    PasswordChosen,
    PasswordEntered,
    Retry,
    ServerAnswered,
    ServerRefused,
    TransportFailed,
    PollDue,
    PinStored,
    PinChecked,
    KeysGenerated,
    KeysFailed,
    CertificatesInstalled,
    InstallFailed,
    KeysDeleted,
}

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: [EventKind; 26] = [
        Self::DeviceChecked,
        Self::IinEntered,
        Self::PhoneEntered,
        Self::SmsCodeEntered,
        Self::ResendRequested,
        Self::SelfieTaken,
        Self::PinChosen,
        Self::IdCardPhotoTaken,
        Self::ConsentGiven,
        Self::ConsentRefused,
        Self::EmailEntered,
        Self::KeyStorageChosen,
        Self::PasswordChosen,
        Self::PasswordEntered,
        Self::Retry,
        Self::ServerAnswered,
        Self::ServerRefused,
        Self::TransportFailed,
        Self::PollDue,
        Self::PinStored,
        Self::PinChecked,
        Self::KeysGenerated,
        Self::KeysFailed,
        Self::CertificatesInstalled,
        Self::InstallFailed,
        Self::KeysDeleted,
    ];

    /// Whether the citizen causes it (as opposed to the edge reporting a result).
    pub fn is_input(self) -> bool {
        matches!(
            self,
            Self::DeviceChecked
                | Self::IinEntered
                | Self::PhoneEntered
                | Self::SmsCodeEntered
                | Self::ResendRequested
                | Self::SelfieTaken
                | Self::PinChosen
                | Self::IdCardPhotoTaken
                | Self::ConsentGiven
                | Self::ConsentRefused
                | Self::EmailEntered
                | Self::KeyStorageChosen
                | Self::PasswordChosen
                | Self::PasswordEntered
        )
    }
}

impl Event {
    /// The event's name.
    pub fn kind(&self) -> EventKind {
        match self {
            Self::DeviceChecked { .. } => EventKind::DeviceChecked,
            Self::IinEntered(_) => EventKind::IinEntered,
            Self::PhoneEntered(_) => EventKind::PhoneEntered,
            Self::SmsCodeEntered(_) => EventKind::SmsCodeEntered,
            Self::ResendRequested => EventKind::ResendRequested,
            Self::SelfieTaken(_) => EventKind::SelfieTaken,
            Self::PinChosen { .. } => EventKind::PinChosen,
            Self::IdCardPhotoTaken(_) => EventKind::IdCardPhotoTaken,
            Self::ConsentGiven { .. } => EventKind::ConsentGiven,
            Self::ConsentRefused => EventKind::ConsentRefused,
            Self::EmailEntered(_) => EventKind::EmailEntered,
            Self::KeyStorageChosen(_) => EventKind::KeyStorageChosen,
            Self::PasswordChosen { .. } => EventKind::PasswordChosen,
            Self::PasswordEntered(_) => EventKind::PasswordEntered,
            Self::Retry => EventKind::Retry,
            Self::ServerAnswered(_) => EventKind::ServerAnswered,
            Self::ServerRefused(_) => EventKind::ServerRefused,
            Self::TransportFailed => EventKind::TransportFailed,
            Self::PollDue => EventKind::PollDue,
            Self::PinStored => EventKind::PinStored,
            Self::PinChecked { .. } => EventKind::PinChecked,
            Self::KeysGenerated { .. } => EventKind::KeysGenerated,
            Self::KeysFailed { .. } => EventKind::KeysFailed,
            Self::CertificatesInstalled => EventKind::CertificatesInstalled,
            Self::InstallFailed { .. } => EventKind::InstallFailed,
            Self::KeysDeleted => EventKind::KeysDeleted,
        }
    }
}
