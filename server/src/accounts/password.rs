//! Password hashing: argon2id (default parameters: 19 MiB, 2 passes) as PHC strings, computed on the
//! blocking pool so that a login does not stall the async runtime.

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
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = PasswordHash::new(&phc).map_err(|_| AccountError::Hashing)?;
        let matches = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(known && matches)
    })
    .await
    .map_err(|_| AccountError::Hashing)?
}

/// The argon2id hash (default parameters) of a random password nobody knows, verified for unknown
/// usernames so that they cost the same work as known ones. Precomputed, so that even the first
/// unknown-user login takes no extra time; a test keeps its parameters equal to the hasher's.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$j6Gpy7u+uyhJZvn7lTnvAA$fEQWFP8RVuvneuziIvU0jaI38P6cGZw38Mujve0K3+s";

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
    async fn dummy_hash_has_the_parameters_of_real_hashes() {
        let real = hash(Zeroizing::new("some password here".into())).await.unwrap();
        let params = |phc: &str| phc.rsplitn(3, '$').nth(2).map(str::to_owned);
        assert_eq!(params(DUMMY_HASH), params(&real));
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
