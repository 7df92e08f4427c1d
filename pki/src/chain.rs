//! Certificate path validation at a given time against given trust anchors, with revocation status.
//! (Being written; the revocation interface below is stable.)

use time::OffsetDateTime;
use x509_cert::Certificate;

/// The revocation status of one certificate, as a CRL or an OCSP answer tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevocationStatus {
    /// Not revoked as of the evidence.
    Good,
    /// Revoked at the given time.
    Revoked {
        /// When the CA revoked it.
        revoked_at: OffsetDateTime,
    },
    /// The evidence does not cover this certificate (another issuer, stale, …).
    Unknown,
}

/// Revocation evidence the caller supplies (CRLs, OCSP answers): this crate never fetches any.
pub trait RevocationSource {
    /// The status of `cert` issued by `issuer`, as of `at`. Evidence that is present but fails to verify
    /// (bad signature, outside its validity) is an error, not `Unknown`.
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        at: OffsetDateTime,
    ) -> Result<RevocationStatus, RevocationError>;
}

/// Why revocation evidence could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RevocationError {
    /// The CRL or OCSP response is not signed by the certificate's issuer (or its delegated responder).
    #[error("the revocation evidence has a bad signature")]
    BadSignature,
    /// The evidence is not valid at the time asked about.
    #[error("the revocation evidence is not current at the time asked about")]
    NotCurrent,
    /// The evidence could not be decoded.
    #[error("the revocation evidence is malformed: {0}")]
    Malformed(String),
}
