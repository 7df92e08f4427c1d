//! Helpers shared by the CA test binaries: the registry record, real CSRs from fixture keys, citizens with
//! certificates of a CA recorded in its database, openssl.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use qoltanba_pki::csr::{self, SubjectName};
use qoltanba_pki::signer::SoftwareSigner;
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::pem::LineEnding;
use qoltanba_pki::x509::der::{Encode, EncodePem};
use std::sync::OnceLock;

use qoltanba_protocol::CertificatePurpose;
use qoltanba_server::ca::{Authority, CaUrls, IssuedCertificate, SubjectRecord};
use qoltanba_server::storage::Storage;
use qoltanba_server::storage::certificates::{self, CertificateRecord};
use time::OffsetDateTime;

/// The citizen as the population registry knows them (IIN with a valid check digit).
pub fn registry_record() -> SubjectRecord {
    SubjectRecord {
        surname: "ҚҰНАНБАЕВ".into(),
        name: "АБАЙ".into(),
        patronymic: Some("ҚҰНАНБАЙҰЛЫ".into()),
        iin: "900101300255".into(),
        email: Some("abai@example.kz".into()),
    }
}

/// A subject the CSR claims, which the CA must ignore.
pub fn impostor() -> SubjectName {
    SubjectName::new("IMPOSTOR", "MALLORY", "850503400126").with_email("mallory@evil.example")
}

pub fn urls() -> CaUrls {
    CaUrls {
        crl: "http://ca.qoltanba.test/crl/nca_rsa.crl".into(),
        ocsp: "http://ca.qoltanba.test/ocsp/".into(),
        ca_issuers: "http://ca.qoltanba.test/cert/nca_rsa.cer".into(),
    }
}

/// The fixture key `name` (`auth` or `sign`, see tests/data/ca/README.md).
pub fn fixture_signer(name: &str) -> SoftwareSigner {
    let path = format!("{}/tests/data/ca/{name}-key.pem", env!("CARGO_MANIFEST_DIR"));
    let pem = std::fs::read_to_string(path).unwrap();
    SoftwareSigner::new(qoltanba_pki::key::private_key_from_pem(&pem, None).unwrap()).unwrap()
}

/// The fixture key `auth` or `sign`, read once per test binary.
pub fn cached_signer(name: &str) -> &'static SoftwareSigner {
    static AUTH: OnceLock<SoftwareSigner> = OnceLock::new();
    static SIGN: OnceLock<SoftwareSigner> = OnceLock::new();
    match name {
        "auth" => AUTH.get_or_init(|| fixture_signer("auth")),
        _ => SIGN.get_or_init(|| fixture_signer("sign")),
    }
}

/// A citizen's AUTH and SIGN certificates (keys: the fixture keys `auth` and `sign`).
pub struct Citizen {
    pub iin: String,
    pub auth: IssuedCertificate,
    pub sign: IssuedCertificate,
}

/// Issues the registry record's pair to `iin` with `authority` at `now`, recorded in `storage` as that CA's.
pub async fn issue_citizen(
    storage: &Storage,
    authority: &Authority,
    iin: &str,
    now: OffsetDateTime,
) -> Citizen {
    assert!(iin.parse::<qoltanba_pki::iin::Iin>().is_ok(), "{iin} has a valid check digit");
    let subject = SubjectRecord { iin: iin.to_owned(), ..registry_record() };
    let pair = authority.issue_pair(&subject, &csr("auth"), &csr("sign"), now).unwrap();
    record(storage, iin, &pair.auth, CertificatePurpose::Auth, now).await;
    record(storage, iin, &pair.sign, CertificatePurpose::Sign, now).await;
    Citizen { iin: iin.to_owned(), auth: pair.auth, sign: pair.sign }
}

async fn record(
    storage: &Storage,
    iin: &str,
    issued: &IssuedCertificate,
    purpose: CertificatePurpose,
    now: OffsetDateTime,
) {
    let validity = issued.certificate.tbs_certificate().validity();
    let time = |t: &qoltanba_pki::x509::time::Time| {
        OffsetDateTime::from_unix_timestamp(t.to_unix_duration().as_secs() as i64).unwrap()
    };
    let record = CertificateRecord {
        serial: hex::encode_upper(&issued.serial),
        iin: iin.to_owned(),
        purpose,
        session_id: None,
        not_before: time(&validity.not_before),
        not_after: time(&validity.not_after),
        der: issued.der.clone(),
        revocation: None,
        created_at: now,
    };
    certificates::insert(&mut storage.acquire().await.unwrap(), &record).await.unwrap();
}

/// A real PKCS#10 request (DER) by the fixture key `name`, claiming the impostor's subject.
pub fn csr(name: &str) -> Vec<u8> {
    csr::build(&impostor(), &fixture_signer(name)).unwrap().to_der().unwrap()
}

pub fn write_pem(dir: &Path, name: &str, cert: &Certificate) -> String {
    let path = dir.join(name);
    std::fs::write(&path, cert.to_pem(LineEnding::LF).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Runs `openssl args…` and returns its output.
pub fn openssl(args: &[&str]) -> Output {
    Command::new("openssl").args(args).output().expect("openssl is installed")
}

/// stdout + stderr, for assertions and failure messages.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// `openssl verify -CAfile root -untrusted issuing [extra…] leaf`, returning (success, output).
pub fn verify(root: &str, issuing: &str, leaf: &str, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["verify", "-CAfile", root, "-untrusted", issuing];
    args.extend_from_slice(extra);
    args.push(leaf);
    let out = openssl(&args);
    (out.status.success(), text(&out))
}
