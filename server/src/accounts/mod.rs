//! Operator accounts and their console sessions, as a security reviewer expects them:
//! argon2id password hashes, session tokens stored only as SHA-256 hashes, a CSRF token per session
//! compared in constant time, a lockout after repeated failed logins, and every login, failure and
//! logout in the audit log (never a password).
//!
//! The web layer ([`crate::web`]) only moves these values in and out of cookies, forms and JSON.

mod error;
mod login;
mod password;
mod session;
mod username;

pub use error::AccountError;
pub use login::{LOCKOUT_FAILURES, LOCKOUT_WINDOW, login};
pub use password::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN};
pub use session::{
    AuthenticatedOperator, NewSession, SESSION_LIFETIME, authenticate, csrf_matches, logout, random_token,
    token_hash,
};
pub use username::{MAX_USERNAME_LEN, validate_username};

use crate::storage::audit::{self, NewAuditEntry};
use crate::storage::{AnyConnection, ConflictKind, Storage, StorageError, operators};
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// An account as listed by `qoltanba-server operator list` (no hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    /// Login name.
    pub username: String,
    /// When the account was created.
    pub created_at: OffsetDateTime,
}

/// Creates an operator account (username rules, password length) with an argon2id hash; audited as
/// `operator.created` by `actor` (`cli` for the command line). Returns the account id.
pub async fn create(
    storage: &Storage,
    username: &str,
    password: Zeroizing<String>,
    actor: &str,
    now: OffsetDateTime,
) -> Result<i64, AccountError> {
    validate_username(username)?;
    password::check_length(&password)?;
    let hash = password::hash(password).await?;
    let mut tx = storage.begin().await?;
    let id = match operators::create(&mut tx, username, &hash, now).await {
        Err(StorageError::Conflict { kind: ConflictKind::Unique, .. }) => {
            return Err(AccountError::UsernameTaken);
        }
        other => other?,
    };
    record(&mut tx, now, actor, "operator.created", username).await?;
    tx.commit().await.map_err(StorageError::from)?;
    Ok(id)
}

/// Every account, by username.
pub async fn list(storage: &Storage) -> Result<Vec<AccountSummary>, AccountError> {
    let mut conn = storage.acquire().await?;
    let all = operators::all(&mut conn).await?;
    Ok(all.into_iter().map(|o| AccountSummary { username: o.username, created_at: o.created_at }).collect())
}

/// The audit subject for an account (or an attempted login name).
pub(crate) fn subject(username: &str) -> String {
    format!("operator:{username}")
}

/// Appends an audit entry about an account with no details.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    at: OffsetDateTime,
    actor: &str,
    action: &str,
    username: &str,
) -> Result<(), StorageError> {
    let details = serde_json::json!({});
    let subject = subject(username);
    audit::append(conn, &NewAuditEntry { at, actor, action, subject: &subject, details: &details }).await?;
    Ok(())
}
