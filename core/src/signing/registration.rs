//! The device's registration, signed with the citizen's AUTH key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_protocol::{DeviceRegistration, Platform};
use time::OffsetDateTime;

use super::SigningError;
use crate::keystore::KeyStore;
use crate::store::CertificateRecord;

/// A [`DeviceRegistration`] for the AUTH certificate `auth`, signed at `at` with its key in `keys`.
pub fn registration(
    auth: &CertificateRecord,
    keys: &dyn KeyStore,
    at: OffsetDateTime,
    platform: Option<Platform>,
    push_token: Option<String>,
) -> Result<DeviceRegistration, SigningError> {
    let mut registration = DeviceRegistration {
        auth_certificate: STANDARD.encode(&auth.der),
        registered_at: at.replace_nanosecond(0).unwrap_or(at),
        platform,
        push_token,
        signature: String::new(),
    };
    let message =
        registration.message(&auth.serial).map_err(|e| SigningError::Signature(format!("message: {e}")))?;
    let signature = keys
        .signer(&auth.key_id)?
        .sign(&message)
        .map_err(|e| SigningError::Signature(format!("AUTH key: {e}")))?;
    registration.signature = STANDARD.encode(signature);
    Ok(registration)
}
