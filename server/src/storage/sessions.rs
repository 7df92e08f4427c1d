//! Enrollment sessions: the RA's state (as JSON) with a version for optimistic concurrency.

use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::SESSION_VERSION;
use super::timestamp::{from_db, to_db, uuid_from_db};
use super::{ConflictKind, StorageError};

/// One enrollment session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Session identifier.
    pub id: Uuid,
    /// IIN the session enrolls.
    pub iin: String,
    /// The RA's internal state, serialised as JSON by the RA.
    pub state: String,
    /// Incremented by every update; an update names the version it read.
    pub version: i64,
    /// When the session started.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
    /// When it ends if unfinished.
    pub expires_at: OffsetDateTime,
}

/// Stores a new session at version 1 (its `version` field is ignored). `Conflict`
/// `enrollment_sessions_pkey` if the id is taken.
pub async fn insert(conn: &mut AnyConnection, session: &SessionRecord) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO enrollment_sessions (id, iin, state, version, created_at, updated_at, expires_at) \
         VALUES ($1, $2, $3, 1, $4, $5, $6)",
    )
    .bind(session.id.to_string())
    .bind(&session.iin)
    .bind(&session.state)
    .bind(to_db(session.created_at))
    .bind(to_db(session.updated_at))
    .bind(to_db(session.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The session with this id, if it exists.
pub async fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<SessionRecord>, StorageError> {
    let row = sqlx::query(
        "SELECT id, iin, state, version, created_at, updated_at, expires_at \
         FROM enrollment_sessions WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| record(&r)).transpose()
}

/// Replaces the state and the expiry if the stored version is still `expected_version`
/// (compare-and-swap); returns the new version. `Conflict` (`Stale`) if someone else updated it first,
/// `NotFound` if it does not exist.
pub async fn update_state(
    conn: &mut AnyConnection,
    id: Uuid,
    expected_version: i64,
    state: &str,
    at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<i64, StorageError> {
    let updated = sqlx::query(
        "UPDATE enrollment_sessions SET state = $1, version = version + 1, updated_at = $2, expires_at = $3 \
         WHERE id = $4 AND version = $5",
    )
    .bind(state)
    .bind(to_db(at))
    .bind(to_db(expires_at))
    .bind(id.to_string())
    .bind(expected_version)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(expected_version + 1);
    }
    match find(conn, id).await? {
        Some(_) => {
            Err(StorageError::Conflict { kind: ConflictKind::Stale, constraint: SESSION_VERSION.to_owned() })
        }
        None => Err(StorageError::NotFound),
    }
}

/// The sessions of an IIN, newest first.
pub async fn by_iin(conn: &mut AnyConnection, iin: &str) -> Result<Vec<SessionRecord>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, iin, state, version, created_at, updated_at, expires_at \
         FROM enrollment_sessions WHERE iin = $1 ORDER BY created_at DESC, id",
    )
    .bind(iin)
    .fetch_all(conn)
    .await?;
    rows.iter().map(record).collect()
}

fn record(row: &AnyRow) -> Result<SessionRecord, StorageError> {
    let id: String = row.try_get("id")?;
    Ok(SessionRecord {
        id: uuid_from_db(&id, "id")?,
        iin: row.try_get("iin")?,
        state: row.try_get("state")?,
        version: row.try_get("version")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
        updated_at: from_db(row.try_get("updated_at")?, "updated_at")?,
        expires_at: from_db(row.try_get("expires_at")?, "expires_at")?,
    })
}
