//! The platform-independent part of the Apple Keychain store, compiled and tested everywhere: the
//! public key as SubjectPublicKeyInfo from the PKCS#1 `RSAPublicKey` the Keychain exports, and
//! Security framework status codes as [`KeyStoreError`]s.
#![cfg_attr(not(target_vendor = "apple"), allow(dead_code))]

use qoltanba_pki::x509::der::asn1::{BitString, Null};
use qoltanba_pki::x509::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use super::{KeyId, KeyStoreError};

/// `errSecUserCanceled`: the user dismissed the authentication prompt.
const USER_CANCELED: i64 = -128;
/// `errSecAuthFailed`: the user failed to authenticate.
const AUTH_FAILED: i64 = -25293;
/// `errSecItemNotFound`.
const ITEM_NOT_FOUND: i64 = -25300;
/// `errSecInteractionNotAllowed`: the device is locked, or no prompt may be shown now.
const INTERACTION_NOT_ALLOWED: i64 = -25308;

/// The SubjectPublicKeyInfo (rsaEncryption, NULL parameters) of a PKCS#1 `RSAPublicKey`, which is
/// what `SecKeyCopyExternalRepresentation` gives for an RSA public key.
pub fn rsa_spki(pkcs1: &[u8]) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
    let corrupt = || KeyStoreError::Platform("unreadable RSA public key".into());
    let parameters = Some(Null.into());
    let algorithm = AlgorithmIdentifierOwned { oid: qoltanba_pki::oid::RSA_ENCRYPTION, parameters };
    let subject_public_key = BitString::from_bytes(pkcs1).map_err(|_| corrupt())?;
    let spki = SubjectPublicKeyInfoOwned { algorithm, subject_public_key };
    // Parse it back as an RSA key: rejects bytes that are not an RSAPublicKey.
    qoltanba_pki::certificate::key_description(&spki).starts_with("RSA-").then_some(spki).ok_or_else(corrupt)
}

/// A Security framework status (`OSStatus`, or a `CFError` code in `NSOSStatusErrorDomain`).
pub fn status_error(code: i64, id: &KeyId, description: impl FnOnce() -> String) -> KeyStoreError {
    match code {
        USER_CANCELED => KeyStoreError::Cancelled,
        AUTH_FAILED | INTERACTION_NOT_ALLOWED => KeyStoreError::AuthenticationRequired,
        ITEM_NOT_FOUND => KeyStoreError::NotFound(id.clone()),
        _ => KeyStoreError::Platform(format!("Security framework error {code}: {}", description())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = include_str!("../../../pki/tests/data/issue/user.key.pem");

    #[test]
    fn wraps_a_pkcs1_public_key_into_the_same_spki_openssl_writes() {
        let key = qoltanba_pki::key::private_key_from_pem(PEM, None).unwrap();
        let spki = qoltanba_pki::key::public_key_info(&key).unwrap();
        assert_eq!(rsa_spki(spki.subject_public_key.raw_bytes()).unwrap(), spki);
    }

    #[test]
    fn refuses_bytes_that_are_not_an_rsa_public_key() {
        assert!(matches!(rsa_spki(b"\x30\x03\x02\x01\x01"), Err(KeyStoreError::Platform(_))));
    }

    #[test]
    fn maps_cancel_authentication_and_missing_items() {
        let id = KeyId("qoltanba-auth-x".into());
        assert!(matches!(status_error(-128, &id, String::new), KeyStoreError::Cancelled));
        assert!(matches!(status_error(-25308, &id, String::new), KeyStoreError::AuthenticationRequired));
        assert!(matches!(status_error(-25300, &id, String::new), KeyStoreError::NotFound(i) if i == id));
        let other = status_error(-50, &id, || "bad parameter".into());
        assert!(
            matches!(other, KeyStoreError::Platform(m) if m.contains("-50") && m.contains("bad parameter"))
        );
    }
}
