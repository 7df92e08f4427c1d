//! QR login on the phone ([`crate::Wallet::approve_login`]): the [`LoginScreens`] foreign trait, the
//! records it shows, how a login ended, and the adapter to core's [`LoginPrompt`].

use std::sync::Arc;
use std::time::SystemTime;

use async_trait::async_trait;
use qoltanba_core::login::{Choice, Ending, LoginFailure, LoginPrompt};
use qoltanba_core::ports::PortError;
use qoltanba_protocol::{LoginChallenge, LoginRefusal};
use zeroize::Zeroizing;

use crate::error::PlatformError;
use crate::platform::KeyPasswordPrompt;

/// Who asks to log in, shown before the citizen picks the page's number.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LoginChallengeInfo {
    /// The relying party the browser logs in to.
    pub relying_party: String,
    /// The browser (`Chrome 126 on Windows`).
    pub browser: String,
    /// The browser's network address as the server saw it.
    pub browser_address: String,
    /// The approximate place of that address, when known.
    pub place: Option<String>,
    /// When the browser started the login.
    pub started_at: SystemTime,
    /// Three distinct two-digit numbers; exactly one is the page's.
    pub numbers: Vec<u8>,
    /// The phone's network address differs from the browser's: show the warning.
    pub address_warning: bool,
    /// When the login ends unanswered.
    pub expires_at: SystemTime,
}

/// The citizen's answer to a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum LoginChoice {
    /// The number the page shows.
    Number {
        /// One of the challenge's three numbers.
        value: u8,
    },
    /// It is not the citizen: decline the login.
    Decline,
}

/// The login screen. Throwing `Cancelled` declines the login.
#[uniffi::export(with_foreign)]
#[async_trait]
pub trait LoginScreens: Send + Sync {
    /// Shows `challenge` and returns the citizen's choice; `again` after a number it does not offer.
    async fn choose(&self, challenge: LoginChallengeInfo, again: bool) -> Result<LoginChoice, PlatformError>;
}

/// How a login ended (core's `Ending`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum LoginEnding {
    /// The browser is logged in.
    LoggedIn {
        /// Who to.
        relying_party: String,
    },
    /// The citizen declined, and the page was told.
    Declined,
    /// The server refused the login; the page shows the same reason.
    Refused {
        /// Why.
        reason: LoginRefusalReason,
    },
    /// The login session expired before the answer.
    Expired,
    /// Too many wrong PINs: no PIN is checked before `until`.
    PinLocked {
        /// When the PIN can be tried again.
        until: SystemTime,
    },
    /// The server could not be reached or answered something unexpected.
    ServerFailed {
        /// What happened (for logs).
        detail: String,
    },
    /// The AUTH key could not sign (damaged key file, key invalidated by the system).
    KeyFailed {
        /// What the key store said (for logs).
        detail: String,
    },
}

/// Why the server refused a login (the protocol's `LoginRefusal`, except `expired`: [`LoginEnding::Expired`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
#[allow(missing_docs)] // mirrors the protocol's `LoginRefusal`, documented there
pub enum LoginRefusalReason {
    WrongNumber,
    Replayed,
    OtherSession,
    CertificateRevoked,
    CertificateExpired,
    NotAnAuthCertificate,
    BadSignature,
    UntrustedCertificate,
    Expired,
    OtherBrowser,
    StaleQrCode,
    AlreadyScanned,
    Declined,
}

/// The foreign login screen and password prompt as core's [`LoginPrompt`].
pub(crate) struct LoginPort {
    pub screens: Arc<dyn LoginScreens>,
    pub passwords: Arc<dyn KeyPasswordPrompt>,
}

#[async_trait]
impl LoginPrompt for LoginPort {
    async fn choose(&self, challenge: &LoginChallenge, again: bool) -> Result<Choice, PortError> {
        Ok(match self.screens.choose(challenge.into(), again).await? {
            LoginChoice::Number { value } => Choice::Number(value),
            LoginChoice::Decline => Choice::Decline,
        })
    }

    async fn key_password(&self, wrong: bool) -> Result<Zeroizing<String>, PortError> {
        Ok(Zeroizing::new(self.passwords.key_password(wrong).await?))
    }
}

impl From<&LoginChallenge> for LoginChallengeInfo {
    fn from(challenge: &LoginChallenge) -> Self {
        Self {
            relying_party: challenge.relying_party.clone(),
            browser: challenge.browser.clone(),
            browser_address: challenge.browser_address.clone(),
            place: challenge.browser_place.clone(),
            started_at: challenge.started_at.into(),
            numbers: challenge.numbers.to_vec(),
            address_warning: challenge.address_differs,
            expires_at: challenge.expires_at.into(),
        }
    }
}

impl From<Ending> for LoginEnding {
    fn from(ending: Ending) -> Self {
        match ending {
            Ending::Approved { relying_party } => Self::LoggedIn { relying_party },
            Ending::Declined => Self::Declined,
            Ending::Refused { reason: LoginRefusal::Expired } => Self::Expired,
            Ending::Refused { reason } => Self::Refused { reason: reason.into() },
            Ending::PinLocked { until } => Self::PinLocked { until: until.into() },
            Ending::Failed { failure: LoginFailure::Server(error) } => {
                Self::ServerFailed { detail: error.to_string() }
            }
            Ending::Failed { failure: LoginFailure::Key { detail } } => Self::KeyFailed { detail },
        }
    }
}

impl From<LoginRefusal> for LoginRefusalReason {
    fn from(reason: LoginRefusal) -> Self {
        match reason {
            LoginRefusal::WrongNumber => Self::WrongNumber,
            LoginRefusal::Replayed => Self::Replayed,
            LoginRefusal::OtherSession => Self::OtherSession,
            LoginRefusal::CertificateRevoked => Self::CertificateRevoked,
            LoginRefusal::CertificateExpired => Self::CertificateExpired,
            LoginRefusal::NotAnAuthCertificate => Self::NotAnAuthCertificate,
            LoginRefusal::BadSignature => Self::BadSignature,
            LoginRefusal::UntrustedCertificate => Self::UntrustedCertificate,
            LoginRefusal::Expired => Self::Expired,
            LoginRefusal::OtherBrowser => Self::OtherBrowser,
            LoginRefusal::StaleQrCode => Self::StaleQrCode,
            LoginRefusal::AlreadyScanned => Self::AlreadyScanned,
            LoginRefusal::Declined => Self::Declined,
        }
    }
}
