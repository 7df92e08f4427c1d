//! `qoltanba csr`: a PKCS#10 request with NCA's subject layout, signed by the given key.

use super::{Outcome, read, write};
use crate::error::CliError;
use qoltanba_pki::csr::{self, SubjectName};
use qoltanba_pki::iin::Iin;
use qoltanba_pki::key;
use qoltanba_pki::signer::SoftwareSigner;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// The arguments of `csr`.
pub struct Request {
    pub key: PathBuf,
    pub password: Option<Zeroizing<String>>,
    pub iin: String,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub email: Option<String>,
    pub output: PathBuf,
}

pub fn run(request: &Request) -> Result<Outcome, CliError> {
    let iin: Iin = request.iin.parse().map_err(|e| CliError::Usage(format!("--iin {}: {e}", request.iin)))?;
    let signer = load_key(&request.key, request.password.as_deref().map(String::as_str))?;
    let subject = SubjectName {
        surname: request.surname.clone(),
        name: request.name.clone(),
        patronymic: request.patronymic.clone(),
        iin: iin.to_string(),
        email: request.email.clone(),
        country: "KZ".to_owned(),
    };
    let request_pem = csr::build(&subject, &signer)
        .and_then(|req| csr::to_pem(&req))
        .map_err(|e| CliError::Crypto(e.to_string()))?;
    write(&request.output, request_pem.as_bytes())?;
    Ok(Outcome::Success)
}

/// Reads a PKCS#8 PEM private key, encrypted when a password is given.
pub fn load_key(path: &Path, password: Option<&str>) -> Result<SoftwareSigner, CliError> {
    let pem = Zeroizing::new(read(path)?);
    let text = std::str::from_utf8(&pem).map_err(|_| CliError::unreadable(path, "not PEM text"))?;
    let private = key::private_key_from_pem(text, password.map(str::as_bytes))
        .map_err(|e| CliError::unreadable(path, e))?;
    SoftwareSigner::new(private).map_err(|e| CliError::Crypto(e.to_string()))
}
