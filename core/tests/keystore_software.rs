//! The software key store, checked with the openssl CLI: the `.p12` it installs opens, holds the
//! certified key and the chain; its signer makes CSRs that `openssl req -verify` accepts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::str::FromStr;
use std::sync::OnceLock;

use qoltanba_core::keystore::software::SoftwareKeyStore;
use qoltanba_core::keystore::{CertificatePurpose, GeneratedKey, KeyId, KeyStore, KeyStoreError};
use qoltanba_pki::csr::{self, SubjectName};
use qoltanba_pki::issue::{self, CaIdentity, CaUrls, Profile};
use qoltanba_pki::key;
use qoltanba_pki::signer::SoftwareSigner;
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::{EncodePem, pem::LineEnding};
use qoltanba_pki::x509::name::Name;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

const PASSWORD: &str = "Qwerty12";

/// Two keys (AUTH, SIGN) generated once per test binary; each test works on a copy of their files.
struct Template {
    dir: tempfile::TempDir,
    auth: GeneratedKey,
    sign: GeneratedKey,
}

fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
        let auth = store.generate(CertificatePurpose::Auth).unwrap();
        let sign = store.generate(CertificatePurpose::Sign).unwrap();
        Template { dir, auth, sign }
    })
}

fn password() -> Zeroizing<String> {
    Zeroizing::new(PASSWORD.to_owned())
}

/// A fresh directory holding the template's two pending keys.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(template().dir.path()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

/// A test root CA and an issuing CA under it, with the pki crate's fixture keys.
struct TestCa {
    root: Certificate,
    sub: Certificate,
    sub_signer: SoftwareSigner,
}

fn fixture_signer(name: &str) -> SoftwareSigner {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../pki/tests/data/issue/");
    let pem = std::fs::read_to_string(format!("{path}{name}.key.pem")).unwrap();
    SoftwareSigner::new(key::private_key_from_pem(&pem, None).unwrap()).unwrap()
}

fn ca() -> &'static TestCa {
    static CA: OnceLock<TestCa> = OnceLock::new();
    CA.get_or_init(|| {
        let now = OffsetDateTime::now_utc();
        let root_signer = fixture_signer("root");
        let root_name = Name::from_str("CN=Qoltanba Test Root,C=KZ").unwrap();
        let root = issue::root(root_name, &root_signer, now - Duration::days(10), now + Duration::days(3650))
            .unwrap();
        let sub_signer = fixture_signer("sub");
        let sub_key = qoltanba_pki::signer::Signer::public_key(&sub_signer).unwrap();
        let root_ca = CaIdentity { certificate: &root, signer: &root_signer, urls: CaUrls::default() };
        let sub_name = Name::from_str("CN=Qoltanba Test CA,C=KZ").unwrap();
        let profile = Profile::SubordinateCa { path_len: Some(0) };
        let sub = issue::issue(
            &root_ca,
            sub_name,
            sub_key,
            profile,
            now - Duration::days(5),
            now + Duration::days(1825),
        )
        .unwrap();
        TestCa { root, sub, sub_signer }
    })
}

/// The certificate the test CA issues for `key` with `profile`, followed by the CA chain.
fn chain(key: &GeneratedKey, profile: Profile) -> Vec<Certificate> {
    let ca = ca();
    let issuer = CaIdentity { certificate: &ca.sub, signer: &ca.sub_signer, urls: CaUrls::default() };
    let subject = SubjectName::new("ТЕСТОВ", "ТЕСТ", "123456789011").to_name().unwrap();
    let now = OffsetDateTime::now_utc();
    let leaf = issue::issue(
        &issuer,
        subject,
        key.public_key.clone(),
        profile,
        now - Duration::days(1),
        now + Duration::days(365),
    )
    .unwrap();
    vec![leaf, ca.sub.clone(), ca.root.clone()]
}

fn write_pem(dir: &Path, name: &str, cert: &Certificate) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, cert.to_pem(LineEnding::LF).unwrap()).unwrap();
    path
}

fn openssl<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(args: I) -> Output {
    Command::new("openssl").args(args).output().expect("openssl is installed")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn modulus(args: &[&str]) -> String {
    let out = openssl(args);
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap()
}

fn key_modulus_of_p12(p12: &Path, scratch: &Path) -> String {
    let pem = scratch.join("key.pem");
    let pass = format!("pass:{PASSWORD}");
    let out = openssl([
        "pkcs12",
        "-in",
        p12.to_str().unwrap(),
        "-nocerts",
        "-nodes",
        "-passin",
        &pass,
        "-out",
        pem.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    modulus(&["rsa", "-in", pem.to_str().unwrap(), "-noout", "-modulus"])
}

#[test]
fn installed_p12_has_the_nca_name_opens_with_openssl_and_holds_the_certified_key() {
    let dir = scratch();
    let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
    let key = &template().auth;
    let chain = chain(key, Profile::Auth);
    let installed = store.install(&key.id, &chain).unwrap();

    let ski = qoltanba_pki::certificate::subject_key_identifier(&chain[0]).unwrap();
    assert_eq!(installed.0, format!("AUTH_RSA256_{}", hex::encode(ski)));
    assert_eq!(installed, key.id, "our CA writes NCA's SKI, which named the key at generation");
    let p12 = store.pkcs12_path(&installed).unwrap();
    assert!(!dir.path().join(format!("{}.key", key.id)).exists(), "the pending key is removed");

    let pass = format!("pass:{PASSWORD}");
    let out = openssl(["pkcs12", "-info", "-noout", "-in", p12.to_str().unwrap(), "-passin", &pass]);
    assert!(out.status.success(), "{}", text(&out));
    let cert = write_pem(dir.path(), "cert.pem", &chain[0]);
    let certified = modulus(&["x509", "-in", cert.to_str().unwrap(), "-noout", "-modulus"]);
    assert_eq!(key_modulus_of_p12(&p12, dir.path()), certified);

    let out = openssl(["pkcs12", "-in", p12.to_str().unwrap(), "-cacerts", "-nokeys", "-passin", &pass]);
    let cas = text(&out);
    assert!(cas.contains("Qoltanba Test CA") && cas.contains("Qoltanba Test Root"), "{cas}");
}

#[test]
fn csr_signed_by_the_store_verifies_with_openssl_before_and_after_install() {
    let dir = scratch();
    let store: Box<dyn KeyStore> = Box::new(SoftwareKeyStore::open(dir.path(), password()).unwrap());
    let key = &template().sign;
    let subject = SubjectName::new("ТЕСТОВ", "ТЕСТ", "123456789011");
    let mut ids = vec![key.id.clone()];
    ids.push(store.install(&key.id, &chain(key, Profile::Sign)).unwrap());
    for id in ids {
        let signer = store.signer(&id).unwrap();
        let request = csr::build(&subject, signer.as_ref()).unwrap();
        let path = dir.path().join("req.pem");
        std::fs::write(&path, csr::to_pem(&request).unwrap()).unwrap();
        let out = openssl(["req", "-verify", "-noout", "-in", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out));
        assert_eq!(request.info.public_key, key.public_key);
        assert_eq!(store.public_key(&id).unwrap(), key.public_key);
    }
}

#[test]
fn wrong_password_is_a_typed_error_for_pending_and_installed_keys() {
    let dir = scratch();
    let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
    let installed = store.install(&template().auth.id, &chain(&template().auth, Profile::Auth)).unwrap();
    let wrong = SoftwareKeyStore::open(dir.path(), Zeroizing::new("Qwerty13".to_owned())).unwrap();
    for id in [&template().sign.id, &installed] {
        assert!(matches!(wrong.signer(id), Err(KeyStoreError::WrongPassword)), "{id}");
        assert!(matches!(wrong.public_key(id), Err(KeyStoreError::WrongPassword)), "{id}");
    }
}

#[test]
fn lists_pending_and_installed_keys_and_deletes_them() {
    let dir = scratch();
    let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
    let (auth, sign) = (&template().auth, &template().sign);
    let listed = store.list().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|key| !key.installed));
    store.install(&sign.id, &chain(sign, Profile::Sign)).unwrap();
    let listed = store.list().unwrap();
    let find = |id: &KeyId| listed.iter().find(|key| &key.id == id).unwrap().clone();
    assert_eq!((find(&sign.id).purpose, find(&sign.id).installed), (CertificatePurpose::Sign, true));
    assert_eq!((find(&auth.id).purpose, find(&auth.id).installed), (CertificatePurpose::Auth, false));

    store.delete(&sign.id).unwrap();
    store.delete(&auth.id).unwrap();
    assert!(store.list().unwrap().is_empty());
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "no file is left behind");
    assert!(matches!(store.delete(&auth.id), Err(KeyStoreError::NotFound(_))));
    assert!(matches!(store.signer(&auth.id), Err(KeyStoreError::NotFound(_))));
}

#[test]
fn refuses_a_certificate_of_another_key_or_purpose_and_an_empty_chain() {
    let dir = scratch();
    let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
    let (auth, sign) = (&template().auth, &template().sign);
    let err = store.install(&auth.id, &chain(sign, Profile::Auth)).unwrap_err();
    assert!(matches!(err, KeyStoreError::CertificateMismatch), "{err:?}");
    let err = store.install(&auth.id, &chain(auth, Profile::Sign)).unwrap_err();
    assert!(matches!(err, KeyStoreError::WrongPurpose { key: CertificatePurpose::Auth }), "{err:?}");
    assert!(matches!(store.install(&auth.id, &[]), Err(KeyStoreError::EmptyChain)));
    assert!(!store.list().unwrap().iter().any(|key| key.installed), "nothing was installed");
}

#[test]
fn installing_twice_returns_the_same_key() {
    let dir = scratch();
    let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
    let key = &template().auth;
    let chain = chain(key, Profile::Auth);
    let first = store.install(&key.id, &chain).unwrap();
    assert_eq!(store.install(&key.id, &chain).unwrap(), first);
}

#[test]
fn reopening_repairs_what_a_crash_left() {
    let dir = scratch();
    let key = &template().sign;
    let pending = dir.path().join(format!("{}.key", key.id));
    let pending_copy = std::fs::read(&pending).unwrap();
    let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
    store.install(&key.id, &chain(key, Profile::Sign)).unwrap();
    drop(store);
    // A crash after the .p12 was written but before the .key was removed, and one mid-write.
    std::fs::write(&pending, pending_copy).unwrap();
    std::fs::write(dir.path().join(".tmp-0123"), b"half a key").unwrap();

    let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
    assert!(!pending.exists());
    assert!(!dir.path().join(".tmp-0123").exists());
    assert!(store.list().unwrap().iter().any(|k| k.id == key.id && k.installed));
    assert!(store.signer(&key.id).is_ok());
}

#[test]
fn a_damaged_key_file_is_a_typed_error() {
    let dir = scratch();
    let key = &template().auth;
    let garbage = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    std::fs::write(dir.path().join(format!("{}.key", key.id)), garbage).unwrap();
    let store = SoftwareKeyStore::open(dir.path(), password()).unwrap();
    assert!(matches!(store.signer(&key.id), Err(KeyStoreError::Corrupt(_))));
}

#[test]
fn refuses_a_password_a_pkcs12_file_cannot_hold() {
    let dir = tempfile::tempdir().unwrap();
    let err = SoftwareKeyStore::open(dir.path(), Zeroizing::new("Qwerty12🔑".to_owned())).unwrap_err();
    assert!(matches!(err, KeyStoreError::UnusablePassword), "{err:?}");
}
