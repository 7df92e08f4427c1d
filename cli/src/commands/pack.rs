//! `qoltanba pack`: a private key and its certificate into an NCA-style PKCS#12 key store.

use super::{Outcome, read, write};
use crate::error::CliError;
use qoltanba_pki::certificate::{
    CertificateView, parse_certificate, parse_certificates, subject_key_identifier,
};
use qoltanba_pki::pkcs12::{self, Entry, Format, KeyStore, WriteOptions};
use qoltanba_pki::signer::Signer;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The arguments of `pack`.
pub struct Request {
    pub key: PathBuf,
    pub key_password: Option<Zeroizing<String>>,
    pub cert: PathBuf,
    pub chain: Vec<PathBuf>,
    pub password: Zeroizing<String>,
    pub legacy: bool,
    pub output: PathBuf,
}

pub fn run(request: &Request) -> Result<Outcome, CliError> {
    let signer = super::csr::load_key(&request.key, request.key_password.as_deref().map(String::as_str))?;
    let certificate =
        parse_certificate(&read(&request.cert)?).map_err(|e| CliError::unreadable(&request.cert, e))?;
    let key_spki = signer.public_key().map_err(|e| CliError::Crypto(e.to_string()))?;
    if &key_spki != certificate.tbs_certificate().subject_public_key_info() {
        return Err(CliError::unreadable(&request.cert, "is not the certificate of this key"));
    }
    let ski = subject_key_identifier(&certificate).unwrap_or_default();
    let view = CertificateView::from_certificate(&certificate);
    let entry = Entry::from_signer(view.ski_hex.clone(), Some(certificate), &signer)
        .map_err(|source| CliError::KeyStore { path: request.key.clone(), source })?;
    let mut extra_certificates = Vec::new();
    for path in &request.chain {
        extra_certificates
            .extend(parse_certificates(&read(path)?).map_err(|e| CliError::unreadable(path, e))?);
    }
    let store = KeyStore { entries: vec![entry], extra_certificates };
    let format = if request.legacy { Format::Legacy } else { Format::Modern };
    let bytes = pkcs12::write(&store, &request.password, &WriteOptions { format, ..WriteOptions::default() })
        .map_err(|e| CliError::Crypto(format!("cannot write the key store: {e}")))?;
    let path = target(&request.output, &pkcs12::nca_file_name(view.purpose, &ski));
    write(&path, &bytes)?;
    println!("{}", path.display());
    Ok(Outcome::Success)
}

fn target(output: &Path, nca_name: &str) -> PathBuf {
    if output.is_dir() { output.join(nca_name) } else { output.to_owned() }
}
