//! CRLs, checked with `openssl crl -verify` and `openssl verify -crl_check`, for a root and an
//! intermediate CA, and used as a `RevocationSource`.

#[path = "data/issue/support.rs"]
mod support;

use der::Encode;
use qoltanba_pki::chain::{RevocationError, RevocationSource, RevocationStatus};
use qoltanba_pki::crl::{self, Crl, CrlContent, CrlError, CrlSet, RevokedEntry};
use qoltanba_pki::issue::{self, CaIdentity, Profile};
use support::{TestPki, openssl, pki, text, write_pem};
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;
use x509_cert::ext::pkix::CrlReason;

fn revoke(cert: &Certificate, at: OffsetDateTime) -> RevokedEntry {
    RevokedEntry {
        serial: cert.tbs_certificate().serial_number().clone(),
        revoked_at: at,
        reason: Some(CrlReason::KeyCompromise),
    }
}

fn make_crl(pki: &TestPki, ca: &CaIdentity<'_>, entries: &[RevokedEntry]) -> Crl {
    let content = CrlContent {
        number: 7,
        this_update: pki.now - Duration::hours(1),
        next_update: pki.now + Duration::days(7),
        entries,
    };
    crl::build(ca.certificate, ca.signer, &content).unwrap()
}

fn write_crl(dir: &std::path::Path, crl: &Crl) -> std::path::PathBuf {
    let path = dir.join("list.crl.pem");
    std::fs::write(&path, crl.to_pem().unwrap()).unwrap();
    path
}

fn openssl_accepts_crl(ca: &Certificate, crl: &Crl) -> String {
    let dir = tempfile::tempdir().unwrap();
    let ca_path = write_pem(dir.path(), "ca.pem", ca);
    let crl_path = write_crl(dir.path(), crl);
    let out = openssl([
        "crl",
        "-in",
        crl_path.to_str().unwrap(),
        "-CAfile",
        ca_path.to_str().unwrap(),
        "-verify",
        "-noout",
        "-text",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

#[test]
fn openssl_verifies_a_root_crl() {
    let pki = pki();
    let shown = openssl_accepts_crl(&pki.root, &make_crl(pki, &pki.root_ca(), &[]));
    assert!(shown.contains("verify OK"), "{shown}");
    assert!(shown.contains("X509v3 CRL Number: \n                7"), "{shown}");
}

#[test]
fn openssl_verifies_an_intermediate_crl_with_the_intermediate_aki() {
    let pki = pki();
    let crl = make_crl(pki, &pki.sub_ca(), &[]);
    let shown = openssl_accepts_crl(&pki.sub, &crl);
    assert!(shown.contains("verify OK"), "{shown}");
    // The AKI names the intermediate's key, not the root's (x509-cert's CrlBuilder gets this wrong).
    assert_eq!(crl.authority_key_id().unwrap().unwrap(), issue::key_id(&pki.sub).unwrap());
    assert_ne!(crl.authority_key_id().unwrap().unwrap(), issue::key_id(&pki.root).unwrap());
}

#[test]
fn openssl_reports_a_listed_certificate_as_revoked() {
    let pki = pki();
    let revoked = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    let good = pki.user_cert(&pki.sub_ca(), Profile::Sign);
    let crl = make_crl(pki, &pki.sub_ca(), &[revoke(&revoked, pki.now - Duration::hours(2))]);
    let root_crl = make_crl(pki, &pki.root_ca(), &[]);
    let dir = tempfile::tempdir().unwrap();
    let chain = dir.path().join("chain.pem");
    let pems =
        [&pki.root, &pki.sub].map(|c| der::EncodePem::to_pem(c, der::pem::LineEnding::LF).unwrap()).concat();
    std::fs::write(&chain, pems).unwrap();
    let crls = dir.path().join("crls.pem");
    std::fs::write(&crls, crl.to_pem().unwrap() + &root_crl.to_pem().unwrap()).unwrap();
    let check = |cert: &Certificate| {
        let leaf = write_pem(dir.path(), "leaf.pem", cert);
        let args = [
            "verify",
            "-crl_check_all",
            "-purpose",
            "any",
            "-CAfile",
            chain.to_str().unwrap(),
            "-CRLfile",
            crls.to_str().unwrap(),
            leaf.to_str().unwrap(),
        ];
        openssl(args)
    };
    let out = check(&revoked);
    assert!(!out.status.success() && text(&out).contains("certificate revoked"), "{}", text(&out));
    let out = check(&good);
    assert!(out.status.success() && text(&out).contains(": OK"), "{}", text(&out));
}

#[test]
fn reads_back_what_it_wrote() {
    let pki = pki();
    let revoked = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    let entry = revoke(&revoked, pki.now - Duration::hours(2));
    let crl =
        Crl::from_der(&make_crl(pki, &pki.sub_ca(), std::slice::from_ref(&entry)).to_der().unwrap()).unwrap();
    crl.verify(&pki.sub).unwrap();
    assert_eq!(crl.number().unwrap(), Some(7));
    assert_eq!(crl.this_update(), pki.now - Duration::hours(1));
    assert_eq!(crl.next_update(), Some(pki.now + Duration::days(7)));
    assert_eq!(crl.entry(revoked.tbs_certificate().serial_number()).unwrap(), Some(entry));
}

#[test]
fn reads_an_openssl_crl() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let ca = write_pem(dir.path(), "ca.pem", &pki.root);
    let key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/issue/root.key.pem");
    std::fs::write(dir.path().join("index.txt"), "").unwrap();
    let conf = dir.path().join("ca.cnf");
    let d = dir.path().display();
    std::fs::write(&conf, format!("[ca]\ndefault_ca=x\n[x]\ndatabase={d}/index.txt\ndefault_md=sha256\ndefault_crl_days=1\ncrlnumber={d}/crlnumber\ncrl_extensions=ext\n[ext]\nauthorityKeyIdentifier=keyid\n")).unwrap();
    std::fs::write(dir.path().join("crlnumber"), "2A\n").unwrap();
    let out_path = dir.path().join("o.crl");
    let out = openssl([
        "ca",
        "-gencrl",
        "-config",
        conf.to_str().unwrap(),
        "-cert",
        ca.to_str().unwrap(),
        "-keyfile",
        key,
        "-out",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let der = qoltanba_pki::encoding::unarmor(&std::fs::read(&out_path).unwrap()).unwrap().der;
    let crl = Crl::from_der(&der).unwrap();
    crl.verify(&pki.root).unwrap();
    assert_eq!(crl.number().unwrap(), Some(42));
    assert!(matches!(crl.verify(&pki.sub), Err(CrlError::WrongIssuer)));
}

#[test]
fn verify_rejects_a_tampered_crl() {
    let pki = pki();
    let crl = make_crl(pki, &pki.sub_ca(), &[]);
    let mut der = crl.to_der().unwrap();
    // Flip a bit inside the CRL number (last byte of the TBS extensions).
    let tbs_len = crl.certificate_list().tbs_cert_list.to_der().unwrap().len();
    let index = 3 + tbs_len; // outer SEQUENCE header (4 bytes) + TBS - 1
    der[index] ^= 0x01;
    let tampered = Crl::from_der(&der).unwrap();
    assert!(matches!(tampered.verify(&pki.sub), Err(CrlError::BadSignature(_))));
}

#[test]
fn revocation_source_reports_revoked_good_and_unknown() {
    let pki = pki();
    let revoked = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    let good = pki.user_cert(&pki.sub_ca(), Profile::Sign);
    let revoked_at = pki.now - Duration::minutes(30);
    let set = CrlSet {
        crls: vec![
            make_crl(pki, &pki.root_ca(), &[]),
            make_crl(pki, &pki.sub_ca(), &[revoke(&revoked, revoked_at)]),
        ],
    };
    assert_eq!(set.status(&revoked, &pki.sub, pki.now).unwrap(), RevocationStatus::Revoked { revoked_at });
    assert_eq!(set.status(&good, &pki.sub, pki.now).unwrap(), RevocationStatus::Good);
    // Before the revocation date, within the CRL's validity: still good.
    assert_eq!(
        set.status(&revoked, &pki.sub, pki.now - Duration::minutes(45)).unwrap(),
        RevocationStatus::Good
    );
    let only_root = CrlSet { crls: vec![make_crl(pki, &pki.root_ca(), &[])] };
    assert_eq!(only_root.status(&revoked, &pki.sub, pki.now).unwrap(), RevocationStatus::Unknown);
    assert_eq!(set.status(&pki.sub, &pki.root, pki.now).unwrap(), RevocationStatus::Good);
}

#[test]
fn revocation_source_refuses_stale_and_forged_crls() {
    let pki = pki();
    let cert = pki.user_cert(&pki.sub_ca(), Profile::Auth);
    let set = CrlSet { crls: vec![make_crl(pki, &pki.sub_ca(), &[])] };
    assert!(matches!(
        set.status(&cert, &pki.sub, pki.now + Duration::days(8)),
        Err(RevocationError::NotCurrent)
    ));
    assert!(matches!(
        set.status(&cert, &pki.sub, pki.now - Duration::hours(2)),
        Err(RevocationError::NotCurrent)
    ));
    // Same name and AKI as the intermediate, but signed by the root's key.
    let mut forged = make_crl(pki, &pki.sub_ca(), &[]).certificate_list().clone();
    let other = make_crl(pki, &pki.root_ca(), &[]);
    forged.signature = other.certificate_list().signature.clone();
    let forged = Crl::from_der(&forged.to_der().unwrap()).unwrap();
    let set = CrlSet { crls: vec![forged] };
    assert!(matches!(set.status(&cert, &pki.sub, pki.now), Err(RevocationError::BadSignature)));
}

#[test]
fn build_refuses_a_foreign_signer_and_reversed_times() {
    let pki = pki();
    let content = CrlContent {
        number: 1,
        this_update: pki.now,
        next_update: pki.now + Duration::days(1),
        entries: &[],
    };
    assert!(matches!(crl::build(&pki.sub, &pki.root_signer, &content), Err(CrlError::SignerMismatch)));
    let reversed = CrlContent { next_update: pki.now - Duration::days(1), ..content };
    assert!(matches!(crl::build(&pki.sub, &pki.sub_signer, &reversed), Err(CrlError::BadTime)));
}
