//! The lint step: every certificate is checked against its profile before the CA key signs it.
//!
//! As Boulder does, the CA first builds a "lint certificate": the whole certificate, but with a
//! placeholder instead of a signature (see `lint_signer`; it is invalid and never leaves the CA), parses
//! it back from DER and checks it here. Only a clean certificate has its to-be-signed part signed by
//! the real key, so a bug in the profile code can never produce a trusted certificate that breaks the
//! profile, and each certificate costs one real signature.

use qoltanba_pki::certificate::CertificateView;
use qoltanba_pki::issue::{Profile, SERIAL_LEN, key_id};
use qoltanba_pki::oid;
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::certificate::Version;
use qoltanba_pki::x509::der::oid::ObjectIdentifier;
use qoltanba_pki::x509::der::oid::db::rfc5280::{
    ID_AD_CA_ISSUERS, ID_AD_OCSP, ID_CE_BASIC_CONSTRAINTS, ID_CE_KEY_USAGE,
};
use qoltanba_pki::x509::ext::pkix::name::{DistributionPointName, GeneralName};
use qoltanba_pki::x509::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies,
    CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use time::Duration;

use super::CaUrls;

/// The longest validity an individual's certificate may have: a year, plus the backdate and a leap day.
pub const MAX_LEAF_VALIDITY: Duration = Duration::days(366);

/// One way a certificate breaks the NCA individual profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LintProblem {
    /// Only the AUTH and SIGN profiles are linted.
    UnsupportedProfile,
    /// Not an X.509 v3 certificate.
    NotVersion3,
    /// The issuer is not the issuing CA's subject.
    WrongIssuer,
    /// The serial number is not [`SERIAL_LEN`] bytes and positive.
    BadSerial,
    /// The signature algorithm inside and outside the to-be-signed part differ.
    SignatureAlgorithmMismatch,
    /// The validity is longer than [`MAX_LEAF_VALIDITY`] or ends before it starts.
    BadValidity,
    /// The validity reaches beyond the issuing CA's.
    OutlivesIssuer,
    /// The subject lacks `SERIALNUMBER=IIN…` with a valid IIN.
    SubjectWithoutIin,
    /// The subject's country is not `KZ`.
    SubjectNotKz,
    /// The key is not RSA of 2048 to 4096 bits with exponent 65537.
    BadKey,
    /// An extension could not be decoded.
    MalformedExtension(ObjectIdentifier),
    /// Key usage missing, not critical, or not the profile's bits.
    KeyUsage,
    /// Extended key usage missing or not exactly the profile's.
    ExtendedKeyUsage,
    /// The certificate policy is missing or not exactly the profile's.
    Policy,
    /// An end-entity certificate claims to be a CA.
    IsCa,
    /// An extension other than key usage and basic constraints is critical.
    UnexpectedCritical(ObjectIdentifier),
    /// No SubjectKeyIdentifier.
    MissingSubjectKeyId,
    /// The AuthorityKeyIdentifier is missing or differs from the issuing CA's key identifier.
    AuthorityKeyId,
    /// The CRL distribution point is missing or not the configured URL.
    CrlDistributionPoint,
    /// The AIA OCSP URL is missing or not the configured one.
    OcspUrl,
    /// The AIA caIssuers URL is missing or not the configured one.
    CaIssuersUrl,
}

/// Checks `certificate` against the NCA `profile` (AUTH or SIGN) as issued under `issuing` with
/// `urls`. Returns every problem found; empty means clean.
pub fn lint(
    certificate: &Certificate,
    issuing: &Certificate,
    profile: Profile,
    urls: &CaUrls,
) -> Vec<LintProblem> {
    let mut problems = Vec::new();
    let Some(expected) = Expected::of(profile) else { return vec![LintProblem::UnsupportedProfile] };
    basics(certificate, issuing, &mut problems);
    subject(certificate, &mut problems);
    usages(certificate, &expected, &mut problems);
    identifiers(certificate, issuing, &mut problems);
    locations(certificate, urls, &mut problems);
    problems
}

/// What a profile requires.
struct Expected {
    key_usage: KeyUsages,
    extended: [ObjectIdentifier; 2],
    policy: ObjectIdentifier,
}

impl Expected {
    fn of(profile: Profile) -> Option<Self> {
        match profile {
            Profile::Auth => Some(Self {
                key_usage: KeyUsages::KeyEncipherment,
                extended: [oid::EKU_CLIENT_AUTH, oid::EKU_INDIVIDUAL],
                policy: oid::POLICY_AUTH_RSA,
            }),
            Profile::Sign => Some(Self {
                key_usage: KeyUsages::NonRepudiation,
                extended: [oid::EKU_EMAIL_PROTECTION, oid::EKU_INDIVIDUAL],
                policy: oid::POLICY_SIGN_RSA,
            }),
            _ => None,
        }
    }
}

fn basics(certificate: &Certificate, issuing: &Certificate, problems: &mut Vec<LintProblem>) {
    let tbs = certificate.tbs_certificate();
    let mut check = |ok: bool, problem| {
        if !ok {
            problems.push(problem);
        }
    };
    check(tbs.version() == Version::V3, LintProblem::NotVersion3);
    check(tbs.issuer() == issuing.tbs_certificate().subject(), LintProblem::WrongIssuer);
    let serial = tbs.serial_number().as_bytes();
    let positive = serial.first().is_some_and(|b| b & 0x80 == 0 && *b != 0);
    check(serial.len() == SERIAL_LEN && positive, LintProblem::BadSerial);
    check(tbs.signature() == certificate.signature_algorithm(), LintProblem::SignatureAlgorithmMismatch);
    let (start, end) =
        (tbs.validity().not_before.to_unix_duration(), tbs.validity().not_after.to_unix_duration());
    let span = end.checked_sub(start).map(|s| s.as_secs());
    let max = MAX_LEAF_VALIDITY.whole_seconds().unsigned_abs();
    check(span.is_some_and(|s| s > 0 && s <= max), LintProblem::BadValidity);
    let ca = issuing.tbs_certificate().validity();
    let inside = ca.not_before.to_unix_duration() <= start && end <= ca.not_after.to_unix_duration();
    check(inside, LintProblem::OutlivesIssuer);
    check(super::request::check_key(tbs.subject_public_key_info(), "lint").is_ok(), LintProblem::BadKey);
    for extension in tbs.extensions().into_iter().flatten() {
        let allowed = [ID_CE_KEY_USAGE, ID_CE_BASIC_CONSTRAINTS].contains(&extension.extn_id);
        check(!extension.critical || allowed, LintProblem::UnexpectedCritical(extension.extn_id));
    }
}

fn subject(certificate: &Certificate, problems: &mut Vec<LintProblem>) {
    let view = CertificateView::from_certificate(certificate);
    if view.iin.is_none_or(|iin| iin.parse::<qoltanba_pki::iin::Iin>().is_err()) {
        problems.push(LintProblem::SubjectWithoutIin);
    }
    if view.country.as_deref() != Some("KZ") {
        problems.push(LintProblem::SubjectNotKz);
    }
}

/// Reads extension `T`, recording a malformed one; `None` when absent or malformed.
fn extension<'a, T>(certificate: &'a Certificate, problems: &mut Vec<LintProblem>) -> Option<(bool, T)>
where
    T: qoltanba_pki::x509::der::Decode<'a, Error = qoltanba_pki::x509::der::Error>
        + qoltanba_pki::x509::der::oid::AssociatedOid,
{
    certificate.tbs_certificate().get_extension::<T>().unwrap_or_else(|_| {
        problems.push(LintProblem::MalformedExtension(T::OID));
        None
    })
}

fn usages(certificate: &Certificate, expected: &Expected, problems: &mut Vec<LintProblem>) {
    let wanted = KeyUsages::DigitalSignature | expected.key_usage;
    let key_usage = extension::<KeyUsage>(certificate, problems);
    if !key_usage.is_some_and(|(critical, KeyUsage(bits))| critical && bits == wanted) {
        problems.push(LintProblem::KeyUsage);
    }
    let extended = extension::<ExtendedKeyUsage>(certificate, problems);
    let mut found = extended.map(|(_, ExtendedKeyUsage(oids))| oids).unwrap_or_default();
    found.sort();
    let mut wanted = expected.extended.to_vec();
    wanted.sort();
    if found != wanted {
        problems.push(LintProblem::ExtendedKeyUsage);
    }
    let policies = extension::<CertificatePolicies>(certificate, problems);
    let found: Vec<_> =
        policies.map(|(_, p)| p.0.into_iter().map(|i| i.policy_identifier).collect()).unwrap_or_default();
    if found != [expected.policy] {
        problems.push(LintProblem::Policy);
    }
    if extension::<BasicConstraints>(certificate, problems).is_some_and(|(_, bc)| bc.ca) {
        problems.push(LintProblem::IsCa);
    }
}

fn identifiers(certificate: &Certificate, issuing: &Certificate, problems: &mut Vec<LintProblem>) {
    if extension::<SubjectKeyIdentifier>(certificate, problems).is_none() {
        problems.push(LintProblem::MissingSubjectKeyId);
    }
    let aki = extension::<AuthorityKeyIdentifier>(certificate, problems);
    let aki = aki.and_then(|(_, a)| a.key_identifier).map(|k| k.as_bytes().to_vec());
    if aki.is_none() || aki != key_id(issuing).ok() {
        problems.push(LintProblem::AuthorityKeyId);
    }
}

fn locations(certificate: &Certificate, urls: &CaUrls, problems: &mut Vec<LintProblem>) {
    let uri_is = |name: &GeneralName, url: &str| matches!(name, GeneralName::UniformResourceIdentifier(u) if u.as_str() == url);
    let points = extension::<CrlDistributionPoints>(certificate, problems);
    let has_crl = points.is_some_and(|(_, points)| {
        points.0.iter().any(|p| match &p.distribution_point {
            Some(DistributionPointName::FullName(names)) => names.iter().any(|n| uri_is(n, &urls.crl)),
            _ => false,
        })
    });
    if !has_crl {
        problems.push(LintProblem::CrlDistributionPoint);
    }
    let access =
        extension::<AuthorityInfoAccessSyntax>(certificate, problems).map(|(_, a)| a.0).unwrap_or_default();
    let has = |method, url: &str| {
        access.iter().any(|a| a.access_method == method && uri_is(&a.access_location, url))
    };
    if !has(ID_AD_OCSP, &urls.ocsp) {
        problems.push(LintProblem::OcspUrl);
    }
    if !has(ID_AD_CA_ISSUERS, &urls.ca_issuers) {
        problems.push(LintProblem::CaIssuersUrl);
    }
}
