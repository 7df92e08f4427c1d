//! The PKCS#11 signer against a real SoftHSM2 token: keys generated on the token sign what the pki
//! crate verifies, make certificates openssl accepts, stay sensitive and non-extractable, and fail with
//! typed errors. See `support` for how the token is set up (and `QOLTANBA_SKIP_SOFTHSM=1`).

mod support;

use std::str::FromStr;
use std::sync::{Mutex, OnceLock, PoisonError};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, ObjectClass};
use cryptoki::session::Session;
use der::EncodePem;
use der::pem::LineEnding;
use qoltanba_hsm::{HsmError, Pkcs11Config, Pkcs11Signer, UriError, generate_rsa_key, open};
use qoltanba_pki::issue::{self, CaIdentity, CaUrls, Profile};
use qoltanba_pki::key::{nca_ski, verify_signature};
use qoltanba_pki::signer::{Signer, sha256_with_rsa};
use support::{CA_TOKEN, LOGIN_TOKEN, PIN, SoftHsm, openssl, softhsm, text};
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;
use x509_cert::name::Name;
use zeroize::Zeroizing;

const CA_KEY: &str = "issuing-ca";
const USER_KEY: &str = "user-key";

/// Runs `write` alone among this binary's writes to the token: SoftHSM2 answers `CKR_GENERAL_ERROR` now
/// and then when two threads create token objects at once (seen on an EC key generation while the CA
/// key was being made), so the tests take turns creating keys. Never call `ca`/`user` inside.
fn token_write<T>(write: impl FnOnce() -> T) -> T {
    static WRITES: Mutex<()> = Mutex::new(());
    let _turn = WRITES.lock().unwrap_or_else(PoisonError::into_inner);
    write()
}

/// The CA key, generated on the token once per test binary.
fn ca(hsm: &SoftHsm) -> &'static Pkcs11Signer {
    static CA: OnceLock<Pkcs11Signer> = OnceLock::new();
    CA.get_or_init(|| token_write(|| generate_rsa_key(&hsm.config(CA_TOKEN, CA_KEY, PIN), 2048).unwrap()))
}

/// A second key on the same token, for the leaf certificate.
fn user(hsm: &SoftHsm) -> &'static Pkcs11Signer {
    static USER: OnceLock<Pkcs11Signer> = OnceLock::new();
    USER.get_or_init(|| token_write(|| generate_rsa_key(&hsm.config(CA_TOKEN, USER_KEY, PIN), 2048).unwrap()))
}

/// A session of our own on the CA token, through `cryptoki` directly, logged in (the CA signer's
/// session keeps the process logged in to the token; `C_Login` again is a no-op). The module was already
/// initialised by the library, so `C_Initialize` answers "already initialised".
fn raw_session(hsm: &SoftHsm) -> Session {
    let _ = ca(hsm);
    let context = Pkcs11::new(&hsm.module).unwrap();
    let _ = context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK));
    let slot = context
        .get_slots_with_token()
        .unwrap()
        .into_iter()
        .find(|slot| context.get_token_info(*slot).unwrap().label() == CA_TOKEN)
        .unwrap();
    context.open_rw_session(slot).unwrap()
}

fn write_pem(dir: &std::path::Path, name: &str, cert: &Certificate) -> String {
    let path = dir.join(name);
    std::fs::write(&path, cert.to_pem(LineEnding::LF).unwrap()).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn signatures_verify_with_the_pki_crate() {
    let Some(hsm) = softhsm() else { return };
    let signer: &dyn Signer = ca(hsm);
    assert_eq!(signer.signature_algorithm(), sha256_with_rsa());
    let spki = signer.public_key().unwrap();
    let message = b"Qoltanba: signed inside the HSM";
    let signature = signer.sign(message).unwrap();
    assert_eq!(signature.len(), 256);
    verify_signature(&spki, &signer.signature_algorithm(), message, &signature).unwrap();
    let tampered =
        verify_signature(&spki, &sha256_with_rsa(), b"Qoltanba: signed inside the HSm", &signature);
    assert!(tampered.is_err());
}

#[test]
fn hsm_key_makes_a_root_and_a_leaf_that_openssl_verifies() {
    let Some(hsm) = softhsm() else { return };
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let name = Name::from_str("CN=Qoltanba HSM Test CA,C=KZ").unwrap();
    let root = issue::root(name, ca(hsm), now - Duration::days(1), now + Duration::days(3650)).unwrap();
    let identity = CaIdentity { certificate: &root, signer: ca(hsm), urls: CaUrls::default() };
    let subject = qoltanba_pki::csr::SubjectName::new("ТЕСТОВ", "ТЕСТ", "123456789011").to_name().unwrap();
    let spki = user(hsm).public_key().unwrap();
    let leaf = issue::issue(
        &identity,
        subject,
        spki,
        Profile::Sign,
        now - Duration::days(1),
        now + Duration::days(365),
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let (root_pem, leaf_pem) =
        (write_pem(dir.path(), "root.pem", &root), write_pem(dir.path(), "leaf.pem", &leaf));
    let out = openssl(&["verify", "-purpose", "any", "-CAfile", &root_pem, &leaf_pem]);
    assert!(out.status.success() && text(&out).contains("leaf.pem: OK"), "{}", text(&out));
    let out = openssl(&["verify", "-CAfile", &root_pem, &root_pem]);
    assert!(out.status.success(), "the self-signed root: {}", text(&out));
}

#[test]
fn leaf_signed_by_another_key_does_not_verify() {
    let Some(hsm) = softhsm() else { return };
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let name = Name::from_str("CN=Qoltanba HSM Test CA,C=KZ").unwrap();
    let root = issue::root(name.clone(), ca(hsm), now - Duration::days(1), now + Duration::days(30)).unwrap();
    // A "CA" certificate with the same name but the user key: the leaf it signs must not chain to `root`.
    let impostor = issue::root(name, user(hsm), now - Duration::days(1), now + Duration::days(30)).unwrap();
    let identity = CaIdentity { certificate: &impostor, signer: user(hsm), urls: CaUrls::default() };
    let subject = Name::from_str("CN=leaf,C=KZ").unwrap();
    let spki = ca(hsm).public_key().unwrap();
    let leaf = issue::issue(
        &identity,
        subject,
        spki,
        Profile::Auth,
        now - Duration::days(1),
        now + Duration::days(1),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (root_pem, leaf_pem) =
        (write_pem(dir.path(), "root.pem", &root), write_pem(dir.path(), "leaf.pem", &leaf));
    let out = openssl(&["verify", "-purpose", "any", "-CAfile", &root_pem, &leaf_pem]);
    assert!(!out.status.success(), "{}", text(&out));
}

#[test]
fn private_key_is_sensitive_and_never_extractable() {
    let Some(hsm) = softhsm() else { return };
    let ski = hex::encode(nca_ski(&ca(hsm).public_key().unwrap()).unwrap());
    let args = ["--token-label", CA_TOKEN, "--login", "--pin", PIN, "--list-objects", "--type", "privkey"];
    let out = hsm.pkcs11_tool(&args);
    let listing = text(&out);
    assert!(out.status.success(), "{listing}");
    let object = listing
        .split("Private Key Object")
        .find(|block| block.contains(&format!("label:      {CA_KEY}\n")))
        .unwrap_or_else(|| panic!("no private key {CA_KEY} in: {listing}"));
    let access = object.lines().find(|l| l.trim_start().starts_with("Access:")).unwrap_or_default();
    assert!(access.contains("sensitive") && access.contains("never extract"), "{object}");
    assert!(object.contains(&format!("ID:         {ski}")), "CKA_ID is NCA's key identifier {ski}: {object}");
    assert!(object.contains("Usage:      sign") && !object.contains("decrypt"), "{object}");
}

#[test]
fn token_reports_the_private_key_unreadable_through_cryptoki() {
    let Some(hsm) = softhsm() else { return };
    let session = raw_session(hsm);
    let template = [Attribute::Class(ObjectClass::PRIVATE_KEY), Attribute::Label(CA_KEY.as_bytes().to_vec())];
    let [key] = session.find_objects(&template).unwrap()[..] else { panic!("one private key {CA_KEY}") };
    let wanted = [
        AttributeType::Extractable,
        AttributeType::Sensitive,
        AttributeType::NeverExtractable,
        AttributeType::PrivateExponent,
        AttributeType::Prime1,
        AttributeType::Modulus,
    ];
    let attributes = session.get_attributes(key, &wanted).unwrap();
    assert!(attributes.iter().any(|a| matches!(a, Attribute::Extractable(false))), "{attributes:?}");
    assert!(attributes.iter().any(|a| matches!(a, Attribute::Sensitive(true))), "{attributes:?}");
    assert!(attributes.iter().any(|a| matches!(a, Attribute::NeverExtractable(true))), "{attributes:?}");
    assert!(attributes.iter().any(|a| matches!(a, Attribute::Modulus(_))), "public parts stay readable");
    let secret = attributes.iter().any(|a| matches!(a, Attribute::PrivateExponent(_) | Attribute::Prime1(_)));
    assert!(!secret, "the token revealed private key material");
}

#[test]
fn open_finds_the_generated_key_by_label_and_by_uri() {
    let Some(hsm) = softhsm() else { return };
    let expected = ca(hsm).public_key().unwrap();
    let opened = open(&hsm.config(CA_TOKEN, CA_KEY, PIN)).unwrap();
    assert_eq!(opened.public_key().unwrap(), expected);
    assert_eq!(opened.label(), CA_KEY);

    let uri = format!("pkcs11:token=Qoltanba%20CA;object=issuing-ca?module-path={}", hsm.module.display());
    let config = Pkcs11Config::from_uri(&uri, Some(Zeroizing::new(PIN.into()))).unwrap();
    let by_uri = open(&config).unwrap();
    assert_eq!(by_uri.public_key().unwrap(), expected);
    let signature = by_uri.sign(b"by uri").unwrap();
    verify_signature(&expected, &sha256_with_rsa(), b"by uri", &signature).unwrap();
}

#[test]
fn wrong_pin_is_a_login_error_and_never_shown() {
    let Some(hsm) = softhsm() else { return };
    // LOGIN_TOKEN is logged in to by no other test: login state is shared by the process per token.
    let wrong = open(&hsm.config(LOGIN_TOKEN, CA_KEY, "0000-wrong")).unwrap_err();
    assert!(matches!(wrong, HsmError::Login), "{wrong:?}");
    assert!(!format!("{wrong} {wrong:?}").contains("0000-wrong"));
    // The right PIN gets past login, to the (empty) token's missing key.
    let right = open(&hsm.config(LOGIN_TOKEN, CA_KEY, PIN)).unwrap_err();
    assert!(matches!(right, HsmError::KeyNotFound(ref label) if label == CA_KEY), "{right:?}");
}

#[test]
fn unknown_key_label_is_key_not_found() {
    let Some(hsm) = softhsm() else { return };
    let error = open(&hsm.config(CA_TOKEN, "no-such-key", PIN)).unwrap_err();
    assert!(matches!(error, HsmError::KeyNotFound(ref label) if label == "no-such-key"), "{error:?}");
}

#[test]
fn keys_made_by_other_tools_are_checked() {
    let Some(hsm) = softhsm() else { return };
    let session = raw_session(hsm);
    // prime256v1, as the DER OID CKA_EC_PARAMS takes.
    let p256 = vec![0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    for label in ["ec-key", "twin", "twin"] {
        let label = Attribute::Label(label.as_bytes().to_vec());
        let public = [Attribute::Token(true), Attribute::EcParams(p256.clone()), label.clone()];
        let private = [Attribute::Token(true), Attribute::Private(true), Attribute::Sign(true), label];
        token_write(|| session.generate_key_pair(&Mechanism::EccKeyPairGen, &public, &private).unwrap());
    }
    let error = open(&hsm.config(CA_TOKEN, "ec-key", PIN)).unwrap_err();
    assert!(matches!(error, HsmError::NotRsa), "{error:?}");
    let error = open(&hsm.config(CA_TOKEN, "twin", PIN)).unwrap_err();
    assert!(matches!(error, HsmError::AmbiguousKey(ref label) if label == "twin"), "{error:?}");
}

#[test]
fn unknown_token_and_missing_module_are_typed_errors() {
    let Some(hsm) = softhsm() else { return };
    let error = open(&hsm.config("No Such Token", CA_KEY, PIN)).unwrap_err();
    assert!(matches!(error, HsmError::TokenNotFound(ref label) if label == "No Such Token"), "{error:?}");
    let mut config = hsm.config(CA_TOKEN, CA_KEY, PIN);
    config.module = "/nonexistent/libpkcs11.so".into();
    let error = open(&config).unwrap_err();
    assert!(matches!(error, HsmError::ModuleLoad { .. }), "{error:?}");
}

#[test]
fn generation_refuses_an_existing_label_and_odd_sizes() {
    let Some(hsm) = softhsm() else { return };
    let _ = ca(hsm);
    let error = token_write(|| generate_rsa_key(&hsm.config(CA_TOKEN, CA_KEY, PIN), 2048)).unwrap_err();
    assert!(matches!(error, HsmError::KeyExists(ref label) if label == CA_KEY), "{error:?}");
    let error = token_write(|| generate_rsa_key(&hsm.config(CA_TOKEN, "small", PIN), 1024)).unwrap_err();
    assert!(matches!(error, HsmError::UnsupportedKeySize(1024)), "{error:?}");
    let missing = open(&hsm.config(CA_TOKEN, "small", PIN)).unwrap_err();
    assert!(matches!(missing, HsmError::KeyNotFound(_)), "no key was made: {missing:?}");
}

#[test]
fn bad_uris_are_bad_uri() {
    let cases = [
        ("pkcs11:token=t;object=o", UriError::Missing("module-path")),
        ("pkcs11:token=t;object=o?module-path=/m.so", UriError::MissingPin),
        (
            "pkcs11:token=%G1;object=o?module-path=/m.so&pin-value=1",
            UriError::BadPercentEncoding("token".into()),
        ),
        ("file:///etc/passwd", UriError::NotPkcs11Scheme),
    ];
    for (uri, expected) in cases {
        let error = Pkcs11Config::from_uri(uri, None).unwrap_err();
        assert!(matches!(error, HsmError::BadUri(ref e) if *e == expected), "{uri}: {error:?}");
    }
}

#[test]
fn four_threads_sign_concurrently() {
    let Some(hsm) = softhsm() else { return };
    let signer = ca(hsm);
    let spki = signer.public_key().unwrap();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|thread| {
                let spki = &spki;
                scope.spawn(move || {
                    for round in 0..16 {
                        let message = format!("thread {thread}, round {round}");
                        let signature = signer.sign(message.as_bytes()).unwrap();
                        verify_signature(spki, &sha256_with_rsa(), message.as_bytes(), &signature).unwrap();
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
    });
}
