//! The issuing CA key inside SoftHSM2 (PKCS#11): `ca init` generates it on the token and the pair it
//! issues passes `openssl verify`. Its own test binary, because `SOFTHSM2_CONF` must be set before the
//! PKCS#11 module loads. The throw-away token is set up by the hsm crate's test support.

mod ca_support;
#[path = "../../hsm/tests/support/mod.rs"]
mod softhsm;

use ca_support::{csr, registry_record, urls, verify, write_pem};
use qoltanba_server::ca::{Authority, InitConfig, KeySource, init};
use softhsm::{CA_TOKEN, PIN, softhsm};
use time::OffsetDateTime;

#[test]
fn hsm_issuing_key_issues_a_pair_openssl_verifies() {
    let Some(hsm) = softhsm() else { return };
    let dir = tempfile::tempdir().unwrap();
    let now = OffsetDateTime::now_utc();
    let root_key = KeySource::File { path: dir.path().join("root.key"), password: None };
    let issuing_key = KeySource::Pkcs11(hsm.config(CA_TOKEN, "issuing-ca", PIN));
    let material = init(&root_key, &issuing_key, &InitConfig::default(), now).unwrap();
    assert!(matches!(issuing_key.generate(), Err(qoltanba_server::ca::CaError::Hsm(_))));
    let authority =
        Authority::new(material.root.clone(), material.issuing.clone(), issuing_key.open().unwrap(), urls())
            .unwrap();
    let pair = authority.issue_pair(&registry_record(), &csr("auth"), &csr("sign"), now).unwrap();
    let root = write_pem(dir.path(), "root.pem", &material.root);
    let issuing = write_pem(dir.path(), "issuing.pem", &material.issuing);
    for (name, issued) in [("auth.pem", &pair.auth), ("sign.pem", &pair.sign)] {
        let leaf = write_pem(dir.path(), name, &issued.certificate);
        let (ok, out) = verify(&root, &issuing, &leaf, &[]);
        assert!(ok && out.contains(": OK"), "{out}");
    }
}
