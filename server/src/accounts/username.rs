//! Username rules: 3–64 characters of `a-z`, `0-9`, `.`, `_`, `-`, starting with a letter, so that a
//! name is safe in audit subjects, logs and pages and cannot impersonate another by case or Unicode.

use super::AccountError;

/// The longest username accepted.
pub const MAX_USERNAME_LEN: usize = 64;
const MIN_USERNAME_LEN: usize = 3;

/// Checks a username against the rules.
pub fn validate_username(username: &str) -> Result<(), AccountError> {
    let len_ok = (MIN_USERNAME_LEN..=MAX_USERNAME_LEN).contains(&username.len());
    let starts_with_letter = username.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    let chars_ok = username
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
    if len_ok && starts_with_letter && chars_ok { Ok(()) } else { Err(AccountError::InvalidUsername) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_names() {
        for name in ["aigerim", "op.1", "d_nurlan-2"] {
            assert!(validate_username(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn rejects_short_long_upper_unicode_and_markup() {
        let long = "a".repeat(MAX_USERNAME_LEN + 1);
        for name in ["ab", long.as_str(), "Admin", "әлия", "1abc", "a b", "<script>", ""] {
            assert!(matches!(validate_username(name), Err(AccountError::InvalidUsername)), "{name}");
        }
    }
}
