//! The CA's software key signing through AWS-LC (`aws-lc-rs`): the same RSA PKCS#1 v1.5 SHA-256
//! signatures as `qoltanba_pki::signer::SoftwareSigner`, several times faster and in constant time,
//! which is what bounds the issuance rate. The house rule allows `aws-lc-rs` on the server exactly
//! where speed or constant time matters; everything else stays on RustCrypto.

use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{KeyPair, RSA_PKCS1_SHA256, RsaKeyPair};
use qoltanba_pki::signer::{SignError, Signer, sha256_with_rsa};
use qoltanba_pki::x509::der::{Decode, Error, pem};
use qoltanba_pki::x509::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use zeroize::Zeroizing;

use super::CaError;

/// An RSA private key held by AWS-LC, signing SHA-256 with PKCS#1 v1.5.
///
/// The decoded PKCS#8 it is made from is zeroized once AWS-LC has parsed it; AWS-LC clears the key's
/// numbers when it frees them (on drop).
pub struct FastSigner {
    key: RsaKeyPair,
    public: SubjectPublicKeyInfoOwned,
    random: SystemRandom,
}

impl FastSigner {
    /// Reads an unencrypted PKCS#8 PEM RSA key (`PRIVATE KEY`, as
    /// `qoltanba_pki::key::private_key_to_pem` writes it).
    pub fn from_pkcs8_pem(pkcs8_pem: &str) -> Result<Self, CaError> {
        let (_, der) = pem::decode_vec(pkcs8_pem.as_bytes()).map_err(Error::from)?;
        let der = Zeroizing::new(der);
        let key = RsaKeyPair::from_pkcs8(&der).map_err(|e| CaError::KeyRejected(e.to_string()))?;
        let spki: PublicKeyX509Der<'static> =
            key.public_key().as_der().map_err(|e| CaError::KeyRejected(e.to_string()))?;
        let public = SubjectPublicKeyInfoOwned::from_der(spki.as_ref())?;
        Ok(Self { key, public, random: SystemRandom::new() })
    }
}

impl std::fmt::Debug for FastSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FastSigner").finish_non_exhaustive()
    }
}

impl Signer for FastSigner {
    fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, SignError> {
        Ok(self.public.clone())
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        sha256_with_rsa()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.random, message, &mut signature)
            .map_err(|_| SignError::Rsa)?;
        Ok(signature)
    }
}

#[cfg(test)]
mod tests {
    use qoltanba_pki::key;
    use qoltanba_pki::signer::SoftwareSigner;

    use super::*;

    /// PKCS#1 v1.5 is deterministic: both libraries must produce the same bytes, which RustCrypto's
    /// verifier accepts.
    #[test]
    fn signs_exactly_as_the_rustcrypto_signer() {
        let private = key::generate_rsa(key::DEFAULT_RSA_BITS).unwrap();
        let fast = FastSigner::from_pkcs8_pem(&key::private_key_to_pem(&private).unwrap()).unwrap();
        let reference = SoftwareSigner::new(private).unwrap();
        let message = b"tbsCertificate";
        let signature = fast.sign(message).unwrap();
        assert_eq!(signature, reference.sign(message).unwrap());
        assert_eq!(fast.public_key().unwrap(), reference.public_key().unwrap());
        let spki = fast.public_key().unwrap();
        key::verify_signature(&spki, &fast.signature_algorithm(), message, &signature).unwrap();
        assert!(key::verify_signature(&spki, &fast.signature_algorithm(), b"other", &signature).is_err());
    }
}
