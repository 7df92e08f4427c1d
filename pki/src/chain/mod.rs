//! Certificate path validation at a given time against given trust anchors, with revocation status.
//!
//! [`validate`] builds a path from the end-entity certificate through the intermediates to one of the
//! anchors (by issuer name, and authority/subject key identifiers when present), then checks along it:
//! RSA PKCS#1 v1.5 signatures (SHA-1/256/384/512), validity at the time asked about, CA basic
//! constraints, keyCertSign, path length, unknown critical extensions, and revocation through a
//! [`RevocationSource`] the caller supplies. Anchors are trusted as given: their self-signature is not checked.

mod revocation;
pub use revocation::{Combined, RevocationError, RevocationSource, RevocationStatus};

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280 as ext_oid;
use der::Encode;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectKeyIdentifier};
use x509_cert::time::Time;

use crate::algorithm::rsa_signature_is_valid;
use crate::cms::DigestAlgorithm;

/// The longest path tried, anchor included.
const MAX_PATH_LEN: usize = 10;
/// How many candidate paths (cross-certified CAs) are tried before giving up.
const MAX_CANDIDATES: usize = 16;

/// A path that validated.
#[derive(Clone, Debug)]
pub struct ValidatedPath {
    /// The end-entity certificate first, the anchor last.
    pub certificates: Vec<Certificate>,
    /// The revocation status of each non-anchor certificate, in path order; empty without a source.
    pub revocation: Vec<RevocationStatus>,
    /// True when the source could not tell the status of some certificate (no evidence for it).
    pub revocation_unknown: bool,
}

impl ValidatedPath {
    /// The anchor the path ends at.
    pub fn anchor(&self) -> Option<&Certificate> {
        self.certificates.last()
    }
}

/// Why a certificate does not chain to a trusted anchor at the time asked about.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// No chain of issuer names and key identifiers leads from the certificate to any anchor.
    #[error("no path from {subject} to a trusted anchor")]
    NoPathToAnchor {
        /// The end entity's subject.
        subject: String,
    },
    /// A certificate had expired at the time asked about.
    #[error("{subject} expired at {not_after}")]
    Expired {
        /// Its subject.
        subject: String,
        /// Its notAfter.
        not_after: OffsetDateTime,
    },
    /// A certificate was not yet valid at the time asked about.
    #[error("{subject} is not valid before {not_before}")]
    NotYetValid {
        /// Its subject.
        subject: String,
        /// Its notBefore.
        not_before: OffsetDateTime,
    },
    /// A certificate's signature does not verify with its issuer's key.
    #[error("the signature on {subject} does not verify with its issuer's key")]
    BadSignature {
        /// Its subject.
        subject: String,
    },
    /// A certificate is signed with an algorithm this crate does not verify.
    #[error("{subject} is signed with unsupported algorithm {algorithm}")]
    UnsupportedAlgorithm {
        /// Its subject.
        subject: String,
        /// The signature algorithm.
        algorithm: ObjectIdentifier,
    },
    /// A certificate that issued another is not a CA (no basicConstraints with cA=TRUE).
    #[error("{subject} is not a certification authority but issued a certificate")]
    NotACa {
        /// The would-be issuer's subject.
        subject: String,
    },
    /// A CA's key usage does not allow signing certificates (keyCertSign).
    #[error("{subject} may not sign certificates (no keyCertSign)")]
    NoCertificateSigning {
        /// The CA's subject.
        subject: String,
    },
    /// A CA's pathLenConstraint is exceeded by the intermediates below it.
    #[error("the path under {subject} is longer than its path length constraint")]
    PathTooLong {
        /// The CA's subject.
        subject: String,
    },
    /// A certificate has a critical extension this crate does not process.
    #[error("{subject} has an unsupported critical extension {oid}")]
    UnsupportedCriticalExtension {
        /// Its subject.
        subject: String,
        /// The extension.
        oid: ObjectIdentifier,
    },
    /// An extension the checks need does not decode, or occurs twice.
    #[error("{subject} has a malformed {oid} extension")]
    MalformedExtension {
        /// Its subject.
        subject: String,
        /// The extension.
        oid: ObjectIdentifier,
    },
    /// A certificate was revoked at or before the time asked about.
    #[error("{subject} was revoked at {at}")]
    Revoked {
        /// Its subject.
        subject: String,
        /// When it was revoked.
        at: OffsetDateTime,
    },
    /// The revocation evidence for a certificate could not be used.
    #[error("revocation evidence for {subject} is unusable: {source}")]
    Revocation {
        /// Its subject.
        subject: String,
        /// What was wrong with the evidence.
        source: RevocationError,
    },
}

/// Validates `end_entity` at `at`: finds a path through `intermediates` to one of `anchors` and checks it.
///
/// When several paths exist (cross-certification), the first that validates wins; if none does, the
/// error of the first is returned. A revocation status of [`RevocationStatus::Unknown`] is not an error:
/// it sets [`ValidatedPath::revocation_unknown`]. A revocation dated after `at` does not invalidate.
pub fn validate(
    end_entity: &Certificate,
    intermediates: &[Certificate],
    anchors: &[Certificate],
    at: OffsetDateTime,
    revocation: Option<&dyn RevocationSource>,
) -> Result<ValidatedPath, ChainError> {
    let mut first_error = None;
    for path in candidate_paths(end_entity, intermediates, anchors) {
        match check_path(&path, at, revocation) {
            Ok(validated) => return Ok(validated),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| ChainError::NoPathToAnchor { subject: subject(end_entity) }))
}

fn subject(cert: &Certificate) -> String {
    cert.tbs_certificate().subject().to_string()
}

/// Every path from `end_entity` to an anchor by names and key identifiers, shortest search first.
fn candidate_paths<'a>(
    end_entity: &'a Certificate,
    intermediates: &'a [Certificate],
    anchors: &'a [Certificate],
) -> Vec<Vec<&'a Certificate>> {
    if anchors.contains(end_entity) {
        return vec![vec![end_entity]];
    }
    let mut found = Vec::new();
    extend(&mut vec![end_entity], intermediates, anchors, &mut found);
    found
}

fn extend<'a>(
    path: &mut Vec<&'a Certificate>,
    intermediates: &'a [Certificate],
    anchors: &'a [Certificate],
    found: &mut Vec<Vec<&'a Certificate>>,
) {
    let Some(&last) = path.last() else { return };
    for anchor in anchors.iter().filter(|a| issued_by(last, a)) {
        if found.len() < MAX_CANDIDATES {
            found.push(path.iter().copied().chain([anchor]).collect());
        }
    }
    if path.len() + 1 >= MAX_PATH_LEN {
        return;
    }
    for issuer in intermediates.iter().filter(|i| issued_by(last, i)) {
        if path.contains(&issuer) {
            continue;
        }
        path.push(issuer);
        extend(path, intermediates, anchors, found);
        path.pop();
    }
}

/// Whether `issuer` may have issued `cert`: names match, and key identifiers too when both are present.
fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let authority = cert.tbs_certificate().get_extension::<AuthorityKeyIdentifier>().ok().flatten();
    let subject_key = issuer.tbs_certificate().get_extension::<SubjectKeyIdentifier>().ok().flatten();
    match (authority.and_then(|(_, aki)| aki.key_identifier), subject_key) {
        (Some(wanted), Some((_, ski))) => wanted == ski.0,
        _ => true,
    }
}

/// Checks one candidate path (end entity first, anchor last).
fn check_path(
    path: &[&Certificate],
    at: OffsetDateTime,
    revocation: Option<&dyn RevocationSource>,
) -> Result<ValidatedPath, ChainError> {
    for cert in path {
        check_validity(cert, at)?;
    }
    for (below, pair) in path.windows(2).enumerate() {
        let [cert, issuer] = pair else { continue };
        check_critical_extensions(cert)?;
        check_signature(cert, issuer)?;
        let intermediates_below = path.iter().skip(1).take(below).filter(|c| !self_issued(c)).count();
        check_issuer(issuer, intermediates_below)?;
    }
    let mut statuses = Vec::new();
    if let Some(source) = revocation {
        for pair in path.windows(2) {
            let [cert, issuer] = pair else { continue };
            statuses.push(check_revocation(source, cert, issuer, at)?);
        }
    }
    Ok(ValidatedPath {
        certificates: path.iter().map(|c| (*c).clone()).collect(),
        revocation_unknown: statuses.contains(&RevocationStatus::Unknown),
        revocation: statuses,
    })
}

fn self_issued(cert: &Certificate) -> bool {
    cert.tbs_certificate().issuer() == cert.tbs_certificate().subject()
}

fn to_offset(time: &Time) -> OffsetDateTime {
    i64::try_from(time.to_unix_duration().as_secs())
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(time::PrimitiveDateTime::MAX.assume_utc())
}

fn check_validity(cert: &Certificate, at: OffsetDateTime) -> Result<(), ChainError> {
    let validity = cert.tbs_certificate().validity();
    let (not_before, not_after) = (to_offset(&validity.not_before), to_offset(&validity.not_after));
    if at < not_before {
        return Err(ChainError::NotYetValid { subject: subject(cert), not_before });
    }
    if at > not_after {
        return Err(ChainError::Expired { subject: subject(cert), not_after });
    }
    Ok(())
}

fn check_signature(cert: &Certificate, issuer: &Certificate) -> Result<(), ChainError> {
    let algorithm = cert.signature_algorithm().oid;
    let digest = DigestAlgorithm::from_rsa_signature_oid(&algorithm)
        .ok_or_else(|| ChainError::UnsupportedAlgorithm { subject: subject(cert), algorithm })?;
    let bad = || ChainError::BadSignature { subject: subject(cert) };
    let tbs = cert.tbs_certificate().to_der().map_err(|_| bad())?;
    let signature = cert.signature().as_bytes().ok_or_else(bad)?;
    let key = issuer.tbs_certificate().subject_public_key_info();
    if rsa_signature_is_valid(key, digest, &tbs, signature) { Ok(()) } else { Err(bad()) }
}

/// `issuer` signed a certificate with `intermediates_below` non-self-issued intermediates under it.
fn check_issuer(issuer: &Certificate, intermediates_below: usize) -> Result<(), ChainError> {
    let tbs = issuer.tbs_certificate();
    let malformed = |oid| ChainError::MalformedExtension { subject: subject(issuer), oid };
    let constraints =
        tbs.get_extension::<BasicConstraints>().map_err(|_| malformed(ext_oid::ID_CE_BASIC_CONSTRAINTS))?;
    let Some((_, constraints)) = constraints.filter(|(_, bc)| bc.ca) else {
        return Err(ChainError::NotACa { subject: subject(issuer) });
    };
    let usage = tbs.get_extension::<KeyUsage>().map_err(|_| malformed(ext_oid::ID_CE_KEY_USAGE))?;
    if usage.is_some_and(|(_, ku)| !ku.key_cert_sign()) {
        return Err(ChainError::NoCertificateSigning { subject: subject(issuer) });
    }
    if constraints.path_len_constraint.is_some_and(|max| intermediates_below > usize::from(max)) {
        return Err(ChainError::PathTooLong { subject: subject(issuer) });
    }
    Ok(())
}

/// Critical extensions this module processes or may safely ignore.
const KNOWN_CRITICAL: [ObjectIdentifier; 8] = [
    ext_oid::ID_CE_KEY_USAGE,
    ext_oid::ID_CE_BASIC_CONSTRAINTS,
    ext_oid::ID_CE_EXT_KEY_USAGE,
    ext_oid::ID_CE_SUBJECT_KEY_IDENTIFIER,
    ext_oid::ID_CE_AUTHORITY_KEY_IDENTIFIER,
    ext_oid::ID_CE_CERTIFICATE_POLICIES,
    ext_oid::ID_CE_SUBJECT_ALT_NAME,
    ext_oid::ID_CE_ISSUER_ALT_NAME,
];

fn check_critical_extensions(cert: &Certificate) -> Result<(), ChainError> {
    let extensions = cert.tbs_certificate().extensions().map(|e| e.as_slice()).unwrap_or_default();
    match extensions.iter().find(|e| e.critical && !KNOWN_CRITICAL.contains(&e.extn_id)) {
        Some(unknown) => {
            Err(ChainError::UnsupportedCriticalExtension { subject: subject(cert), oid: unknown.extn_id })
        }
        None => Ok(()),
    }
}

fn check_revocation(
    source: &dyn RevocationSource,
    cert: &Certificate,
    issuer: &Certificate,
    at: OffsetDateTime,
) -> Result<RevocationStatus, ChainError> {
    let status = source
        .status(cert, issuer, at)
        .map_err(|source| ChainError::Revocation { subject: subject(cert), source })?;
    match status {
        RevocationStatus::Revoked { revoked_at } if revoked_at <= at => {
            Err(ChainError::Revoked { subject: subject(cert), at: revoked_at })
        }
        status => Ok(status),
    }
}
