//! The SMS gateway's outbox (embedded stand-in) and the per-session SMS codes.

use qoltanba_protocol::SmsMessage;
use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::StorageError;
use super::timestamp::{from_db, to_db};

/// Sender name of enrollment codes.
pub const SENDER_1414: &str = "1414";

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Position in the outbox (increasing).
    pub id: i64,
    /// Recipient, E.164.
    pub phone: String,
    /// Sender name.
    pub sender: String,
    /// Text, code included.
    pub text: String,
    /// When it was "sent".
    pub created_at: OffsetDateTime,
}

impl OutboxMessage {
    /// The wire form of `GET /v1/dev/sms`.
    pub fn wire(&self) -> SmsMessage {
        SmsMessage {
            phone: self.phone.clone(),
            sender: self.sender.clone(),
            text: self.text.clone(),
            sent_at: self.created_at,
        }
    }
}

/// Puts a message in the outbox; returns its id.
pub async fn send(
    conn: &mut AnyConnection,
    phone: &str,
    sender: &str,
    text: &str,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO sms_outbox (phone, sender, text, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(phone)
    .bind(sender)
    .bind(text)
    .bind(to_db(at))
    .fetch_one(conn)
    .await?)
}

/// Messages in the order sent, only those to `phone` when given.
pub async fn outbox(
    conn: &mut AnyConnection,
    phone: Option<&str>,
) -> Result<Vec<OutboxMessage>, StorageError> {
    let rows = match phone {
        Some(phone) => {
            sqlx::query(
                "SELECT id, phone, sender, text, created_at FROM sms_outbox WHERE phone = $1 ORDER BY id",
            )
            .bind(phone)
            .fetch_all(conn)
            .await?
        }
        None => {
            sqlx::query("SELECT id, phone, sender, text, created_at FROM sms_outbox ORDER BY id")
                .fetch_all(conn)
                .await?
        }
    };
    rows.iter().map(message).collect()
}

fn message(row: &AnyRow) -> Result<OutboxMessage, StorageError> {
    Ok(OutboxMessage {
        id: row.try_get("id")?,
        phone: row.try_get("phone")?,
        sender: row.try_get("sender")?,
        text: row.try_get("text")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
    })
}

/// The SMS code a session currently waits for. Only a hash of the code is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsCode {
    /// The session.
    pub session_id: Uuid,
    /// Where the code went, E.164.
    pub phone: String,
    /// The RA's hash of the code (never the code).
    pub code_hash: String,
    /// When it was sent.
    pub sent_at: OffsetDateTime,
    /// When it stops being accepted.
    pub expires_at: OffsetDateTime,
    /// Wrong tries still allowed.
    pub tries_left: i64,
}

/// Stores the session's current code, replacing an earlier one (a resend). `Conflict` `foreign_key` if
/// the session does not exist.
pub async fn put_code(conn: &mut AnyConnection, code: &SmsCode) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO sms_codes (session_id, phone, code_hash, sent_at, expires_at, tries_left) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (session_id) DO UPDATE SET phone = excluded.phone, code_hash = excluded.code_hash, \
         sent_at = excluded.sent_at, expires_at = excluded.expires_at, tries_left = excluded.tries_left",
    )
    .bind(code.session_id.to_string())
    .bind(&code.phone)
    .bind(&code.code_hash)
    .bind(to_db(code.sent_at))
    .bind(to_db(code.expires_at))
    .bind(code.tries_left)
    .execute(conn)
    .await?;
    Ok(())
}

/// The session's current code, if one was sent.
pub async fn code(conn: &mut AnyConnection, session_id: Uuid) -> Result<Option<SmsCode>, StorageError> {
    let row = sqlx::query(
        "SELECT session_id, phone, code_hash, sent_at, expires_at, tries_left FROM sms_codes WHERE session_id = $1",
    )
    .bind(session_id.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(SmsCode {
            session_id,
            phone: r.try_get("phone")?,
            code_hash: r.try_get("code_hash")?,
            sent_at: from_db(r.try_get("sent_at")?, "sent_at")?,
            expires_at: from_db(r.try_get("expires_at")?, "expires_at")?,
            tries_left: r.try_get("tries_left")?,
        })
    })
    .transpose()
}

/// Counts one wrong try (never below zero); returns the tries left. `NotFound` if no code was sent.
pub async fn use_try(conn: &mut AnyConnection, session_id: Uuid) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "UPDATE sms_codes SET tries_left = CASE WHEN tries_left > 0 THEN tries_left - 1 ELSE 0 END \
         WHERE session_id = $1 RETURNING tries_left",
    )
    .bind(session_id.to_string())
    .fetch_one(conn)
    .await?)
}

/// Forgets the session's code (used once accepted).
pub async fn delete_code(conn: &mut AnyConnection, session_id: Uuid) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM sms_codes WHERE session_id = $1")
        .bind(session_id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
