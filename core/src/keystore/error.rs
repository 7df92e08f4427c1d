//! What can go wrong in a key store, typed so that a UI can say it in the citizen's language.

use super::{CertificatePurpose, KeyId};

/// Why a key store operation failed. Never carries a password, a PIN or key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyStoreError {
    /// The password does not open the key.
    #[error("wrong password")]
    WrongPassword,
    /// The password has characters a PKCS#12 file cannot hold (outside Unicode's Basic Multilingual
    /// Plane, e.g. emoji).
    #[error("the password has characters a key file cannot use")]
    UnusablePassword,
    /// No key with this id in the store.
    #[error("no key {0} in the store")]
    NotFound(KeyId),
    /// The user cancelled the authentication prompt (biometrics, device PIN).
    #[error("authentication was cancelled")]
    Cancelled,
    /// The user has not authenticated recently enough for the key to be used.
    #[error("the user must authenticate to use the key")]
    AuthenticationRequired,
    /// The key was invalidated by the platform (biometrics or the screen lock changed); it can never
    /// be used again and must be replaced.
    #[error("key {0} was invalidated by the system")]
    KeyInvalidated(KeyId),
    /// The hardware store is not available on this device.
    #[error("the hardware key store is not available: {0}")]
    Unavailable(String),
    /// The certificate chain is empty.
    #[error("no certificate to install")]
    EmptyChain,
    /// The certificate is not for this key.
    #[error("the certificate does not belong to the key")]
    CertificateMismatch,
    /// The certificate is not for the key's purpose (e.g. a signing certificate for the AUTH key).
    #[error("the certificate is not a {key:?} certificate")]
    WrongPurpose {
        /// What the key was generated for.
        key: CertificatePurpose,
    },
    /// A stored key or certificate cannot be read (damaged file or entry).
    #[error("key {0} is damaged")]
    Corrupt(KeyId),
    /// Key generation failed (random generator, prime search).
    #[error("key generation failed")]
    Generation,
    /// Reading or writing the store failed.
    #[error("key store I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// Another platform error, with the platform's message (never secret).
    #[error("the key store failed: {0}")]
    Platform(String),
}

/// JNI failures outside a Java call (attaching the thread, local frames); Java exceptions are
/// classified by `android::jvm::error_of` instead.
#[cfg(feature = "android-keystore")]
impl From<jni::errors::Error> for KeyStoreError {
    fn from(error: jni::errors::Error) -> Self {
        KeyStoreError::Platform(error.to_string())
    }
}
