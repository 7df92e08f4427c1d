//! Console sessions: a random 32-byte token (the cookie's value) stored only as its SHA-256 hash, an
//! 8-hour lifetime, and a per-session CSRF token that every state-changing request must echo.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use super::AccountError;
use crate::storage::operators::{self, OperatorSession};
use crate::storage::{Storage, StorageError};

/// How long a console session lasts after login.
pub const SESSION_LIFETIME: Duration = Duration::hours(8);

/// A session just opened by a login: what goes into the cookie and the pages.
pub struct NewSession {
    /// The session token for the cookie (the database holds only its hash).
    pub token: Zeroizing<String>,
    /// The CSRF token state-changing requests must carry.
    pub csrf_token: String,
    /// The operator's username.
    pub username: String,
    /// When the session ends.
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The operator behind a valid session cookie.
#[derive(Clone)]
pub struct AuthenticatedOperator {
    /// Account id.
    pub operator_id: i64,
    /// Login name.
    pub username: String,
    /// The session's CSRF token (to render into forms and to check against).
    pub csrf_token: String,
    /// When the session ends.
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for AuthenticatedOperator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthenticatedOperator")
            .field("operator_id", &self.operator_id)
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl AuthenticatedOperator {
    /// The actor name of this operator in the audit log (`operator:<username>`).
    pub fn actor(&self) -> String {
        super::subject(&self.username)
    }

    /// Whether `given` is this session's CSRF token (constant-time comparison).
    pub fn csrf_ok(&self, given: Option<&str>) -> bool {
        given.is_some_and(|given| csrf_matches(&self.csrf_token, given))
    }
}

/// 32 random bytes from the operating system, base64url without padding (43 characters).
pub fn random_token() -> Result<Zeroizing<String>, AccountError> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut()).map_err(|_| AccountError::Hashing)?;
    Ok(Zeroizing::new(URL_SAFE_NO_PAD.encode(bytes.as_ref())))
}

/// Whether two CSRF tokens are equal, in time independent of where they differ.
pub fn csrf_matches(expected: &str, given: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// The stored form of a session token: lower-case hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Opens a session for an operator who just proved their password.
pub(super) async fn open(
    conn: &mut crate::storage::AnyConnection,
    operator_id: i64,
    username: &str,
    now: OffsetDateTime,
) -> Result<NewSession, AccountError> {
    let token = random_token()?;
    let csrf_token = random_token()?.to_string();
    let expires_at = now + SESSION_LIFETIME;
    let session = OperatorSession {
        token_hash: token_hash(&token),
        operator_id,
        csrf_token: csrf_token.clone(),
        created_at: now,
        expires_at,
    };
    operators::open_session(conn, &session).await?;
    Ok(NewSession { token, csrf_token, username: username.to_owned(), expires_at })
}

/// The operator of an unexpired session with this token; `NotAuthenticated` otherwise.
pub async fn authenticate(
    storage: &Storage,
    token: &str,
    now: OffsetDateTime,
) -> Result<AuthenticatedOperator, AccountError> {
    let mut conn = storage.acquire().await?;
    let (session, operator) = operators::session(&mut conn, &token_hash(token), now)
        .await?
        .ok_or(AccountError::NotAuthenticated)?;
    Ok(AuthenticatedOperator {
        operator_id: operator.id,
        username: operator.username,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    })
}

/// Ends the session with this token (its cookie stops working at once); audited as `operator.logout`.
pub async fn logout(storage: &Storage, token: &str, now: OffsetDateTime) -> Result<(), AccountError> {
    let operator = authenticate(storage, token, now).await?;
    let mut tx = storage.begin().await?;
    operators::close_session(&mut tx, &token_hash(token)).await?;
    super::record(&mut tx, now, &operator.actor(), "operator.logout", &operator.username).await?;
    tx.commit().await.map_err(StorageError::from)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_43_url_safe_characters_and_differ() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(*a, *b);
    }

    #[test]
    fn csrf_comparison_needs_exact_nonempty_match() {
        assert!(csrf_matches("abc", "abc"));
        assert!(!csrf_matches("abc", "abd"));
        assert!(!csrf_matches("abc", "ab"));
        assert!(!csrf_matches("", ""));
    }

    #[test]
    fn stored_hash_is_sha256_hex() {
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
