//! Where the private keys live. (The key store trait and its implementations are being written.)

use serde::{Deserialize, Serialize};

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
