//! Revocation evidence: what a CRL or an OCSP answer says about one certificate.

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

/// Several sources together (CRLs and OCSP answers): a `Revoked` from any of them wins, then a `Good`;
/// evidence that fails to verify is an error only when no other source answered.
pub struct Combined<'a>(pub Vec<&'a dyn RevocationSource>);

impl RevocationSource for Combined<'_> {
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        at: OffsetDateTime,
    ) -> Result<RevocationStatus, RevocationError> {
        let answers: Vec<_> = self.0.iter().map(|source| source.status(cert, issuer, at)).collect();
        let revoked = answers.iter().find_map(|a| match a {
            Ok(status @ RevocationStatus::Revoked { .. }) => Some(*status),
            _ => None,
        });
        if let Some(status) = revoked {
            return Ok(status);
        }
        if answers.iter().any(|a| matches!(a, Ok(RevocationStatus::Good))) {
            return Ok(RevocationStatus::Good);
        }
        answers.into_iter().find(Result::is_err).unwrap_or(Ok(RevocationStatus::Unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(fn() -> Result<RevocationStatus, RevocationError>);

    impl RevocationSource for Fixed {
        fn status(
            &self,
            _: &Certificate,
            _: &Certificate,
            _: OffsetDateTime,
        ) -> Result<RevocationStatus, RevocationError> {
            (self.0)()
        }
    }

    fn combined(sources: &[&Fixed]) -> Result<RevocationStatus, RevocationError> {
        let pem = include_bytes!("../../tests/data/cms/root.pem");
        let cert = crate::certificate::parse_certificate(pem).unwrap();
        let dyns: Vec<&dyn RevocationSource> = sources.iter().map(|s| *s as &dyn RevocationSource).collect();
        Combined(dyns).status(&cert, &cert, OffsetDateTime::UNIX_EPOCH)
    }

    const GOOD: Fixed = Fixed(|| Ok(RevocationStatus::Good));
    const UNKNOWN: Fixed = Fixed(|| Ok(RevocationStatus::Unknown));
    const REVOKED: Fixed = Fixed(|| Ok(RevocationStatus::Revoked { revoked_at: OffsetDateTime::UNIX_EPOCH }));
    const STALE: Fixed = Fixed(|| Err(RevocationError::NotCurrent));

    #[test]
    fn revoked_from_any_source_wins() {
        assert!(matches!(combined(&[&GOOD, &REVOKED]), Ok(RevocationStatus::Revoked { .. })));
        assert!(matches!(combined(&[&STALE, &REVOKED]), Ok(RevocationStatus::Revoked { .. })));
    }

    #[test]
    fn good_answer_outweighs_stale_evidence() {
        assert!(matches!(combined(&[&STALE, &GOOD]), Ok(RevocationStatus::Good)));
    }

    #[test]
    fn stale_evidence_alone_is_an_error_and_nothing_is_unknown() {
        assert!(matches!(combined(&[&UNKNOWN, &STALE]), Err(RevocationError::NotCurrent)));
        assert!(matches!(combined(&[&UNKNOWN]), Ok(RevocationStatus::Unknown)));
        assert!(matches!(combined(&[]), Ok(RevocationStatus::Unknown)));
    }
}
