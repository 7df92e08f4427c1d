//! Relying parties: registered by `qoltanba-server rp add`, which shows the API key and the callback
//! secret once. The API key is kept as its SHA-256 (a fast hash is right for 256 random bits) and
//! compared in constant time; the callback secret is kept as is, since it must key the callbacks' HMAC,
//! and is never logged.

use qoltanba_protocol::ErrorCode;
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::accounts::{csrf_matches, random_token, token_hash};
use crate::ra::{RaError, api, audit};
use crate::storage::relying_parties::{self, RelyingPartyRecord};
use crate::storage::{ConflictKind, Storage, StorageError};

/// Longest relying-party name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest callback host name, in bytes.
const MAX_HOST_LEN: usize = 253;

/// An authenticated relying party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// The hosts its callback URLs may name (lower-case).
    pub callback_hosts: Vec<String>,
}

/// A relying party just added, with its secrets (shown once, never stored in clear except the callback
/// secret).
pub struct NewRelyingParty {
    /// The relying party.
    pub relying_party: RelyingParty,
    /// `Authorization: Bearer <api_key>`.
    pub api_key: Zeroizing<String>,
    /// The key of the callbacks' HMAC.
    pub callback_secret: Zeroizing<String>,
}

impl std::fmt::Debug for NewRelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRelyingParty").field("relying_party", &self.relying_party).finish_non_exhaustive()
    }
}

impl From<RelyingPartyRecord> for RelyingParty {
    fn from(record: RelyingPartyRecord) -> Self {
        Self { id: record.id, name: record.name, callback_hosts: record.callback_hosts }
    }
}

/// Registers a relying party (audited, actor `cli`): a name of 1 to 100 characters, unique (`conflict`),
/// and the host names its callback URLs may use (`invalid_input` for anything but a bare host name).
pub async fn add(
    storage: &Storage,
    name: &str,
    callback_hosts: &[String],
    now: OffsetDateTime,
) -> Result<NewRelyingParty, RaError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(api(ErrorCode::InvalidInput, "the name must be 1 to 100 characters"));
    }
    let hosts = callback_hosts.iter().map(|h| host(h)).collect::<Result<Vec<_>, _>>()?;
    let random = || random_token().map_err(|_| RaError::Random);
    let (api_key, callback_secret) = (random()?, random()?);
    let record = RelyingPartyRecord {
        id: Uuid::new_v4(),
        name: name.to_owned(),
        api_key_hash: token_hash(&api_key),
        callback_secret: callback_secret.clone(),
        callback_hosts: hosts,
        created_at: now,
    };
    let mut tx = storage.begin().await?;
    match relying_parties::insert(&mut tx, &record).await {
        Err(StorageError::Conflict { kind: ConflictKind::Unique, .. }) => {
            return Err(api(ErrorCode::Conflict, "a relying party with this name exists"));
        }
        other => other?,
    }
    let details = json!({ "name": record.name, "callback_hosts": record.callback_hosts });
    audit(&mut tx, now, "cli", "relying_party.added", &record.id.to_string(), details).await?;
    tx.commit().await.map_err(StorageError::from)?;
    Ok(NewRelyingParty { relying_party: record.into(), api_key, callback_secret })
}

/// Every relying party, by name.
pub async fn list(storage: &Storage) -> Result<Vec<RelyingParty>, RaError> {
    let mut conn = storage.acquire().await?;
    Ok(relying_parties::list(&mut conn).await?.into_iter().map(RelyingParty::from).collect())
}

/// The relying party whose API key is `api_key` (`unauthorized` otherwise).
pub async fn authenticate(storage: &Storage, api_key: &str) -> Result<RelyingParty, RaError> {
    let hash = token_hash(api_key);
    let mut conn = storage.acquire().await?;
    let record = relying_parties::by_key_hash(&mut conn, &hash).await?;
    match record {
        Some(record) if csrf_matches(&record.api_key_hash, &hash) => Ok(record.into()),
        _ => Err(api(ErrorCode::Unauthorized, "unknown API key")),
    }
}

/// The callback secret of a relying party.
pub(crate) async fn callback_secret(storage: &Storage, id: Uuid) -> Result<Zeroizing<String>, RaError> {
    let mut conn = storage.acquire().await?;
    let record = relying_parties::find(&mut conn, id).await?.ok_or(StorageError::NotFound)?;
    Ok(record.callback_secret)
}

/// A callback host as stored: a bare host name (letters, digits, `.`, `-`) or an IP address, lower-case.
fn host(text: &str) -> Result<String, RaError> {
    let host = text.trim().to_ascii_lowercase();
    let bare = !host.is_empty()
        && host.len() <= MAX_HOST_LEN
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if bare || host.parse::<std::net::IpAddr>().is_ok() {
        Ok(host)
    } else {
        Err(api(ErrorCode::InvalidInput, format!("not a host name: {text}")))
    }
}
