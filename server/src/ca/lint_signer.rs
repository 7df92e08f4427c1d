//! The signer of lint certificates: it signs nothing. Its "signature" is zero bytes of the CA key's
//! length, so the certificate built with it has exactly the shape of the real one and can be linted
//! (see [`super::lint`]) before the real key signs its to-be-signed part. A lint certificate is
//! invalid by construction and never leaves the CA.

use qoltanba_pki::signer::{SignError, Signer};
use qoltanba_pki::x509::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::request::rsa_parameters;

/// Claims the issuing CA's public key and algorithm (so that the pki builder takes it for the CA) and
/// "signs" with a placeholder: an INVALID signature, only for building the certificate to lint.
pub(crate) struct LintOnlySigner<'a> {
    claimed: &'a SubjectPublicKeyInfoOwned,
    algorithm: AlgorithmIdentifierOwned,
    length: usize,
}

impl<'a> LintOnlySigner<'a> {
    /// A placeholder for the CA key `claimed` signing with `algorithm`; its signatures have the length
    /// of that RSA key's modulus. `None` when `claimed` is not an RSA key.
    pub(crate) fn new(
        claimed: &'a SubjectPublicKeyInfoOwned,
        algorithm: AlgorithmIdentifierOwned,
    ) -> Option<Self> {
        let (bits, _) = rsa_parameters(claimed)?;
        Some(Self { claimed, algorithm, length: bits.div_ceil(8) })
    }
}

impl Signer for LintOnlySigner<'_> {
    fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, SignError> {
        Ok(self.claimed.clone())
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        self.algorithm.clone()
    }

    /// Zero bytes: a placeholder of the right length, never a signature.
    fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(vec![0; self.length])
    }
}
