//! The Android Keystore key store, through JNI (feature `android-keystore`).
//!
//! Keys are RSA-2048, generated inside the Android Keystore (StrongBox when the device has it, the TEE
//! otherwise), usable only for SHA-256 / PKCS#1 v1.5 signatures, and only within
//! [`spec::AUTH_VALIDITY_SECONDS`] of the user authenticating through the app's prompt; otherwise a
//! signature fails with [`KeyStoreError::AuthenticationRequired`], and after a change of biometrics
//! or screen lock with [`KeyStoreError::KeyInvalidated`]. Aliases are `qoltanba-auth-<uuid>` and
//! `qoltanba-sign-<uuid>` (`keystore::alias`); the [`KeyId`] is the alias.
//!
//! What is verified where:
//! - [`jvm`] (load, aliases, public key, `SHA256withRSA` signing, installing a chain, deleting) uses
//!   only `java.security` calls whose API is the same on a desktop JVM: `core/tests/keystore_jvm.rs`
//!   runs them on Java 17 with a `PKCS12` key store standing in, checking signatures with the pki crate.
//! - [`spec`] (`KeyGenParameterSpec`, StrongBox fallback) and the exception classes of
//!   `android.security.keystore` exist only on Android: they are compiled and checked here (`cargo
//!   check --features android-keystore`) but run only on a device or emulator.

pub mod jvm;
pub mod spec;

use std::sync::Arc;

use jni::JavaVM;
use qoltanba_pki::signer::{SignError, Signer, sha256_with_rsa};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::{Decode, Encode};
use qoltanba_pki::x509::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::{
    CertificatePurpose, GeneratedKey, KeyId, KeyStorageKind, KeyStore, KeyStoreError, StoredKey, alias,
};
use jvm::ANDROID_KEY_STORE;

/// The Android Keystore, reached through the app's Java VM.
#[derive(Clone)]
pub struct AndroidKeyStore {
    vm: Arc<JavaVM>,
}

impl std::fmt::Debug for AndroidKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AndroidKeyStore").finish_non_exhaustive()
    }
}

impl AndroidKeyStore {
    /// The store of the app running in `vm` (from `JNI_OnLoad` or `JNIEnv::get_java_vm`).
    pub fn new(vm: Arc<JavaVM>) -> Self {
        Self { vm }
    }

    /// Runs `f` with this thread attached to the VM and the loaded `AndroidKeyStore`.
    fn with_store<T>(
        &self,
        f: impl FnOnce(&mut jni::JNIEnv<'_>, &jni::objects::JObject<'_>) -> Result<T, KeyStoreError>,
    ) -> Result<T, KeyStoreError> {
        with_store(&self.vm, f)
    }
}

fn with_store<T>(
    vm: &JavaVM,
    f: impl FnOnce(&mut jni::JNIEnv<'_>, &jni::objects::JObject<'_>) -> Result<T, KeyStoreError>,
) -> Result<T, KeyStoreError> {
    let mut env = vm.attach_current_thread().map_err(|e| KeyStoreError::Platform(e.to_string()))?;
    env.with_local_frame(16, |env| {
        let store = jvm::load(env, ANDROID_KEY_STORE, None)?;
        f(env, &store)
    })
}

fn spki_from_der(id: &KeyId, der: &[u8]) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
    SubjectPublicKeyInfoOwned::from_der(der).map_err(|_| KeyStoreError::Corrupt(id.clone()))
}

impl KeyStore for AndroidKeyStore {
    fn kind(&self) -> KeyStorageKind {
        KeyStorageKind::Hardware
    }

    fn generate(&self, purpose: CertificatePurpose) -> Result<GeneratedKey, KeyStoreError> {
        let id = alias::new(purpose);
        let der = self.with_store(|env, store| {
            spec::generate(env, &id.0)?;
            jvm::public_key(env, store, &id.0)
        })?;
        Ok(GeneratedKey { public_key: spki_from_der(&id, &der)?, id })
    }

    fn signer(&self, id: &KeyId) -> Result<Box<dyn Signer>, KeyStoreError> {
        let public = self.public_key(id)?;
        Ok(Box::new(AndroidSigner { vm: Arc::clone(&self.vm), alias: id.0.clone(), public }))
    }

    fn public_key(&self, id: &KeyId) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
        alias::purpose(id)?;
        let der = self.with_store(|env, store| jvm::public_key(env, store, &id.0))?;
        spki_from_der(id, &der)
    }

    fn install(&self, id: &KeyId, chain: &[Certificate]) -> Result<KeyId, KeyStoreError> {
        let purpose = alias::purpose(id)?;
        let leaf = chain.first().ok_or(KeyStoreError::EmptyChain)?;
        super::check_certificate(leaf, &self.public_key(id)?, purpose)?;
        let ders = chain
            .iter()
            .map(|certificate| certificate.to_der().map_err(|_| KeyStoreError::CertificateMismatch))
            .collect::<Result<Vec<_>, _>>()?;
        self.with_store(|env, store| jvm::set_chain(env, store, &id.0, None, &ders))?;
        Ok(id.clone())
    }

    fn delete(&self, id: &KeyId) -> Result<(), KeyStoreError> {
        alias::purpose(id)?;
        self.with_store(|env, store| {
            if !jvm::contains(env, store, &id.0)? {
                return Err(KeyStoreError::NotFound(id.clone()));
            }
            jvm::delete(env, store, &id.0)
        })
    }

    fn list(&self) -> Result<Vec<StoredKey>, KeyStoreError> {
        self.with_store(|env, store| {
            let mut keys = Vec::new();
            for alias in jvm::aliases(env, store)? {
                let Some(purpose) = alias::purpose_of(&alias) else { continue };
                let installed = jvm::chain_len(env, store, &alias)? > 1;
                keys.push(StoredKey { id: KeyId(alias), purpose, installed });
            }
            keys.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(keys)
        })
    }
}

/// Signs inside the Android Keystore; the key never leaves it.
struct AndroidSigner {
    vm: Arc<JavaVM>,
    alias: String,
    public: SubjectPublicKeyInfoOwned,
}

impl Signer for AndroidSigner {
    fn public_key(&self) -> Result<SubjectPublicKeyInfoOwned, SignError> {
        Ok(self.public.clone())
    }

    fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        sha256_with_rsa()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        with_store(&self.vm, |env, store| jvm::sign(env, store, &self.alias, None, message))
            .map_err(|e| SignError::KeyStore(e.to_string()))
    }
}
