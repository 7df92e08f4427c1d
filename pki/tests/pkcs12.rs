//! PKCS#12 against real peers: the NCA test key stores, the `openssl` CLI and Java `keytool`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use der::{Decode, Encode};
use qoltanba_pki::pkcs12::{self, Entry, Format, KeyStore, Pkcs12Error, WriteOptions};
use qoltanba_pki::signer::Signer;
use x509_cert::Certificate;

const PASSWORD: &str = "Qwerty12";
const NCA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/nca-test");

/// Every NCA `.p12` with the SKI hex its file name carries.
fn nca_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for dir in ["personal-active", "organization-active"] {
        let dir = Path::new(NCA_DIR).join(dir);
        for entry in std::fs::read_dir(&dir).expect("NCA vectors present") {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|e| e == "p12") {
                let stem = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 name").to_owned();
                let ski = stem.rsplit('_').next().expect("SKI in name").to_owned();
                files.push((path, ski));
            }
        }
    }
    assert_eq!(files.len(), 3, "expected the three NCA key stores");
    files
}

fn nca_sign() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        std::fs::read(Path::new(NCA_DIR).join("personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12"))
            .expect("NCA SIGN key store")
    })
}

fn nca_store() -> KeyStore {
    pkcs12::read(nca_sign(), PASSWORD).expect("NCA store opens")
}

#[test]
fn opens_every_nca_key_store_with_its_ski_alias() {
    for (path, ski) in nca_files() {
        let bytes = std::fs::read(&path).expect("read p12");
        let store = pkcs12::read(&bytes, PASSWORD).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(store.entries.len(), 1, "{}", path.display());
        let entry = &store.entries[0];
        assert!(entry.has_private_key());
        assert_eq!(entry.alias.as_deref(), Some(ski.as_str()));
        assert_eq!(entry.local_key_id.as_deref().map(hex::encode), Some(ski.clone()));
        let cert = entry.certificate.as_ref().expect("certificate");
        let cer = std::fs::read(path.with_extension("cer")).expect("read .cer");
        let expected = Certificate::from_der(&cer).or_else(|_| {
            let pem = String::from_utf8_lossy(&cer).to_string();
            der::DecodePem::from_pem(pem.as_bytes())
        });
        if let Ok(expected) = expected {
            assert_eq!(cert, &expected);
        }
        let signer = entry.signer().expect("RSA signer");
        assert_eq!(
            signer.public_key().expect("public key").to_der().expect("der"),
            cert.tbs_certificate().subject_public_key_info().to_der().expect("der")
        );
    }
}
