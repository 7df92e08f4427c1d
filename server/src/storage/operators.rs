//! Operator accounts (argon2 PHC hashes) and their console sessions (token hashes, CSRF tokens).

use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;

use super::StorageError;
use super::timestamp::{from_db, to_db};

/// An operator account. `Debug` hides the password hash.
#[derive(Clone, PartialEq, Eq)]
pub struct Operator {
    /// Row id.
    pub id: i64,
    /// Login name (unique).
    pub username: String,
    /// The argon2 PHC string (`$argon2id$…`).
    pub password_hash: String,
    /// When the account was created.
    pub created_at: OffsetDateTime,
}

impl std::fmt::Debug for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operator")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password_hash", &"<redacted>")
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// A logged-in operator's console session. Only a hash of the cookie's token is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct OperatorSession {
    /// Hash of the session token (the cookie holds the token).
    pub token_hash: String,
    /// The operator.
    pub operator_id: i64,
    /// The CSRF token forms must echo.
    pub csrf_token: String,
    /// When the operator logged in.
    pub created_at: OffsetDateTime,
    /// When the session ends.
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for OperatorSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorSession")
            .field("operator_id", &self.operator_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Creates an account; returns its id. `Conflict` `operators_username_key` if the name is taken.
pub async fn create(
    conn: &mut AnyConnection,
    username: &str,
    password_hash: &str,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO operators (username, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(username)
    .bind(password_hash)
    .bind(to_db(at))
    .fetch_one(conn)
    .await?)
}

/// The account with this username, if it exists.
pub async fn by_username(conn: &mut AnyConnection, username: &str) -> Result<Option<Operator>, StorageError> {
    let row =
        sqlx::query("SELECT id, username, password_hash, created_at FROM operators WHERE username = $1")
            .bind(username)
            .fetch_optional(conn)
            .await?;
    row.map(|r| operator(&r)).transpose()
}

/// Every account, by username.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Operator>, StorageError> {
    let rows = sqlx::query("SELECT id, username, password_hash, created_at FROM operators ORDER BY username")
        .fetch_all(conn)
        .await?;
    rows.iter().map(operator).collect()
}

/// Replaces an account's password hash and ends its sessions. `NotFound` if the name is unknown.
pub async fn set_password(
    conn: &mut AnyConnection,
    username: &str,
    password_hash: &str,
) -> Result<(), StorageError> {
    let id: i64 =
        sqlx::query_scalar("UPDATE operators SET password_hash = $1 WHERE username = $2 RETURNING id")
            .bind(password_hash)
            .bind(username)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query("DELETE FROM operator_sessions WHERE operator_id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Deletes an account and its sessions. `NotFound` if the name is unknown.
pub async fn delete(conn: &mut AnyConnection, username: &str) -> Result<(), StorageError> {
    let deleted =
        sqlx::query("DELETE FROM operators WHERE username = $1").bind(username).execute(conn).await?;
    match deleted.rows_affected() {
        0 => Err(StorageError::NotFound),
        _ => Ok(()),
    }
}

fn operator(row: &AnyRow) -> Result<Operator, StorageError> {
    Ok(Operator {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        password_hash: row.try_get("password_hash")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
    })
}

/// Stores a console session. `Conflict` `operator_sessions_pkey` for a token hash already in use,
/// `foreign_key` if the operator does not exist.
pub async fn open_session(conn: &mut AnyConnection, session: &OperatorSession) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO operator_sessions (token_hash, operator_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&session.token_hash)
    .bind(session.operator_id)
    .bind(&session.csrf_token)
    .bind(to_db(session.created_at))
    .bind(to_db(session.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The unexpired session with this token hash and its operator.
pub async fn session(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<(OperatorSession, Operator)>, StorageError> {
    let row = sqlx::query(
        "SELECT s.token_hash, s.operator_id, s.csrf_token, s.created_at AS session_created_at, s.expires_at, \
         o.id, o.username, o.password_hash, o.created_at \
         FROM operator_sessions s JOIN operators o ON o.id = s.operator_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(to_db(now))
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        let session = OperatorSession {
            token_hash: r.try_get("token_hash")?,
            operator_id: r.try_get("operator_id")?,
            csrf_token: r.try_get("csrf_token")?,
            created_at: from_db(r.try_get("session_created_at")?, "created_at")?,
            expires_at: from_db(r.try_get("expires_at")?, "expires_at")?,
        };
        Ok((session, operator(&r)?))
    })
    .transpose()
}

/// Ends a session (logout); ending an unknown one is not an error.
pub async fn close_session(conn: &mut AnyConnection, token_hash: &str) -> Result<(), StorageError> {
    sqlx::query("DELETE FROM operator_sessions WHERE token_hash = $1").bind(token_hash).execute(conn).await?;
    Ok(())
}

/// Deletes sessions expired at `now`; returns how many.
pub async fn purge_sessions(conn: &mut AnyConnection, now: OffsetDateTime) -> Result<u64, StorageError> {
    let deleted = sqlx::query("DELETE FROM operator_sessions WHERE expires_at <= $1")
        .bind(to_db(now))
        .execute(conn)
        .await?;
    Ok(deleted.rows_affected())
}
