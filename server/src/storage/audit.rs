//! The append-only audit log of every RA/CA decision. The schema refuses `UPDATE` and `DELETE` on it
//! (triggers on both backends), so this module only appends and reads.

use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;

use super::StorageError;
use super::timestamp::{from_db, to_db};

/// One audit entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Position in the log (increasing).
    pub id: i64,
    /// When it happened.
    pub at: OffsetDateTime,
    /// Who decided: `operator:<username>`, `ra`, `ca`, `citizen:<iin>`, `cli`.
    pub actor: String,
    /// What was decided (`phone_registration.approved`, `certificate.issued`, …).
    pub action: String,
    /// What it concerns (a session id, a serial, an IIN).
    pub subject: String,
    /// Further details.
    pub details: serde_json::Value,
}

/// An entry to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry<'a> {
    /// When it happened.
    pub at: OffsetDateTime,
    /// Who decided.
    pub actor: &'a str,
    /// What was decided.
    pub action: &'a str,
    /// What it concerns.
    pub subject: &'a str,
    /// Further details (never secrets).
    pub details: &'a serde_json::Value,
}

/// Appends an entry; returns its id.
pub async fn append(conn: &mut AnyConnection, entry: &NewAuditEntry<'_>) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor, action, subject, details) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(to_db(entry.at))
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.subject)
    .bind(entry.details.to_string())
    .fetch_one(conn)
    .await?)
}

/// Entries about `subject`, in order.
pub async fn by_subject(conn: &mut AnyConnection, subject: &str) -> Result<Vec<AuditEntry>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, at, actor, action, subject, details FROM audit_log WHERE subject = $1 ORDER BY id",
    )
    .bind(subject)
    .fetch_all(conn)
    .await?;
    rows.iter().map(entry).collect()
}

/// The latest `limit` entries, newest first.
pub async fn recent(conn: &mut AnyConnection, limit: i64) -> Result<Vec<AuditEntry>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, at, actor, action, subject, details FROM audit_log ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(entry).collect()
}

fn entry(row: &AnyRow) -> Result<AuditEntry, StorageError> {
    let details: String = row.try_get("details")?;
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: from_db(row.try_get("at")?, "at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        details: serde_json::from_str(&details).map_err(|_| StorageError::Corrupt { column: "details" })?,
    })
}
