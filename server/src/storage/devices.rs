//! Citizens' devices registered for signing requests.

use qoltanba_protocol::Platform;
use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::StorageError;
use super::timestamp::{from_db, to_db, uuid_from_db};

/// One registered device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    /// Its id.
    pub id: Uuid,
    /// The citizen's IIN.
    pub iin: String,
    /// The AUTH certificate it registered with (upper-case hex); the device dies with it.
    pub auth_serial: String,
    /// Lower-case hex SHA-256 of its token.
    pub token_hash: String,
    /// Its operating system, if given.
    pub platform: Option<Platform>,
    /// Its push token, if given.
    pub push_token: Option<String>,
    /// When it registered.
    pub created_at: OffsetDateTime,
}

const COLUMNS: &str = "id, iin, auth_serial, token_hash, platform, push_token, created_at";

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Android => "android",
        Platform::Ios => "ios",
        Platform::Desktop => "desktop",
    }
}

fn platform(text: &str) -> Result<Platform, StorageError> {
    [Platform::Android, Platform::Ios, Platform::Desktop]
        .into_iter()
        .find(|p| platform_name(*p) == text)
        .ok_or(StorageError::Corrupt { column: "platform" })
}

/// Stores a device. `foreign_key` if the AUTH certificate is unknown.
pub async fn insert(conn: &mut AnyConnection, record: &DeviceRecord) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO devices (id, iin, auth_serial, token_hash, platform, push_token, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(record.id.to_string())
    .bind(&record.iin)
    .bind(&record.auth_serial)
    .bind(&record.token_hash)
    .bind(record.platform.map(platform_name))
    .bind(record.push_token.as_deref())
    .bind(to_db(record.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The device whose token hashes to `token_hash`, if any.
pub async fn by_token_hash(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<DeviceRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM devices WHERE token_hash = $1");
    let row = sqlx::query(&sql).bind(token_hash).fetch_optional(conn).await?;
    row.map(|r| record(&r)).transpose()
}

/// The devices of a citizen, oldest first (for push wake-ups).
pub async fn by_iin(conn: &mut AnyConnection, iin: &str) -> Result<Vec<DeviceRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM devices WHERE iin = $1 ORDER BY created_at, id");
    let rows = sqlx::query(&sql).bind(iin).fetch_all(conn).await?;
    rows.iter().map(record).collect()
}

fn record(row: &AnyRow) -> Result<DeviceRecord, StorageError> {
    let platform_text: Option<String> = row.try_get("platform")?;
    Ok(DeviceRecord {
        id: uuid_from_db(&row.try_get::<String, _>("id")?, "id")?,
        iin: row.try_get("iin")?,
        auth_serial: row.try_get("auth_serial")?,
        token_hash: row.try_get("token_hash")?,
        platform: platform_text.as_deref().map(platform).transpose()?,
        push_token: row.try_get("push_token")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
    })
}
