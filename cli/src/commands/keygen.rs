//! `qoltanba keygen`: an RSA key pair made here, written as PKCS#8 PEM.

use super::{Outcome, write};
use crate::error::CliError;
use crate::progress;
use qoltanba_pki::key;
use std::path::Path;
use zeroize::Zeroizing;

pub fn run(
    output: &Path,
    bits: usize,
    password: Option<Zeroizing<String>>,
    public: Option<&Path>,
) -> Result<Outcome, CliError> {
    let private = progress::spin(&format!("generating an RSA-{bits} key"), || key::generate_rsa(bits))
        .map_err(|e| CliError::Crypto(e.to_string()))?;
    let pem = match &password {
        Some(password) => key::private_key_to_encrypted_pem(&private, password.as_bytes()),
        None => key::private_key_to_pem(&private),
    }
    .map_err(|e| CliError::Crypto(e.to_string()))?;
    write(output, pem.as_bytes())?;
    if let Some(path) = public {
        let pem = key::public_key_info(&private)
            .and_then(|spki| key::public_key_to_pem(&spki))
            .map_err(|e| CliError::Crypto(e.to_string()))?;
        write(path, pem.as_bytes())?;
    }
    Ok(Outcome::Success)
}
