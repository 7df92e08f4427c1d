//! Push-approved signing requests: a relying party (a bank, an egov service) asks a citizen to sign, the
//! citizen's phone shows the request and answers with a CMS signature made by their SIGN key.
//!
//! # Relying-party side (`Authorization: Bearer <API key>`)
//! - `POST` [`crate::paths::SIGN_REQUESTS`] [`CreateSignRequest`] → `201` [`SignRequestCreated`], with the
//!   [verification code](verification_code) the service shows to its user;
//! - `GET` [`crate::paths::SIGN_REQUEST`]`?timeoutMs=` → [`SignRequestState`] (long-poll);
//! - when the request ends, the optional callback URL gets a `POST` of [`SignRequestCallback`] with the
//!   header [`CALLBACK_SIGNATURE_HEADER`] `sha256=<hex HMAC-SHA256(callback secret, body)>`.
//!
//! # Device side (`Authorization: Bearer <device token>`)
//! - `POST` [`crate::paths::DEVICES`] [`DeviceRegistration`] (signed with the citizen's AUTH key) →
//!   `201` [`DeviceRegistered`] holding the device token;
//! - `GET` [`crate::paths::DEVICE_SIGN_REQUESTS`]`?waitMs=` → the pending [`DeviceSignRequest`]s (the app
//!   pulls them on start; with `waitMs` it long-polls until one arrives);
//! - `GET` [`crate::paths::DEVICE_EVENTS`]: server-sent events; [`SIGN_REQUEST_EVENT`] carries a
//!   [`DeviceSignRequest`] (the pending ones first, then each new one), [`SIGN_REQUEST_ENDED_EVENT`] a
//!   [`SignRequestCallback`] (id and final status), plus comment keep-alives;
//! - `POST` [`crate::paths::DEVICE_SIGN_REQUEST_APPROVAL`] [`SignRequestApproval`] or
//!   [`crate::paths::DEVICE_SIGN_REQUEST_REFUSAL`] (empty body).
//!
//! What the phone signs: for `attached`, the `data` (a CMS that carries it); for `detached`, a CMS without
//! content whose messageDigest attribute is `digest` (SHA-256 of the document).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::Platform;

/// Longest `display_text`, in characters.
pub const MAX_DISPLAY_TEXT_CHARS: usize = 200;
/// Largest document (`data`, decoded) a relying party may send, in bytes.
pub const MAX_SIGN_DATA_BYTES: usize = 512 * 1024;
/// Largest CMS signature a device may send (base64-decoded), in bytes.
pub const MAX_SIGNATURE_BYTES: usize = 768 * 1024;
/// Lifetime of a signing request, in seconds (2 minutes).
pub const SIGN_REQUEST_TTL_S: u32 = 120;
/// Shortest and longest long-poll of `GET /v1/sign-requests/{id}?timeoutMs=` and
/// `GET /v1/device/sign-requests?waitMs=`, in milliseconds.
pub const LONG_POLL_MS: std::ops::RangeInclusive<u64> = 1_000..=120_000;
/// How far a device registration's `registered_at` may be from the server's clock, in seconds.
pub const DEVICE_REGISTRATION_MAX_SKEW_S: u32 = 300;
/// Header of a callback `POST`: `sha256=<lower-case hex HMAC-SHA256 of the body>`, keyed with the
/// relying party's callback secret.
pub const CALLBACK_SIGNATURE_HEADER: &str = "X-Qoltanba-Signature";
/// Server-sent event name of a new pending request ([`DeviceSignRequest`]).
pub const SIGN_REQUEST_EVENT: &str = "sign_request";
/// Server-sent event name of a request that ended ([`SignRequestCallback`]: id and status).
pub const SIGN_REQUEST_ENDED_EVENT: &str = "sign_request_ended";

/// The CMS shape asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignatureFormat {
    /// The CMS carries the document (needs `data`).
    Attached,
    /// The CMS carries only the signature; its messageDigest is the document's SHA-256.
    Detached,
}

impl SignatureFormat {
    /// The wire name (`attached`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Attached => "attached",
            Self::Detached => "detached",
        }
    }
}

/// Where a signing request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignRequestStatus {
    /// Waiting for the citizen.
    Pending,
    /// Approved: the signature is available.
    Signed,
    /// The citizen refused.
    Refused,
    /// Nobody answered within 2 minutes.
    Expired,
    /// A newer request for the same citizen replaced it.
    Cancelled,
}

impl SignRequestStatus {
    /// The wire name (`pending`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Signed => "signed",
            Self::Refused => "refused",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
        }
    }

    /// Every status.
    pub const ALL: [SignRequestStatus; 5] =
        [Self::Pending, Self::Signed, Self::Refused, Self::Expired, Self::Cancelled];

    /// The status named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// `POST /v1/sign-requests`: ask a citizen to sign. Give `data` (base64, at most
/// [`MAX_SIGN_DATA_BYTES`] decoded) or `digest` (base64 SHA-256 of the document, detached only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"iin": "900101300255", "digest": "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
    "format": "detached", "display_text": "Loan agreement No. 42"}))]
pub struct CreateSignRequest {
    /// The citizen (12 digits with a valid check digit).
    pub iin: String,
    /// The document, base64 (standard alphabet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// SHA-256 of the document, base64, when the service keeps the document to itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// Attached (needs `data`) or detached.
    pub format: SignatureFormat,
    /// What the phone shows (1 to 200 characters).
    pub display_text: String,
    /// Where to `POST` the outcome: `https://` on one of the service's registered callback hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

/// `201` answer of `POST /v1/sign-requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignRequestCreated {
    /// The request.
    pub id: Uuid,
    /// Four digits to show to the user; the phone shows the same ([`verification_code`]).
    pub verification_code: String,
    /// When it expires unanswered (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// `GET /v1/sign-requests/{id}`: the request as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignRequestState {
    /// The request.
    pub id: Uuid,
    /// Where it is.
    pub status: SignRequestStatus,
    /// Its verification code.
    pub verification_code: String,
    /// When it expires (or expired) unanswered (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// With `signed`: the CMS SignedData, base64 DER.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// With `signed`: the signer's SIGN certificate, PEM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_certificate: Option<String>,
}

/// Query of `GET /v1/sign-requests/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignRequestPoll {
    /// Wait up to this long (1000 to 120000 ms) while the request is `pending`; answer at once without.
    #[serde(default, rename = "timeoutMs")]
    #[param(rename = "timeoutMs")]
    pub timeout_ms: Option<u64>,
}

/// The body `POST`ed to a request's callback URL when it ends (and the data of the
/// [`SIGN_REQUEST_ENDED_EVENT`]). Fetch the signature with `GET /v1/sign-requests/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignRequestCallback {
    /// The request.
    pub id: Uuid,
    /// How it ended.
    pub status: SignRequestStatus,
}

/// `POST /v1/devices`: a phone registers for its citizen's signing requests, proving it holds the key of
/// a good AUTH certificate issued by this CA.
///
/// `signature` is the base64 RSA PKCS#1 v1.5 SHA-256 signature over [`DeviceRegistration::message`]. The
/// server refuses a `registered_at` more than 5 minutes from its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceRegistration {
    /// The citizen's AUTH certificate, PEM or base64 DER.
    pub auth_certificate: String,
    /// When the device signed (RFC 3339), part of the signed message.
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    /// The operating system, if the device wants push wake-ups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// The FCM / APNs token for wake-ups (never carrying content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_token: Option<String>,
    /// Base64 RSA PKCS#1 v1.5 SHA-256 signature of the message.
    pub signature: String,
}

impl DeviceRegistration {
    /// The exact bytes the AUTH key signs: UTF-8 lines `qoltanba/v1/register-device`,
    /// `auth_serial=<SERIAL>` (the AUTH certificate's serial, upper-case hex),
    /// `registered_at=<RFC 3339>`, `platform=<android|ios|desktop or empty>`, `push_token=<token or
    /// empty>`, each ending in `\n`.
    ///
    /// # Errors
    /// [`time::error::Format`] if `registered_at` cannot be written as RFC 3339.
    pub fn message(&self, auth_serial: &str) -> Result<Vec<u8>, time::error::Format> {
        let at = self.registered_at.format(&Rfc3339)?;
        let platform = match self.platform {
            Some(Platform::Android) => "android",
            Some(Platform::Ios) => "ios",
            Some(Platform::Desktop) => "desktop",
            None => "",
        };
        Ok(format!(
            "qoltanba/v1/register-device\nauth_serial={}\nregistered_at={at}\nplatform={platform}\npush_token={}\n",
            auth_serial.to_ascii_uppercase(),
            self.push_token.as_deref().unwrap_or_default(),
        )
        .into_bytes())
    }
}

/// `201` answer of `POST /v1/devices`. The token is shown once; the server keeps only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceRegistered {
    /// The device.
    pub device_id: Uuid,
    /// `Authorization: Bearer <device_token>` for the `/v1/device/…` endpoints. Dies with the AUTH
    /// certificate (revoked or expired).
    pub device_token: String,
}

/// A pending request as the phone shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceSignRequest {
    /// The request.
    pub id: Uuid,
    /// Who asks (the relying party's registered name).
    pub relying_party: String,
    /// What the citizen is asked to sign, in the service's words.
    pub display_text: String,
    /// The code the service shows; the citizen compares them.
    pub verification_code: String,
    /// SHA-256 of the document, base64.
    pub digest: String,
    /// What to make: attached (sign `data`) or detached (messageDigest = `digest`).
    pub format: SignatureFormat,
    /// The document, base64, when the service sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// When it expires (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// Query of `GET /v1/device/sign-requests`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DevicePoll {
    /// While nothing is pending, wait up to this long (1000 to 120000 ms); answer at once without.
    #[serde(default, rename = "waitMs")]
    #[param(rename = "waitMs")]
    pub wait_ms: Option<u64>,
}

/// `POST /v1/device/sign-requests/{id}/approval`: the citizen's CMS SignedData.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignRequestApproval {
    /// CMS SignedData (CAdES-BES), base64 DER, made with a SIGN key of the citizen.
    pub signature: String,
}

/// The 4-digit verification code of a document whose SHA-256 digest is `digest`, as Smart-ID computes
/// it: the last two bytes of SHA-256(`digest`) read big-endian, modulo 10000, zero-padded.
pub fn verification_code(digest: &[u8]) -> String {
    let hash = Sha256::digest(digest);
    let tail = u16::from_be_bytes([hash[30], hash[31]]);
    format!("{:04}", tail % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn verification_code_matches_smart_id_example() {
        // Smart-ID's published example: X given in base64 (64 bytes), code 7180.
        let hex = "1984beca86a1e9e9807150cd21a8f04ace9407f33de57ac3c4ccd7054930409f\
                   581438a95d7cc6a4f73bada59cb9cdbe4c4a1173b5af219ffb754fe24577a762";
        let x: Vec<u8> =
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        assert_eq!(verification_code(&x), "7180");
    }

    #[test]
    fn verification_code_is_zero_padded() {
        let codes: Vec<String> = (0u8..=255).map(|b| verification_code(&[b])).collect();
        assert!(codes.iter().all(|c| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn registration_message_is_pinned() {
        let registration = DeviceRegistration {
            auth_certificate: String::new(),
            registered_at: datetime!(2025-03-01 10:15:00 UTC),
            platform: Some(Platform::Android),
            push_token: Some("tok".into()),
            signature: String::new(),
        };
        assert_eq!(
            String::from_utf8(registration.message("0a1b").unwrap()).unwrap(),
            "qoltanba/v1/register-device\nauth_serial=0A1B\nregistered_at=2025-03-01T10:15:00Z\n\
             platform=android\npush_token=tok\n"
        );
    }

    #[test]
    fn status_names_match_serde() {
        for status in SignRequestStatus::ALL {
            assert_eq!(serde_json::to_value(status).unwrap(), status.name());
            assert_eq!(SignRequestStatus::from_name(status.name()), Some(status));
        }
    }
}
