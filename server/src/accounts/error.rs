//! What can go wrong with accounts and sessions.

use crate::storage::StorageError;

/// An account or session failure. No variant carries a password or a token.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The username breaks the rules (see [`super::validate_username`]).
    #[error("username must be 3–{max} characters: lower-case letters, digits, '.', '_' or '-', starting with a letter", max = super::MAX_USERNAME_LEN)]
    InvalidUsername,
    /// The password is shorter than [`super::MIN_PASSWORD_LEN`] characters.
    #[error("password must have at least {min} characters", min = super::MIN_PASSWORD_LEN)]
    PasswordTooShort,
    /// The password is longer than [`super::MAX_PASSWORD_LEN`] bytes.
    #[error("password must have at most {max} bytes", max = super::MAX_PASSWORD_LEN)]
    PasswordTooLong,
    /// An account with this username exists.
    #[error("an operator with this username exists")]
    UsernameTaken,
    /// Unknown username or wrong password (deliberately not saying which).
    #[error("invalid username or password")]
    InvalidCredentials,
    /// Too many failed logins for this username recently; try again later.
    #[error("too many failed logins; retry in {retry_after_s} s")]
    LockedOut {
        /// Seconds until a login may be tried again.
        retry_after_s: u32,
    },
    /// No session, an unknown or expired token.
    #[error("not logged in")]
    NotAuthenticated,
    /// Hashing failed (the random source or the hasher broke).
    #[error("password hashing failed")]
    Hashing,
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}
