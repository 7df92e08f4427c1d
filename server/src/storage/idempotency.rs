//! Idempotency keys: a retried request (same key, same route and body) gets the stored response and
//! changes nothing twice.
//!
//! Use inside the transaction that makes the state change: [`begin`] first, then the change, then
//! [`finish`], then commit. A concurrent duplicate waits on the key (PostgreSQL's unique index, SQLite's
//! write lock) and then sees the committed response; a rolled-back attempt leaves no record, so its
//! retry runs again.

use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

use super::StorageError;
use super::timestamp::to_db;

/// A response as stored for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of the body.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

/// What [`begin`] found for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// First use of the key: it is now recorded; do the work and call [`finish`].
    New,
    /// The same request was answered before: send this again and do nothing.
    Replay(StoredResponse),
    /// The key was used for another route or body (`409 conflict`).
    Mismatch,
    /// The same request is recorded but has no response yet: an attempt began outside a transaction and
    /// never finished. Treat as a conflict; the client retries later with a new key.
    Unfinished,
}

/// Records `key` for `route` (method and path) and `request_hash` (a digest of the body), or says what an
/// earlier use of it was.
pub async fn begin(
    conn: &mut AnyConnection,
    key: &str,
    route: &str,
    request_hash: &str,
    at: OffsetDateTime,
) -> Result<Outcome, StorageError> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency_records (key, route, request_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(route)
    .bind(request_hash)
    .bind(to_db(at))
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Outcome::New);
    }
    let row = sqlx::query(
        "SELECT route, request_hash, response_status, response_content_type, response_body \
         FROM idempotency_records WHERE key = $1",
    )
    .bind(key)
    .fetch_one(conn)
    .await?;
    let (stored_route, stored_hash): (String, String) = (row.try_get("route")?, row.try_get("request_hash")?);
    if stored_route != route || stored_hash != request_hash {
        return Ok(Outcome::Mismatch);
    }
    let status: Option<i64> = row.try_get("response_status")?;
    let content_type: Option<String> = row.try_get("response_content_type")?;
    let body: Option<Vec<u8>> = row.try_get("response_body")?;
    match (status, content_type, body) {
        (Some(status), Some(content_type), Some(body)) => Ok(Outcome::Replay(StoredResponse {
            status: u16::try_from(status).map_err(|_| StorageError::Corrupt { column: "response_status" })?,
            content_type,
            body,
        })),
        _ => Ok(Outcome::Unfinished),
    }
}

/// Stores the response given to the request that began `key`. `NotFound` if [`begin`] was not called;
/// `Conflict` ([`super::ALREADY_DECIDED`]) if a response is already stored.
pub async fn finish(
    conn: &mut AnyConnection,
    key: &str,
    response: &StoredResponse,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    let updated = sqlx::query(
        "UPDATE idempotency_records SET response_status = $1, response_content_type = $2, response_body = $3, \
         completed_at = $4 WHERE key = $5 AND response_status IS NULL",
    )
    .bind(i64::from(response.status))
    .bind(&response.content_type)
    .bind(&response.body)
    .bind(to_db(at))
    .bind(key)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(());
    }
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT response_status FROM idempotency_records WHERE key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?
            .flatten();
    match exists {
        Some(_) => Err(StorageError::Conflict {
            kind: super::ConflictKind::Stale,
            constraint: super::ALREADY_DECIDED.to_owned(),
        }),
        None => Err(StorageError::NotFound),
    }
}

/// Forgets records created before `before` (kept at least 24 hours per the API); returns how many.
pub async fn purge(conn: &mut AnyConnection, before: OffsetDateTime) -> Result<u64, StorageError> {
    let deleted = sqlx::query("DELETE FROM idempotency_records WHERE created_at < $1")
        .bind(to_db(before))
        .execute(conn)
        .await?;
    Ok(deleted.rows_affected())
}
