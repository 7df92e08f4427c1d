//! One transaction per operation, with the idempotency record inside it.

use qoltanba_protocol::{ApiError, ErrorCode, Session};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};
use time::OffsetDateTime;

use super::error::api;
use super::{Ra, RaError};
use crate::storage::idempotency::{self, Outcome, StoredResponse};
use crate::storage::{Storage, StorageError};

/// A request's idempotency key with what identifies the request: its route and a digest of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// The client's key (`Idempotency-Key`).
    pub key: String,
    /// Method and path (`POST /v1/enrollments/…/email`).
    pub route: String,
    /// Hex SHA-256 of the request body (and its content type).
    pub request_hash: String,
}

impl Idempotency {
    /// The key of a request to `route` with `content_type` and `body`.
    pub fn new(key: &str, route: &str, content_type: &str, body: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(content_type.as_bytes());
        hasher.update(b"\n");
        hasher.update(body);
        Self { key: key.to_owned(), route: route.to_owned(), request_hash: hex::encode(hasher.finalize()) }
    }
}

pub(crate) type Tx = Transaction<'static, Any>;

/// What an operation decided, to be committed: the new session (or another answer), or a refusal that
/// still changes something (a wrong code counts a try).
pub(crate) enum Answer<T = Session> {
    /// The step was done.
    Done(T),
    /// The step was refused, and what it changed is kept.
    Refused(ApiError),
}

/// A transaction ready for work, or the stored answer of an earlier identical request.
pub(crate) enum Begun<T = Session> {
    Fresh(Tx),
    Replayed(Result<T, RaError>),
}

impl Ra {
    /// Opens the operation's transaction and records the key (or finds its earlier answer).
    pub(crate) async fn begin<T: DeserializeOwned>(
        &self,
        idem: Option<&Idempotency>,
    ) -> Result<Begun<T>, RaError> {
        begin(&self.storage, idem, self.now()).await
    }

    /// Records the answer under the key and commits.
    pub(crate) async fn commit<T: Serialize>(
        &self,
        tx: Tx,
        idem: Option<&Idempotency>,
        answer: Answer<T>,
        success_status: u16,
    ) -> Result<T, RaError> {
        commit(tx, idem, answer, success_status, self.now()).await
    }
}

/// Opens a transaction on `storage` and records the key at `now` (or finds its earlier answer).
pub(crate) async fn begin<T: DeserializeOwned>(
    storage: &Storage,
    idem: Option<&Idempotency>,
    now: OffsetDateTime,
) -> Result<Begun<T>, RaError> {
    let mut tx = storage.begin().await?;
    let Some(idem) = idem else { return Ok(Begun::Fresh(tx)) };
    match idempotency::begin(&mut tx, &idem.key, &idem.route, &idem.request_hash, now).await? {
        Outcome::New => Ok(Begun::Fresh(tx)),
        Outcome::Replay(stored) => Ok(Begun::Replayed(decode(&stored))),
        Outcome::Mismatch => {
            Err(api(ErrorCode::Conflict, "this idempotency key was used for another request"))
        }
        Outcome::Unfinished => Err(api(ErrorCode::Conflict, "this idempotency key is in use")),
    }
}

/// Records the answer under the key at `now` and commits.
pub(crate) async fn commit<T: Serialize>(
    mut tx: Tx,
    idem: Option<&Idempotency>,
    answer: Answer<T>,
    success_status: u16,
    now: OffsetDateTime,
) -> Result<T, RaError> {
    let (status, body, result) = match answer {
        Answer::Done(done) => (success_status, serde_json::to_vec(&done)?, Ok(done)),
        Answer::Refused(error) => (error.http_status(), serde_json::to_vec(&error)?, Err(error.into())),
    };
    if let Some(idem) = idem {
        let stored = StoredResponse { status, content_type: "application/json".to_owned(), body };
        idempotency::finish(&mut tx, &idem.key, &stored, now).await?;
    }
    tx.commit().await.map_err(StorageError::from)?;
    result
}

/// The answer stored for a replay: the answer (a session) for a success, the error otherwise.
fn decode<T: DeserializeOwned>(stored: &StoredResponse) -> Result<T, RaError> {
    if (200..300).contains(&stored.status) {
        Ok(serde_json::from_slice(&stored.body)?)
    } else {
        Err(RaError::Api(serde_json::from_slice(&stored.body)?))
    }
}

/// Runs one operation in a transaction with its idempotency record: replays a stored answer, rolls
/// back on `Err`, commits an [`Answer`].
macro_rules! transact {
    ($ra:expr, $idem:expr, $status:expr, |$tx:ident| $body:expr) => {{
        let mut $tx = match $ra.begin($idem).await? {
            $crate::ra::transaction::Begun::Fresh(tx) => tx,
            $crate::ra::transaction::Begun::Replayed(result) => return result,
        };
        let answer: Result<$crate::ra::transaction::Answer<_>, RaError> = $body;
        $ra.commit($tx, $idem, answer?, $status).await
    }};
}
pub(crate) use transact;
