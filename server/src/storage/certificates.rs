//! Issued certificates and their revocation status.

use qoltanba_pki::ocsp::Status as OcspStatus;
use qoltanba_pki::x509::ext::pkix::CrlReason;
use qoltanba_protocol::{CertificateItem, CertificatePurpose, CertificateStatus, RevocationReason};
use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::timestamp::{from_db, from_db_opt, to_db, uuid_from_db};
use super::{ConflictKind, StorageError};

/// One issued certificate as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    /// Serial number, upper-case hex.
    pub serial: String,
    /// IIN of the holder.
    pub iin: String,
    /// AUTH or SIGN.
    pub purpose: CertificatePurpose,
    /// The enrollment session it was issued in, if any.
    pub session_id: Option<Uuid>,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// When revoked, and why; `None` while good.
    pub revocation: Option<Revocation>,
    /// When it was stored.
    pub created_at: OffsetDateTime,
}

/// When and why a certificate was revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revocation {
    /// When.
    pub at: OffsetDateTime,
    /// Why.
    pub reason: RevocationReason,
}

impl CertificateRecord {
    /// What this CA's OCSP responder says of it: revoked (when, why) or good.
    pub fn ocsp_state(&self) -> OcspStatus {
        match self.revocation {
            Some(revocation) => {
                OcspStatus::Revoked { at: revocation.at, reason: Some(crl_reason(revocation.reason)) }
            }
            None => OcspStatus::Good,
        }
    }

    /// Status at `now`: revoked, expired (past `not_after`) or good.
    pub fn status_at(&self, now: OffsetDateTime) -> CertificateStatus {
        match self.revocation {
            Some(_) => CertificateStatus::Revoked,
            None if now > self.not_after => CertificateStatus::Expired,
            None => CertificateStatus::Good,
        }
    }

    /// The listing item of `certs --json` and the operator API, with the status at `now`.
    pub fn item(&self, now: OffsetDateTime) -> CertificateItem {
        CertificateItem {
            serial: self.serial.clone(),
            iin: self.iin.clone(),
            purpose: self.purpose,
            status: self.status_at(now),
            not_before: self.not_before,
            not_after: self.not_after,
            revoked_at: self.revocation.map(|r| r.at),
            revocation_reason: self.revocation.map(|r| r.reason),
        }
    }
}

fn purpose_name(purpose: CertificatePurpose) -> &'static str {
    match purpose {
        CertificatePurpose::Auth => "auth",
        CertificatePurpose::Sign => "sign",
    }
}

fn purpose(text: &str) -> Result<CertificatePurpose, StorageError> {
    match text {
        "auth" => Ok(CertificatePurpose::Auth),
        "sign" => Ok(CertificatePurpose::Sign),
        _ => Err(StorageError::Corrupt { column: "purpose" }),
    }
}

fn reason(text: &str) -> Result<RevocationReason, StorageError> {
    [
        RevocationReason::Unspecified,
        RevocationReason::KeyCompromise,
        RevocationReason::AffiliationChanged,
        RevocationReason::Superseded,
        RevocationReason::CessationOfOperation,
    ]
    .into_iter()
    .find(|r| r.name() == text)
    .ok_or(StorageError::Corrupt { column: "revocation_reason" })
}

const COLUMNS: &str = "serial, iin, purpose, session_id, not_before, not_after, der, status, revoked_at, revocation_reason, created_at";

/// Stores a newly issued certificate as good (its `revocation` is ignored). `Conflict`
/// `certificates_pkey` for a serial already used, `certificates_session_id_purpose_key` if the session
/// already has a certificate of that purpose, `foreign_key` if the session does not exist.
pub async fn insert(conn: &mut AnyConnection, cert: &CertificateRecord) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO certificates (serial, iin, purpose, session_id, not_before, not_after, der, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'good', $8)",
    )
    .bind(&cert.serial)
    .bind(&cert.iin)
    .bind(purpose_name(cert.purpose))
    .bind(cert.session_id.map(|id| id.to_string()))
    .bind(to_db(cert.not_before))
    .bind(to_db(cert.not_after))
    .bind(&cert.der)
    .bind(to_db(cert.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The certificate with this serial (upper-case hex), if it exists.
pub async fn find(conn: &mut AnyConnection, serial: &str) -> Result<Option<CertificateRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM certificates WHERE serial = $1");
    let row = sqlx::query(&sql).bind(serial).fetch_optional(conn).await?;
    row.map(|r| record(&r)).transpose()
}

/// The certificates of an IIN, oldest first.
pub async fn by_iin(conn: &mut AnyConnection, iin: &str) -> Result<Vec<CertificateRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM certificates WHERE iin = $1 ORDER BY created_at, serial");
    let rows = sqlx::query(&sql).bind(iin).fetch_all(conn).await?;
    rows.iter().map(record).collect()
}

/// The certificates issued in a session.
pub async fn by_session(
    conn: &mut AnyConnection,
    session_id: Uuid,
) -> Result<Vec<CertificateRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM certificates WHERE session_id = $1 ORDER BY purpose");
    let rows = sqlx::query(&sql).bind(session_id.to_string()).fetch_all(conn).await?;
    rows.iter().map(record).collect()
}

/// Every revoked certificate (for the CRL), in serial order.
pub async fn revoked(conn: &mut AnyConnection) -> Result<Vec<CertificateRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM certificates WHERE status = 'revoked' ORDER BY serial");
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    rows.iter().map(record).collect()
}

/// Revokes a good certificate. `NotFound` if the serial is unknown, `Conflict` ([`super::ALREADY_DECIDED`])
/// if it is already revoked.
pub async fn revoke(
    conn: &mut AnyConnection,
    serial: &str,
    revocation: Revocation,
) -> Result<(), StorageError> {
    let updated = sqlx::query(
        "UPDATE certificates SET status = 'revoked', revoked_at = $1, revocation_reason = $2 \
         WHERE serial = $3 AND status = 'good'",
    )
    .bind(to_db(revocation.at))
    .bind(revocation.reason.name())
    .bind(serial)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(());
    }
    match find(conn, serial).await? {
        Some(_) => Err(StorageError::Conflict {
            kind: ConflictKind::Stale,
            constraint: super::ALREADY_DECIDED.to_owned(),
        }),
        None => Err(StorageError::NotFound),
    }
}

fn record(row: &AnyRow) -> Result<CertificateRecord, StorageError> {
    let session_id: Option<String> = row.try_get("session_id")?;
    let status: String = row.try_get("status")?;
    let revoked_at = from_db_opt(row.try_get("revoked_at")?, "revoked_at")?;
    let revocation_reason: Option<String> = row.try_get("revocation_reason")?;
    let revocation = match (status.as_str(), revoked_at, revocation_reason) {
        ("good", _, _) => None,
        ("revoked", Some(at), Some(text)) => Some(Revocation { at, reason: reason(&text)? }),
        _ => return Err(StorageError::Corrupt { column: "status" }),
    };
    Ok(CertificateRecord {
        serial: row.try_get("serial")?,
        iin: row.try_get("iin")?,
        purpose: purpose(&row.try_get::<String, _>("purpose")?)?,
        session_id: session_id.map(|s| uuid_from_db(&s, "session_id")).transpose()?,
        not_before: from_db(row.try_get("not_before")?, "not_before")?,
        not_after: from_db(row.try_get("not_after")?, "not_after")?,
        der: row.try_get("der")?,
        revocation,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
    })
}

/// The CRL / OCSP reason code of a revocation reason.
pub fn crl_reason(reason: RevocationReason) -> CrlReason {
    match reason {
        RevocationReason::Unspecified => CrlReason::Unspecified,
        RevocationReason::KeyCompromise => CrlReason::KeyCompromise,
        RevocationReason::AffiliationChanged => CrlReason::AffiliationChanged,
        RevocationReason::Superseded => CrlReason::Superseded,
        RevocationReason::CessationOfOperation => CrlReason::CessationOfOperation,
    }
}
