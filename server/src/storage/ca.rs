//! The CA's own certificates (with where their keys live) and the CRL number sequence.

use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;

use super::StorageError;
use super::timestamp::{from_db, to_db};

/// Which CA a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaRole {
    /// The self-signed root.
    Root,
    /// The CA that signs citizens' certificates, OCSP answers and CRLs.
    Issuing,
}

impl CaRole {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Root => "root",
            Self::Issuing => "issuing",
        }
    }

    fn parse(text: &str) -> Result<Self, StorageError> {
        match text {
            "root" => Ok(Self::Root),
            "issuing" => Ok(Self::Issuing),
            _ => Err(StorageError::Corrupt { column: "role" }),
        }
    }
}

/// A CA certificate and where its private key lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaRecord {
    /// Position in the table (increasing; the latest of a role is the current one).
    pub id: i64,
    /// Root or issuing.
    pub role: CaRole,
    /// The certificate, DER.
    pub certificate_der: Vec<u8>,
    /// Where the key is: a file path or a PKCS#11 URI (never the key itself).
    pub key_reference: String,
    /// When it was stored.
    pub created_at: OffsetDateTime,
}

/// Stores a CA certificate; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    role: CaRole,
    certificate_der: &[u8],
    key_reference: &str,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO ca_records (role, certificate_der, key_reference, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(role.name())
    .bind(certificate_der)
    .bind(key_reference)
    .bind(to_db(at))
    .fetch_one(conn)
    .await?)
}

/// The current (latest) CA of a role, if one was created.
pub async fn current(conn: &mut AnyConnection, role: CaRole) -> Result<Option<CaRecord>, StorageError> {
    let row = sqlx::query(
        "SELECT id, role, certificate_der, key_reference, created_at FROM ca_records \
         WHERE role = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(role.name())
    .fetch_optional(conn)
    .await?;
    row.map(|r| record(&r)).transpose()
}

/// Every CA record, oldest first.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<CaRecord>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, role, certificate_der, key_reference, created_at FROM ca_records ORDER BY id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter().map(record).collect()
}

fn record(row: &AnyRow) -> Result<CaRecord, StorageError> {
    Ok(CaRecord {
        id: row.try_get("id")?,
        role: CaRole::parse(&row.try_get::<String, _>("role")?)?,
        certificate_der: row.try_get("certificate_der")?,
        key_reference: row.try_get("key_reference")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
    })
}

/// Takes the next CRL number: strictly greater than every number taken before, never reused (also after
/// a rollback leaves a gap).
pub async fn next_crl_number(conn: &mut AnyConnection, at: OffsetDateTime) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar("INSERT INTO crl_numbers (created_at) VALUES ($1) RETURNING number")
        .bind(to_db(at))
        .fetch_one(conn)
        .await?)
}

/// Keeps the signed CRL of a number taken with [`next_crl_number`]. `NotFound` if the number was not taken.
pub async fn store_crl(conn: &mut AnyConnection, number: i64, der: &[u8]) -> Result<(), StorageError> {
    let updated = sqlx::query("UPDATE crl_numbers SET der = $1 WHERE number = $2")
        .bind(der)
        .bind(number)
        .execute(conn)
        .await?;
    match updated.rows_affected() {
        1 => Ok(()),
        _ => Err(StorageError::NotFound),
    }
}

/// A signed CRL as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCrl {
    /// Its CRL number.
    pub number: i64,
    /// When the number was taken.
    pub created_at: OffsetDateTime,
    /// The CRL, DER.
    pub der: Vec<u8>,
}

/// The latest stored CRL.
pub async fn latest_crl(conn: &mut AnyConnection) -> Result<Option<StoredCrl>, StorageError> {
    let row = sqlx::query(
        "SELECT number, created_at, der FROM crl_numbers WHERE der IS NOT NULL ORDER BY number DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(StoredCrl {
            number: r.try_get("number")?,
            created_at: from_db(r.try_get("created_at")?, "created_at")?,
            der: r.try_get("der")?,
        })
    })
    .transpose()
}
