//! Development-only types: the embedded SMS gateway's outbox, served by `GET /v1/dev/sms` only when the
//! server runs with `--dev` (the demo and end-to-end tests read SMS codes from it).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// One SMS the embedded gateway "sent".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SmsMessage {
    /// Recipient in E.164 form (`+77011234567`).
    pub phone: String,
    /// Sender name; `1414` for enrollment codes.
    pub sender: String,
    /// The message text, code included.
    pub text: String,
    /// When it was sent (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: OffsetDateTime,
}

/// Query of `GET /v1/dev/sms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SmsQuery {
    /// Only messages to this phone (E.164); all messages when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}
