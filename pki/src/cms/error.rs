//! Why a CMS message could not be made or read.
//!
//! A signature that does not verify is *not* an error: it is a [`super::SignerStatus::Invalid`] result.
//! These errors mean the input could not be read or the work could not be done at all.

use const_oid::ObjectIdentifier;

use crate::signer::SignError;

/// Why signing failed, or why a signed message could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CmsError {
    /// The input is not a DER or BER CMS ContentInfo (truncated, garbage, wrong structure).
    #[error("the input is not a readable CMS message: {0}")]
    Malformed(der::Error),
    /// The ContentInfo holds something other than SignedData.
    #[error("the CMS message is not SignedData but {0}")]
    NotSignedData(ObjectIdentifier),
    /// The message carries no content and none was given to check it against.
    #[error("the signature is detached and no content was given")]
    MissingContent,
    /// Content was given, but the message already carries its own.
    #[error("the message carries its own content; a detached content was given too")]
    ContentGivenTwice,
    /// The message has no signers.
    #[error("the message has no signers")]
    NoSigners,
    /// A signer's certificate is not among the certificates the message carries.
    #[error("signer {index}: its certificate is not in the message")]
    SignerCertificateNotFound {
        /// The signer's position in the message (0-based).
        index: usize,
    },
    /// A digest or signature algorithm this crate does not verify (GOST, ECDSA, PSS, …).
    #[error("unsupported algorithm {0}")]
    UnsupportedAlgorithm(ObjectIdentifier),
    /// The signing time cannot be encoded (`der` encodes 1970 to 9999).
    #[error("the signing time cannot be encoded")]
    SigningTime,
    /// The signer's key or key store could not sign.
    #[error(transparent)]
    Signer(#[from] SignError),
    /// The CMS builder failed while assembling the message.
    #[error("the CMS structure could not be built: {0}")]
    Build(String),
}

impl From<der::Error> for CmsError {
    fn from(error: der::Error) -> Self {
        Self::Malformed(error)
    }
}
