//! The operator's queues: phone-registration tickets and selfie reviews, and their decisions.

use qoltanba_protocol::{SelfieReviewStatus, TicketStatus};
use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::ALREADY_DECIDED;
use super::timestamp::{from_db, from_db_opt, to_db, uuid_from_db};
use super::{ConflictKind, StorageError};

/// A request to register a phone to an IIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneTicket {
    /// Ticket identifier.
    pub id: Uuid,
    /// The session that asked.
    pub session_id: Uuid,
    /// IIN of the citizen.
    pub iin: String,
    /// The phone to register, E.164.
    pub phone: String,
    /// Pending, approved or rejected.
    pub status: TicketStatus,
    /// Who decided (username).
    pub operator: Option<String>,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// When it was opened.
    pub created_at: OffsetDateTime,
    /// When it was decided.
    pub decided_at: Option<OffsetDateTime>,
}

/// A selfie waiting for (or given) the operator's comparison with the registry photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfieReviewRecord {
    /// Review identifier.
    pub id: Uuid,
    /// The session that uploaded the selfie.
    pub session_id: Uuid,
    /// The selfie ([`super::uploads`]).
    pub upload_id: Uuid,
    /// Which attempt of the session, from 1.
    pub attempt: i64,
    /// Pending, accepted or rejected.
    pub status: SelfieReviewStatus,
    /// Who decided (username).
    pub operator: Option<String>,
    /// Why it was rejected.
    pub reason: Option<String>,
    /// When the selfie was submitted.
    pub created_at: OffsetDateTime,
    /// When it was decided.
    pub decided_at: Option<OffsetDateTime>,
}

/// An operator's decision on a ticket or review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision<'a, S> {
    /// The new status (approved/accepted or rejected).
    pub status: S,
    /// Who decided (username).
    pub operator: &'a str,
    /// Why, for a rejection.
    pub reason: Option<&'a str>,
    /// When.
    pub at: OffsetDateTime,
}

fn ticket_status_name(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::Pending => "pending",
        TicketStatus::Approved => "approved",
        TicketStatus::Rejected => "rejected",
    }
}

fn ticket_status(text: &str) -> Result<TicketStatus, StorageError> {
    match text {
        "pending" => Ok(TicketStatus::Pending),
        "approved" => Ok(TicketStatus::Approved),
        "rejected" => Ok(TicketStatus::Rejected),
        _ => Err(StorageError::Corrupt { column: "status" }),
    }
}

fn review_status_name(status: SelfieReviewStatus) -> &'static str {
    match status {
        SelfieReviewStatus::Pending => "pending",
        SelfieReviewStatus::Accepted => "accepted",
        SelfieReviewStatus::Rejected => "rejected",
    }
}

fn review_status(text: &str) -> Result<SelfieReviewStatus, StorageError> {
    match text {
        "pending" => Ok(SelfieReviewStatus::Pending),
        "accepted" => Ok(SelfieReviewStatus::Accepted),
        "rejected" => Ok(SelfieReviewStatus::Rejected),
        _ => Err(StorageError::Corrupt { column: "status" }),
    }
}

const TICKET_COLUMNS: &str = "id, session_id, iin, phone, status, operator, reason, created_at, decided_at";
const REVIEW_COLUMNS: &str =
    "id, session_id, upload_id, attempt, status, operator, reason, created_at, decided_at";

/// Opens a pending ticket (`status`, `operator`, `reason`, `decided_at` of `ticket` are ignored).
/// `Conflict` `foreign_key` if the session does not exist.
pub async fn open_ticket(conn: &mut AnyConnection, ticket: &PhoneTicket) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO phone_tickets (id, session_id, iin, phone, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5)",
    )
    .bind(ticket.id.to_string())
    .bind(ticket.session_id.to_string())
    .bind(&ticket.iin)
    .bind(&ticket.phone)
    .bind(to_db(ticket.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The ticket with this id, if it exists.
pub async fn ticket(conn: &mut AnyConnection, id: Uuid) -> Result<Option<PhoneTicket>, StorageError> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM phone_tickets WHERE id = $1");
    let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(conn).await?;
    row.map(|r| ticket_row(&r)).transpose()
}

/// Tickets with this status, oldest first.
pub async fn tickets(
    conn: &mut AnyConnection,
    status: TicketStatus,
) -> Result<Vec<PhoneTicket>, StorageError> {
    let sql = format!("SELECT {TICKET_COLUMNS} FROM phone_tickets WHERE status = $1 ORDER BY created_at, id");
    let rows = sqlx::query(&sql).bind(ticket_status_name(status)).fetch_all(conn).await?;
    rows.iter().map(ticket_row).collect()
}

/// Decides a pending ticket. `NotFound` if it does not exist, `Conflict` ([`ALREADY_DECIDED`]) if it was
/// decided before.
pub async fn decide_ticket(
    conn: &mut AnyConnection,
    id: Uuid,
    decision: &Decision<'_, TicketStatus>,
) -> Result<(), StorageError> {
    let updated = sqlx::query(
        "UPDATE phone_tickets SET status = $1, operator = $2, reason = $3, decided_at = $4 \
         WHERE id = $5 AND status = 'pending'",
    )
    .bind(ticket_status_name(decision.status))
    .bind(decision.operator)
    .bind(decision.reason)
    .bind(to_db(decision.at))
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    settled(updated.rows_affected(), ticket(conn, id).await?.is_some())
}

/// Queues a selfie for review (status pending). `Conflict` `selfie_reviews_session_id_attempt_key` if the
/// attempt number is taken, `foreign_key` if the session or upload does not exist.
pub async fn submit_selfie(
    conn: &mut AnyConnection,
    review: &SelfieReviewRecord,
) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO selfie_reviews (id, session_id, upload_id, attempt, status, created_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5)",
    )
    .bind(review.id.to_string())
    .bind(review.session_id.to_string())
    .bind(review.upload_id.to_string())
    .bind(review.attempt)
    .bind(to_db(review.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The review with this id, if it exists.
pub async fn review(conn: &mut AnyConnection, id: Uuid) -> Result<Option<SelfieReviewRecord>, StorageError> {
    let sql = format!("SELECT {REVIEW_COLUMNS} FROM selfie_reviews WHERE id = $1");
    let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(conn).await?;
    row.map(|r| review_row(&r)).transpose()
}

/// Reviews with this status, oldest first.
pub async fn reviews(
    conn: &mut AnyConnection,
    status: SelfieReviewStatus,
) -> Result<Vec<SelfieReviewRecord>, StorageError> {
    let sql =
        format!("SELECT {REVIEW_COLUMNS} FROM selfie_reviews WHERE status = $1 ORDER BY created_at, id");
    let rows = sqlx::query(&sql).bind(review_status_name(status)).fetch_all(conn).await?;
    rows.iter().map(review_row).collect()
}

/// How many selfies the session has submitted.
pub async fn attempts(conn: &mut AnyConnection, session_id: Uuid) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM selfie_reviews WHERE session_id = $1")
        .bind(session_id.to_string())
        .fetch_one(conn)
        .await?)
}

/// Decides a pending review. `NotFound` if it does not exist, `Conflict` ([`ALREADY_DECIDED`]) if it was
/// decided before.
pub async fn decide_review(
    conn: &mut AnyConnection,
    id: Uuid,
    decision: &Decision<'_, SelfieReviewStatus>,
) -> Result<(), StorageError> {
    let updated = sqlx::query(
        "UPDATE selfie_reviews SET status = $1, operator = $2, reason = $3, decided_at = $4 \
         WHERE id = $5 AND status = 'pending'",
    )
    .bind(review_status_name(decision.status))
    .bind(decision.operator)
    .bind(decision.reason)
    .bind(to_db(decision.at))
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    settled(updated.rows_affected(), review(conn, id).await?.is_some())
}

/// The outcome of a conditional decision update.
fn settled(rows_affected: u64, exists: bool) -> Result<(), StorageError> {
    match (rows_affected, exists) {
        (1, _) => Ok(()),
        (_, true) => {
            Err(StorageError::Conflict { kind: ConflictKind::Stale, constraint: ALREADY_DECIDED.to_owned() })
        }
        (_, false) => Err(StorageError::NotFound),
    }
}

fn ticket_row(row: &AnyRow) -> Result<PhoneTicket, StorageError> {
    let id: String = row.try_get("id")?;
    let session_id: String = row.try_get("session_id")?;
    let status: String = row.try_get("status")?;
    Ok(PhoneTicket {
        id: uuid_from_db(&id, "id")?,
        session_id: uuid_from_db(&session_id, "session_id")?,
        iin: row.try_get("iin")?,
        phone: row.try_get("phone")?,
        status: ticket_status(&status)?,
        operator: row.try_get("operator")?,
        reason: row.try_get("reason")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
        decided_at: from_db_opt(row.try_get("decided_at")?, "decided_at")?,
    })
}

fn review_row(row: &AnyRow) -> Result<SelfieReviewRecord, StorageError> {
    let id: String = row.try_get("id")?;
    let session_id: String = row.try_get("session_id")?;
    let upload_id: String = row.try_get("upload_id")?;
    let status: String = row.try_get("status")?;
    Ok(SelfieReviewRecord {
        id: uuid_from_db(&id, "id")?,
        session_id: uuid_from_db(&session_id, "session_id")?,
        upload_id: uuid_from_db(&upload_id, "upload_id")?,
        attempt: row.try_get("attempt")?,
        status: review_status(&status)?,
        operator: row.try_get("operator")?,
        reason: row.try_get("reason")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
        decided_at: from_db_opt(row.try_get("decided_at")?, "decided_at")?,
    })
}
