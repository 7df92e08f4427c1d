//! Shared by the issue, csr, crl and ocsp test binaries: fixture keys, a two-level test CA built once
//! per binary, and running the openssl CLI on scratch files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;
use std::sync::OnceLock;

use der::{EncodePem, pem::LineEnding};
use qoltanba_pki::issue::{self, CaIdentity, CaUrls, Profile};
use qoltanba_pki::key;
use qoltanba_pki::signer::{Signer, SoftwareSigner};
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;
use x509_cert::name::Name;

pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/issue");
pub const NCA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/nca-test");

/// A fixture key (`root`, `sub`, `user`, `responder`) as a signer.
pub fn signer(name: &str) -> SoftwareSigner {
    let pem = std::fs::read_to_string(format!("{FIXTURES}/{name}.key.pem")).unwrap();
    SoftwareSigner::new(key::private_key_from_pem(&pem, None).unwrap()).unwrap()
}

/// A root CA and a subordinate CA under it, valid around the current time.
pub struct TestPki {
    pub root: Certificate,
    pub root_signer: SoftwareSigner,
    pub sub: Certificate,
    pub sub_signer: SoftwareSigner,
    pub user_signer: SoftwareSigner,
    pub now: OffsetDateTime,
}

impl TestPki {
    pub fn root_ca(&self) -> CaIdentity<'_> {
        CaIdentity { certificate: &self.root, signer: &self.root_signer, urls: urls("root") }
    }

    pub fn sub_ca(&self) -> CaIdentity<'_> {
        CaIdentity { certificate: &self.sub, signer: &self.sub_signer, urls: urls("sub") }
    }

    /// An end-entity certificate for the user key, issued by `ca`.
    pub fn user_cert(&self, ca: &CaIdentity<'_>, profile: Profile) -> Certificate {
        let subject =
            qoltanba_pki::csr::SubjectName::new("ТЕСТОВ", "ТЕСТ", "123456789011").to_name().unwrap();
        let spki = self.user_signer.public_key().unwrap();
        issue::issue(ca, subject, spki, profile, self.now - Duration::days(1), self.now + Duration::days(365))
            .unwrap()
    }
}

pub fn urls(ca: &str) -> CaUrls {
    CaUrls {
        crl: Some(format!("http://test.qoltanba.kz/crl/{ca}.crl")),
        ocsp: Some("http://test.qoltanba.kz/ocsp/".to_owned()),
        ca_issuers: Some(format!("http://test.qoltanba.kz/cert/{ca}.cer")),
        cps: Some("http://test.qoltanba.kz/cps".to_owned()),
    }
}

pub fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| {
        let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        let root_signer = signer("root");
        let root_name = Name::from_str("CN=Qoltanba Test Root,C=KZ").unwrap();
        let root = issue::root(root_name, &root_signer, now - Duration::days(10), now + Duration::days(3650))
            .unwrap();
        let sub_signer = signer("sub");
        let sub_name = Name::from_str("CN=Qoltanba Test CA,C=KZ").unwrap();
        let ca = CaIdentity { certificate: &root, signer: &root_signer, urls: urls("root") };
        let sub_key = sub_signer.public_key().unwrap();
        let profile = Profile::SubordinateCa { path_len: Some(0) };
        let sub = issue::issue(
            &ca,
            sub_name,
            sub_key,
            profile,
            now - Duration::days(5),
            now + Duration::days(1825),
        )
        .unwrap();
        TestPki { root, root_signer, sub, sub_signer, user_signer: signer("user"), now }
    })
}

/// Writes `cert` as PEM into `dir/name` and returns the path.
pub fn write_pem(dir: &Path, name: &str, cert: &Certificate) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, cert.to_pem(LineEnding::LF).unwrap()).unwrap();
    path
}

/// Runs `openssl args…`.
pub fn openssl<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new("openssl").args(args).output().expect("openssl is installed")
}

/// stdout + stderr of an openssl run, for assertions and failure messages.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}
