//! Where the server keeps things and how it names itself: the database URL, the CA key sources and the
//! public URL written into certificates. Built from flags and environment by the binary.

use crate::ca::{CaUrls, KeySource};
use qoltanba_hsm::Pkcs11Config;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Everything `serve`, `ca init` and the other commands need to find the CA.
#[derive(Clone, Debug)]
pub struct CaConfig {
    /// Directory of the CA key files (`root-ca.key.pem`, and `issuing-ca.key.pem` without an HSM).
    pub key_dir: PathBuf,
    /// Encrypts the CA key files when given.
    pub key_password: Option<Zeroizing<String>>,
    /// The issuing CA key on a PKCS#11 token instead of a file.
    pub pkcs11: Option<Pkcs11Config>,
    /// The server's public base URL (no trailing slash), for the CRL, OCSP and CA certificate links.
    pub public_url: String,
}

/// Path of the CRL, the OCSP responder and the CA certificates, under the public URL.
pub mod paths {
    /// The issuing CA's CRL (DER).
    pub const CRL: &str = "/crl/issuing.crl";
    /// The OCSP responder (POST; GET with the base64 request appended).
    pub const OCSP: &str = "/ocsp";
    /// The issuing CA certificate (DER).
    pub const ISSUING_CERTIFICATE: &str = "/ca/issuing.cer";
    /// The root certificate (DER).
    pub const ROOT_CERTIFICATE: &str = "/ca/root.cer";
    /// The chain as PEM (issuing, then root).
    pub const CHAIN_PEM: &str = "/ca/chain.pem";
}

impl CaConfig {
    /// The root key: always a file (an offline root would live elsewhere; the reference keeps it here).
    pub fn root_key(&self) -> KeySource {
        KeySource::File { path: self.key_dir.join("root-ca.key.pem"), password: self.key_password.clone() }
    }

    /// The issuing key: the PKCS#11 token when configured, else a file.
    pub fn issuing_key(&self) -> KeySource {
        match &self.pkcs11 {
            Some(config) => KeySource::Pkcs11(config.clone()),
            None => KeySource::File {
                path: self.key_dir.join("issuing-ca.key.pem"),
                password: self.key_password.clone(),
            },
        }
    }

    /// What the database records as the key's location (a path, or the token and key label; never a PIN).
    pub fn issuing_key_reference(&self) -> String {
        match &self.pkcs11 {
            Some(config) => format!("pkcs11:token={};object={}", config.token_label, config.key_label),
            None => self.key_dir.join("issuing-ca.key.pem").display().to_string(),
        }
    }

    /// The URLs written into every certificate.
    pub fn urls(&self) -> CaUrls {
        let base = self.public_url.trim_end_matches('/');
        CaUrls {
            crl: format!("{base}{}", paths::CRL),
            ocsp: format!("{base}{}", paths::OCSP),
            ca_issuers: format!("{base}{}", paths::ISSUING_CERTIFICATE),
        }
    }
}

/// The default key directory: beside a SQLite database file, else the working directory.
pub fn default_key_dir(db_url: &str) -> PathBuf {
    db_url
        .strip_prefix("sqlite://")
        .map(|p| p.split('?').next().unwrap_or(p))
        .and_then(|p| Path::new(p).parent())
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
