//! The platform's key store as a foreign trait ([`PlatformKeyStore`]: Android Keystore through JCA,
//! Apple Keychain), adapted to core's [`KeyStore`]. The private key never crosses: the platform
//! generates it, signs with it (SHA-256 with RSA, PKCS#1 v1.5) and keeps its certificate chain.

use std::sync::Arc;

use qoltanba_core::keystore::{
    CertificatePurpose, GeneratedKey, KeyId, KeyStorageKind, KeyStore, KeyStoreError, StoredKey,
    check_certificate, rsa_spki,
};
use qoltanba_pki::signer::{SignError, Signer, sha256_with_rsa};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::{Decode, Encode};
use qoltanba_pki::x509::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::error::PlatformError;

/// What a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeyPurpose {
    /// Authentication (egov login).
    Auth,
    /// Signing.
    Sign,
}

/// A key the platform just generated.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewKey {
    /// The key's alias in the platform store.
    pub id: String,
    /// Its public key, DER: a SubjectPublicKeyInfo, or a PKCS#1 `RSAPublicKey`.
    pub public_key_der: Vec<u8>,
}

/// A key in the platform store.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct KeyEntry {
    /// The key's alias.
    pub id: String,
    /// What it is for.
    pub purpose: KeyPurpose,
    /// Whether its certificate is installed.
    pub installed: bool,
}

/// The platform's hardware-backed key store. Called on a core worker thread, never the UI thread.
#[uniffi::export(with_foreign)]
pub trait PlatformKeyStore: Send + Sync {
    /// Generates an RSA-2048 key pair for `purpose` inside the store.
    fn generate(&self, purpose: KeyPurpose) -> Result<NewKey, PlatformError>;
    /// Signs `data` with the key: SHA-256 with RSA, PKCS#1 v1.5 (`SHA256withRSA`).
    fn sign(&self, id: String, data: Vec<u8>) -> Result<Vec<u8>, PlatformError>;
    /// The key's public key, DER: a SubjectPublicKeyInfo, or a PKCS#1 `RSAPublicKey`.
    fn public_key(&self, id: String) -> Result<Vec<u8>, PlatformError>;
    /// Attaches the certificate chain (DER, the key's certificate first, the root last), already checked
    /// to certify this key for its purpose. Returns the key's id from now on.
    fn install(&self, id: String, chain: Vec<Vec<u8>>) -> Result<String, PlatformError>;
    /// Deletes the key and its certificates.
    fn delete(&self, id: String) -> Result<(), PlatformError>;
    /// The keys in the store.
    fn list(&self) -> Result<Vec<KeyEntry>, PlatformError>;
}

/// A [`PlatformKeyStore`] as core's [`KeyStore`].
pub(crate) struct ForeignKeyStore(pub Arc<dyn PlatformKeyStore>);

impl KeyStore for ForeignKeyStore {
    fn kind(&self) -> KeyStorageKind {
        KeyStorageKind::Hardware
    }

    fn generate(&self, purpose: CertificatePurpose) -> Result<GeneratedKey, KeyStoreError> {
        let key = self.0.generate(purpose.into())?;
        let id = KeyId(key.id);
        Ok(GeneratedKey { public_key: decode_spki(&id, &key.public_key_der)?, id })
    }

    fn signer(&self, id: &KeyId) -> Result<Box<dyn Signer>, KeyStoreError> {
        let public_key = self.public_key(id)?;
        Ok(Box::new(ForeignSigner { store: self.0.clone(), id: id.clone(), public_key }))
    }

    fn public_key(&self, id: &KeyId) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
        decode_spki(id, &self.0.public_key(id.0.clone())?)
    }

    fn install(&self, id: &KeyId, chain: &[Certificate]) -> Result<KeyId, KeyStoreError> {
        let first = chain.first().ok_or(KeyStoreError::EmptyChain)?;
        let purpose = self
            .list()?
            .into_iter()
            .find(|key| &key.id == id)
            .ok_or_else(|| KeyStoreError::NotFound(id.clone()))?;
        check_certificate(first, &self.public_key(id)?, purpose.purpose)?;
        let der = chain
            .iter()
            .map(|certificate| certificate.to_der().map_err(|e| KeyStoreError::Platform(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(KeyId(self.0.install(id.0.clone(), der)?))
    }

    fn delete(&self, id: &KeyId) -> Result<(), KeyStoreError> {
        Ok(self.0.delete(id.0.clone())?)
    }

    fn list(&self) -> Result<Vec<StoredKey>, KeyStoreError> {
        let keys = self.0.list()?;
        Ok(keys
            .into_iter()
            .map(|key| StoredKey { id: KeyId(key.id), purpose: key.purpose.into(), installed: key.installed })
            .collect())
    }
}

/// Signs through the platform store.
struct ForeignSigner {
    store: Arc<dyn PlatformKeyStore>,
    id: KeyId,
    public_key: SubjectPublicKeyInfoOwned,
}

impl Signer for ForeignSigner {
    fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, SignError> {
        Ok(self.public_key.clone())
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        sha256_with_rsa()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.store.sign(self.id.0.clone(), message.to_vec()).map_err(|e| SignError::KeyStore(e.to_string()))
    }
}

/// A SubjectPublicKeyInfo (JCA's `PublicKey.getEncoded()`), or a PKCS#1 `RSAPublicKey` (what iOS's
/// `SecKeyCopyExternalRepresentation` gives), so that no platform assembles ASN.1 itself.
fn decode_spki(id: &KeyId, der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
    SubjectPublicKeyInfoOwned::from_der(der)
        .or_else(|_| rsa_spki(der))
        .map_err(|_| KeyStoreError::Corrupt(id.clone()))
}

impl From<CertificatePurpose> for KeyPurpose {
    fn from(purpose: CertificatePurpose) -> Self {
        match purpose {
            CertificatePurpose::Auth => Self::Auth,
            CertificatePurpose::Sign => Self::Sign,
        }
    }
}

impl From<KeyPurpose> for CertificatePurpose {
    fn from(purpose: KeyPurpose) -> Self {
        match purpose {
            KeyPurpose::Auth => Self::Auth,
            KeyPurpose::Sign => Self::Sign,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = include_str!("../../pki/tests/data/issue/user.key.pem");

    #[test]
    fn a_public_key_is_read_as_spki_or_as_pkcs1() {
        let key = qoltanba_pki::key::private_key_from_pem(PEM, None).unwrap();
        let spki = qoltanba_pki::key::public_key_info(&key).unwrap();
        let id = KeyId("qoltanba-sign-x".into());
        assert_eq!(decode_spki(&id, &spki.to_der().unwrap()).unwrap(), spki);
        assert_eq!(decode_spki(&id, spki.subject_public_key.raw_bytes()).unwrap(), spki);
        assert!(
            matches!(decode_spki(&id, b"\x30\x03\x02\x01\x01"), Err(KeyStoreError::Corrupt(i)) if i == id)
        );
    }
}
