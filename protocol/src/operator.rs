//! The operator's side: phone-registration tickets and selfie reviews, and their decisions. The console's
//! pages and the JSON API under `/v1/operator` (for tests) use the same types.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// A request to register a phone to an IIN in the mobile-citizens database, made by a citizen who has
/// none. The operator checks the ID card on the video call, hears the SMS code sent to the new phone, and
/// decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PhoneRegistrationTicket {
    /// Ticket identifier (UUID).
    pub id: Uuid,
    /// The enrollment session that asked for it.
    pub session_id: Uuid,
    /// IIN of the citizen.
    pub iin: String,
    /// The phone to register, E.164 (`+77011234567`).
    pub phone: String,
    /// Where the registry photo is served (`GET`, an image), to compare with the caller's face.
    pub registry_photo_url: String,
    /// When the ticket was opened (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Pending, approved or rejected.
    pub status: TicketStatus,
    /// When it was decided (RFC 3339), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// The operator's reason, for a rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// State of a phone-registration ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// Waiting for an operator.
    Pending,
    /// Approved: the phone is registered and the session moved on.
    Approved,
    /// Rejected: the session failed.
    Rejected,
}

/// `POST /v1/operator/phone-registrations/{id}/decision`, tagged on the wire by `"decision"`. Its `Debug`
/// hides the SMS code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum TicketDecision {
    /// Register the phone. `sms_code` is what the citizen read out on the call; it must match the code sent
    /// to the new phone (else `422 code_mismatch`), which proves the citizen holds that phone.
    Approve {
        /// The six digits the citizen told the operator.
        #[schema(pattern = "^[0-9]{6}$")]
        sms_code: String,
    },
    /// Refuse the registration; the session fails with `phone_registration_rejected`.
    Reject {
        /// Why, shown to the citizen and written to the audit log.
        reason: String,
    },
}

impl fmt::Debug for TicketDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Approve { .. } => f.debug_struct("Approve").field("sms_code", &"<redacted>").finish(),
            Self::Reject { reason } => f.debug_struct("Reject").field("reason", reason).finish(),
        }
    }
}

/// A selfie waiting for (or given) the operator's face comparison with the registry photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SelfieReview {
    /// Review identifier (UUID).
    pub id: Uuid,
    /// The enrollment session that uploaded the selfie.
    pub session_id: Uuid,
    /// IIN of the citizen.
    pub iin: String,
    /// Which attempt this is, from 1 to 5.
    pub attempt: u8,
    /// Where the uploaded selfie is served (`GET`, an image).
    pub selfie_url: String,
    /// Where the registry photo is served (`GET`, an image).
    pub registry_photo_url: String,
    /// Where the session's ID-card photo is served (`GET`, an image), if it uploaded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_card_photo_url: Option<String>,
    /// When the selfie was uploaded (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// Pending, accepted or rejected.
    pub status: SelfieReviewStatus,
    /// The operator's reason, for a rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// State of a selfie review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelfieReviewStatus {
    /// Waiting for an operator.
    Pending,
    /// Same person as the registry photo; the session moved on.
    Accepted,
    /// Not accepted; the session asks for another selfie or fails when no attempts are left.
    Rejected,
}

/// `POST /v1/operator/selfie-reviews/{id}/decision`, tagged on the wire by `"decision"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ReviewDecision {
    /// The selfie shows the registry's person.
    Approve,
    /// The selfie is not accepted.
    Reject {
        /// Why, shown to the citizen ("face not visible", …) and written to the audit log.
        reason: String,
    },
}

/// `POST /v1/operator/session`: an operator logs in. Its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OperatorLogin {
    /// Login name.
    pub username: String,
    /// Password (at least 12 characters).
    pub password: String,
}

impl fmt::Debug for OperatorLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperatorLogin").field("username", &self.username).finish_non_exhaustive()
    }
}

/// The answer to a login: the session cookie comes in `Set-Cookie`; `csrf_token` goes into the
/// `X-CSRF-Token` header of every state-changing operator request. Its `Debug` hides the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OperatorSession {
    /// Login name.
    pub username: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl fmt::Debug for OperatorSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperatorSession")
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_decision_debug_hides_the_code() {
        let approve = TicketDecision::Approve { sms_code: "482913".into() };
        assert!(!format!("{approve:?}").contains("482913"));
        let reject = TicketDecision::Reject { reason: "face differs".into() };
        assert!(format!("{reject:?}").contains("face differs"));
    }

    #[test]
    fn login_and_session_debug_hide_their_secrets() {
        let login = OperatorLogin { username: "aigerim".into(), password: "correct horse".into() };
        assert!(!format!("{login:?}").contains("horse"));
        let session = OperatorSession {
            username: "aigerim".into(),
            csrf_token: "tok-123".into(),
            expires_at: OffsetDateTime::UNIX_EPOCH,
        };
        assert!(!format!("{session:?}").contains("tok-123"));
    }
}
