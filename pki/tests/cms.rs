//! CMS SignedData against real peers: NCA's own signatures, and the openssl CLI both ways.

use std::path::Path;
use std::process::Command;

use ::cms::content_info::ContentInfo;
use ::cms::signed_data::SignedData;
use der::{Decode, DecodePem, Encode};
use qoltanba_pki::cms::{self, CmsError, DigestAlgorithm, InvalidReason, SignOptions, SignerStatus};
use qoltanba_pki::encoding::unarmor;
use qoltanba_pki::signer::{SignError, Signer, SoftwareSigner};
use rsa::pkcs8::DecodePrivateKey;
use time::OffsetDateTime;
use time::macros::datetime;
use x509_cert::Certificate;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cms");
const NCA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/nca-test");
const NCA_FILES: [&str; 3] = [
    "personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9",
    "personal-active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d",
    "organization-active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790",
];
const SIGNED_AT: OffsetDateTime = datetime!(2024-05-06 07:08:09 UTC);

fn fixture(name: &str) -> String {
    format!("{DATA}/{name}")
}

fn cert(name: &str) -> Certificate {
    Certificate::from_pem(std::fs::read(fixture(name)).unwrap()).unwrap()
}

fn leaf_signer() -> SoftwareSigner {
    let pem = std::fs::read_to_string(fixture("leaf.key")).unwrap();
    SoftwareSigner::new(rsa::PrivateKey::from_pkcs8_pem(&pem).unwrap()).unwrap()
}

fn our_signature(content: &[u8], detached: bool) -> Vec<u8> {
    let options = SignOptions { detached, signing_time: SIGNED_AT };
    cms::sign(content, &leaf_signer(), &cert("leaf.pem"), &[cert("inter.pem")], &options).unwrap()
}

fn openssl(args: &[&str]) -> std::process::Output {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

fn status(signed: &[u8], detached: Option<&[u8]>) -> SignerStatus {
    let verified = cms::verify(signed, detached).unwrap();
    assert_eq!(verified.signers.len(), 1);
    verified.signers[0].status.clone()
}

#[test]
fn nca_signatures_verify_as_valid_with_the_certificate_beside_them() {
    for name in NCA_FILES {
        let armored = std::fs::read(format!("{NCA}/{name}.cms")).unwrap();
        let verified = cms::verify(&unarmor(&armored).unwrap().der, None).unwrap();
        assert_eq!(verified.content.as_deref(), Some(&b"asdasd"[..]), "{name}");
        assert_eq!(verified.signers.len(), 1, "{name}");
        let signer = &verified.signers[0];
        assert_eq!(signer.status, SignerStatus::Valid, "{name}");
        assert_eq!(signer.digest_algorithm, DigestAlgorithm::Sha256);
        assert!(signer.signing_time.is_some_and(|t| t.year() == 2020), "{name}");
        let beside = Certificate::from_pem(std::fs::read(format!("{NCA}/{name}.cer")).unwrap()).unwrap();
        assert_eq!(signer.certificate, beside, "{name}");
        assert!(verified.certificates.contains(&beside));
    }
}

#[test]
fn nca_signature_over_other_content_is_invalid() {
    // Re-wrap NCA's signer info around other content: the digest no longer matches.
    let armored = std::fs::read(format!("{NCA}/{}.cms", NCA_FILES[0])).unwrap();
    let mut der = unarmor(&armored).unwrap().der;
    let at = der.windows(6).position(|w| w == b"asdasd").unwrap();
    der[at] = b'b';
    assert_eq!(status(&der, None), SignerStatus::Invalid(InvalidReason::MessageDigestMismatch));
}

#[test]
fn our_attached_and_detached_signatures_verify_with_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let content = b"\x00binary \xff content\r\n";
    let data = write(dir.path(), "data.bin", content);
    for detached in [false, true] {
        let signed = write(dir.path(), "sig.cms", &our_signature(content, detached));
        let mut args = vec!["cms", "-verify", "-binary", "-inform", "DER", "-in", &signed, "-noverify"];
        if detached {
            args.extend(["-content", &data]);
        }
        let out = openssl(&args);
        assert_eq!(out.stdout, content, "detached={detached}");
    }
}

#[test]
fn signature_over_a_digest_alone_verifies_with_openssl_over_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let content = b"a document the relying party keeps";
    let digest = DigestAlgorithm::Sha256.digest(content);
    let signed = cms::sign_digest(&digest, &leaf_signer(), &cert("leaf.pem"), &[], SIGNED_AT).unwrap();
    assert_eq!(status(&signed, Some(content)), SignerStatus::Valid);
    assert!(cms::verify_digest(&signed, &digest).unwrap().all_valid());
    let (data, sig) = (write(dir.path(), "data.bin", content), write(dir.path(), "sig.cms", &signed));
    let args = ["cms", "-verify", "-binary", "-inform", "DER", "-in", &sig, "-noverify", "-content", &data];
    assert_eq!(openssl(&args).stdout, content);
    let short = cms::sign_digest(&digest[..31], &leaf_signer(), &cert("leaf.pem"), &[], SIGNED_AT);
    assert!(matches!(short, Err(CmsError::Build(_))), "{short:?}");
}

#[test]
fn our_signature_verifies_with_openssl_against_the_test_ca() {
    let dir = tempfile::tempdir().unwrap();
    let signed = write(dir.path(), "sig.cms", &our_signature(b"payload", false));
    let root = fixture("root.pem");
    let out = openssl(&[
        "cms", "-verify", "-binary", "-inform", "DER", "-in", &signed, "-CAfile", &root, "-purpose", "any",
    ]);
    assert_eq!(out.stdout, b"payload");
}

#[test]
fn openssl_shows_each_signed_attribute_once() {
    let dir = tempfile::tempdir().unwrap();
    let signed = write(dir.path(), "sig.cms", &our_signature(b"payload", false));
    let out = openssl(&["cms", "-cmsout", "-print", "-inform", "DER", "-in", &signed]);
    let text = String::from_utf8(out.stdout).unwrap();
    for attribute in ["contentType", "signingTime", "messageDigest", "id-smime-aa-signingCertificateV2"] {
        assert_eq!(text.matches(&format!("object: {attribute} ")).count(), 1, "{attribute} in\n{text}");
    }
    assert!(text.contains("May  6 07:08:09 2024 GMT"), "{text}");
    assert!(text.contains("d.issuerAndSerialNumber"), "{text}");
}

#[test]
fn signing_certificate_v2_names_the_signer_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let signed = write(dir.path(), "sig.cms", &our_signature(b"payload", false));
    let leaf = fixture("leaf.pem");
    let fingerprint = openssl(&["x509", "-in", &leaf, "-noout", "-fingerprint", "-sha256"]).stdout;
    let hex: String =
        String::from_utf8(fingerprint).unwrap().trim().rsplit('=').next().unwrap().replace(':', "");
    let hash = hex::decode(hex).unwrap();
    let der = std::fs::read(&signed).unwrap();
    assert!(der.windows(hash.len()).any(|w| w == hash), "the certificate hash is not in the message");
}

#[test]
fn our_signatures_verify_with_ours() {
    for detached in [false, true] {
        let signed = our_signature(b"payload", detached);
        let verified = cms::verify(&signed, detached.then_some(&b"payload"[..])).unwrap();
        assert_eq!(verified.content.as_deref(), (!detached).then_some(&b"payload"[..]));
        let signer = &verified.signers[0];
        assert_eq!(signer.status, SignerStatus::Valid);
        assert_eq!(signer.signing_time, Some(SIGNED_AT));
        assert_eq!(signer.certificate, cert("leaf.pem"));
        assert_eq!(verified.certificates.len(), 2);
        assert!(verified.certificates.contains(&cert("inter.pem")));
        assert!(verified.all_valid());
    }
}

#[test]
fn openssl_signatures_verify_with_ours() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.bin", b"from openssl");
    let (leaf, key) = (fixture("leaf.pem"), fixture("leaf.key"));
    let out = dir.path().join("sig.cms");
    let out = out.to_str().unwrap();
    let base = [
        "cms", "-sign", "-binary", "-in", &data, "-signer", &leaf, "-inkey", &key, "-outform", "DER", "-out",
        out,
    ];
    let cases: [(&[&str], bool, DigestAlgorithm); 6] = [
        (&["-nodetach"], false, DigestAlgorithm::Sha256),
        (&[], true, DigestAlgorithm::Sha256),
        (&["-nodetach", "-stream"], false, DigestAlgorithm::Sha256),
        (&["-nodetach", "-keyid", "-md", "sha512"], false, DigestAlgorithm::Sha512),
        (&["-nodetach", "-md", "sha1"], false, DigestAlgorithm::Sha1),
        (&["-nodetach", "-noattr", "-md", "sha384"], false, DigestAlgorithm::Sha384),
    ];
    for (extra, detached, digest) in cases {
        openssl(&[&base[..], extra].concat());
        let signed = std::fs::read(out).unwrap();
        let verified = cms::verify(&signed, detached.then_some(&b"from openssl"[..])).unwrap();
        assert_eq!(verified.signers[0].status, SignerStatus::Valid, "{extra:?}");
        assert_eq!(verified.signers[0].certificate, cert("leaf.pem"), "{extra:?}");
        assert_eq!(verified.signers[0].digest_algorithm, digest, "{extra:?}");
        if !detached {
            assert_eq!(verified.content.as_deref(), Some(&b"from openssl"[..]), "{extra:?}");
        }
    }
}

#[test]
fn every_signer_of_a_two_signer_message_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let signed = write(dir.path(), "one.cms", &our_signature(b"payload", false));
    let two = dir.path().join("two.cms");
    let (leaf, key) = (fixture("expired.pem"), fixture("expired.key"));
    openssl(&[
        "cms",
        "-resign",
        "-binary",
        "-inform",
        "DER",
        "-in",
        &signed,
        "-signer",
        &leaf,
        "-inkey",
        &key,
        "-outform",
        "DER",
        "-out",
        two.to_str().unwrap(),
    ]);
    let verified = cms::verify(&std::fs::read(&two).unwrap(), None).unwrap();
    assert_eq!(verified.signers.len(), 2);
    assert!(verified.all_valid());
    let mut signers: Vec<_> = verified.signers.iter().map(|s| s.certificate.clone()).collect();
    signers.sort_by_key(|c| c.tbs_certificate().serial_number().as_bytes().to_vec());
    assert_eq!(signers, [cert("leaf.pem"), cert("expired.pem")]);
    assert_eq!(verified.signers.iter().filter(|s| s.signing_time == Some(SIGNED_AT)).count(), 1);
}

#[test]
fn tampered_content_is_invalid_by_message_digest() {
    let signed = our_signature(b"pay 100 tenge", true);
    assert_eq!(
        status(&signed, Some(b"pay 900 tenge")),
        SignerStatus::Invalid(InvalidReason::MessageDigestMismatch)
    );
    let mut attached = our_signature(b"pay 100 tenge", false);
    let at = attached.windows(3).position(|w| w == b"100").unwrap();
    attached[at] = b'9';
    assert_eq!(status(&attached, None), SignerStatus::Invalid(InvalidReason::MessageDigestMismatch));
}

#[test]
fn flipped_signature_byte_is_invalid() {
    let mut signed = our_signature(b"payload", false);
    let info = ContentInfo::from_der(&signed).unwrap();
    let data = SignedData::from_der(&info.content.to_der().unwrap()).unwrap();
    let signature = data.signer_infos.0.get(0).unwrap().signature.as_bytes().to_vec();
    let at = signed.windows(signature.len()).position(|w| w == signature).unwrap();
    signed[at + 100] ^= 0x01;
    assert_eq!(status(&signed, None), SignerStatus::Invalid(InvalidReason::BadSignature));
}

#[test]
fn truncated_input_is_an_error_not_a_panic() {
    let signed = our_signature(b"payload", false);
    for len in 0..signed.len() {
        assert!(cms::verify(&signed[..len], None).is_err(), "length {len}");
    }
    assert!(matches!(cms::verify(b"\x30\x03\x02\x01\x01", None), Err(CmsError::Malformed(_))));
}

#[test]
fn any_changed_byte_never_panics_and_never_hides_a_changed_content() {
    let signed = our_signature(b"payload", false);
    for at in 0..signed.len() {
        let mut changed = signed.clone();
        changed[at] ^= 0x5a;
        if let Ok(verified) = cms::verify(&changed, None)
            && verified.content.as_deref() != Some(&b"payload"[..])
        {
            assert!(!verified.all_valid(), "byte {at}: changed content reported valid");
        }
    }
}

#[test]
fn detached_signature_without_content_is_an_error() {
    let signed = our_signature(b"payload", true);
    assert!(matches!(cms::verify(&signed, None), Err(CmsError::MissingContent)));
    let attached = our_signature(b"payload", false);
    assert!(matches!(cms::verify(&attached, Some(b"payload")), Err(CmsError::ContentGivenTwice)));
}

#[test]
fn message_without_the_signer_certificate_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.bin", b"x");
    let out = dir.path().join("sig.cms");
    let (leaf, key) = (fixture("leaf.pem"), fixture("leaf.key"));
    openssl(&[
        "cms",
        "-sign",
        "-binary",
        "-nodetach",
        "-nocerts",
        "-in",
        &data,
        "-signer",
        &leaf,
        "-inkey",
        &key,
        "-outform",
        "DER",
        "-out",
        out.to_str().unwrap(),
    ]);
    let result = cms::verify(&std::fs::read(&out).unwrap(), None);
    assert!(matches!(result, Err(CmsError::SignerCertificateNotFound { index: 0 })));
}

/// A key store that refuses, as a phone does when the user cancels the prompt.
struct Refusing(SoftwareSigner);

impl Signer for Refusing {
    fn public_key(&self) -> Result<spki::SubjectPublicKeyInfoOwned, SignError> {
        self.0.public_key()
    }
    fn signature_algorithm(&self) -> spki::AlgorithmIdentifierOwned {
        self.0.signature_algorithm()
    }
    fn sign(&self, _: &[u8]) -> Result<Vec<u8>, SignError> {
        Err(SignError::KeyStore("cancelled".into()))
    }
}

#[test]
fn key_store_refusal_reaches_the_caller() {
    let options = SignOptions { detached: false, signing_time: SIGNED_AT };
    let result = cms::sign(b"x", &Refusing(leaf_signer()), &cert("leaf.pem"), &[], &options);
    assert!(matches!(result, Err(CmsError::Signer(SignError::KeyStore(reason))) if reason == "cancelled"));
}

#[test]
fn detached_signature_verifies_against_the_digest_alone() {
    let content = b"loan agreement No. 42";
    let signed = our_signature(content, true);
    let digest = DigestAlgorithm::Sha256.digest(content);
    let verified = cms::verify_digest(&signed, &digest).unwrap();
    assert!(verified.all_valid());
    let other = DigestAlgorithm::Sha256.digest(b"loan agreement No. 43");
    let report = cms::verify_digest(&signed, &other).unwrap();
    assert_eq!(report.signers[0].status, SignerStatus::Invalid(InvalidReason::MessageDigestMismatch));
}

#[test]
fn attached_signature_is_refused_by_digest_verification() {
    let content = b"loan agreement No. 42";
    let signed = our_signature(content, false);
    let digest = DigestAlgorithm::Sha256.digest(content);
    assert!(matches!(cms::verify_digest(&signed, &digest), Err(CmsError::ContentGivenTwice)));
}
