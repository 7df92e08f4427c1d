//! What can go wrong between us and the token.

use std::path::PathBuf;

use crate::uri::UriError;

/// Why the HSM could not be used. No message ever contains the PIN.
#[derive(Debug, thiserror::Error)]
pub enum HsmError {
    /// The PKCS#11 module (shared library) could not be loaded or initialised.
    #[error("the PKCS#11 module {module} could not be loaded: {reason}")]
    ModuleLoad {
        /// The path that was tried.
        module: PathBuf,
        /// What the loader or `C_Initialize` said.
        reason: String,
    },
    /// No slot holds a token with this label.
    #[error("no token labelled {0:?}")]
    TokenNotFound(String),
    /// The token refused the PIN (incorrect, or of a length it never accepts).
    #[error("the token refused the PIN")]
    Login,
    /// The token's user PIN is locked after too many wrong attempts.
    #[error("the token's PIN is locked")]
    PinLocked,
    /// The token holds no private key with this label.
    #[error("no private key labelled {0:?} on the token")]
    KeyNotFound(String),
    /// The token holds more than one private key with this label.
    #[error("more than one private key labelled {0:?} on the token")]
    AmbiguousKey(String),
    /// A private key with this label already exists; generation refuses to add a second one.
    #[error("a private key labelled {0:?} already exists on the token")]
    KeyExists(String),
    /// The key is not an RSA key, or its public parts are not a valid RSA public key.
    #[error("the key is not a usable RSA key")]
    NotRsa,
    /// Only 2048-, 3072- and 4096-bit RSA keys are generated.
    #[error("unsupported RSA key size: {0} bits")]
    UnsupportedKeySize(usize),
    /// The public key could not be encoded as SubjectPublicKeyInfo.
    #[error("the public key could not be encoded: {0}")]
    PublicKey(String),
    /// Any other PKCS#11 failure, with the function and return value the module gave.
    #[error("PKCS#11 error: {0}")]
    Pkcs11(#[source] cryptoki::error::Error),
    /// The PKCS#11 URI is malformed or lacks something.
    #[error("bad PKCS#11 URI: {0}")]
    BadUri(#[from] UriError),
}

impl From<cryptoki::error::Error> for HsmError {
    fn from(error: cryptoki::error::Error) -> Self {
        HsmError::Pkcs11(error)
    }
}
