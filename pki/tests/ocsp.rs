//! OCSP requests and responses, checked against `openssl ocsp` in both directions, and used as a
//! `RevocationSource`.

#[path = "data/issue/support.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use der::Encode;
use qoltanba_pki::chain::{RevocationError, RevocationSource, RevocationStatus};
use qoltanba_pki::issue::{self, Profile};
use qoltanba_pki::ocsp::{self, Answer, OcspResponse, OcspResponseStatus, OcspSet, Responder, Status};
use qoltanba_pki::signer::{Signer, SoftwareSigner};
use support::{TestPki, openssl, pki, text, write_pem};
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;
use x509_cert::ext::pkix::CrlReason;

struct Fixture {
    good: Certificate,
    revoked: Certificate,
    responder: Certificate,
    responder_signer: SoftwareSigner,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let pki = pki();
        let responder_signer = support::signer("responder");
        let name = "CN=Qoltanba Test OCSP,C=KZ".parse().unwrap();
        let spki = responder_signer.public_key().unwrap();
        let responder = issue::issue(
            &pki.sub_ca(),
            name,
            spki,
            Profile::OcspResponder,
            pki.now - Duration::days(1),
            pki.now + Duration::days(30),
        )
        .unwrap();
        Fixture {
            good: pki.user_cert(&pki.sub_ca(), Profile::Sign),
            revoked: pki.user_cert(&pki.sub_ca(), Profile::Auth),
            responder,
            responder_signer,
        }
    })
}

fn revoked_at(pki: &TestPki) -> OffsetDateTime {
    pki.now - Duration::hours(3)
}

fn answers(pki: &TestPki, f: &Fixture) -> Vec<Answer> {
    let window = |cert: &Certificate, status| Answer {
        cert_id: ocsp::cert_id(cert, &pki.sub).unwrap(),
        status,
        this_update: pki.now - Duration::hours(1),
        next_update: Some(pki.now + Duration::days(1)),
    };
    vec![
        window(&f.good, Status::Good),
        window(&f.revoked, Status::Revoked { at: revoked_at(pki), reason: Some(CrlReason::KeyCompromise) }),
    ]
}

fn by_issuer() -> OcspResponse {
    let pki = pki();
    let responder = Responder { certificate: &pki.sub, signer: &pki.sub_signer, include_certificate: false };
    ocsp::respond(&responder, &answers(pki, fixture()), pki.now).unwrap()
}

fn by_delegate() -> OcspResponse {
    let pki = pki();
    let f = fixture();
    let responder =
        Responder { certificate: &f.responder, signer: &f.responder_signer, include_certificate: true };
    ocsp::respond(&responder, &answers(pki, f), pki.now).unwrap()
}

fn write(dir: &Path, name: &str, der: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, der).unwrap();
    path
}

fn openssl_status(response: &OcspResponse, trust: &[&str], cert: &Certificate) -> String {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let resp = write(dir.path(), "resp.der", &response.to_der().unwrap());
    let issuer = write_pem(dir.path(), "issuer.pem", &pki.sub);
    let leaf = write_pem(dir.path(), "leaf.pem", cert);
    let root = write_pem(dir.path(), "root.pem", &pki.root);
    let mut args = vec![
        "ocsp".to_owned(),
        "-respin".into(),
        resp.display().to_string(),
        "-issuer".into(),
        issuer.display().to_string(),
    ];
    args.extend(["-cert".into(), leaf.display().to_string(), "-resp_text".into()]);
    for option in trust {
        let file = if *option == "-VAfile" { issuer.clone() } else { root.clone() };
        args.extend([option.to_string(), file.display().to_string()]);
    }
    if trust.contains(&"-CAfile") {
        // The chain to the responder: root trusted, intermediate untrusted.
        args.extend(["-verify_other".into(), issuer.display().to_string()]);
    }
    let out = openssl(&args);
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

#[test]
fn openssl_parses_our_request() {
    let pki = pki();
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let req = write(dir.path(), "req.der", &ocsp::request(&f.good, &pki.sub).unwrap().to_der().unwrap());
    let out = openssl(["ocsp", "-reqin", req.to_str().unwrap(), "-req_text", "-noverify"]);
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    let serial = hex::encode_upper(f.good.tbs_certificate().serial_number().as_bytes());
    assert!(
        shown.contains("Hash Algorithm: sha1") && shown.contains(&format!("Serial Number: {serial}")),
        "{shown}"
    );
}

#[test]
fn our_cert_id_equals_openssls() {
    let pki = pki();
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let issuer = write_pem(dir.path(), "issuer.pem", &pki.sub);
    let leaf = write_pem(dir.path(), "leaf.pem", &f.good);
    let req = dir.path().join("req.der");
    let out = openssl([
        "ocsp",
        "-issuer",
        issuer.to_str().unwrap(),
        "-cert",
        leaf.to_str().unwrap(),
        "-no_nonce",
        "-reqout",
        req.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let theirs = ocsp::OcspRequest::parse(&std::fs::read(&req).unwrap()).unwrap();
    assert_eq!(theirs, ocsp::request(&f.good, &pki.sub).unwrap());
}

#[test]
fn openssl_accepts_issuer_signed_good_and_revoked() {
    let f = fixture();
    let shown = openssl_status(&by_issuer(), &["-VAfile"], &f.good);
    assert!(shown.contains("Response verify OK") && shown.contains("leaf.pem: good"), "{shown}");
    let shown = openssl_status(&by_issuer(), &["-VAfile"], &f.revoked);
    assert!(shown.contains("Response verify OK") && shown.contains("leaf.pem: revoked"), "{shown}");
    assert!(shown.contains("Reason: keyCompromise"), "{shown}");
}

#[test]
fn openssl_accepts_a_delegated_responder() {
    let f = fixture();
    let shown = openssl_status(&by_delegate(), &["-CAfile"], &f.revoked);
    assert!(shown.contains("Response verify OK") && shown.contains("leaf.pem: revoked"), "{shown}");
}

#[test]
fn reads_an_openssl_responder_answer() {
    let pki = pki();
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let issuer = write_pem(dir.path(), "issuer.pem", &pki.sub);
    let rsigner = write_pem(dir.path(), "rsigner.pem", &f.responder);
    let serial = hex::encode_upper(f.revoked.tbs_certificate().serial_number().as_bytes());
    let index = write(
        dir.path(),
        "index.txt",
        format!("R\t491231000000Z\t240101000000Z,keyCompromise\t{serial}\tunknown\t/CN=x\n").as_bytes(),
    );
    let req = write(dir.path(), "req.der", &ocsp::request(&f.revoked, &pki.sub).unwrap().to_der().unwrap());
    let resp = dir.path().join("resp.der");
    let rkey = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/issue/responder.key.pem");
    let args = [
        "ocsp",
        "-index",
        index.to_str().unwrap(),
        "-CA",
        issuer.to_str().unwrap(),
        "-rsigner",
        rsigner.to_str().unwrap(),
        "-rkey",
        rkey,
        "-reqin",
        req.to_str().unwrap(),
        "-respout",
        resp.to_str().unwrap(),
        "-ndays",
        "1",
    ];
    let out = openssl(args);
    assert!(out.status.success(), "{}", text(&out));
    let response = OcspResponse::parse(&std::fs::read(&resp).unwrap()).unwrap();
    let set = OcspSet { responses: vec![response] };
    let revoked_at = time::macros::datetime!(2024-01-01 00:00:00 UTC);
    assert_eq!(set.status(&f.revoked, &pki.sub, pki.now).unwrap(), RevocationStatus::Revoked { revoked_at });
}

#[test]
fn revocation_source_reports_good_revoked_and_unknown() {
    let pki = pki();
    let f = fixture();
    for response in [by_issuer(), by_delegate()] {
        let set = OcspSet { responses: vec![response] };
        assert_eq!(set.status(&f.good, &pki.sub, pki.now).unwrap(), RevocationStatus::Good);
        assert_eq!(
            set.status(&f.revoked, &pki.sub, pki.now).unwrap(),
            RevocationStatus::Revoked { revoked_at: revoked_at(pki) }
        );
        assert_eq!(set.status(&pki.sub, &pki.root, pki.now).unwrap(), RevocationStatus::Unknown);
    }
    let unknown = Answer {
        cert_id: ocsp::cert_id(&f.good, &pki.sub).unwrap(),
        status: Status::Unknown,
        this_update: pki.now,
        next_update: None,
    };
    let responder = Responder { certificate: &pki.sub, signer: &pki.sub_signer, include_certificate: false };
    let set = OcspSet { responses: vec![ocsp::respond(&responder, &[unknown], pki.now).unwrap()] };
    assert_eq!(set.status(&f.good, &pki.sub, pki.now).unwrap(), RevocationStatus::Unknown);
}

#[test]
fn revocation_source_refuses_stale_answers() {
    let pki = pki();
    let f = fixture();
    let set = OcspSet { responses: vec![by_issuer()] };
    assert!(matches!(
        set.status(&f.good, &pki.sub, pki.now + Duration::days(2)),
        Err(RevocationError::NotCurrent)
    ));
    assert!(matches!(
        set.status(&f.good, &pki.sub, pki.now - Duration::hours(2)),
        Err(RevocationError::NotCurrent)
    ));
}

#[test]
fn refuses_a_responder_the_issuer_did_not_authorise() {
    let pki = pki();
    let f = fixture();
    // A certificate of the same CA without id-kp-OCSPSigning may not answer for it.
    let impostor = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    let responder = Responder { certificate: &impostor, signer: &pki.user_signer, include_certificate: true };
    let response = ocsp::respond(&responder, &answers(pki, f), pki.now).unwrap();
    assert!(matches!(
        ocsp::verify_response(&response, &pki.sub, pki.now),
        Err(ocsp::OcspError::UnauthorisedResponder)
    ));
    let set = OcspSet { responses: vec![response] };
    assert!(matches!(set.status(&f.good, &pki.sub, pki.now), Err(RevocationError::BadSignature)));
    // The root cannot answer for the intermediate's certificates.
    let root = Responder { certificate: &pki.root, signer: &pki.root_signer, include_certificate: true };
    let response = ocsp::respond(&root, &answers(pki, f), pki.now).unwrap();
    assert!(matches!(
        ocsp::verify_response(&response, &pki.sub, pki.now),
        Err(ocsp::OcspError::UnauthorisedResponder)
    ));
}

#[test]
fn refuses_a_forged_signature() {
    let pki = pki();
    let f = fixture();
    let genuine = by_issuer();
    let mut basic = genuine.basic().unwrap();
    basic.tbs_response_data.produced_at =
        der::asn1::GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(1_700_000_000))
            .unwrap();
    let bytes = ocsp::ResponseBytes {
        response_type: const_oid::db::rfc6960::ID_PKIX_OCSP_BASIC,
        response: der::asn1::OctetString::new(basic.to_der().unwrap()).unwrap(),
    };
    let forged =
        OcspResponse { response_status: OcspResponseStatus::Successful, response_bytes: Some(bytes) };
    assert!(matches!(
        ocsp::verify_response(&forged, &pki.sub, pki.now),
        Err(ocsp::OcspError::BadSignature(_))
    ));
    let set = OcspSet { responses: vec![forged] };
    assert!(matches!(set.status(&f.good, &pki.sub, pki.now), Err(RevocationError::BadSignature)));
}

#[test]
fn error_responses_round_trip_and_are_not_evidence() {
    let pki = pki();
    let f = fixture();
    let der = ocsp::error_response(OcspResponseStatus::TryLater).to_der().unwrap();
    let parsed = OcspResponse::parse(&der).unwrap();
    assert!(matches!(parsed.basic(), Err(ocsp::OcspError::Unsuccessful(OcspResponseStatus::TryLater))));
    let set = OcspSet { responses: vec![parsed] };
    assert_eq!(set.status(&f.good, &pki.sub, pki.now).unwrap(), RevocationStatus::Unknown);
    assert!(OcspResponse::parse(b"\x30\x00").is_err());
}
