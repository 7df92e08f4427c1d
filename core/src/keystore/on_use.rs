//! [`KeysOnUse`]: the citizen's key store, opened when a key is first used, so that listing requests or
//! refusing one never asks for the key files' password.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use qoltanba_pki::signer::Signer;
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::spki::SubjectPublicKeyInfoOwned;
use zeroize::Zeroizing;

use crate::enrollment::Secret;

use super::{CertificatePurpose, GeneratedKey, KeyId, KeyStorageKind, KeyStore, KeyStoreError, StoredKey};

/// Where the key files' password comes from, asked at most once per [`KeysOnUse`].
pub type PasswordSource = Box<dyn Fn() -> Result<Zeroizing<String>, KeyStoreError> + Send + Sync>;

/// The store of `kind` (the platform's hardware store, or the software store in a directory), opened on
/// first use. A password that does not open a key is not asked again: the key operation fails with
/// [`KeyStoreError::WrongPassword`] and the caller starts over with a new `KeysOnUse`.
pub struct KeysOnUse {
    kind: KeyStorageKind,
    hardware: Option<Arc<dyn KeyStore>>,
    key_dir: PathBuf,
    password: PasswordSource,
    opened: OnceLock<Arc<dyn KeyStore>>,
}

impl KeysOnUse {
    /// The keys of `kind`: `hardware` for hardware keys, else the files in `key_dir` opened with what
    /// `password` answers.
    pub fn new(
        kind: KeyStorageKind,
        hardware: Option<Arc<dyn KeyStore>>,
        key_dir: PathBuf,
        password: PasswordSource,
    ) -> Self {
        Self { kind, hardware, key_dir, password, opened: OnceLock::new() }
    }

    fn store(&self) -> Result<&Arc<dyn KeyStore>, KeyStoreError> {
        if let Some(store) = self.opened.get() {
            return Ok(store);
        }
        let password = match self.kind {
            KeyStorageKind::File => Some(Secret::from((self.password)()?)),
            KeyStorageKind::Hardware => None,
        };
        let store = super::open(self.kind, self.hardware.as_ref(), &self.key_dir, password.as_ref())?;
        Ok(self.opened.get_or_init(|| store))
    }
}

impl KeyStore for KeysOnUse {
    fn kind(&self) -> KeyStorageKind {
        self.kind
    }
    fn generate(&self, purpose: CertificatePurpose) -> Result<GeneratedKey, KeyStoreError> {
        self.store()?.generate(purpose)
    }
    fn signer(&self, id: &KeyId) -> Result<Box<dyn Signer>, KeyStoreError> {
        self.store()?.signer(id)
    }
    fn public_key(&self, id: &KeyId) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
        self.store()?.public_key(id)
    }
    fn install(&self, id: &KeyId, chain: &[Certificate]) -> Result<KeyId, KeyStoreError> {
        self.store()?.install(id, chain)
    }
    fn delete(&self, id: &KeyId) -> Result<(), KeyStoreError> {
        self.store()?.delete(id)
    }
    fn list(&self) -> Result<Vec<StoredKey>, KeyStoreError> {
        self.store()?.list()
    }
}
