//! NCA issuance profiles, checked with `openssl x509 -text` / `openssl verify` and against NCA's own
//! certificates.

#[path = "data/issue/support.rs"]
mod support;

use der::{Decode, DecodePem};
use qoltanba_pki::issue::{self, CaIdentity, IssueError, Profile};
use qoltanba_pki::key;
use qoltanba_pki::signer::Signer;
use support::{openssl, pki, text, write_pem};
use time::Duration;
use x509_cert::Certificate;

fn x509_text(cert: &Certificate) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write_pem(dir.path(), "cert.pem", cert);
    let out =
        openssl(["x509", "-noout", "-text", "-nameopt", "multiline,utf8", "-in", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

fn verify(ca_files: &[&Certificate], cert: &Certificate) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("ca.pem");
    let pems: String =
        ca_files.iter().map(|c| der::EncodePem::to_pem(*c, der::pem::LineEnding::LF).unwrap()).collect();
    std::fs::write(&bundle, pems).unwrap();
    let leaf = write_pem(dir.path(), "leaf.pem", cert);
    openssl(["verify", "-purpose", "any", "-CAfile", bundle.to_str().unwrap(), leaf.to_str().unwrap()])
}

#[test]
fn auth_certificate_has_the_nca_auth_extensions() {
    let pki = pki();
    let cert = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    let text = x509_text(&cert);
    assert!(
        text.contains("X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment\n"),
        "{text}"
    );
    assert!(text.contains("TLS Web Client Authentication, 1.2.398.3.3.4.1.1"), "{text}");
    assert!(text.contains("Policy: 1.2.398.3.3.2.4"), "{text}");
    assert!(text.contains("CPS: http://test.qoltanba.kz/cps"), "{text}");
    assert!(text.contains("URI:http://test.qoltanba.kz/crl/sub.crl"), "{text}");
    assert!(text.contains("OCSP - URI:http://test.qoltanba.kz/ocsp/"), "{text}");
    assert!(text.contains("CA Issuers - URI:http://test.qoltanba.kz/cert/sub.cer"), "{text}");
    assert!(!text.contains("Basic Constraints"), "{text}");
}

#[test]
fn sign_certificate_has_the_nca_sign_extensions() {
    let pki = pki();
    let cert = pki.user_cert(&pki.sub_ca(), Profile::Sign);
    let text = x509_text(&cert);
    assert!(
        text.contains("X509v3 Key Usage: critical\n                Digital Signature, Non Repudiation\n"),
        "{text}"
    );
    assert!(text.contains("E-mail Protection, 1.2.398.3.3.4.1.1"), "{text}");
    assert!(text.contains("Policy: 1.2.398.3.3.2.3"), "{text}");
}

#[test]
fn extension_layout_matches_nca_certificates() {
    let nca_pem = std::fs::read(format!(
        "{}/personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cer",
        support::NCA
    ))
    .unwrap();
    let nca = Certificate::from_pem(&nca_pem).unwrap();
    let pki = pki();
    let ours = pki.user_cert(&pki.sub_ca(), Profile::Sign);
    let oids = |c: &Certificate| -> Vec<(String, bool)> {
        let exts = c.tbs_certificate().extensions().unwrap();
        // NCA adds FreshestCRL (delta CRLs), which we do not publish.
        exts.iter()
            .filter(|e| e.extn_id.to_string() != "2.5.29.46")
            .map(|e| (e.extn_id.to_string(), e.critical))
            .collect()
    };
    assert_eq!(oids(&ours), oids(&nca));
}

#[test]
fn subject_matches_the_nca_rdn_order() {
    let nca_pem = std::fs::read(format!(
        "{}/personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cer",
        support::NCA
    ))
    .unwrap();
    let nca = Certificate::from_pem(&nca_pem).unwrap();
    let pki = pki();
    let ours = pki.user_cert(&pki.sub_ca(), Profile::Sign);
    // NCA's subject adds L and ST from its registry; the rest is ours, value for value.
    let skip = ["2.5.4.7", "2.5.4.8"];
    let atvs = |c: &Certificate| -> Vec<Vec<u8>> {
        c.tbs_certificate()
            .subject()
            .iter()
            .filter(|a| !skip.contains(&a.oid.to_string().as_str()))
            .map(|a| der::Encode::to_der(a).unwrap())
            .collect()
    };
    let mut nca_atvs = atvs(&nca);
    nca_atvs.pop(); // GIVENNAME (patronymic): our test subject has none
    assert_eq!(atvs(&ours), nca_atvs);
}

#[test]
fn issued_certificates_verify_against_the_ca_chain() {
    let pki = pki();
    for profile in [Profile::Auth, Profile::Sign] {
        let cert = pki.user_cert(&pki.sub_ca(), profile);
        let out = verify(&[&pki.root, &pki.sub], &cert);
        assert!(out.status.success() && text(&out).contains(": OK"), "{profile:?}: {}", text(&out));
        let direct = pki.user_cert(&pki.root_ca(), profile);
        let out = verify(&[&pki.root], &direct);
        assert!(out.status.success(), "{profile:?} under root: {}", text(&out));
    }
}

#[test]
fn certificate_under_the_wrong_ca_does_not_verify() {
    let pki = pki();
    let cert = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    let out = verify(&[&pki.root], &cert);
    assert!(!out.status.success(), "{}", text(&out));
}

#[test]
fn ca_certificates_are_marked_as_cas() {
    let pki = pki();
    let root = x509_text(&pki.root);
    assert!(root.contains("X509v3 Basic Constraints: critical\n                CA:TRUE\n"), "{root}");
    assert!(root.contains("Certificate Sign, CRL Sign"), "{root}");
    let sub = x509_text(&pki.sub);
    assert!(sub.contains("CA:TRUE, pathlen:0"), "{sub}");
    assert!(sub.contains("X509v3 Authority Key Identifier"), "{sub}");
    assert_eq!(
        issue::key_id(&pki.root).unwrap(),
        key::nca_ski(pki.root.tbs_certificate().subject_public_key_info()).unwrap()
    );
}

#[test]
fn serials_are_twenty_bytes_and_aki_is_the_issuer_ski() {
    let pki = pki();
    let cert = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    assert_eq!(cert.tbs_certificate().serial_number().as_bytes().len(), 20);
    let (_, aki) = cert
        .tbs_certificate()
        .get_extension::<x509_cert::ext::pkix::AuthorityKeyIdentifier>()
        .unwrap()
        .unwrap();
    assert_eq!(aki.key_identifier.unwrap().as_bytes(), issue::key_id(&pki.sub).unwrap().as_slice());
    let ski = issue::key_id(&cert).unwrap();
    assert_eq!(ski, key::nca_ski(&pki.user_signer.public_key().unwrap()).unwrap());
}

#[test]
fn nca_ski_matches_nca_certificates_and_file_names() {
    for (dir, ski) in [
        ("personal-active", "AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d"),
        ("personal-active", "RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9"),
        ("organization-active", "AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790"),
    ] {
        let pem = std::fs::read(format!("{}/{dir}/{ski}.cer", support::NCA)).unwrap();
        let nca = Certificate::from_pem(&pem).unwrap();
        let spki = nca.tbs_certificate().subject_public_key_info();
        let expected = ski.rsplit('_').next().unwrap();
        assert_eq!(hex::encode(key::nca_ski(spki).unwrap()), expected);
        assert_eq!(hex::encode(issue::key_id(&nca).unwrap()), expected);
        // …which is not RFC 5280 method 1.
        assert_ne!(hex::encode(key::ski(spki)), expected);
    }
}

#[test]
fn rfc5280_ski_matches_openssl() {
    let pki = pki();
    let spki = pki.user_signer.public_key().unwrap();
    // openssl's default subjectKeyIdentifier=hash is method 1.
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/issue/user.key.pem");
    let out = openssl(["req", "-new", "-x509", "-subj", "/CN=x", "-key", key, "-noout", "-text"]);
    assert!(out.status.success(), "{}", text(&out));
    let shown = text(&out);
    let expected = hex::encode_upper(key::ski(&spki))
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(":");
    assert!(shown.contains(&expected), "{expected} not in {shown}");
}

#[test]
fn refuses_a_signer_that_is_not_the_ca_key() {
    let pki = pki();
    let wrong = CaIdentity { certificate: &pki.sub, signer: &pki.root_signer, urls: support::urls("sub") };
    let spki = pki.user_signer.public_key().unwrap();
    let subject = pki.sub.tbs_certificate().subject().clone();
    let result = issue::issue(&wrong, subject, spki, Profile::Auth, pki.now, pki.now + Duration::days(1));
    assert!(matches!(result, Err(IssueError::SignerMismatch)));
}

#[test]
fn refuses_empty_validity_and_the_root_profile() {
    let pki = pki();
    let spki = pki.user_signer.public_key().unwrap();
    let subject = pki.sub.tbs_certificate().subject().clone();
    let empty = issue::issue(&pki.sub_ca(), subject.clone(), spki.clone(), Profile::Auth, pki.now, pki.now);
    assert!(matches!(empty, Err(IssueError::BadValidity)));
    let root =
        issue::issue(&pki.sub_ca(), subject, spki, Profile::Root, pki.now, pki.now + Duration::days(1));
    assert!(matches!(root, Err(IssueError::RootProfile)));
}

#[test]
fn issued_certificate_decodes_from_its_der() {
    let pki = pki();
    let cert = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    let der = der::Encode::to_der(&cert).unwrap();
    assert_eq!(Certificate::from_der(&der).unwrap(), cert);
}
