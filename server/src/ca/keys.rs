//! Where the CA's private keys live, and how `ca init` makes them and the server opens them.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use qoltanba_hsm::Pkcs11Config;
use qoltanba_pki::key;
use qoltanba_pki::signer::Signer;
use zeroize::Zeroizing;

use super::CaError;
use super::fast_signer::FastSigner;

/// The RSA size of both CA keys. NCA's real root has 4096 bits; ours has 2048 so that `ca init` and
/// the test suite stay fast (a 4096-bit key takes many seconds to generate). Nothing else depends on it.
pub const CA_KEY_BITS: usize = 2048;

/// Where a CA private key is kept.
#[derive(Clone)]
pub enum KeySource {
    /// A PKCS#8 PEM file (the embedded default), created with mode 0600; PBES2-encrypted when a
    /// password is given. Opened, it signs through AWS-LC ([`FastSigner`]).
    File {
        /// The key file.
        path: PathBuf,
        /// The password that encrypts it, if any.
        password: Option<Zeroizing<String>>,
    },
    /// A key pair on a PKCS#11 token (an HSM; SoftHSM2 in tests). The private key never leaves it.
    Pkcs11(Pkcs11Config),
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::File { path, password } => f
                .debug_struct("File")
                .field("path", path)
                .field("password", &password.as_ref().map(|_| "<redacted>"))
                .finish(),
            KeySource::Pkcs11(config) => f.debug_tuple("Pkcs11").field(config).finish(),
        }
    }
}

impl KeySource {
    /// Makes a new RSA key of [`CA_KEY_BITS`] here (a new file, or a new key pair on the token) and
    /// returns its signer. Refuses to replace an existing file or token key.
    pub fn generate(&self) -> Result<Box<dyn Signer>, CaError> {
        match self {
            KeySource::File { path, password } => generate_file(path, password.as_ref()),
            KeySource::Pkcs11(config) => Ok(Box::new(qoltanba_hsm::generate_rsa_key(config, CA_KEY_BITS)?)),
        }
    }

    /// Opens the existing key.
    pub fn open(&self) -> Result<Box<dyn Signer>, CaError> {
        match self {
            KeySource::File { path, password } => open_file(path, password.as_ref()),
            KeySource::Pkcs11(config) => Ok(Box::new(qoltanba_hsm::open(config)?)),
        }
    }
}

fn generate_file(path: &Path, password: Option<&Zeroizing<String>>) -> Result<Box<dyn Signer>, CaError> {
    if path.exists() {
        return Err(CaError::KeyFileExists(path.to_path_buf()));
    }
    let private = key::generate_rsa(CA_KEY_BITS)?;
    let pem = match password {
        Some(password) => key::private_key_to_encrypted_pem(&private, password.as_bytes())?,
        None => key::private_key_to_pem(&private)?,
    };
    write_private(path, pem.as_bytes())?;
    Ok(Box::new(FastSigner::from_pkcs8_pem(&key::private_key_to_pem(&private)?)?))
}

/// Creates `path` (never replacing a file) readable by its owner only, and writes `bytes`.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), CaError> {
    let io = |source| CaError::KeyFile { path: path.to_path_buf(), source };
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(
        |e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => CaError::KeyFileExists(path.to_path_buf()),
            _ => io(e),
        },
    )?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io)
}

fn open_file(path: &Path, password: Option<&Zeroizing<String>>) -> Result<Box<dyn Signer>, CaError> {
    let pem = std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|source| CaError::KeyFile { path: path.to_path_buf(), source })?;
    let private = key::private_key_from_pem(&pem, password.map(|p| p.as_bytes()))?;
    Ok(Box::new(FastSigner::from_pkcs8_pem(&key::private_key_to_pem(&private)?)?))
}
