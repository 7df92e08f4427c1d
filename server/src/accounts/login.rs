//! Login: password check against the argon2 hash (or a dummy hash for unknown names), a lockout after
//! [`LOCKOUT_FAILURES`] failures within [`LOCKOUT_WINDOW`] per username, and an audit entry for every
//! outcome. The lockout counts from the audit log, so it survives restarts and holds across instances.

use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use super::session::{self, NewSession};
use super::{AccountError, password, record, subject, validate_username};
use crate::storage::audit;
use crate::storage::{AnyConnection, Storage, StorageError, operators};

/// Failed logins that lock a username.
pub const LOCKOUT_FAILURES: usize = 5;
/// The window in which failures count (and how long after the last counted one a lock lasts).
pub const LOCKOUT_WINDOW: Duration = Duration::minutes(15);

const FAILED: &str = "operator.login_failed";
const SUCCEEDED: &str = "operator.login";
const LOCKED: &str = "operator.login_locked";
/// The audit actor of a login attempt that has not (yet) proved who it is.
const ANONYMOUS: &str = "console";
/// How a name that breaks the username rules appears in the audit log.
const INVALID_NAME: &str = "<invalid>";

/// Checks the credentials and opens a session. `InvalidCredentials` for an unknown name or a wrong
/// password (alike, in answer and about in time), `LockedOut` after too many failures.
pub async fn login(
    storage: &Storage,
    username: &str,
    password: Zeroizing<String>,
    now: OffsetDateTime,
) -> Result<NewSession, AccountError> {
    let name = if validate_username(username).is_ok() { username } else { INVALID_NAME };
    let mut conn = storage.acquire().await?;
    if let Some(retry_after_s) = locked_for(&mut conn, name, now).await? {
        record(&mut conn, now, ANONYMOUS, LOCKED, name).await?;
        return Err(AccountError::LockedOut { retry_after_s });
    }
    let account = match name {
        INVALID_NAME => None,
        _ => operators::by_username(&mut conn, name).await?,
    };
    let within_limit = password.len() <= password::MAX_PASSWORD_LEN;
    let phc = account.as_ref().filter(|_| within_limit).map(|a| a.password_hash.clone());
    let matches = password::verify(password, phc).await?;
    match account.filter(|_| matches) {
        Some(account) => {
            operators::purge_sessions(&mut conn, now).await?;
            let session = session::open(&mut conn, account.id, name, now).await?;
            record(&mut conn, now, &subject(name), SUCCEEDED, name).await?;
            Ok(session)
        }
        None => {
            record(&mut conn, now, ANONYMOUS, FAILED, name).await?;
            Err(AccountError::InvalidCredentials)
        }
    }
}

/// Seconds until `name` may try again, if it is locked: [`LOCKOUT_FAILURES`] failures within the
/// window and after the last success.
async fn locked_for(
    conn: &mut AnyConnection,
    name: &str,
    now: OffsetDateTime,
) -> Result<Option<u32>, StorageError> {
    let since = now - LOCKOUT_WINDOW;
    let entries = audit::by_subject(conn, &subject(name)).await?;
    let last_success = entries.iter().filter(|e| e.action == SUCCEEDED).map(|e| e.id).max();
    let failures: Vec<OffsetDateTime> = entries
        .iter()
        .filter(|e| e.action == FAILED && e.at > since && last_success.is_none_or(|s| e.id > s))
        .map(|e| e.at)
        .collect();
    let Some(oldest_locking) = failures.len().checked_sub(LOCKOUT_FAILURES).and_then(|i| failures.get(i))
    else {
        return Ok(None);
    };
    let remaining = (*oldest_locking + LOCKOUT_WINDOW - now).whole_seconds().max(1);
    Ok(Some(u32::try_from(remaining).unwrap_or(u32::MAX)))
}
