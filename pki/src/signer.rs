//! The one abstraction for "something that holds a private key and signs".
//!
//! Software keys implement it here ([`SoftwareSigner`]); the CA's HSM (PKCS#11) and the phone key stores
//! (Android Keystore, Apple Keychain) implement it in their crates. The key never has to leave its
//! store: a [`Signer`] only exposes its public key and a `sign(message)` call, which hashes the message as
//! its [`Signer::signature_algorithm`] says (SHA-256 with RSA PKCS#1 v1.5 for every NCA profile we issue).
//!
//! [`SignerAdapter`] lets any [`Signer`] drive the RustCrypto builders (`x509-cert`, `cms`), which expect
//! the `signature` crate's traits.

use der::Decode;
use der::asn1::BitString;
use rsa::PrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::EncodePublicKey;
use sha2::Sha256;
use signature::SignatureEncoding;
use spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, SignatureBitStringEncoding,
    SubjectPublicKeyInfoOwned,
};

/// Why a signer could not sign.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The key store refused or failed (HSM error, user cancelled the biometric prompt, …).
    #[error("the key store could not sign: {0}")]
    KeyStore(String),
    /// The RSA operation failed.
    #[error("RSA signing failed")]
    Rsa,
    /// The public key could not be encoded.
    #[error("the public key could not be encoded: {0}")]
    PublicKey(String),
}

/// Something that signs with a private key it keeps to itself.
pub trait Signer: Send + Sync {
    /// The public key, as a SubjectPublicKeyInfo.
    fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, SignError>;
    /// The signature algorithm `sign` produces (e.g. `sha256WithRSAEncryption` with NULL parameters).
    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned;
    /// Signs `message`, hashing it as [`Signer::signature_algorithm`] says.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// `sha256WithRSAEncryption` with the NULL parameters RFC 4055 requires.
pub fn sha256_with_rsa() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid: crate::oid::SHA256_WITH_RSA, parameters: Some(der::asn1::Null.into()) }
}

/// An RSA private key held in memory; zeroized on drop (`rsa::PrivateKey` is `ZeroizeOnDrop`).
pub struct SoftwareSigner {
    key: SigningKey<Sha256>,
    public: SubjectPublicKeyInfoOwned,
}

impl SoftwareSigner {
    /// Wraps an RSA private key, signing with SHA-256 and PKCS#1 v1.5.
    pub fn new(key: PrivateKey) -> Result<Self, SignError> {
        let der = key.to_public_key().to_public_key_der().map_err(|e| SignError::PublicKey(e.to_string()))?;
        let public = SubjectPublicKeyInfoOwned::from_der(der.as_bytes())
            .map_err(|e| SignError::PublicKey(e.to_string()))?;
        Ok(Self { key: SigningKey::new(key), public })
    }

    /// The private key, for exporting it to a key store.
    pub fn private_key(&self) -> &PrivateKey {
        self.key.as_ref()
    }
}

impl std::fmt::Debug for SoftwareSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SoftwareSigner").finish_non_exhaustive()
    }
}

impl Signer for SoftwareSigner {
    fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, SignError> {
        Ok(self.public.clone())
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        sha256_with_rsa()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let signature = signature::Signer::try_sign(&self.key, message).map_err(|_| SignError::Rsa)?;
        Ok(signature.to_vec())
    }
}

/// A signature as raw bytes, encoded as a BIT STRING by the builders.
#[derive(Clone, Debug)]
pub struct RawSignature(pub Vec<u8>);

impl SignatureBitStringEncoding for RawSignature {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(&self.0)
    }
}

/// A public key as the builders want it: something that encodes itself as SubjectPublicKeyInfo.
#[derive(Clone, Debug)]
pub struct PublicKeyInfo(pub SubjectPublicKeyInfoOwned);

impl EncodePublicKey for PublicKeyInfo {
    fn to_public_key_der(&self) -> spki::Result<der::Document> {
        Ok(der::Document::encode_msg(&self.0)?)
    }
}

/// Adapts a [`Signer`] to the `signature` crate's traits for the `x509-cert` and `cms` builders.
///
/// The builders flatten a signing failure into an opaque error; the adapter keeps the [`SignError`] so
/// that callers can still tell "the user cancelled the prompt" from "the structure is wrong"
/// ([`SignerAdapter::take_failure`]).
pub struct SignerAdapter<'a> {
    signer: &'a dyn Signer,
    public: PublicKeyInfo,
    failure: std::sync::Mutex<Option<SignError>>,
}

impl<'a> SignerAdapter<'a> {
    /// Reads the signer's public key once and wraps it.
    pub fn new(signer: &'a dyn Signer) -> Result<Self, SignError> {
        Ok(Self { public: PublicKeyInfo(signer.public_key()?), signer, failure: Default::default() })
    }

    /// The error of the last failed `sign` call, if any (taken, so asked once).
    pub fn take_failure(&self) -> Option<SignError> {
        self.failure.lock().ok().and_then(|mut slot| slot.take())
    }
}

impl signature::Keypair for SignerAdapter<'_> {
    type VerifyingKey = PublicKeyInfo;
    fn verifying_key(&self) -> PublicKeyInfo {
        self.public.clone()
    }
}

impl DynSignatureAlgorithmIdentifier for SignerAdapter<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(self.signer.signature_algorithm())
    }
}

impl signature::Signer<RawSignature> for SignerAdapter<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<RawSignature, signature::Error> {
        self.signer.sign(msg).map(RawSignature).map_err(|error| {
            let opaque = signature::Error::new();
            if let Ok(mut slot) = self.failure.lock() {
                *slot = Some(error);
            }
            opaque
        })
    }
}
