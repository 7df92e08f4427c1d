//! The certification authority with file keys, checked by openssl: `ca init`, a pair issued from real
//! CSRs, the lint step, CRLs and OCSP answers (with nonces).

mod ca_support;

use std::os::unix::fs::PermissionsExt;
use std::sync::OnceLock;

use ca_support::{csr, openssl, registry_record, text, urls, verify, write, write_pem};
use qoltanba_pki::crl::RevokedEntry;
use qoltanba_pki::issue::{self, CaIdentity, Profile};
use qoltanba_pki::key::KeyError;
use qoltanba_pki::ocsp::{self, OcspResponse, OcspResponseStatus};
use qoltanba_pki::x509::der::Encode;
use qoltanba_pki::x509::ext::pkix::CrlReason;
use qoltanba_server::ca::{
    Authority, CaError, CaMaterial, CertState, InitConfig, IssuedPair, KeySource, LintProblem, init, lint,
};
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

const PASSWORD: &str = "issuing-ca-password";

struct Ca {
    dir: tempfile::TempDir,
    material: CaMaterial,
    issuing_key: KeySource,
    authority: Authority,
    pair: IssuedPair,
    root_pem: String,
    issuing_pem: String,
    auth_pem: String,
    sign_pem: String,
    now: OffsetDateTime,
}

/// One CA per test binary (two RSA keys: root, issuing) and one issued pair.
fn ca() -> &'static Ca {
    static CA: OnceLock<Ca> = OnceLock::new();
    CA.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let now = OffsetDateTime::now_utc();
        let root_key = KeySource::File { path: dir.path().join("root.key"), password: None };
        let issuing_key = KeySource::File {
            path: dir.path().join("issuing.key"),
            password: Some(Zeroizing::new(PASSWORD.into())),
        };
        let material = init(&root_key, &issuing_key, &InitConfig::default(), now).unwrap();
        let signer = issuing_key.open().unwrap();
        let authority =
            Authority::new(material.root.clone(), material.issuing.clone(), signer, urls()).unwrap();
        let pair = authority.issue_pair(&registry_record(), &csr("auth"), &csr("sign"), now).unwrap();
        let root_pem = write_pem(dir.path(), "root.pem", &material.root);
        let issuing_pem = write_pem(dir.path(), "issuing.pem", &material.issuing);
        let auth_pem = write_pem(dir.path(), "auth.pem", &pair.auth.certificate);
        let sign_pem = write_pem(dir.path(), "sign.pem", &pair.sign.certificate);
        Ca { dir, material, issuing_key, authority, pair, root_pem, issuing_pem, auth_pem, sign_pem, now }
    })
}

fn x509_text(pem: &str) -> String {
    let out = openssl(&["x509", "-in", pem, "-noout", "-text", "-nameopt", "utf8,sep_comma_plus_space"]);
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

#[test]
fn issued_pair_verifies_with_openssl_against_the_chain() {
    let ca = ca();
    for leaf in [&ca.auth_pem, &ca.sign_pem] {
        let (ok, out) = verify(&ca.root_pem, &ca.issuing_pem, leaf, &[]);
        assert!(ok && out.contains(": OK"), "{out}");
    }
    let issuing = x509_text(&ca.issuing_pem);
    assert!(issuing.contains("Issuer: C=KZ, CN=ҰКО ТҮБІРЛІК (RSA QOLTANBA TEST)"), "{issuing}");
    assert!(issuing.contains("Subject: C=KZ, CN=ҰКО 3.0 (RSA QOLTANBA TEST)"), "{issuing}");
    assert!(issuing.contains("CA:TRUE, pathlen:0"), "{issuing}");
}

#[test]
fn auth_certificate_has_the_nca_profile_and_the_registry_subject() {
    let out = x509_text(&ca().auth_pem);
    let expected = [
        "Subject: CN=ҚҰНАНБАЕВ АБАЙ, SN=ҚҰНАНБАЕВ, serialNumber=IIN900101300255, C=KZ, GN=ҚҰНАНБАЙҰЛЫ, emailAddress=abai@example.kz",
        "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment",
        "TLS Web Client Authentication, 1.2.398.3.3.4.1.1",
        "Policy: 1.2.398.3.3.2.4",
        "URI:http://ca.qoltanba.test/crl/nca_rsa.crl",
        "OCSP - URI:http://ca.qoltanba.test/ocsp/",
        "CA Issuers - URI:http://ca.qoltanba.test/cert/nca_rsa.cer",
        "Public-Key: (2048 bit)",
    ];
    for needle in expected {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    assert!(!out.contains("IMPOSTOR") && !out.contains("mallory"), "{out}");
}

#[test]
fn sign_certificate_has_the_nca_profile() {
    let out = x509_text(&ca().sign_pem);
    for needle in [
        "X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation",
        "E-mail Protection, 1.2.398.3.3.4.1.1",
        "Policy: 1.2.398.3.3.2.3",
        "serialNumber=IIN900101300255",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
}

#[test]
fn validity_is_one_year_backdated_and_serials_are_twenty_bytes() {
    let ca = ca();
    for issued in [&ca.pair.auth, &ca.pair.sign] {
        let validity = issued.certificate.tbs_certificate().validity();
        let start = validity.not_before.to_unix_duration().as_secs() as i64;
        let end = validity.not_after.to_unix_duration().as_secs() as i64;
        assert_eq!(start, (ca.now - Duration::minutes(1)).unix_timestamp());
        assert_eq!(end, (ca.now + Duration::days(365)).unix_timestamp());
        assert_eq!(issued.serial.len(), 20);
        assert_eq!(issued.der, issued.certificate.to_der().unwrap());
    }
    assert_ne!(ca.pair.auth.serial, ca.pair.sign.serial);
}

#[test]
fn issued_certificates_pass_the_lint() {
    let ca = ca();
    let issuing = &ca.material.issuing;
    assert_eq!(lint(&ca.pair.auth.certificate, issuing, Profile::Auth, &urls()), []);
    assert_eq!(lint(&ca.pair.sign.certificate, issuing, Profile::Sign, &urls()), []);
}

#[test]
fn lint_refuses_a_certificate_that_breaks_the_profile() {
    let ca = ca();
    let signer = ca.issuing_key.open().unwrap();
    let spki = ca.pair.auth.certificate.tbs_certificate().subject_public_key_info().clone();
    let identity = CaIdentity {
        certificate: &ca.material.issuing,
        signer: signer.as_ref(),
        urls: issue::CaUrls { crl: Some(urls().crl), ..Default::default() },
    };
    let subject = ca.pair.auth.certificate.tbs_certificate().subject().clone();
    // A SIGN certificate valid for two years and without AIA, checked as an AUTH certificate.
    let bad =
        issue::issue(&identity, subject, spki, Profile::Sign, ca.now, ca.now + Duration::days(730)).unwrap();
    let problems = lint(&bad, &ca.material.issuing, Profile::Auth, &urls());
    for expected in [
        LintProblem::BadValidity,
        LintProblem::KeyUsage,
        LintProblem::ExtendedKeyUsage,
        LintProblem::Policy,
        LintProblem::OcspUrl,
        LintProblem::CaIssuersUrl,
    ] {
        assert!(problems.contains(&expected), "{expected:?} not in {problems:?}");
    }
    assert!(!problems.contains(&LintProblem::CrlDistributionPoint), "{problems:?}");
    // A CA certificate is not an individual's: no IIN, wrong usages.
    let problems = lint(&ca.material.issuing, &ca.material.root, Profile::Sign, &urls());
    assert!(problems.contains(&LintProblem::SubjectWithoutIin), "{problems:?}");
    assert!(problems.contains(&LintProblem::IsCa), "{problems:?}");
}

#[test]
fn refuses_a_request_whose_signature_does_not_verify() {
    let mut tampered = csr("auth");
    let last = tampered.len() - 1;
    tampered[last] ^= 0x01;
    let result = ca().authority.issue_pair(&registry_record(), &tampered, &csr("sign"), ca().now);
    assert!(matches!(result, Err(CaError::BadProofOfPossession { purpose: "AUTH" })), "{result:?}");
}

#[test]
fn refuses_a_1024_bit_key() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("small.key");
    let request = dir.path().join("small.csr");
    let out = openssl(&[
        "req",
        "-new",
        "-newkey",
        "rsa:1024",
        "-nodes",
        "-subj",
        "/CN=small",
        "-outform",
        "DER",
        "-keyout",
        key.to_str().unwrap(),
        "-out",
        request.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let small = std::fs::read(&request).unwrap();
    let result = ca().authority.issue_pair(&registry_record(), &csr("auth"), &small, ca().now);
    assert!(matches!(result, Err(CaError::WeakKey { purpose: "SIGN", bits: 1024 })), "{result:?}");
}

#[test]
fn refuses_the_same_key_twice_and_garbage() {
    let ca = ca();
    let same = ca.authority.issue_pair(&registry_record(), &csr("auth"), &csr("auth"), ca.now);
    assert!(matches!(same, Err(CaError::SameKey)), "{same:?}");
    let garbage = ca.authority.issue_pair(&registry_record(), b"\x30\x03garbage", &csr("sign"), ca.now);
    assert!(matches!(garbage, Err(CaError::MalformedRequest { purpose: "AUTH" })), "{garbage:?}");
}

#[test]
fn refuses_a_registry_record_with_a_bad_iin() {
    let mut record = registry_record();
    record.iin = "900101300256".into();
    let result = ca().authority.issue_pair(&record, &csr("auth"), &csr("sign"), ca().now);
    assert!(matches!(result, Err(CaError::Subject(_))), "{result:?}");
}

#[test]
fn key_files_are_private_encrypted_and_never_overwritten() {
    let ca = ca();
    for name in ["root.key", "issuing.key"] {
        let mode = std::fs::metadata(ca.dir.path().join(name)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    let pem = std::fs::read_to_string(ca.dir.path().join("issuing.key")).unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let wrong = KeySource::File {
        path: ca.dir.path().join("issuing.key"),
        password: Some(Zeroizing::new("wrong".into())),
    };
    assert!(matches!(wrong.open(), Err(CaError::Key(KeyError::WrongPassword))));
    assert!(matches!(wrong.generate(), Err(CaError::KeyFileExists(_))));
}

#[test]
fn authority_refuses_a_key_that_is_not_the_issuing_key() {
    let ca = ca();
    let root_key = KeySource::File { path: ca.dir.path().join("root.key"), password: None };
    let result = Authority::new(
        ca.material.root.clone(),
        ca.material.issuing.clone(),
        root_key.open().unwrap(),
        urls(),
    );
    assert!(matches!(result, Err(CaError::KeyMismatch)), "{result:?}");
    let swapped = Authority::new(
        ca.material.issuing.clone(),
        ca.material.issuing.clone(),
        ca.issuing_key.open().unwrap(),
        urls(),
    );
    assert!(matches!(swapped, Err(CaError::ChainMismatch)), "{swapped:?}");
}

#[test]
fn crl_verifies_with_openssl_and_revokes_the_listed_serial() {
    let ca = ca();
    let entry = RevokedEntry {
        serial: ca.pair.auth.certificate.tbs_certificate().serial_number().clone(),
        revoked_at: ca.now,
        reason: Some(CrlReason::KeyCompromise),
    };
    let der = ca.authority.crl(&[entry], 7, ca.now, ca.now + Duration::hours(24)).unwrap();
    let crl_der = write(ca.dir.path(), "issuing.crl.der", &der);
    let crl_pem = ca.dir.path().join("issuing.crl.pem");
    let crl_pem = crl_pem.to_str().unwrap();
    let out = openssl(&["crl", "-inform", "DER", "-in", &crl_der, "-CAfile", &ca.issuing_pem, "-noout"]);
    assert!(out.status.success() && text(&out).contains("verify OK"), "{}", text(&out));
    let out = openssl(&["crl", "-inform", "DER", "-in", &crl_der, "-out", crl_pem]);
    assert!(out.status.success(), "{}", text(&out));
    let out = openssl(&["crl", "-in", crl_pem, "-noout", "-text"]);
    let listing = text(&out).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(listing.contains("X509v3 CRL Number: 7"), "{listing}");
    assert!(listing.contains("Reason Code: Key Compromise"), "{listing}");
    let (ok, out) = verify(&ca.root_pem, &ca.issuing_pem, &ca.auth_pem, &["-crl_check", "-CRLfile", crl_pem]);
    assert!(!ok && out.contains("certificate revoked"), "{out}");
    let (ok, out) = verify(&ca.root_pem, &ca.issuing_pem, &ca.sign_pem, &["-crl_check", "-CRLfile", crl_pem]);
    assert!(ok, "{out}");
}

/// `openssl ocsp -issuer issuing.pem -cert <leaf> -reqout req.der [-nonce|-no_nonce]`.
fn openssl_request(ca: &Ca, issuer: &str, leaf: &str, nonce: &str, name: &str) -> (String, Vec<u8>) {
    let path = ca.dir.path().join(name);
    let path = path.to_str().unwrap().to_owned();
    let out = openssl(&["ocsp", "-issuer", issuer, "-cert", leaf, nonce, "-reqout", &path]);
    assert!(out.status.success(), "{}", text(&out));
    let der = std::fs::read(&path).unwrap();
    (path, der)
}

/// `openssl ocsp -reqin req -respin resp -VAfile issuing.pem -resp_text`: (success, output).
fn openssl_check(ca: &Ca, request: &str, response: &[u8], name: &str) -> (bool, String) {
    let resp = write(ca.dir.path(), name, response);
    let out =
        openssl(&["ocsp", "-reqin", request, "-respin", &resp, "-VAfile", &ca.issuing_pem, "-resp_text"]);
    (out.status.success(), text(&out))
}

#[test]
fn ocsp_says_good_and_echoes_the_nonce() {
    let ca = ca();
    let (req, der) = openssl_request(ca, &ca.issuing_pem, &ca.auth_pem, "-nonce", "good.req");
    let serial = ca.pair.auth.serial.clone();
    let response = ca.authority.ocsp(
        &der,
        |asked| {
            assert_eq!(asked, serial.as_slice());
            CertState::Good
        },
        ca.now,
    );
    let (ok, out) = openssl_check(ca, &req, &response, "good.resp");
    assert!(ok, "{out}");
    assert!(out.contains("Cert Status: good"), "{out}");
    assert!(out.contains("Response verify OK"), "{out}");
    assert!(out.contains("OCSP Nonce"), "{out}");
    assert!(!out.contains("WARNING: no nonce in response"), "{out}");
}

#[test]
fn ocsp_says_revoked_when_the_records_say_so() {
    let ca = ca();
    let (req, der) = openssl_request(ca, &ca.issuing_pem, &ca.sign_pem, "-no_nonce", "revoked.req");
    let at = ca.now - Duration::hours(1);
    let response = ca.authority.ocsp(
        &der,
        |_| CertState::Revoked { at, reason: Some(CrlReason::KeyCompromise) },
        ca.now,
    );
    let (ok, out) = openssl_check(ca, &req, &response, "revoked.resp");
    assert!(ok, "{out}");
    assert!(out.contains("Cert Status: revoked"), "{out}");
    assert!(out.contains("Revocation Reason: keyCompromise"), "{out}");
    assert!(out.contains("Response verify OK"), "{out}");
}

#[test]
fn ocsp_says_unknown_for_another_issuer() {
    let ca = ca();
    // The CertID names the root as issuer: not this issuing CA, so the records are not asked.
    let (req, der) = openssl_request(ca, &ca.root_pem, &ca.auth_pem, "-no_nonce", "other.req");
    let response = ca.authority.ocsp(&der, |_| panic!("the lookup must not be asked"), ca.now);
    let (_, out) = openssl_check(ca, &req, &response, "other.resp");
    assert!(out.contains("Cert Status: unknown"), "{out}");
}

fn status(response: &[u8]) -> OcspResponseStatus {
    OcspResponse::parse(response).unwrap().response_status
}

#[test]
fn ocsp_answers_garbage_with_malformed_request() {
    let ca = ca();
    for garbage in [&b""[..], b"garbage", b"\x30\x03\x02\x01\x01", b"\x30\x80"] {
        let response = ca.authority.ocsp(garbage, |_| CertState::Good, ca.now);
        assert_eq!(status(&response), OcspResponseStatus::MalformedRequest);
    }
    let path =
        write(ca.dir.path(), "malformed.resp", &ca.authority.ocsp(b"garbage", |_| CertState::Good, ca.now));
    let out = openssl(&["ocsp", "-respin", &path, "-resp_text", "-noverify"]);
    assert!(text(&out).contains("malformedrequest"), "{}", text(&out));
}

#[test]
fn ocsp_refuses_a_nonce_longer_than_32_bytes() {
    let ca = ca();
    let mut request = ocsp::request(&ca.pair.auth.certificate, &ca.material.issuing).unwrap();
    request.tbs_request.request_extensions = Some(vec![ocsp::nonce_extension(&[9; 33]).unwrap()]);
    let response = ca.authority.ocsp(&request.to_der().unwrap(), |_| CertState::Good, ca.now);
    assert_eq!(status(&response), OcspResponseStatus::MalformedRequest);
    request.tbs_request.request_extensions = Some(vec![ocsp::nonce_extension(&[9; 32]).unwrap()]);
    let response = ca.authority.ocsp(&request.to_der().unwrap(), |_| CertState::Good, ca.now);
    let basic = OcspResponse::parse(&response).unwrap().basic().unwrap();
    assert_eq!(ocsp::response_nonce(&basic.tbs_response_data), Some(vec![9; 32]));
}
