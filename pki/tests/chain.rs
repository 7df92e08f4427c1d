//! Path validation over a test hierarchy made by the openssl CLI (tests/data/cms/make.sh).

use std::cell::RefCell;
use std::process::Command;

use der::{Decode, asn1::BitString};
use der::{DecodePem, Encode};
use qoltanba_pki::chain::{self, ChainError, RevocationError, RevocationSource, RevocationStatus};
use time::OffsetDateTime;
use time::macros::datetime;
use x509_cert::Certificate;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cms");
const AT: OffsetDateTime = datetime!(2025-06-01 12:00:00 UTC);

fn cert(name: &str) -> Certificate {
    Certificate::from_pem(std::fs::read(format!("{DATA}/{name}.pem")).unwrap()).unwrap()
}

fn validate(
    ee: &str,
    intermediates: &[&str],
    anchors: &[&str],
    at: OffsetDateTime,
) -> Result<chain::ValidatedPath, ChainError> {
    let intermediates: Vec<_> = intermediates.iter().map(|n| cert(n)).collect();
    let anchors: Vec<_> = anchors.iter().map(|n| cert(n)).collect();
    chain::validate(&cert(ee), &intermediates, &anchors, at, None)
}

/// What `openssl verify -attime` says about the same question.
fn openssl_accepts(ee: &str, intermediates: &[&str], anchor: &str, at: OffsetDateTime) -> bool {
    let mut command = Command::new("openssl");
    command.args([
        "verify",
        "-attime",
        &at.unix_timestamp().to_string(),
        "-CAfile",
        &format!("{DATA}/{anchor}.pem"),
    ]);
    for name in intermediates {
        command.args(["-untrusted", &format!("{DATA}/{name}.pem")]);
    }
    command.arg(format!("{DATA}/{ee}.pem")).output().unwrap().status.success()
}

fn subject_of(name: &str) -> String {
    cert(name).tbs_certificate().subject().to_string()
}

#[test]
fn leaf_validates_through_intermediate_to_root() {
    let path = validate("leaf", &["expired", "inter"], &["root"], AT).unwrap();
    assert_eq!(path.certificates, [cert("leaf"), cert("inter"), cert("root")]);
    assert_eq!(path.anchor(), Some(&cert("root")));
    assert!(path.revocation.is_empty());
    assert!(!path.revocation_unknown);
    assert!(openssl_accepts("leaf", &["inter"], "root", AT));
}

#[test]
fn intermediate_as_anchor_is_enough() {
    let path = validate("leaf", &[], &["inter"], AT).unwrap();
    assert_eq!(path.certificates, [cert("leaf"), cert("inter")]);
}

#[test]
fn wrong_anchor_or_missing_intermediate_has_no_path() {
    for (intermediates, anchors) in [(&["inter"][..], &["expired"][..]), (&[][..], &["root"][..])] {
        let result = validate("leaf", intermediates, anchors, AT);
        assert!(
            matches!(result, Err(ChainError::NoPathToAnchor { ref subject }) if *subject == subject_of("leaf"))
        );
    }
    assert!(!openssl_accepts("leaf", &[], "root", AT));
}

#[test]
fn expired_leaf_is_rejected_with_its_end_date() {
    let result = validate("expired", &["inter"], &["root"], AT);
    match result {
        Err(ChainError::Expired { subject, not_after }) => {
            assert_eq!(subject, subject_of("expired"));
            assert_eq!(not_after, datetime!(2021-01-01 00:00:00 UTC));
        }
        other => panic!("expected Expired, got {other:?}"),
    }
    assert!(!openssl_accepts("expired", &["inter"], "root", AT));
    assert!(validate("expired", &["inter"], &["root"], datetime!(2020-06-01 00:00:00 UTC)).is_ok());
}

#[test]
fn hierarchy_is_not_yet_valid_before_2020() {
    let at = datetime!(2019-12-31 23:59:59 UTC);
    let result = validate("leaf", &["inter"], &["root"], at);
    assert!(
        matches!(result, Err(ChainError::NotYetValid { not_before, .. }) if not_before == datetime!(2020-01-01 00:00:00 UTC))
    );
    assert!(!openssl_accepts("leaf", &["inter"], "root", at));
}

#[test]
fn leaf_used_as_issuer_is_not_a_ca() {
    let result = validate("subleaf", &["leaf", "inter"], &["root"], AT);
    assert!(matches!(result, Err(ChainError::NotACa { ref subject }) if *subject == subject_of("leaf")));
    assert!(!openssl_accepts("subleaf", &["leaf", "inter"], "root", AT));
}

#[test]
fn path_length_constraint_is_enforced() {
    let result = validate("deepleaf", &["deepca", "inter"], &["root"], AT);
    assert!(
        matches!(result, Err(ChainError::PathTooLong { ref subject }) if *subject == subject_of("inter"))
    );
    assert!(!openssl_accepts("deepleaf", &["deepca", "inter"], "root", AT));
    // Trusting the deep CA directly leaves no constraint to break.
    assert!(validate("deepleaf", &[], &["deepca"], AT).is_ok());
}

#[test]
fn altered_certificate_signature_is_rejected() {
    let leaf = cert("leaf");
    let mut bytes = leaf.signature().raw_bytes().to_vec();
    bytes[10] ^= 0x01;
    let der = leaf.to_der().unwrap();
    let signature = leaf.signature().to_der().unwrap();
    let mut altered = BitString::from_bytes(&bytes).unwrap().to_der().unwrap();
    let at = der.windows(signature.len()).position(|w| w == signature).unwrap();
    let mut tampered = der.clone();
    tampered.splice(at..at + signature.len(), altered.drain(..));
    let tampered = Certificate::from_der(&tampered).unwrap();
    let result = chain::validate(&tampered, &[cert("inter")], &[cert("root")], AT, None);
    assert!(
        matches!(result, Err(ChainError::BadSignature { ref subject }) if *subject == subject_of("leaf"))
    );
}

#[test]
fn anchor_itself_validates() {
    let path = validate("root", &[], &["root"], AT).unwrap();
    assert_eq!(path.certificates, [cert("root")]);
}

/// Answers from a fixed table, and remembers what it was asked.
struct Stub {
    answer: fn(&str) -> Result<RevocationStatus, RevocationError>,
    asked: RefCell<Vec<String>>,
}

impl RevocationSource for Stub {
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        _at: OffsetDateTime,
    ) -> Result<RevocationStatus, RevocationError> {
        assert_eq!(cert.tbs_certificate().issuer(), issuer.tbs_certificate().subject());
        let subject = cert.tbs_certificate().subject().to_string();
        self.asked.borrow_mut().push(subject.clone());
        (self.answer)(&subject)
    }
}

fn with_stub(
    answer: fn(&str) -> Result<RevocationStatus, RevocationError>,
    at: OffsetDateTime,
) -> (Result<chain::ValidatedPath, ChainError>, Vec<String>) {
    let stub = Stub { answer, asked: RefCell::new(Vec::new()) };
    let result = chain::validate(&cert("leaf"), &[cert("inter")], &[cert("root")], at, Some(&stub));
    (result, stub.asked.into_inner())
}

const REVOKED_AT: OffsetDateTime = datetime!(2024-01-01 00:00:00 UTC);

fn leaf_revoked(subject: &str) -> Result<RevocationStatus, RevocationError> {
    Ok(if subject.contains("Leaf") {
        RevocationStatus::Revoked { revoked_at: REVOKED_AT }
    } else {
        RevocationStatus::Good
    })
}

#[test]
fn revoked_leaf_is_rejected_with_revocation_time() {
    let (result, asked) = with_stub(leaf_revoked, AT);
    assert!(
        matches!(result, Err(ChainError::Revoked { ref subject, at }) if *subject == subject_of("leaf") && at == REVOKED_AT)
    );
    assert_eq!(asked, [subject_of("leaf")]);
}

#[test]
fn revocation_after_the_time_asked_about_does_not_invalidate() {
    let (result, asked) = with_stub(leaf_revoked, datetime!(2023-06-01 00:00:00 UTC));
    let path = result.unwrap();
    assert_eq!(
        path.revocation,
        [RevocationStatus::Revoked { revoked_at: REVOKED_AT }, RevocationStatus::Good]
    );
    assert_eq!(asked, [subject_of("leaf"), subject_of("inter")], "the anchor is never asked about");
}

#[test]
fn unknown_revocation_status_is_a_flag_not_an_error() {
    let (result, _) = with_stub(
        |s| Ok(if s.contains("Intermediate") { RevocationStatus::Unknown } else { RevocationStatus::Good }),
        AT,
    );
    let path = result.unwrap();
    assert!(path.revocation_unknown);
    assert_eq!(path.revocation, [RevocationStatus::Good, RevocationStatus::Unknown]);
    let (result, _) = with_stub(|_| Ok(RevocationStatus::Good), AT);
    assert!(!result.unwrap().revocation_unknown);
}

#[test]
fn unusable_revocation_evidence_is_an_error() {
    let (result, _) = with_stub(|_| Err(RevocationError::BadSignature), AT);
    assert!(matches!(result, Err(ChainError::Revocation { source: RevocationError::BadSignature, .. })));
}

#[test]
fn nca_certificate_without_its_ca_has_no_path() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vectors/nca-test/personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cer"
    );
    let nca = Certificate::from_pem(std::fs::read(path).unwrap()).unwrap();
    let result = chain::validate(&nca, &[], &[cert("root")], datetime!(2020-06-01 00:00:00 UTC), None);
    assert!(matches!(result, Err(ChainError::NoPathToAnchor { .. })));
}
