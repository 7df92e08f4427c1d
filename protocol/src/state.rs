//! What an enrollment session waits for: the server-side states of the remote issuance flow.
//!
//! ```text
//! POST /v1/enrollments ─┬─ phone registered ──────────────────────────────┐
//!                       └─ expect_phone_number → expect_phone_registration ┤ (operator approves)
//!                                                                          ▼
//!   expect_sms_code → expect_selfie ⇄ selfie_under_review → expect_id_card_photo → expect_consent
//!   → expect_email { person } → expect_csrs → issued { certificates }
//! any state → failed { reason }
//! ```

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::certificates::IssuedCertificates;
use crate::person::Person;

/// The step the server waits for, tagged on the wire by `"state"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EnrollmentState {
    /// No phone is registered to the IIN in the mobile-citizens database: send one with
    /// `POST …/phone` (`PhoneNumber`).
    ExpectPhoneNumber,
    /// A registration ticket waits for the operator. An SMS code was sent to the new phone; the citizen
    /// tells it to the operator on the video call. Poll the session until the operator decides: approval
    /// leads to `expect_sms_code`, rejection to `failed`.
    ExpectPhoneRegistration {
        /// The operator's ticket (UUID).
        ticket_id: Uuid,
        /// The phone being registered, masked (`+7 701 *** ** 67`).
        phone_masked: String,
    },
    /// A code from 1414 was sent to the registered phone: send it with `POST …/sms-code`.
    ExpectSmsCode {
        /// The phone the code went to, masked.
        phone_masked: String,
        /// When the code stops being accepted (RFC 3339).
        #[serde(with = "time::serde::rfc3339")]
        expires_at: OffsetDateTime,
        /// From when `POST …/sms-code/resend` is allowed (RFC 3339).
        #[serde(with = "time::serde::rfc3339")]
        resend_after: OffsetDateTime,
        /// Wrong codes still allowed before the session fails.
        tries_left: u8,
    },
    /// Upload a selfie (`POST …/selfie`, raw JPEG or PNG body) for the Digital ID check.
    ExpectSelfie {
        /// Uploads still allowed before the session fails.
        attempts_left: u8,
        /// Why the previous selfie was rejected, for the citizen to read; absent on the first attempt.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last_rejection: Option<String>,
    },
    /// The selfie waits for face verification (by default an operator compares it with the registry
    /// photo). Poll the session: acceptance leads to `expect_id_card_photo`, rejection back to
    /// `expect_selfie` (or to `failed` when no attempts are left).
    SelfieUnderReview,
    /// Upload a photo of the ID card (`POST …/id-card-photo`, raw JPEG or PNG body).
    ExpectIdCardPhoto,
    /// Ask the citizen's consent to the NCA processing their data (`POST …/consent`).
    ExpectConsent,
    /// Show the registry data and ask for an e-mail address (`POST …/email`).
    ExpectEmail {
        /// The citizen's data from the population registry.
        person: Person,
    },
    /// Generate the two key pairs on the device and send their CSRs (`POST …/csrs`).
    ExpectCsrs,
    /// Done: both certificates were issued.
    Issued {
        /// The certificates and the CA chain.
        certificates: IssuedCertificates,
    },
    /// The session ended without certificates; start a new one.
    Failed {
        /// Why it ended.
        reason: FailureReason,
        /// Human-readable detail (for example the operator's reason), for display.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
}

impl EnrollmentState {
    /// The state's wire tag (the `"state"` value), as used in [`crate::ApiError::expected_state`].
    pub fn name(&self) -> &'static str {
        match self {
            Self::ExpectPhoneNumber => "expect_phone_number",
            Self::ExpectPhoneRegistration { .. } => "expect_phone_registration",
            Self::ExpectSmsCode { .. } => "expect_sms_code",
            Self::ExpectSelfie { .. } => "expect_selfie",
            Self::SelfieUnderReview => "selfie_under_review",
            Self::ExpectIdCardPhoto => "expect_id_card_photo",
            Self::ExpectConsent => "expect_consent",
            Self::ExpectEmail { .. } => "expect_email",
            Self::ExpectCsrs => "expect_csrs",
            Self::Issued { .. } => "issued",
            Self::Failed { .. } => "failed",
        }
    }

    /// Whether the session can no longer change (issued or failed).
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Issued { .. } | Self::Failed { .. })
    }

    /// Whether the session waits for someone else (the operator or the face verifier), so the client
    /// polls `GET …/{id}` instead of sending a step.
    pub fn is_waiting(&self) -> bool {
        matches!(self, Self::ExpectPhoneRegistration { .. } | Self::SelfieUnderReview)
    }
}

/// Why a session failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// The operator rejected the phone registration.
    PhoneRegistrationRejected,
    /// Too many wrong SMS codes.
    TooManyCodeAttempts,
    /// Every selfie attempt was used without an accepted selfie.
    SelfieAttemptsExhausted,
    /// The citizen refused consent to the NCA.
    ConsentRefused,
    /// The population registry has no usable record for the IIN.
    PersonNotFound,
    /// The certification authority refused to issue (policy or profile check).
    IssuanceRefused,
    /// The session was ended by an operator.
    CancelledByOperator,
}
