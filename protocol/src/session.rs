//! The enrollment session resource returned by every enrollment step.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::state::EnrollmentState;

/// One citizen's enrollment as the server holds it. Every enrollment call answers with the whole session,
/// so the client always learns the next step from `state`.
///
/// The `id` is a random UUID v4 chosen by the server; it is the capability that addresses the session in
/// `/v1/enrollments/{id}`, so clients keep it private.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Session {
    /// Session identifier (UUID).
    pub id: Uuid,
    /// What the server waits for next, with the details of that step.
    pub state: EnrollmentState,
    /// When the session ends if unfinished (RFC 3339); calls after it get `410 session_expired`.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}
