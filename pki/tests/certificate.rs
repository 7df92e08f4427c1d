//! The certificate view against NCA's own test certificates and against openssl's reading of them.

use qoltanba_pki::certificate::{CertificateView, Holder, Purpose, Role};
use std::process::Command;

const NCA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/nca-test");
const PERSONAL_AUTH: &str = "personal-active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.cer";
const PERSONAL_SIGN: &str = "personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cer";
const ORG_AUTH: &str = "organization-active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.cer";

fn view(name: &str) -> CertificateView {
    let bytes = std::fs::read(format!("{NCA}/{name}")).unwrap();
    CertificateView::parse(&bytes).unwrap().1
}

#[test]
fn classifies_personal_auth_certificate() {
    let v = view(PERSONAL_AUTH);
    assert_eq!(v.purpose, Purpose::Auth);
    assert_eq!(v.holder, Holder::Individual);
    assert_eq!(v.iin.as_deref(), Some("123456789011"));
    assert_eq!(v.bin, None);
    assert_eq!(v.common_name.as_deref(), Some("ТЕСТОВ ТЕСТ"));
    assert_eq!(v.surname.as_deref(), Some("ТЕСТОВ"));
    assert_eq!(v.given_name.as_deref(), Some("ТЕСТ"));
    assert_eq!(v.patronymic.as_deref(), Some("ТЕСТОВИЧ"));
    assert_eq!(v.issuer_cn.as_deref(), Some("ҰКО 3.0 (RSA TEST)"));
    assert_eq!(v.ski_hex.as_deref(), Some("b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d"));
    assert_eq!(v.key, "RSA-2048");
    assert_eq!(v.key_usage, ["digitalSignature", "keyEncipherment"]);
    assert_eq!(v.policies, ["1.2.398.3.3.2.4"]);
}

#[test]
fn classifies_personal_sign_certificate() {
    let v = view(PERSONAL_SIGN);
    assert_eq!(v.purpose, Purpose::Sign);
    assert_eq!(v.holder, Holder::Individual);
    assert_eq!(v.key_usage, ["digitalSignature", "nonRepudiation"]);
    assert_eq!(v.serial_hex, "1c1c4adb45086b3529e004c96302ae974d4f09a4");
}

#[test]
fn classifies_legal_entity_with_bin_and_role() {
    let v = view(ORG_AUTH);
    assert_eq!(v.purpose, Purpose::Auth);
    assert_eq!(v.holder, Holder::LegalEntity);
    assert_eq!(v.bin.as_deref(), Some("123456789021"));
    assert_eq!(v.organization.as_deref(), Some("АО \"ТЕСТ\""));
    assert_eq!(v.roles, [Role::FirstHead]);
}

#[test]
fn validity_matches_openssl() {
    for name in [PERSONAL_AUTH, PERSONAL_SIGN, ORG_AUTH] {
        let v = view(name);
        let out = Command::new("openssl")
            .args(["x509", "-noout", "-dates", "-serial", "-dateopt", "iso_8601", "-in"])
            .arg(format!("{NCA}/{name}"))
            .output()
            .expect("openssl runs");
        let text = String::from_utf8(out.stdout).unwrap();
        let field = |key: &str| {
            text.lines().find_map(|l| l.strip_prefix(key)).map(str::trim).map(str::to_owned).unwrap()
        };
        let iso = |t: time::OffsetDateTime| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}Z",
                t.year(),
                t.month() as u8,
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        };
        assert_eq!(field("notBefore="), iso(v.not_before), "{name}");
        assert_eq!(field("notAfter="), iso(v.not_after), "{name}");
        assert_eq!(field("serial=").to_lowercase(), v.serial_hex, "{name}");
    }
}

#[test]
fn rejects_non_certificate_input_with_typed_error() {
    assert!(CertificateView::parse(b"").is_err());
    assert!(CertificateView::parse(b"hello world").is_err());
    let bytes = std::fs::read(format!("{NCA}/{PERSONAL_AUTH}")).unwrap();
    let der = qoltanba_pki::encoding::unarmor(&bytes).unwrap().der;
    for cut in [1, 10, der.len() / 2, der.len() - 1] {
        assert!(CertificateView::parse(&der[..cut]).is_err(), "cut at {cut}");
    }
}
