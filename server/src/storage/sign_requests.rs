//! Signing requests of relying parties to citizens. At most one is `pending` per citizen (a partial
//! unique index, `sign_requests_iin_key`); a pending request past its expiry is still stored as
//! `pending` until someone expires it ([`finish`]).

use qoltanba_protocol::{SignRequestStatus, SignatureFormat};
use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::timestamp::{from_db, from_db_opt, to_db, uuid_from_db};
use super::{ConflictKind, StorageError};

/// One signing request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRequestRecord {
    /// Its id.
    pub id: Uuid,
    /// The relying party that asked.
    pub relying_party_id: Uuid,
    /// That relying party's name (read back from its record; ignored by [`insert`]).
    pub relying_party_name: String,
    /// The citizen asked.
    pub iin: String,
    /// Where it is.
    pub status: SignRequestStatus,
    /// What CMS is wanted.
    pub format: SignatureFormat,
    /// The document, when the relying party sent it.
    pub data: Option<Vec<u8>>,
    /// SHA-256 of the document.
    pub digest: Vec<u8>,
    /// What the phone shows.
    pub display_text: String,
    /// The four digits both sides show.
    pub verification_code: String,
    /// Where to post the outcome.
    pub callback_url: Option<String>,
    /// With `signed`: the CMS SignedData (DER).
    pub signature: Option<Vec<u8>>,
    /// With `signed`: the signer's certificate serial (upper-case hex).
    pub signer_serial: Option<String>,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it expires unanswered.
    pub expires_at: OffsetDateTime,
    /// When it ended.
    pub finished_at: Option<OffsetDateTime>,
}

/// How a pending request ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finish {
    /// The final status (not `pending`).
    pub status: SignRequestStatus,
    /// When.
    pub at: OffsetDateTime,
    /// With `signed`: the CMS (DER).
    pub signature: Option<Vec<u8>>,
    /// With `signed`: the signer's certificate serial.
    pub signer_serial: Option<String>,
}

const COLUMNS: &str = "r.id, r.relying_party_id, p.name AS relying_party_name, r.iin, r.status, r.format, \
     r.data, r.digest, r.display_text, r.verification_code, r.callback_url, r.signature, r.signer_serial, \
     r.created_at, r.expires_at, r.finished_at";
const FROM: &str = "sign_requests r JOIN relying_parties p ON p.id = r.relying_party_id";

/// Stores a new request as `pending`. `Conflict` `sign_requests_iin_key` if the citizen already has a
/// pending one, `foreign_key` if the relying party does not exist.
pub async fn insert(conn: &mut AnyConnection, record: &SignRequestRecord) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO sign_requests (id, relying_party_id, iin, status, format, data, digest, display_text, \
         verification_code, callback_url, created_at, expires_at) \
         VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(record.id.to_string())
    .bind(record.relying_party_id.to_string())
    .bind(&record.iin)
    .bind(record.format.name())
    .bind(record.data.as_deref())
    .bind(&record.digest)
    .bind(&record.display_text)
    .bind(&record.verification_code)
    .bind(record.callback_url.as_deref())
    .bind(to_db(record.created_at))
    .bind(to_db(record.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The request with this id, if any.
pub async fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<SignRequestRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1");
    let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(conn).await?;
    row.map(|r| record(&r)).transpose()
}

/// The citizen's requests stored as `pending` (at most one; possibly past its expiry).
pub async fn pending_for(
    conn: &mut AnyConnection,
    iin: &str,
) -> Result<Vec<SignRequestRecord>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE r.iin = $1 AND r.status = 'pending' ORDER BY r.created_at"
    );
    let rows = sqlx::query(&sql).bind(iin).fetch_all(conn).await?;
    rows.iter().map(record).collect()
}

/// Requests stored as `pending` whose expiry is at or before `now`.
pub async fn overdue(
    conn: &mut AnyConnection,
    now: OffsetDateTime,
) -> Result<Vec<SignRequestRecord>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE r.status = 'pending' AND r.expires_at <= $1 ORDER BY r.expires_at"
    );
    let rows = sqlx::query(&sql).bind(to_db(now)).fetch_all(conn).await?;
    rows.iter().map(record).collect()
}

/// Ends a pending request. `Conflict` ([`super::ALREADY_DECIDED`]) if it is no longer pending, `NotFound`
/// if it does not exist.
pub async fn finish(conn: &mut AnyConnection, id: Uuid, finish: &Finish) -> Result<(), StorageError> {
    let updated = sqlx::query(
        "UPDATE sign_requests SET status = $1, finished_at = $2, signature = $3, signer_serial = $4 \
         WHERE id = $5 AND status = 'pending'",
    )
    .bind(finish.status.name())
    .bind(to_db(finish.at))
    .bind(finish.signature.as_deref())
    .bind(finish.signer_serial.as_deref())
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(());
    }
    match find(conn, id).await? {
        Some(_) => Err(StorageError::Conflict {
            kind: ConflictKind::Stale,
            constraint: super::ALREADY_DECIDED.to_owned(),
        }),
        None => Err(StorageError::NotFound),
    }
}

fn format(text: &str) -> Result<SignatureFormat, StorageError> {
    [SignatureFormat::Attached, SignatureFormat::Detached]
        .into_iter()
        .find(|f| f.name() == text)
        .ok_or(StorageError::Corrupt { column: "format" })
}

fn record(row: &AnyRow) -> Result<SignRequestRecord, StorageError> {
    let status: String = row.try_get("status")?;
    Ok(SignRequestRecord {
        id: uuid_from_db(&row.try_get::<String, _>("id")?, "id")?,
        relying_party_id: uuid_from_db(&row.try_get::<String, _>("relying_party_id")?, "relying_party_id")?,
        relying_party_name: row.try_get("relying_party_name")?,
        iin: row.try_get("iin")?,
        status: SignRequestStatus::from_name(&status).ok_or(StorageError::Corrupt { column: "status" })?,
        format: format(&row.try_get::<String, _>("format")?)?,
        data: row.try_get("data")?,
        digest: row.try_get("digest")?,
        display_text: row.try_get("display_text")?,
        verification_code: row.try_get("verification_code")?,
        callback_url: row.try_get("callback_url")?,
        signature: row.try_get("signature")?,
        signer_serial: row.try_get("signer_serial")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
        expires_at: from_db(row.try_get("expires_at")?, "expires_at")?,
        finished_at: from_db_opt(row.try_get("finished_at")?, "finished_at")?,
    })
}
