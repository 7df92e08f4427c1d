//! The Android store's `java.security` calls (`keystore::android::jvm`) on a desktop Java 17 VM, with a
//! `PKCS12` key store standing in for `AndroidKeyStore`: the same KeyStore / Signature /
//! CertificateFactory API. Signatures are checked with the pki crate.
#![cfg(feature = "android-keystore")]

use std::str::FromStr;
use std::sync::OnceLock;

use jni::{InitArgsBuilder, JNIVersion, JavaVM};
use qoltanba_core::keystore::KeyStoreError;
use qoltanba_core::keystore::android::jvm;
use qoltanba_pki::issue::{self, CaIdentity, CaUrls, Profile};
use qoltanba_pki::key;
use qoltanba_pki::pkcs12::{self, Entry, WriteOptions};
use qoltanba_pki::signer::{Signer, SoftwareSigner, sha256_with_rsa};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::{Decode, Encode};
use qoltanba_pki::x509::name::Name;
use qoltanba_pki::x509::spki::SubjectPublicKeyInfoOwned;
use time::{Duration, OffsetDateTime};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../pki/tests/data/issue/");
const ALIAS: &str = "qoltanba-sign-desktop";
const PASSWORD: &str = "Qwerty12";

/// One JVM per process (JNI allows no second one): JAVA_HOME's, else the system Java 17.
fn vm() -> &'static JavaVM {
    static VM: OnceLock<JavaVM> = OnceLock::new();
    VM.get_or_init(|| {
        let home = std::env::var("JAVA_HOME").unwrap_or_else(|_| "/usr/lib/jvm/java-17-openjdk-amd64".into());
        let libjvm = std::path::Path::new(&home).join("lib/server/libjvm.so");
        assert!(libjvm.exists(), "no JVM at {}: set JAVA_HOME", libjvm.display());
        let args = InitArgsBuilder::new().version(JNIVersion::V8).build().unwrap();
        JavaVM::with_libjvm(args, || Ok(libjvm)).unwrap()
    })
}

fn signer(name: &str) -> SoftwareSigner {
    let pem = std::fs::read_to_string(format!("{FIXTURES}{name}.key.pem")).unwrap();
    SoftwareSigner::new(key::private_key_from_pem(&pem, None).unwrap()).unwrap()
}

/// The user fixture key with a self-signed placeholder certificate (as the Android Keystore makes
/// one at generation), as a PKCS#12 store.
fn pkcs12_store() -> (Vec<u8>, SubjectPublicKeyInfoOwned) {
    let user = signer("user");
    let now = OffsetDateTime::now_utc();
    let name = Name::from_str("CN=placeholder").unwrap();
    let placeholder = issue::root(name, &user, now - Duration::days(1), now + Duration::days(1)).unwrap();
    let entry = Entry::from_signer(Some(ALIAS.into()), Some(placeholder), &user).unwrap();
    let store = pkcs12::KeyStore { entries: vec![entry], extra_certificates: vec![] };
    (pkcs12::write(&store, PASSWORD, &WriteOptions::default()).unwrap(), user.public_key().unwrap())
}

/// A CA chain for the user key: an AUTH certificate from the root fixture, then the root.
fn issued_chain() -> Vec<Certificate> {
    let root_signer = signer("root");
    let now = OffsetDateTime::now_utc();
    let root_name = Name::from_str("CN=Qoltanba Test Root,C=KZ").unwrap();
    let root =
        issue::root(root_name, &root_signer, now - Duration::days(1), now + Duration::days(30)).unwrap();
    let ca = CaIdentity { certificate: &root, signer: &root_signer, urls: CaUrls::default() };
    let subject = qoltanba_pki::csr::SubjectName::new("ТЕСТОВ", "ТЕСТ", "123456789011").to_name().unwrap();
    let spki = signer("user").public_key().unwrap();
    let leaf =
        issue::issue(&ca, subject, spki, Profile::Sign, now - Duration::days(1), now + Duration::days(30))
            .unwrap();
    vec![leaf, root]
}

#[test]
fn shared_keystore_calls_sign_read_install_and_delete_on_a_desktop_jvm() {
    let (bytes, public) = pkcs12_store();
    let mut env = vm().attach_current_thread().unwrap();
    let store = jvm::load(&mut env, "PKCS12", Some((&bytes, PASSWORD))).unwrap();

    assert_eq!(jvm::aliases(&mut env, &store).unwrap(), [ALIAS]);
    assert!(jvm::contains(&mut env, &store, ALIAS).unwrap());
    let der = jvm::public_key(&mut env, &store, ALIAS).unwrap();
    assert_eq!(SubjectPublicKeyInfoOwned::from_der(&der).unwrap(), public);

    let message = "Қолтаңба".as_bytes();
    let signature = jvm::sign(&mut env, &store, ALIAS, Some(PASSWORD), message).unwrap();
    key::verify_signature(&public, &sha256_with_rsa(), message, &signature).unwrap();
    let tampered = key::verify_signature(&public, &sha256_with_rsa(), b"other", &signature);
    assert!(tampered.is_err());

    assert_eq!(jvm::chain_len(&mut env, &store, ALIAS).unwrap(), 1);
    let chain: Vec<Vec<u8>> = issued_chain().iter().map(|c| c.to_der().unwrap()).collect();
    jvm::set_chain(&mut env, &store, ALIAS, Some(PASSWORD), &chain).unwrap();
    assert_eq!(jvm::chain_len(&mut env, &store, ALIAS).unwrap(), 2);
    assert_eq!(jvm::public_key(&mut env, &store, ALIAS).unwrap(), der, "the key stays the same");

    jvm::delete(&mut env, &store, ALIAS).unwrap();
    assert!(jvm::aliases(&mut env, &store).unwrap().is_empty());
    assert!(matches!(jvm::public_key(&mut env, &store, ALIAS), Err(KeyStoreError::NotFound(_))));
}

#[test]
fn java_exceptions_become_typed_errors_and_are_cleared() {
    let (bytes, _) = pkcs12_store();
    let mut env = vm().attach_current_thread().unwrap();
    let store = jvm::load(&mut env, "PKCS12", Some((&bytes, PASSWORD))).unwrap();
    let err = jvm::sign(&mut env, &store, ALIAS, Some("Qwerty13"), b"x").unwrap_err();
    assert!(matches!(err, KeyStoreError::WrongPassword), "{err:?}");
    assert!(!env.exception_check().unwrap(), "the exception was cleared");

    let err = jvm::load(&mut env, "NO-SUCH-TYPE", None).unwrap_err();
    assert!(
        matches!(&err, KeyStoreError::Platform(m) if m.starts_with("java.security.KeyStoreException")),
        "{err:?}"
    );
    assert!(jvm::contains(&mut env, &store, ALIAS).unwrap(), "the VM is usable after an exception");
}
