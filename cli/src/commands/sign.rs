//! `qoltanba sign FILE --key KEY.p12`: a CAdES-BES CMS signature with the key store's key.

use super::{Outcome, read, write};
use crate::error::CliError;
use base64::Engine;
use qoltanba_pki::cms::{self, SignOptions};
use std::path::PathBuf;
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// The arguments of `sign`.
pub struct Request {
    pub file: PathBuf,
    pub key: PathBuf,
    pub password: Zeroizing<String>,
    pub detached: bool,
    pub base64: bool,
    pub output: PathBuf,
}

pub fn run(request: &Request) -> Result<Outcome, CliError> {
    let content = read(&request.file)?;
    let store_bytes = read(&request.key)?;
    let store = qoltanba_pki::pkcs12::read(&store_bytes, &request.password)
        .map_err(|source| CliError::KeyStore { path: request.key.clone(), source })?;
    let entry = store
        .entries
        .iter()
        .find(|e| e.has_private_key() && e.certificate.is_some())
        .ok_or_else(|| CliError::unreadable(&request.key, "holds no private key with its certificate"))?;
    let certificate = entry
        .certificate
        .as_ref()
        .ok_or_else(|| CliError::unreadable(&request.key, "holds no certificate"))?;
    let signer = entry.signer().map_err(|source| CliError::KeyStore { path: request.key.clone(), source })?;
    let options = SignOptions { detached: request.detached, signing_time: OffsetDateTime::now_utc() };
    let der = cms::sign(&content, &signer, certificate, &store.extra_certificates, &options)
        .map_err(|e| CliError::Crypto(format!("cannot sign: {e}")))?;
    let bytes = if request.base64 {
        let mut text = base64::engine::general_purpose::STANDARD.encode(&der);
        text.push('\n');
        text.into_bytes()
    } else {
        der
    };
    write(&request.output, &bytes)?;
    Ok(Outcome::Success)
}
