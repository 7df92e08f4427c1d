//! The Apple Keychain key store (Apple targets only), through `security-framework` 3.
//!
//! Keys are RSA-2048 private keys in the data-protection keychain, labelled with their alias
//! (`keystore::alias`), usable only while a passcode is set, on this device, and after the user's
//! presence was checked (Face ID / Touch ID / passcode, `kSecAccessControlUserPresence`): the system
//! shows the prompt when the key signs. The Secure Enclave holds only P-256 keys, so NCA's RSA keys
//! live in the keychain, not in the enclave. The certificate is added to the keychain under the same
//! label; the CA chain is kept by the caller (the local store).
//!
//! Not compiled or run on Linux. What can be is in `apple_support` (SPKI from the exported PKCS#1 key,
//! status codes → [`KeyStoreError`]) and tested there.
//!
//! Known gap: `GenerateKeyOptions` of security-framework 3.7 puts permanence and access control in
//! `kSecPrivateKeyAttrs` only on macOS. On iOS the generated key would not be kept, so
//! [`KeyStore::generate`] checks that the key is in the keychain and answers
//! [`KeyStoreError::Unavailable`] otherwise; building the attribute dictionary with
//! `security-framework-sys` lifts this.

use qoltanba_pki::signer::{SignError, Signer, sha256_with_rsa};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::Encode;
use qoltanba_pki::x509::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use security_framework::access_control::{ProtectionMode, SecAccessControl};
use security_framework::certificate::SecCertificate;
use security_framework::item::{
    AddRef, ItemAddOptions, ItemAddValue, ItemClass, ItemSearchOptions, KeyClass, Limit, Location, Reference,
    SearchResult,
};
use security_framework::key::{Algorithm, GenerateKeyOptions, KeyType, SecKey};

use super::apple_support::{rsa_spki, status_error};
use super::{GeneratedKey, KeyId, KeyStorageKind, KeyStore, KeyStoreError, StoredKey, alias};
use crate::keystore::CertificatePurpose;

/// `errSecDuplicateItem`.
const DUPLICATE_ITEM: i32 = -25299;
/// The keychain attribute key of an item's label (`kSecAttrLabel`) in a search result dictionary.
const LABEL: &str = "labl";

/// The app's keys in the iOS / macOS data-protection keychain.
#[derive(Debug, Clone, Copy, Default)]
pub struct KeychainKeyStore;

fn os_error(id: &KeyId) -> impl Fn(security_framework::base::Error) -> KeyStoreError + '_ {
    move |error| status_error(i64::from(error.code()), id, || error.to_string())
}

impl KeychainKeyStore {
    fn search(class: ItemClass, label: Option<&KeyId>) -> ItemSearchOptions {
        let mut options = ItemSearchOptions::new();
        options.class(class).load_refs(true).limit(Limit::All);
        if let Some(label) = label {
            options.label(&label.0);
        }
        options
    }

    fn private_key(id: &KeyId) -> Result<SecKey, KeyStoreError> {
        alias::purpose(id)?;
        let mut search = Self::search(ItemClass::key(), Some(id));
        search.key_class(KeyClass::private());
        let found = search.search().map_err(os_error(id))?;
        found
            .into_iter()
            .find_map(|result| match result {
                SearchResult::Ref(Reference::Key(key)) => Some(key),
                _ => None,
            })
            .ok_or_else(|| KeyStoreError::NotFound(id.clone()))
    }

    fn certificates(id: &KeyId) -> Result<Vec<SecCertificate>, KeyStoreError> {
        match Self::search(ItemClass::certificate(), Some(id)).search() {
            Ok(found) => Ok(found
                .into_iter()
                .filter_map(|result| match result {
                    SearchResult::Ref(Reference::Certificate(certificate)) => Some(certificate),
                    _ => None,
                })
                .collect()),
            Err(error) => match os_error(id)(error) {
                KeyStoreError::NotFound(_) => Ok(Vec::new()),
                other => Err(other),
            },
        }
    }

    fn public_key_of(key: &SecKey, id: &KeyId) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
        let public = key.public_key().ok_or_else(|| KeyStoreError::Corrupt(id.clone()))?;
        let pkcs1 = public.external_representation().ok_or_else(|| KeyStoreError::Corrupt(id.clone()))?;
        rsa_spki(pkcs1.bytes())
    }
}

impl KeyStore for KeychainKeyStore {
    fn kind(&self) -> KeyStorageKind {
        KeyStorageKind::Hardware
    }

    fn generate(&self, purpose: CertificatePurpose) -> Result<GeneratedKey, KeyStoreError> {
        let id = alias::new(purpose);
        let protection = Some(ProtectionMode::AccessibleWhenPasscodeSetThisDeviceOnly);
        let user_presence = 1; // kSecAccessControlUserPresence
        let access =
            SecAccessControl::create_with_protection(protection, user_presence).map_err(os_error(&id))?;
        let mut options = GenerateKeyOptions::default();
        options
            .set_key_type(KeyType::rsa())
            .set_size_in_bits(2048)
            .set_label(id.0.clone())
            .set_location(Location::DataProtectionKeychain)
            .set_access_control(access);
        SecKey::new(&options)
            .map_err(|error| status_error(error.code() as i64, &id, || error.description().to_string()))?;
        let key = Self::private_key(&id).map_err(|error| match error {
            KeyStoreError::NotFound(_) => {
                KeyStoreError::Unavailable("the keychain did not keep the key".into())
            }
            other => other,
        })?;
        Ok(GeneratedKey { public_key: Self::public_key_of(&key, &id)?, id })
    }

    fn signer(&self, id: &KeyId) -> Result<Box<dyn Signer>, KeyStoreError> {
        let key = Self::private_key(id)?;
        let public = Self::public_key_of(&key, id)?;
        Ok(Box::new(KeychainSigner { id: id.clone(), key, public }))
    }

    fn public_key(&self, id: &KeyId) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
        Self::public_key_of(&Self::private_key(id)?, id)
    }

    fn install(&self, id: &KeyId, chain: &[Certificate]) -> Result<KeyId, KeyStoreError> {
        let purpose = alias::purpose(id)?;
        let leaf = chain.first().ok_or(KeyStoreError::EmptyChain)?;
        super::check_certificate(leaf, &self.public_key(id)?, purpose)?;
        let der = leaf.to_der().map_err(|_| KeyStoreError::CertificateMismatch)?;
        let certificate = SecCertificate::from_der(&der).map_err(os_error(id))?;
        let mut add = ItemAddOptions::new(ItemAddValue::Ref(AddRef::Certificate(certificate)));
        add.set_label(&id.0).set_location(Location::DataProtectionKeychain);
        match add.add() {
            Err(error) if error.code() != DUPLICATE_ITEM => Err(os_error(id)(error)),
            _ => Ok(id.clone()),
        }
    }

    fn delete(&self, id: &KeyId) -> Result<(), KeyStoreError> {
        let key = Self::private_key(id)?;
        for certificate in Self::certificates(id)? {
            certificate.delete().map_err(os_error(id))?;
        }
        key.delete().map_err(os_error(id))
    }

    fn list(&self) -> Result<Vec<StoredKey>, KeyStoreError> {
        let none = KeyId(String::new());
        let mut search = ItemSearchOptions::new();
        search.class(ItemClass::key()).key_class(KeyClass::private()).load_attributes(true).limit(Limit::All);
        let found = match search.search() {
            Ok(found) => found,
            Err(error) => match os_error(&none)(error) {
                KeyStoreError::NotFound(_) => Vec::new(),
                other => return Err(other),
            },
        };
        let mut keys = Vec::new();
        for label in found.iter().filter_map(|result| result.simplify_dict()?.remove(LABEL)) {
            let Some(purpose) = alias::purpose_of(&label) else { continue };
            let id = KeyId(label);
            let installed = !Self::certificates(&id)?.is_empty();
            keys.push(StoredKey { id, purpose, installed });
        }
        keys.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(keys)
    }
}

/// Signs inside the keychain; the system asks for the user's presence.
struct KeychainSigner {
    id: KeyId,
    key: SecKey,
    public: SubjectPublicKeyInfoOwned,
}

impl Signer for KeychainSigner {
    fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, SignError> {
        Ok(self.public.clone())
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        sha256_with_rsa()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.key.create_signature(Algorithm::RSASignatureMessagePKCS1v15SHA256, message).map_err(|error| {
            let code = error.code() as i64;
            SignError::KeyStore(status_error(code, &self.id, || error.description().to_string()).to_string())
        })
    }
}
