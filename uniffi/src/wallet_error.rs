//! [`WalletError`]: why a call on the enrolled citizen's [`crate::Wallet`] failed, typed for the UI to say
//! it in the citizen's language and to react (tries left, when to retry). No field is named `message`.

use std::time::SystemTime;

use qoltanba_core::client::ClientError;
use qoltanba_core::documents::DocumentError;
use qoltanba_core::keystore::KeyStoreError;
use qoltanba_core::login::LoginError;
use qoltanba_core::ports::PortError;
use qoltanba_core::signing::SigningError;
use qoltanba_core::store::StoreError;

use crate::runtime::RuntimeFailure;

/// Why a wallet call failed. Nothing was sent or recorded unless the variant says so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum WalletError {
    /// This phone holds no (valid) certificate for the operation: enroll first.
    #[error("not enrolled")]
    NotEnrolled,
    /// No PIN is set on this phone.
    #[error("no PIN is set")]
    NoPin,
    /// Too many wrong PINs: no PIN is checked before `until`.
    #[error("the PIN is locked")]
    PinLocked {
        /// When the PIN can be tried again.
        until: SystemTime,
    },
    /// The PIN is wrong.
    #[error("wrong PIN; {tries_left} tries left")]
    WrongPin {
        /// Wrong PINs left before the lock.
        tries_left: u32,
    },
    /// The key files' password does not open the key.
    #[error("wrong key password")]
    WrongKeyPassword,
    /// The scanned text is not a Qoltanba login QR code.
    #[error("not a login QR code")]
    NotALoginCode,
    /// The request is no longer pending (answered, cancelled, or never this citizen's).
    #[error("the request is not pending")]
    RequestNotPending,
    /// The code the server announced is not the one the phone computes: only refusing is allowed.
    #[error("the verification code does not match")]
    CodeMismatch {
        /// What the server announced.
        announced: String,
        /// What the phone computed from the document.
        computed: String,
    },
    /// The request cannot be signed as sent (its document does not match its digest, …).
    #[error("the request is malformed")]
    MalformedRequest,
    /// The request or session expired.
    #[error("expired")]
    Expired,
    /// The server could not be reached (no network, timeout).
    #[error("the server could not be reached")]
    Network,
    /// The server is busy or limits the rate: retry later.
    #[error("the server asks to retry later")]
    Stalled {
        /// Seconds to wait, when the server said.
        retry_after: Option<u32>,
    },
    /// The server refused; `code` is the API error code (`snake_case`, as on the wire).
    #[error("the server refused: {code}")]
    Server {
        /// The API error code.
        code: String,
    },
    /// The signature given to verify is not a readable CMS signature (or detached without its content).
    #[error("not a readable signature: {reason}")]
    UnreadableSignature {
        /// What is wrong with it (for logs).
        reason: String,
    },
    /// The local database failed.
    #[error("the local store failed: {reason}")]
    Store {
        /// The store's explanation.
        reason: String,
    },
    /// A platform service or the key store failed (not a cancellation).
    #[error("a platform service failed: {reason}")]
    Platform {
        /// The platform's explanation.
        reason: String,
    },
    /// The citizen cancelled a prompt; nothing was sent.
    #[error("cancelled")]
    Cancelled,
    /// A defect in the core (reported rather than hidden).
    #[error("defect: {reason}")]
    Defect {
        /// What went wrong.
        reason: String,
    },
}

impl From<SigningError> for WalletError {
    fn from(error: SigningError) -> Self {
        match error {
            SigningError::NotEnrolled(_) => Self::NotEnrolled,
            SigningError::NotPending(_) => Self::RequestNotPending,
            SigningError::CodeMismatch { announced, computed } => Self::CodeMismatch { announced, computed },
            SigningError::Expired => Self::Expired,
            SigningError::Malformed(_) => Self::MalformedRequest,
            SigningError::WrongPin { tries_left } => Self::WrongPin { tries_left },
            SigningError::PinLocked { until } => Self::PinLocked { until: until.into() },
            SigningError::Cancelled => Self::Cancelled,
            SigningError::Prompt(error) => error.into(),
            SigningError::Keys(error) => error.into(),
            SigningError::Store(error) => error.into(),
            SigningError::Server(error) => error.into(),
            other => Self::Defect { reason: other.to_string() },
        }
    }
}

impl From<LoginError> for WalletError {
    fn from(error: LoginError) -> Self {
        match error {
            LoginError::Qr(_) => Self::NotALoginCode,
            LoginError::NotEnrolled => Self::NotEnrolled,
            LoginError::NoPin => Self::NoPin,
            LoginError::Store(error) => error.into(),
            LoginError::Port(error) => error.into(),
            other @ (LoginError::Stuck(_) | LoginError::Machine(_)) => {
                Self::Defect { reason: other.to_string() }
            }
        }
    }
}

impl From<DocumentError> for WalletError {
    fn from(error: DocumentError) -> Self {
        match error {
            DocumentError::Unreadable(error) => Self::UnreadableSignature { reason: error.to_string() },
            DocumentError::Store(error) => error.into(),
        }
    }
}

impl From<KeyStoreError> for WalletError {
    fn from(error: KeyStoreError) -> Self {
        match error {
            KeyStoreError::WrongPassword | KeyStoreError::UnusablePassword => Self::WrongKeyPassword,
            KeyStoreError::Cancelled => Self::Cancelled,
            other => Self::Platform { reason: other.to_string() },
        }
    }
}

impl From<ClientError> for WalletError {
    fn from(error: ClientError) -> Self {
        let retry_after = error.retry_after().map(|wait| u32::try_from(wait.as_secs()).unwrap_or(u32::MAX));
        match error {
            ClientError::NetworkDown { .. } | ClientError::Timeout => Self::Network,
            ClientError::ServerUnavailable { .. } | ClientError::RateLimited { .. } => {
                Self::Stalled { retry_after }
            }
            ClientError::SessionExpired(_) => Self::Expired,
            ClientError::UnexpectedResponse { status, .. } => Self::Server { code: format!("http_{status}") },
            other => match other.api_error() {
                Some(api) => Self::Server { code: api.code.name().to_owned() },
                None => Self::Defect { reason: other.to_string() },
            },
        }
    }
}

impl From<StoreError> for WalletError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NoPin => Self::NoPin,
            other => Self::Store { reason: other.to_string() },
        }
    }
}

impl From<PortError> for WalletError {
    fn from(error: PortError) -> Self {
        match error {
            PortError::Cancelled => Self::Cancelled,
            PortError::Unavailable { reason } => Self::Platform { reason },
        }
    }
}

impl From<RuntimeFailure> for WalletError {
    fn from(failure: RuntimeFailure) -> Self {
        match failure {
            RuntimeFailure::Unavailable(reason) | RuntimeFailure::Lost(reason) => Self::Defect { reason },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_pin_keeps_its_tries_left() {
        assert_eq!(
            WalletError::from(SigningError::WrongPin { tries_left: 2 }),
            WalletError::WrongPin { tries_left: 2 }
        );
    }

    #[test]
    fn a_key_password_that_does_not_open_the_key_is_its_own_error() {
        assert_eq!(
            WalletError::from(SigningError::Keys(KeyStoreError::WrongPassword)),
            WalletError::WrongKeyPassword
        );
    }

    #[test]
    fn a_rate_limit_says_when_to_retry() {
        let error =
            ClientError::RateLimited { retry_after: Some(std::time::Duration::from_secs(7)), api: None };
        assert_eq!(WalletError::from(error), WalletError::Stalled { retry_after: Some(7) });
    }
}
