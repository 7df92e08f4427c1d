//! Request bodies of the enrollment steps, one type per step, and the picture upload convention.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /v1/enrollments`: start an enrollment for an IIN from a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "iin": "900101300123",
    "device": {"platform": "android", "os_version": "14", "app_version": "0.1.0", "model": "Pixel 8"}
}))]
pub struct StartEnrollment {
    /// Individual identification number: 12 digits with a valid check digit (else `invalid_iin`).
    #[schema(pattern = "^[0-9]{12}$")]
    pub iin: String,
    /// The device the citizen enrolls from.
    pub device: DeviceInfo,
}

/// The device the citizen enrolls from (after the app's device check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceInfo {
    /// Operating system family.
    pub platform: Platform,
    /// Operating system version (`14`, `17.4`).
    pub os_version: String,
    /// Version of the Qoltanba app or CLI.
    pub app_version: String,
    /// Device model, when known (`Pixel 8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
}

/// Operating system family of the enrolling device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Android phone.
    Android,
    /// iPhone.
    Ios,
    /// The desktop CLI acting as a phone (demos, tests).
    Desktop,
}

/// `POST …/phone` in `expect_phone_number`: the phone number the citizen wants registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"phone": "+77011234567"}))]
pub struct PhoneNumber {
    /// Kazakh mobile number in E.164 form: `+7` and ten digits.
    #[schema(pattern = "^\\+7[0-9]{10}$")]
    pub phone: String,
}

/// `POST …/sms-code` in `expect_sms_code`: the code from 1414. Its `Debug` hides the code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"code": "123456"}))]
pub struct SmsCode {
    /// The six digits received by SMS.
    #[schema(pattern = "^[0-9]{6}$")]
    pub code: String,
}

impl SmsCode {
    /// Whether the code has the right shape (six ASCII digits), to check before sending.
    pub fn is_well_formed(&self) -> bool {
        self.code.len() == crate::limits::SMS_CODE_LEN && self.code.bytes().all(|b| b.is_ascii_digit())
    }
}

impl fmt::Debug for SmsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsCode").field("code", &"<redacted>").finish()
    }
}

/// `POST …/consent` in `expect_consent`: the citizen's answer. Refusing ends the session
/// (`failed { reason: consent_refused }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"accepted": true}))]
pub struct Consent {
    /// `true` if the citizen consents to the NCA processing their personal data.
    pub accepted: bool,
}

/// `POST …/email` in `expect_email`: where the NCA writes to the citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"email": "ivan@example.kz"}))]
pub struct EmailAddress {
    /// An e-mail address (`local@domain`).
    #[schema(format = Email)]
    pub email: String,
}

/// `POST …/csrs` in `expect_csrs`: the two PKCS#10 requests for keys generated on the device.
///
/// Each is either PEM (`-----BEGIN CERTIFICATE REQUEST-----`) or the base64 of the DER. The server checks
/// each signature (proof of possession) and takes only the public key: the subject comes from the
/// registry, extensions from the NCA profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CsrPair {
    /// CSR of the authentication key (AUTH_RSA256 certificate: egov login).
    pub auth: String,
    /// CSR of the signing key (RSA256 certificate: electronic signature).
    pub sign: String,
}

/// Picture formats accepted by `POST …/selfie` and `POST …/id-card-photo`. The picture is the raw request
/// body, its format given by `Content-Type` (else `415 unsupported_media_type`), at most
/// [`crate::limits::MAX_IMAGE_BYTES`] (else `413 payload_too_large`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageType {
    /// `image/jpeg`.
    Jpeg,
    /// `image/png`.
    Png,
}

impl ImageType {
    /// Every accepted type.
    pub const ALL: [ImageType; 2] = [ImageType::Jpeg, ImageType::Png];

    /// The `Content-Type` value.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// The type named by a `Content-Type` value (parameters such as `; charset` ignored, case-insensitive),
    /// or `None` if it is not accepted.
    pub fn from_content_type(value: &str) -> Option<Self> {
        let essence = value.split(';').next().unwrap_or_default().trim();
        Self::ALL.into_iter().find(|t| t.content_type().eq_ignore_ascii_case(essence))
    }

    /// The type recognised from the first bytes of a picture (JPEG `FF D8 FF`, PNG signature), so the
    /// client can set `Content-Type` and the server can check that the body matches it.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parsing_ignores_parameters_and_case() {
        assert_eq!(ImageType::from_content_type("IMAGE/PNG; q=1"), Some(ImageType::Png));
        assert_eq!(ImageType::from_content_type("image/jpeg"), Some(ImageType::Jpeg));
        assert_eq!(ImageType::from_content_type("image/gif"), None);
        assert_eq!(ImageType::from_content_type(""), None);
    }

    #[test]
    fn sniffs_jpeg_and_png_and_nothing_else() {
        assert_eq!(ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageType::Jpeg));
        assert_eq!(ImageType::sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(ImageType::Png));
        assert_eq!(ImageType::sniff(b"GIF89a"), None);
        assert_eq!(ImageType::sniff(&[]), None);
    }

    #[test]
    fn sms_code_shape_and_redacted_debug() {
        assert!(SmsCode { code: "012345".into() }.is_well_formed());
        assert!(!SmsCode { code: "12345".into() }.is_well_formed());
        assert!(!SmsCode { code: "12345a".into() }.is_well_formed());
        assert!(!SmsCode { code: "１２３４５６".into() }.is_well_formed());
        assert!(!format!("{:?}", SmsCode { code: "987654".into() }).contains("987654"));
    }
}
