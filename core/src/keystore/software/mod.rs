//! The software key store: keys in files in one directory, protected by the citizen's password.
//!
//! A generated key waits for its certificate as `<id>.key`, PBES2-encrypted PKCS#8 PEM (PBKDF2-SHA256,
//! AES-256). [`KeyStore::install`] turns it into NCA's `AUTH_RSA256_<SKI>.p12` / `RSA256_<SKI>.p12`
//! (key, certificate and CA chain, friendly name = SKI) and removes the `.key` file. Every file is
//! written atomically, so a crash leaves a key either absent or complete; a crash between writing the
//! `.p12` and removing the `.key` is repaired when the store is opened again.

mod atomic;
mod names;

use std::path::{Path, PathBuf};

use qoltanba_pki::key::{self, KeyError};
use qoltanba_pki::pkcs12::{self, Entry, Pkcs12Error, WriteOptions};
use qoltanba_pki::signer::{Signer, SoftwareSigner};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::spki::SubjectPublicKeyInfoOwned;
use zeroize::Zeroizing;

use super::{CertificatePurpose, GeneratedKey, KeyId, KeyStorageKind, KeyStore, KeyStoreError, StoredKey};
use names::{INSTALLED, PENDING};

/// Keys as files in a directory, encrypted with one password.
pub struct SoftwareKeyStore {
    dir: PathBuf,
    password: Zeroizing<String>,
    pkcs12: WriteOptions,
}

impl std::fmt::Debug for SoftwareKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SoftwareKeyStore").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl SoftwareKeyStore {
    /// Opens (creating it if needed) the store in `dir`, with the password that protects its keys.
    /// Finishes what a crash interrupted: removes half-written files, and pending keys whose `.p12`
    /// was already written. The `.p12` files are written in the [`pkcs12::Format::Modern`] format.
    /// A password PKCS#12 cannot carry (characters outside the BMP) is refused here, before any key
    /// is made with it.
    pub fn open(dir: impl Into<PathBuf>, password: Zeroizing<String>) -> Result<Self, KeyStoreError> {
        if password.chars().any(|c| u32::from(c) > 0xFFFF) {
            return Err(KeyStoreError::UnusablePassword);
        }
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        atomic::remove_temporaries(&dir)?;
        let store = Self { dir, password, pkcs12: WriteOptions::default() };
        for key in store.list()?.into_iter().filter(|key| key.installed) {
            atomic::remove(&names::path(&store.dir, &key.id, PENDING)?)?;
        }
        Ok(store)
    }

    /// Writes `.p12` files with these options instead (e.g. [`pkcs12::Format::Legacy`] for NCALayer
    /// versions that only read 3DES / RC2 key stores).
    pub fn with_pkcs12_options(mut self, options: WriteOptions) -> Self {
        self.pkcs12 = options;
        self
    }

    /// The directory holding the keys.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The `.p12` file of an installed key (to share it with a computer).
    pub fn pkcs12_path(&self, id: &KeyId) -> Result<PathBuf, KeyStoreError> {
        let path = names::path(&self.dir, id, INSTALLED)?;
        if path.exists() { Ok(path) } else { Err(KeyStoreError::NotFound(id.clone())) }
    }

    fn pending_signer(&self, id: &KeyId) -> Result<Option<SoftwareSigner>, KeyStoreError> {
        let Some(pem) = read_optional(&names::path(&self.dir, id, PENDING)?)? else { return Ok(None) };
        let pem =
            Zeroizing::new(String::from_utf8(pem.to_vec()).map_err(|_| KeyStoreError::Corrupt(id.clone()))?);
        let key = key::private_key_from_pem(&pem, Some(self.password.as_bytes())).map_err(|e| match e {
            KeyError::WrongPassword => KeyStoreError::WrongPassword,
            _ => KeyStoreError::Corrupt(id.clone()),
        })?;
        SoftwareSigner::new(key).map(Some).map_err(|_| KeyStoreError::Corrupt(id.clone()))
    }

    fn installed_entry(&self, id: &KeyId) -> Result<Option<Entry>, KeyStoreError> {
        let Some(bytes) = read_optional(&names::path(&self.dir, id, INSTALLED)?)? else { return Ok(None) };
        let store = pkcs12::read(&bytes, &self.password).map_err(|e| match e {
            Pkcs12Error::WrongPassword => KeyStoreError::WrongPassword,
            _ => KeyStoreError::Corrupt(id.clone()),
        })?;
        let entry = store.entries.into_iter().find(Entry::has_private_key);
        entry.map(Some).ok_or_else(|| KeyStoreError::Corrupt(id.clone()))
    }

    fn write_pkcs12(&self, id: &KeyId, entry: Entry, chain: &[Certificate]) -> Result<(), KeyStoreError> {
        let store = pkcs12::KeyStore { entries: vec![entry], extra_certificates: chain.to_vec() };
        let bytes = pkcs12::write(&store, &self.password, &self.pkcs12).map_err(|e| match e {
            Pkcs12Error::PasswordNotBmp => KeyStoreError::UnusablePassword,
            other => KeyStoreError::Platform(other.to_string()),
        })?;
        Ok(atomic::write(&names::path(&self.dir, id, INSTALLED)?, &bytes)?)
    }
}

impl KeyStore for SoftwareKeyStore {
    fn kind(&self) -> KeyStorageKind {
        KeyStorageKind::File
    }

    fn generate(&self, purpose: CertificatePurpose) -> Result<GeneratedKey, KeyStoreError> {
        let private = key::generate_rsa(key::DEFAULT_RSA_BITS).map_err(|_| KeyStoreError::Generation)?;
        let public_key = key::public_key_info(&private).map_err(|_| KeyStoreError::Generation)?;
        let pem = key::private_key_to_encrypted_pem(&private, self.password.as_bytes())
            .map_err(|_| KeyStoreError::Generation)?;
        let id = names::key_id_of(purpose, &public_key)?;
        atomic::write(&names::path(&self.dir, &id, PENDING)?, pem.as_bytes())?;
        Ok(GeneratedKey { id, public_key })
    }

    fn signer(&self, id: &KeyId) -> Result<Box<dyn Signer>, KeyStoreError> {
        if let Some(entry) = self.installed_entry(id)? {
            let signer = entry.signer().map_err(|_| KeyStoreError::Corrupt(id.clone()))?;
            return Ok(Box::new(signer));
        }
        let signer = self.pending_signer(id)?.ok_or_else(|| KeyStoreError::NotFound(id.clone()))?;
        Ok(Box::new(signer))
    }

    fn public_key(&self, id: &KeyId) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
        if let Some(entry) = self.installed_entry(id)? {
            let certificate = entry.certificate.ok_or_else(|| KeyStoreError::Corrupt(id.clone()))?;
            return Ok(certificate.tbs_certificate().subject_public_key_info().clone());
        }
        let signer = self.pending_signer(id)?.ok_or_else(|| KeyStoreError::NotFound(id.clone()))?;
        signer.public_key().map_err(|_| KeyStoreError::Corrupt(id.clone()))
    }

    fn install(&self, id: &KeyId, chain: &[Certificate]) -> Result<KeyId, KeyStoreError> {
        let purpose = names::purpose_of(id).ok_or_else(|| KeyStoreError::NotFound(id.clone()))?;
        let (leaf, ca_chain) = chain.split_first().ok_or(KeyStoreError::EmptyChain)?;
        let ski = qoltanba_pki::issue::key_id(leaf).map_err(|_| KeyStoreError::CertificateMismatch)?;
        let installed = names::key_id(purpose, &ski);
        let Some(signer) = self.pending_signer(id)? else {
            // Already installed by an earlier call (or never generated).
            return match self.installed_entry(&installed)? {
                Some(entry) if entry.certificate.as_ref() == Some(leaf) => Ok(installed),
                _ => Err(KeyStoreError::NotFound(id.clone())),
            };
        };
        let public_key = signer.public_key().map_err(|_| KeyStoreError::Corrupt(id.clone()))?;
        super::check_certificate(leaf, &public_key, purpose)?;
        let entry = Entry::from_signer(Some(hex::encode(&ski)), Some(leaf.clone()), &signer)
            .map_err(|_| KeyStoreError::Corrupt(id.clone()))?;
        self.write_pkcs12(&installed, entry, ca_chain)?;
        atomic::remove(&names::path(&self.dir, id, PENDING)?)?;
        Ok(installed)
    }

    fn delete(&self, id: &KeyId) -> Result<(), KeyStoreError> {
        let files = [names::path(&self.dir, id, INSTALLED)?, names::path(&self.dir, id, PENDING)?];
        if !files.iter().any(|file| file.exists()) {
            return Err(KeyStoreError::NotFound(id.clone()));
        }
        files.iter().try_for_each(|file| atomic::remove(file)).map_err(Into::into)
    }

    fn list(&self) -> Result<Vec<StoredKey>, KeyStoreError> {
        let mut keys: Vec<StoredKey> = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let name = entry?.file_name();
            let Some((id, extension)) = name.to_str().and_then(names::parse) else { continue };
            let installed = extension == INSTALLED;
            match keys.iter_mut().find(|key| key.id == id) {
                Some(key) => key.installed |= installed,
                None => {
                    let purpose = names::purpose_of(&id).ok_or_else(|| KeyStoreError::Corrupt(id.clone()))?;
                    keys.push(StoredKey { id, purpose, installed });
                }
            }
        }
        keys.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(keys)
    }
}

/// The file's bytes, or `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<Zeroizing<Vec<u8>>>, KeyStoreError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(Zeroizing::new(bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}
