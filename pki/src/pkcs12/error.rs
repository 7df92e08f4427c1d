//! What can go wrong reading or writing a PKCS#12 key store.

use const_oid::ObjectIdentifier;

/// Why a key store could not be read or written. Never carries a password or key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Pkcs12Error {
    /// The password does not open this key store (MAC and decryption both fail).
    #[error("wrong password")]
    WrongPassword,
    /// The integrity check failed although the password decrypts the content: the file was altered.
    #[error("integrity check failed: the key store was altered or damaged")]
    BadMac,
    /// The input ends before the structure it announces (a cut-off download or copy).
    #[error("the key store is truncated")]
    Truncated,
    /// The input is not a PKCS#12 key store we can parse.
    #[error("malformed key store: {0}")]
    Malformed(String),
    /// An encryption, MAC or bag algorithm we do not implement (by OID).
    #[error("unsupported algorithm {0}")]
    UnsupportedAlgorithm(ObjectIdentifier),
    /// The entry holds no private key.
    #[error("the entry has no private key")]
    NoPrivateKey,
    /// The private key is not an RSA key this crate can sign with, or is damaged.
    #[error("the private key is not a usable RSA key")]
    UnusableKey,
    /// The password has characters outside Unicode's Basic Multilingual Plane (e.g. emoji), which the
    /// PKCS#12 key derivation (a BMPString) cannot carry.
    #[error("the password has characters a PKCS#12 key store cannot use")]
    PasswordNotBmp,
    /// The system random generator failed while writing.
    #[error("the system random generator failed")]
    Random,
    /// A value could not be encoded while writing (e.g. an alias too long for a BMPString).
    #[error("could not encode the key store: {0}")]
    Encode(String),
}

impl Pkcs12Error {
    /// Classifies a decoding error: an early end of input is [`Pkcs12Error::Truncated`].
    pub(crate) fn decoding(error: der::Error) -> Self {
        match error.kind() {
            der::ErrorKind::Incomplete { .. } => Self::Truncated,
            _ => Self::Malformed(error.to_string()),
        }
    }

    /// Wraps an encoding error.
    pub(crate) fn encoding(error: der::Error) -> Self {
        Self::Encode(error.to_string())
    }
}
