//! Relying parties: the services allowed to ask citizens to sign.

use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::StorageError;
use super::timestamp::{from_db, to_db, uuid_from_db};

/// One relying party as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct RelyingPartyRecord {
    /// Its id.
    pub id: Uuid,
    /// Its name, unique, shown on the citizen's phone.
    pub name: String,
    /// Lower-case hex SHA-256 of its API key.
    pub api_key_hash: String,
    /// The key of its callbacks' HMAC, kept as is (it must sign); never logged.
    pub callback_secret: Zeroizing<String>,
    /// Host names its callback URLs may name.
    pub callback_hosts: Vec<String>,
    /// When it was added.
    pub created_at: OffsetDateTime,
}

impl std::fmt::Debug for RelyingPartyRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingPartyRecord")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("callback_hosts", &self.callback_hosts)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, name, api_key_hash, callback_secret, callback_hosts, created_at";

/// Stores a new relying party. `Conflict` `relying_parties_name_key` for a name already used.
pub async fn insert(conn: &mut AnyConnection, record: &RelyingPartyRecord) -> Result<(), StorageError> {
    let hosts = serde_json::to_string(&record.callback_hosts)
        .map_err(|_| StorageError::Corrupt { column: "callback_hosts" })?;
    sqlx::query(
        "INSERT INTO relying_parties (id, name, api_key_hash, callback_secret, callback_hosts, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(record.id.to_string())
    .bind(&record.name)
    .bind(&record.api_key_hash)
    .bind(record.callback_secret.as_str())
    .bind(hosts)
    .bind(to_db(record.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The relying party whose API key hashes to `api_key_hash`, if any.
pub async fn by_key_hash(
    conn: &mut AnyConnection,
    api_key_hash: &str,
) -> Result<Option<RelyingPartyRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM relying_parties WHERE api_key_hash = $1");
    let row = sqlx::query(&sql).bind(api_key_hash).fetch_optional(conn).await?;
    row.map(|r| record(&r)).transpose()
}

/// The relying party with this id, if any.
pub async fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<RelyingPartyRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM relying_parties WHERE id = $1");
    let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(conn).await?;
    row.map(|r| record(&r)).transpose()
}

/// Every relying party, by name.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<RelyingPartyRecord>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM relying_parties ORDER BY name");
    let rows = sqlx::query(&sql).fetch_all(conn).await?;
    rows.iter().map(record).collect()
}

fn record(row: &AnyRow) -> Result<RelyingPartyRecord, StorageError> {
    let hosts: String = row.try_get("callback_hosts")?;
    Ok(RelyingPartyRecord {
        id: uuid_from_db(&row.try_get::<String, _>("id")?, "id")?,
        name: row.try_get("name")?,
        api_key_hash: row.try_get("api_key_hash")?,
        callback_secret: Zeroizing::new(row.try_get("callback_secret")?),
        callback_hosts: serde_json::from_str(&hosts)
            .map_err(|_| StorageError::Corrupt { column: "callback_hosts" })?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
    })
}
