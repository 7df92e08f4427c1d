//! [`Pkcs11Signer`]: a [`Signer`] whose RSA private key stays on a PKCS#11 token.
//!
//! **Concurrency.** A PKCS#11 session runs one operation at a time and `cryptoki`'s `Session` is `Send`
//! but not `Sync`, so the signer keeps one logged-in session behind a [`Mutex`]: concurrent `sign` calls
//! are serialised on it. That is simple and enough for a CA (a token signs a 2048-bit RSA signature in
//! about a millisecond); a pool of sessions could replace it if throughput ever matters. The PKCS#11
//! context itself is process-wide (see the `module` module).

use std::sync::Mutex;

use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::Session;
use der::Decode;
use qoltanba_pki::signer::{SignError, Signer, sha256_with_rsa};
use rsa::BoxedUint;
use rsa::pkcs8::EncodePublicKey;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::config::Pkcs11Config;
use crate::error::HsmError;
use crate::module::logged_in_session;

/// An RSA key pair on a PKCS#11 token, signing with `CKM_SHA256_RSA_PKCS`.
pub struct Pkcs11Signer {
    session: Mutex<Session>,
    key: ObjectHandle,
    label: String,
    public: SubjectPublicKeyInfoOwned,
}

/// Logs in to the configured token and finds the key pair labelled `config.key_label`.
///
/// Fails with [`HsmError::KeyNotFound`] if there is no such private key, [`HsmError::AmbiguousKey`] if
/// there are several, and [`HsmError::NotRsa`] if it is not RSA.
pub fn open(config: &Pkcs11Config) -> Result<Pkcs11Signer, HsmError> {
    Pkcs11Signer::from_session(logged_in_session(config)?, &config.key_label)
}

impl Pkcs11Signer {
    /// Finds the private key labelled `label` in a logged-in session and reads its public key.
    pub(crate) fn from_session(session: Session, label: &str) -> Result<Self, HsmError> {
        let key = match private_keys(&session, label)?.as_slice() {
            [] => return Err(HsmError::KeyNotFound(label.into())),
            [key] => *key,
            _ => return Err(HsmError::AmbiguousKey(label.into())),
        };
        let public = public_key(&session, key, label)?;
        Ok(Self { session: Mutex::new(session), key, label: label.into(), public })
    }

    /// The label of the key pair on the token.
    pub fn label(&self) -> &str {
        &self.label
    }
}

impl std::fmt::Debug for Pkcs11Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Signer").field("label", &self.label).finish_non_exhaustive()
    }
}

impl Signer for Pkcs11Signer {
    fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, SignError> {
        Ok(self.public.clone())
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        sha256_with_rsa()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let session = self
            .session
            .lock()
            .map_err(|_| SignError::KeyStore("the PKCS#11 session lock is poisoned".into()))?;
        session
            .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
            .map_err(|e| SignError::KeyStore(e.to_string()))
    }
}

/// The handles of the private keys labelled `label`.
pub(crate) fn private_keys(session: &Session, label: &str) -> Result<Vec<ObjectHandle>, HsmError> {
    let template = [Attribute::Class(ObjectClass::PRIVATE_KEY), Attribute::Label(label.as_bytes().to_vec())];
    Ok(session.find_objects(&template)?)
}

/// The SubjectPublicKeyInfo of the RSA private key `key`, from its modulus and public exponent, or from
/// the public key object of the same label where the private key does not show its exponent.
pub(crate) fn public_key(
    session: &Session,
    key: ObjectHandle,
    label: &str,
) -> Result<SubjectPublicKeyInfoOwned, HsmError> {
    let wanted = [AttributeType::KeyType, AttributeType::Modulus, AttributeType::PublicExponent];
    let mut parts = RsaParts::read(session, key, &wanted)?;
    if parts.key_type != Some(KeyType::RSA) {
        return Err(HsmError::NotRsa);
    }
    if parts.exponent.is_none() {
        let template =
            [Attribute::Class(ObjectClass::PUBLIC_KEY), Attribute::Label(label.as_bytes().to_vec())];
        if let [public] = session.find_objects(&template)?.as_slice() {
            parts.exponent = RsaParts::read(session, *public, &wanted)?.exponent;
        }
    }
    parts.to_spki()
}

/// The attributes of an RSA key that make its public key.
struct RsaParts {
    key_type: Option<KeyType>,
    modulus: Option<Vec<u8>>,
    exponent: Option<Vec<u8>>,
}

impl RsaParts {
    fn read(session: &Session, object: ObjectHandle, wanted: &[AttributeType]) -> Result<Self, HsmError> {
        let mut parts = RsaParts { key_type: None, modulus: None, exponent: None };
        for attribute in session.get_attributes(object, wanted)? {
            match attribute {
                Attribute::KeyType(key_type) => parts.key_type = Some(key_type),
                Attribute::Modulus(modulus) => parts.modulus = Some(modulus),
                Attribute::PublicExponent(exponent) => parts.exponent = Some(exponent),
                _ => {}
            }
        }
        Ok(parts)
    }

    fn to_spki(&self) -> Result<SubjectPublicKeyInfoOwned, HsmError> {
        let (Some(modulus), Some(exponent)) = (&self.modulus, &self.exponent) else {
            return Err(HsmError::NotRsa);
        };
        let n = BoxedUint::from_be_slice_vartime(modulus);
        let e = BoxedUint::from_be_slice_vartime(exponent);
        let public = rsa::PublicKey::new(n, e).map_err(|_| HsmError::NotRsa)?;
        let der = public.to_public_key_der().map_err(|e| HsmError::PublicKey(e.to_string()))?;
        SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(|e| HsmError::PublicKey(e.to_string()))
    }
}
