//! Key pairs and PKCS#10 requests, checked with `openssl req` / `openssl pkey` and NCA certificates.

#[path = "data/issue/support.rs"]
mod support;

use std::sync::OnceLock;

use der::{DecodePem, Encode};
use qoltanba_pki::csr::{self, CsrError, SubjectName};
use qoltanba_pki::key::{self, KeyError};
use qoltanba_pki::signer::{Signer, SoftwareSigner};
use support::{openssl, text};
use x509_cert::Certificate;

/// The one key this binary generates.
fn fresh_key() -> &'static rsa::PrivateKey {
    static KEY: OnceLock<rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| key::generate_rsa(key::DEFAULT_RSA_BITS).unwrap())
}

fn kazakh_subject() -> SubjectName {
    SubjectName::new("ҚҰНАНБАЕВ", "ӘБІЛҒАЗЫ", "123456789011")
        .with_patronymic("ҢӨҮҺҰЛЫ")
        .with_email("abai@example.kz")
}

#[test]
fn generated_key_is_2048_bits_and_openssl_reads_its_pem() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.pem");
    std::fs::write(&path, key::private_key_to_pem(fresh_key()).unwrap().as_bytes()).unwrap();
    let out = openssl(["pkey", "-in", path.to_str().unwrap(), "-noout", "-text"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Private-Key: (2048 bit, 2 primes)"), "{}", text(&out));
}

#[test]
fn encrypted_pem_opens_with_openssl_and_round_trips() {
    let pem = key::private_key_to_encrypted_pem(fresh_key(), b"Qwerty12").unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.pem");
    std::fs::write(&path, pem.as_bytes()).unwrap();
    let out =
        openssl(["pkcs8", "-in", path.to_str().unwrap(), "-passin", "pass:Qwerty12", "-topk8", "-nocrypt"]);
    assert!(out.status.success(), "{}", text(&out));
    let from_openssl = String::from_utf8(out.stdout).unwrap();
    assert_eq!(key::private_key_from_pem(&from_openssl, None).unwrap(), *fresh_key());
    assert_eq!(key::private_key_from_pem(&pem, Some(b"Qwerty12")).unwrap(), *fresh_key());
    let dump = text(&openssl(["asn1parse", "-in", path.to_str().unwrap()]));
    assert!(dump.contains("PBES2") && dump.contains("aes-256-cbc"), "{dump}");
}

#[test]
fn encrypted_pem_rejects_a_wrong_or_missing_password() {
    let pem = key::private_key_to_encrypted_pem(fresh_key(), b"Qwerty12").unwrap();
    assert!(matches!(key::private_key_from_pem(&pem, Some(b"qwerty12")), Err(KeyError::WrongPassword)));
    assert!(matches!(key::private_key_from_pem(&pem, None), Err(KeyError::PasswordRequired)));
}

#[test]
fn reads_openssl_encrypted_pkcs8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.pem");
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/issue/user.key.pem");
    let out = openssl([
        "pkcs8",
        "-topk8",
        "-in",
        src,
        "-v2",
        "aes-128-cbc",
        "-passout",
        "pass:пароль",
        "-out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let pem = std::fs::read_to_string(&path).unwrap();
    let plain = key::private_key_from_pem(&std::fs::read_to_string(src).unwrap(), None).unwrap();
    assert_eq!(key::private_key_from_pem(&pem, Some("пароль".as_bytes())).unwrap(), plain);
}

#[test]
fn public_key_pem_matches_openssl() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/issue/user.key.pem");
    let plain = key::private_key_from_pem(&std::fs::read_to_string(src).unwrap(), None).unwrap();
    let ours = key::public_key_to_pem(&key::public_key_info(&plain).unwrap()).unwrap();
    let out = openssl(["pkey", "-in", src, "-pubout"]);
    assert_eq!(ours, String::from_utf8(out.stdout).unwrap());
}

fn request_file(dir: &std::path::Path) -> std::path::PathBuf {
    let signer = SoftwareSigner::new(fresh_key().clone()).unwrap();
    let request = csr::build(&kazakh_subject(), &signer).unwrap();
    let path = dir.join("req.pem");
    std::fs::write(&path, csr::to_pem(&request).unwrap()).unwrap();
    path
}

#[test]
fn openssl_verifies_our_request_and_shows_kazakh_subject() {
    let dir = tempfile::tempdir().unwrap();
    let path = request_file(dir.path());
    let out = openssl(["req", "-in", path.to_str().unwrap(), "-verify", "-noout"]);
    assert!(out.status.success() && text(&out).contains("verify OK"), "{}", text(&out));
    let out = openssl([
        "req",
        "-in",
        path.to_str().unwrap(),
        "-noout",
        "-subject",
        "-nameopt",
        "RFC2253,utf8,-esc_msb",
    ]);
    let shown = text(&out);
    let expected = "emailAddress=abai@example.kz,GN=ҢӨҮҺҰЛЫ,C=KZ,serialNumber=IIN123456789011,SN=ҚҰНАНБАЕВ,CN=ҚҰНАНБАЕВ ӘБІЛҒАЗЫ";
    assert!(shown.contains(expected), "{shown}");
}

#[test]
fn openssl_shows_nca_string_types() {
    let dir = tempfile::tempdir().unwrap();
    let path = request_file(dir.path());
    let dump = text(&openssl(["asn1parse", "-in", path.to_str().unwrap()]));
    assert!(dump.contains("UTF8STRING        :ҚҰНАНБАЕВ ӘБІЛҒАЗЫ"), "{dump}");
    assert!(dump.contains("PRINTABLESTRING   :IIN123456789011"), "{dump}");
    assert!(dump.contains("PRINTABLESTRING   :KZ"), "{dump}");
    assert!(dump.contains("IA5STRING         :abai@example.kz"), "{dump}");
}

#[test]
fn verify_accepts_our_request_and_returns_subject_and_key() {
    let signer = SoftwareSigner::new(fresh_key().clone()).unwrap();
    let request = csr::build(&kazakh_subject(), &signer).unwrap();
    let verified = csr::verify(&request.to_der().unwrap()).unwrap();
    assert_eq!(verified.subject_name().unwrap(), kazakh_subject());
    assert_eq!(verified.public_key, signer.public_key().unwrap());
}

#[test]
fn verify_accepts_an_openssl_request() {
    let dir = tempfile::tempdir().unwrap();
    let der_path = dir.path().join("req.der");
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/issue/user.key.pem");
    let subj = "/CN=ТЕСТОВ ТЕСТ/SN=ТЕСТОВ/serialNumber=IIN123456789011/C=KZ";
    let out = openssl([
        "req",
        "-new",
        "-utf8",
        "-key",
        key,
        "-subj",
        subj,
        "-outform",
        "DER",
        "-out",
        der_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let verified = csr::verify(&std::fs::read(&der_path).unwrap()).unwrap();
    let name = verified.subject_name().unwrap();
    assert_eq!(
        (name.surname.as_str(), name.name.as_str(), name.iin.as_str()),
        ("ТЕСТОВ", "ТЕСТ", "123456789011")
    );
}

#[test]
fn verify_rejects_a_tampered_request() {
    let signer = SoftwareSigner::new(fresh_key().clone()).unwrap();
    let mut request = csr::build(&kazakh_subject(), &signer).unwrap();
    request.info.subject = SubjectName::new("ЖОҚ", "АДАМ", "123456789011").to_name().unwrap();
    let result = csr::verify(&request.to_der().unwrap());
    assert!(matches!(result, Err(CsrError::BadSignature(KeyError::BadSignature))), "{result:?}");
}

#[test]
fn reads_the_subject_of_nca_certificates() {
    let pem = std::fs::read(format!(
        "{}/personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cer",
        support::NCA
    ))
    .unwrap();
    let cert = Certificate::from_pem(&pem).unwrap();
    let name = SubjectName::from_name(cert.tbs_certificate().subject()).unwrap();
    let expected = SubjectName::new("ТЕСТОВ", "ТЕСТ", "123456789011").with_patronymic("ТЕСТОВИЧ");
    assert_eq!(name, expected);
}

/// A key store that refuses, as a phone does when the citizen cancels the biometric prompt.
struct Refusing(SoftwareSigner);

impl Signer for Refusing {
    fn public_key(&self) -> Result<spki::SubjectPublicKeyInfoOwned, qoltanba_pki::signer::SignError> {
        self.0.public_key()
    }
    fn signature_algorithm(&self) -> spki::AlgorithmIdentifierOwned {
        self.0.signature_algorithm()
    }
    fn sign(&self, _: &[u8]) -> Result<Vec<u8>, qoltanba_pki::signer::SignError> {
        Err(qoltanba_pki::signer::SignError::KeyStore("cancelled".into()))
    }
}

#[test]
fn key_store_refusal_reaches_the_caller_as_a_sign_error() {
    let signer = Refusing(SoftwareSigner::new(fresh_key().clone()).unwrap());
    let result = csr::build(&kazakh_subject(), &signer);
    assert!(
        matches!(&result, Err(CsrError::Sign(qoltanba_pki::signer::SignError::KeyStore(r))) if r == "cancelled"),
        "{result:?}"
    );
}
