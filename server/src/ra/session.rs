//! A session as the RA keeps it: the wire state plus what later steps need, stored as JSON in the
//! session record and changed only by compare-and-swap on its version.

use qoltanba_protocol::{DeviceInfo, EnrollmentState, ErrorCode, Session};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::api;
use super::{RaError, SESSION_IDLE_TIMEOUT};
use crate::storage::audit::{self, NewAuditEntry};
use crate::storage::sessions::{self, SessionRecord};
use crate::storage::{ConflictKind, StorageError};

/// The RA's state of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SessionData {
    /// What the session waits for.
    pub state: EnrollmentState,
    /// When it expires unless a step happens.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// The enrolling device.
    pub device: DeviceInfo,
    /// The phone codes go to (registered, or being registered).
    pub phone: Option<String>,
    /// The e-mail the citizen gave.
    pub email: Option<String>,
    /// The selfie review waited for.
    pub review: Option<Uuid>,
    /// Selfies uploaded so far.
    pub selfies_used: u8,
}

impl SessionData {
    /// The wire form.
    pub fn wire(&self, id: Uuid) -> Session {
        Session { id, state: self.state.clone(), expires_at: self.expires_at }
    }
}

/// A session read inside a transaction, with the version to compare against.
pub(crate) struct Loaded {
    pub id: Uuid,
    pub iin: String,
    pub version: i64,
    pub data: SessionData,
}

/// Reads a session: `not_found` if there is none, `session_expired` if it is unfinished and past its
/// expiry.
pub(crate) async fn load(conn: &mut AnyConnection, id: Uuid, now: OffsetDateTime) -> Result<Loaded, RaError> {
    let record =
        sessions::find(conn, id).await?.ok_or_else(|| api(ErrorCode::NotFound, "no such session"))?;
    let data: SessionData = serde_json::from_str(&record.state).map_err(|_| RaError::CorruptSession(id))?;
    if !data.state.is_terminal() && now >= data.expires_at {
        return Err(api(ErrorCode::SessionExpired, "the session expired; start a new one"));
    }
    Ok(Loaded { id, iin: record.iin, version: record.version, data })
}

/// Stores a new session.
pub(crate) async fn create(
    conn: &mut AnyConnection,
    id: Uuid,
    iin: &str,
    data: &SessionData,
    now: OffsetDateTime,
) -> Result<(), RaError> {
    let record = SessionRecord {
        id,
        iin: iin.to_owned(),
        state: serde_json::to_string(data)?,
        version: 1,
        created_at: now,
        updated_at: now,
        expires_at: data.expires_at,
    };
    sessions::insert(conn, &record).await?;
    Ok(())
}

impl Loaded {
    /// Replaces the state if nobody changed the session since it was read, pushing the expiry ahead;
    /// `conflict` if someone did.
    pub async fn save(
        mut self,
        conn: &mut AnyConnection,
        state: EnrollmentState,
        now: OffsetDateTime,
    ) -> Result<Session, RaError> {
        self.data.state = state;
        self.data.expires_at = now + SESSION_IDLE_TIMEOUT;
        let json = serde_json::to_string(&self.data)?;
        match sessions::update_state(conn, self.id, self.version, &json, now, self.data.expires_at).await {
            Ok(_) => Ok(self.data.wire(self.id)),
            Err(StorageError::Conflict { kind: ConflictKind::Stale, .. }) => {
                Err(api(ErrorCode::Conflict, "the session changed meanwhile; read it and retry"))
            }
            Err(other) => Err(other.into()),
        }
    }

    /// `wrong_state` naming the state the session is in.
    pub fn wrong_state(&self) -> RaError {
        RaError::Api(qoltanba_protocol::ApiError::wrong_state(&self.data.state))
    }
}

/// Appends an audit entry about `subject`.
pub(crate) async fn audit(
    conn: &mut AnyConnection,
    at: OffsetDateTime,
    actor: &str,
    action: &str,
    subject: &str,
    details: serde_json::Value,
) -> Result<(), RaError> {
    let entry = NewAuditEntry { at, actor, action, subject, details: &details };
    audit::append(conn, &entry).await?;
    Ok(())
}
