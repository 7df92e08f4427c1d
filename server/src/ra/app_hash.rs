//! The Android app's SMS Retriever hash: Google Play services hands an SMS to the app (so the code is
//! read without the citizen typing it) only when the text ends with the 11-character hash of the app's
//! package name and signing certificate. The server appends it to every code from 1414 when configured.

use std::fmt;
use std::str::FromStr;

/// An 11-character SMS Retriever app hash (base64 alphabet), as the Android app computes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsAppHash(String);

/// Why a text is not an app hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an SMS Retriever app hash is 11 characters of A-Z, a-z, 0-9, + and /")]
pub struct BadAppHash;

impl FromStr for SmsAppHash {
    type Err = BadAppHash;

    fn from_str(text: &str) -> Result<Self, BadAppHash> {
        let base64 = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/';
        (text.len() == 11 && text.chars().all(base64)).then(|| Self(text.to_owned())).ok_or(BadAppHash)
    }
}

impl fmt::Display for SmsAppHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_eleven_base64_characters_only() {
        assert_eq!("FA+9qCX9VSu".parse::<SmsAppHash>().map(|h| h.to_string()), Ok("FA+9qCX9VSu".to_owned()));
        for bad in ["", "FA+9qCX9VS", "FA+9qCX9VSuu", "FA-9qCX9VSu", "FA 9qCX9VSu", "ФA+9qCX9VSu"] {
            assert_eq!(bad.parse::<SmsAppHash>(), Err(BadAppHash), "{bad:?}");
        }
    }
}
