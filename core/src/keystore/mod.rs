//! Where the private keys live, behind one trait ([`KeyStore`]) that the enrollment flow and the signing
//! screens use without knowing the platform.
//!
//! - [`software`]: NCA-compatible PKCS#12 files protected by the citizen's password (every platform).
//! - `android` (feature `android-keystore`): the Android Keystore through JNI.
//! - `apple` (Apple targets only): the Keychain through `security-framework`.
//!
//! A key exists before its certificate: [`KeyStore::generate`] makes it on the device (only its public
//! key leaves, in a CSR), [`KeyStore::install`] attaches the certificate chain once the CA answered.

mod alias;
#[cfg(feature = "android-keystore")]
pub mod android;
#[cfg(target_vendor = "apple")]
pub mod apple;
mod apple_support;
mod error;
mod on_use;
mod open;
pub mod software;

use qoltanba_pki::signer::Signer;
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::spki::SubjectPublicKeyInfoOwned;
pub use qoltanba_protocol::certificates::CertificatePurpose;
use serde::{Deserialize, Serialize};

pub use apple_support::rsa_spki;
pub use error::KeyStoreError;
pub use on_use::{KeysOnUse, PasswordSource};
pub(crate) use open::open;

/// Where the citizen chose to keep the private keys (step 10 of the flow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStorageKind {
    /// The platform's hardware-backed store (Android Keystore / StrongBox, Apple Secure Enclave
    /// keychain); keys never leave it and signing asks for the user's authentication.
    Hardware,
    /// NCA-compatible PKCS#12 files (`AUTH_RSA256_<SKI>.p12`, `RSA256_<SKI>.p12`) protected by the
    /// citizen's password; they can be copied to a computer and used with NCALayer.
    File,
}

/// A key's name inside a key store: stable, not secret, safe to persist and log.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyId(pub String);

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A freshly generated key: its name and its public key (for the CSR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedKey {
    /// The key's name in its store.
    pub id: KeyId,
    /// The public key.
    pub public_key: SubjectPublicKeyInfoOwned,
}

/// A key as [`KeyStore::list`] shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// The key's name in its store.
    pub id: KeyId,
    /// What the key is for.
    pub purpose: CertificatePurpose,
    /// Whether its certificate is installed (false: generated, waiting for the CA).
    pub installed: bool,
}

/// A store of private keys that never hands them out: it generates them, signs with them, and keeps
/// their certificates.
pub trait KeyStore: Send + Sync {
    /// Which kind of store this is.
    fn kind(&self) -> KeyStorageKind;

    /// Generates an RSA-2048 key for `purpose`. Slow (about a second in software). A crash during the
    /// call leaves either no key or a complete one.
    fn generate(&self, purpose: CertificatePurpose) -> Result<GeneratedKey, KeyStoreError>;

    /// A signer for the key (SHA-256 with RSA PKCS#1 v1.5), usable for CSRs and CMS. Hardware stores
    /// may ask for the user's authentication when it signs.
    fn signer(&self, id: &KeyId) -> Result<Box<dyn Signer>, KeyStoreError>;

    /// The key's public key.
    fn public_key(&self, id: &KeyId) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError>;

    /// Attaches the certificate chain the CA returned: the key's certificate first, then the issuing
    /// CA up to the root. Returns the key's id from now on (the software store renames the key after
    /// the certificate's SKI, which is normally the id it already had). Calling it again after a
    /// success is harmless.
    fn install(&self, id: &KeyId, chain: &[Certificate]) -> Result<KeyId, KeyStoreError>;

    /// Deletes the key and its certificates.
    fn delete(&self, id: &KeyId) -> Result<(), KeyStoreError>;

    /// The keys in the store, by id.
    fn list(&self) -> Result<Vec<StoredKey>, KeyStoreError>;
}

/// Checks that `certificate` certifies `public_key` for `purpose` (what every store's `install` must
/// check before attaching it).
pub fn check_certificate(
    certificate: &Certificate,
    public_key: &SubjectPublicKeyInfoOwned,
    purpose: CertificatePurpose,
) -> Result<(), KeyStoreError> {
    use qoltanba_pki::certificate::{CertificateView, Purpose};
    if certificate.tbs_certificate().subject_public_key_info() != public_key {
        return Err(KeyStoreError::CertificateMismatch);
    }
    let certified = CertificateView::from_certificate(certificate).purpose;
    let expected = match purpose {
        CertificatePurpose::Auth => Purpose::Auth,
        CertificatePurpose::Sign => Purpose::Sign,
    };
    if certified != expected {
        return Err(KeyStoreError::WrongPurpose { key: purpose });
    }
    Ok(())
}
