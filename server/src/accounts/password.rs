//! Password hashing: argon2id (default parameters: 19 MiB, 2 passes) as PHC strings, computed on the
//! blocking pool so that a login does not stall the async runtime.

use std::sync::OnceLock;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use zeroize::Zeroizing;

use super::AccountError;

/// The shortest password accepted (characters).
pub const MIN_PASSWORD_LEN: usize = 12;
/// The longest password accepted (bytes): bounds the hashing work one request can cause.
pub const MAX_PASSWORD_LEN: usize = 1024;

/// Checks the length rules.
pub(super) fn check_length(password: &str) -> Result<(), AccountError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(AccountError::PasswordTooShort);
    }
    if password.len() > MAX_PASSWORD_LEN {
        return Err(AccountError::PasswordTooLong);
    }
    Ok(())
}

/// Hashes a password with a fresh random salt; returns the PHC string.
pub(super) async fn hash(password: Zeroizing<String>) -> Result<String, AccountError> {
    tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(|_| AccountError::Hashing)?
}

fn hash_now(password: &str) -> Result<String, AccountError> {
    let hash: PasswordHash =
        Argon2::default().hash_password(password.as_bytes()).map_err(|_| AccountError::Hashing)?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `phc`. With `phc == None` (unknown user) a dummy hash
/// of the same parameters is verified instead, so that the answer takes about as long either way, and
/// `false` is returned.
pub(super) async fn verify(password: Zeroizing<String>, phc: Option<String>) -> Result<bool, AccountError> {
    tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = match phc {
            Some(phc) => phc,
            None => dummy_hash()?.to_owned(),
        };
        let parsed = PasswordHash::new(&phc).map_err(|_| AccountError::Hashing)?;
        let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(|_| AccountError::Hashing)?
}

/// A hash of a random password, made once per process.
fn dummy_hash() -> Result<&'static str, AccountError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let secret = Zeroizing::new(super::random_token().map_err(|_| AccountError::Hashing)?.to_string());
    let hash = hash_now(&secret)?;
    Ok(DUMMY.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_is_argon2id_and_verifies_only_the_right_password() {
        let phc = hash(Zeroizing::new("correct horse battery".into())).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(verify(Zeroizing::new("correct horse battery".into()), Some(phc.clone())).await.unwrap());
        assert!(!verify(Zeroizing::new("correct horse batterY".into()), Some(phc)).await.unwrap());
    }

    #[tokio::test]
    async fn unknown_user_never_verifies() {
        assert!(!verify(Zeroizing::new("anything at all".into()), None).await.unwrap());
    }

    #[test]
    fn length_rules_count_characters_and_cap_bytes() {
        assert!(matches!(check_length("elevenchars"), Err(AccountError::PasswordTooShort)));
        assert!(check_length("twelve chars").is_ok());
        assert!(check_length("әәәәәәәәәәәә").is_ok());
        assert!(matches!(
            check_length(&"a".repeat(MAX_PASSWORD_LEN + 1)),
            Err(AccountError::PasswordTooLong)
        ));
    }
}
