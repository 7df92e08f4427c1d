//! What the citizen gives that must not outlive its use: secrets (SMS code, PIN, password) and pictures.
//!
//! Both travel in [`super::Event`]s and [`super::Command`]s only; the machine keeps them in memory while
//! their action is in flight and never serialises them.

use std::fmt;

use qoltanba_protocol::ImageType;
use zeroize::Zeroizing;

/// A secret typed by the citizen (SMS code, PIN, password): zeroized on drop, redacted in `Debug`, not
/// serialisable.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret's text, for the one place that needs it (the key store, the request body).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<Zeroizing<String>> for Secret {
    fn from(value: Zeroizing<String>) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// A checked picture (selfie or ID card): JPEG or PNG by its first bytes, at most
/// [`qoltanba_protocol::limits::MAX_IMAGE_BYTES`]. Made by [`super::input::picture`]; `Debug` shows its
/// type and size, never its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    pub(crate) kind: ImageType,
    pub(crate) bytes: Vec<u8>,
}

impl Picture {
    /// The picture's type (its `Content-Type` is `kind().content_type()`).
    pub fn kind(&self) -> ImageType {
        self.kind
    }

    /// The picture's bytes, the request body.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for Picture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Picture").field("kind", &self.kind).field("len", &self.bytes.len()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret_and_the_picture_bytes() {
        let secret = Secret::from("482913");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        assert_eq!(secret.expose(), "482913");
        let picture = Picture { kind: ImageType::Png, bytes: vec![0xAB; 3] };
        assert_eq!(format!("{picture:?}"), "Picture { kind: Png, len: 3 }");
    }
}
