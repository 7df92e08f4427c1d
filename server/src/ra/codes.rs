//! SMS codes: random six-digit codes, their salted hashes (only the hash is stored), masked phones.

use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

/// Makes the six-digit codes sent from 1414.
pub trait CodeSource: Send + Sync {
    /// A fresh code of [`qoltanba_protocol::limits::SMS_CODE_LEN`] digits, `None` if no randomness is
    /// available.
    fn code(&self) -> Option<Zeroizing<String>>;
}

/// Uniform codes from the operating system's random number generator.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomCodes;

/// The largest multiple of 10⁶ below 2³²: values at or above it are drawn again, so no code is likelier.
const LIMIT: u32 = 4_294_000_000;

impl CodeSource for RandomCodes {
    fn code(&self) -> Option<Zeroizing<String>> {
        loop {
            let mut bytes = Zeroizing::new([0u8; 4]);
            getrandom::fill(bytes.as_mut()).ok()?;
            let value = u32::from_le_bytes(*bytes);
            if value < LIMIT {
                return Some(Zeroizing::new(format!("{:06}", value % 1_000_000)));
            }
        }
    }
}

/// The stored form of a code: hex SHA-256 of the session id (the salt) and the code.
pub fn hash_code(session: Uuid, code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(session.as_bytes());
    hasher.update(code.as_bytes());
    hex::encode(hasher.finalize())
}

/// A phone for display: `+77011234567` → `+7 701 *** ** 67`.
pub fn mask_phone(phone: &str) -> String {
    let digits = phone.strip_prefix("+7").unwrap_or(phone);
    match (digits.get(..3), digits.get(digits.len().saturating_sub(2)..)) {
        (Some(operator), Some(last)) if digits.len() == 10 => format!("+7 {operator} *** ** {last}"),
        _ => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_codes_have_six_digits() {
        for _ in 0..50 {
            let code = RandomCodes.code().unwrap();
            assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "{}", code.as_str());
        }
    }

    #[test]
    fn hash_depends_on_the_session() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_ne!(hash_code(a, "123456"), hash_code(b, "123456"));
        assert_eq!(hash_code(a, "123456"), hash_code(a, "123456"));
        assert!(!hash_code(a, "123456").contains("123456"));
    }

    #[test]
    fn masks_kazakh_numbers() {
        assert_eq!(mask_phone("+77011234567"), "+7 701 *** ** 67");
        assert_eq!(mask_phone("+7"), "***");
    }
}
