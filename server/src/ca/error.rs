//! What can go wrong in the CA.

use super::lint::LintProblem;

/// Why the CA could not create its keys, issue a certificate or sign revocation data.
#[derive(Debug, thiserror::Error)]
pub enum CaError {
    /// A key file could not be read or written (path, permissions, disk).
    #[error("the key file {path} could not be used: {source}")]
    KeyFile {
        /// The file.
        path: std::path::PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// `ca init` would overwrite an existing key file; it refuses.
    #[error("the key file {0} already exists")]
    KeyFileExists(std::path::PathBuf),
    /// The key could not be generated, decoded or decrypted (wrong password, not PKCS#8 RSA, …).
    #[error("the CA key is unusable: {0}")]
    Key(#[from] qoltanba_pki::key::KeyError),
    /// AWS-LC refused the CA key file's key (not RSA, or a size it does not support).
    #[error("the CA key was refused by the signing library: {0}")]
    KeyRejected(String),
    /// The PKCS#11 token refused or failed.
    #[error("the HSM failed: {0}")]
    Hsm(#[from] qoltanba_hsm::HsmError),
    /// The signer's public key is not the issuing CA certificate's key.
    #[error("the CA key does not belong to the issuing CA certificate")]
    KeyMismatch,
    /// The issuing CA certificate was not issued by the root (name or signature).
    #[error("the issuing CA certificate is not signed by the root")]
    ChainMismatch,
    /// A CSR is not well-formed DER.
    #[error("the {purpose} request is malformed")]
    MalformedRequest {
        /// `"AUTH"` or `"SIGN"`.
        purpose: &'static str,
    },
    /// A CSR's self-signature does not verify: no proof of possession of the key.
    #[error("the {purpose} request's signature does not verify")]
    BadProofOfPossession {
        /// `"AUTH"` or `"SIGN"`.
        purpose: &'static str,
    },
    /// A CSR's key is not an RSA key.
    #[error("the {purpose} request's key is not RSA")]
    NotRsa {
        /// `"AUTH"` or `"SIGN"`.
        purpose: &'static str,
    },
    /// A CSR's RSA key is too small, too large or has an exponent other than 65537.
    #[error("the {purpose} request's RSA key ({bits} bits) is not acceptable")]
    WeakKey {
        /// `"AUTH"` or `"SIGN"`.
        purpose: &'static str,
        /// The modulus size.
        bits: usize,
    },
    /// The AUTH and SIGN requests carry the same key; each certificate needs its own.
    #[error("the AUTH and SIGN requests carry the same key")]
    SameKey,
    /// The registry record does not make a valid NCA subject (IIN, empty name, e-mail).
    #[error("the registry record does not make a valid subject: {0}")]
    Subject(#[from] qoltanba_pki::csr::CsrError),
    /// A configured name or URL is not acceptable.
    #[error("bad CA configuration: {0}")]
    Config(&'static str),
    /// The certificate breaks the profile: nothing was signed with the CA key.
    #[error("the certificate breaks the profile: {0:?}")]
    Lint(Vec<LintProblem>),
    /// The certificate could not be built or signed.
    #[error("the certificate could not be issued: {0}")]
    Issue(#[from] qoltanba_pki::issue::IssueError),
    /// The CRL could not be built or signed.
    #[error("the CRL could not be made: {0}")]
    Crl(#[from] qoltanba_pki::crl::CrlError),
    /// The CA key failed to sign.
    #[error(transparent)]
    Sign(#[from] qoltanba_pki::signer::SignError),
    /// A structure could not be encoded or decoded.
    #[error("encoding failed: {0}")]
    Encoding(#[from] qoltanba_pki::x509::der::Error),
}
