//! Names of keys in the hardware stores (Android Keystore, Apple Keychain): `qoltanba-auth-<uuid>` and
//! `qoltanba-sign-<uuid>`. The [`KeyId`] is the alias; its prefix says the key's purpose.
#![cfg_attr(not(any(feature = "android-keystore", target_vendor = "apple")), allow(dead_code))]

use super::{CertificatePurpose, KeyId};

const AUTH_PREFIX: &str = "qoltanba-auth-";
const SIGN_PREFIX: &str = "qoltanba-sign-";

/// A new, unique alias for a key of `purpose`.
pub fn new(purpose: CertificatePurpose) -> KeyId {
    let prefix = match purpose {
        CertificatePurpose::Auth => AUTH_PREFIX,
        CertificatePurpose::Sign => SIGN_PREFIX,
    };
    KeyId(format!("{prefix}{}", uuid::Uuid::new_v4()))
}

/// The purpose an alias names, or `None` for aliases that are not ours.
pub fn purpose_of(alias: &str) -> Option<CertificatePurpose> {
    if alias.starts_with(AUTH_PREFIX) {
        Some(CertificatePurpose::Auth)
    } else if alias.starts_with(SIGN_PREFIX) {
        Some(CertificatePurpose::Sign)
    } else {
        None
    }
}

/// The purpose of `id`, or `NotFound` when the id is not one of ours.
pub fn purpose(id: &KeyId) -> Result<CertificatePurpose, super::KeyStoreError> {
    purpose_of(&id.0).ok_or_else(|| super::KeyStoreError::NotFound(id.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_aliases_are_unique_and_name_their_purpose() {
        let (auth, sign) = (new(CertificatePurpose::Auth), new(CertificatePurpose::Sign));
        assert_eq!(purpose_of(&auth.0), Some(CertificatePurpose::Auth));
        assert_eq!(purpose_of(&sign.0), Some(CertificatePurpose::Sign));
        assert_ne!(new(CertificatePurpose::Auth), auth);
        assert_eq!(purpose_of("mykey"), None);
    }
}
