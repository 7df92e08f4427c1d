//! Input armour: the same DER object may arrive as raw DER, PEM, or bare base64 (NCA's `.cms` files).

use base64ct::{Base64, Encoding};

/// Why input could not be turned into DER bytes.
#[derive(Debug, thiserror::Error)]
pub enum ArmorError {
    /// The input is empty.
    #[error("the input is empty")]
    Empty,
    /// The input looks like PEM but its armour or base64 is broken.
    #[error("broken PEM: {0}")]
    Pem(der::pem::Error),
    /// The input is text but not valid base64.
    #[error("the input is neither DER, PEM nor base64")]
    NotBase64,
}

/// The label and DER body of PEM input, or `None` label for DER or bare base64.
pub struct Unarmored {
    /// The PEM label (`CERTIFICATE`, `CMS`, `PKCS7`, …), when the input was PEM.
    pub label: Option<String>,
    /// The binary body.
    pub der: Vec<u8>,
}

/// Accepts DER (first byte a SEQUENCE tag), PEM (`-----BEGIN`), or bare base64 with any whitespace.
pub fn unarmor(input: &[u8]) -> Result<Unarmored, ArmorError> {
    let trimmed = input.trim_ascii();
    if trimmed.is_empty() {
        return Err(ArmorError::Empty);
    }
    if trimmed[0] == 0x30 {
        return Ok(Unarmored { label: None, der: input.to_vec() });
    }
    if trimmed.starts_with(b"-----BEGIN") {
        let (label, der) = der::pem::decode_vec(trimmed).map_err(ArmorError::Pem)?;
        return Ok(Unarmored { label: Some(label.to_owned()), der });
    }
    let compact: Vec<u8> = trimmed.iter().copied().filter(|b| !b.is_ascii_whitespace()).collect();
    let der = Base64::decode_vec(std::str::from_utf8(&compact).map_err(|_| ArmorError::NotBase64)?)
        .map_err(|_| ArmorError::NotBase64)?;
    Ok(Unarmored { label: None, der })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bare_base64_with_newlines() {
        let out = unarmor(b"MAMCAQE=\n").unwrap();
        assert_eq!(out.der, [0x30, 0x03, 0x02, 0x01, 0x01]);
        assert!(out.label.is_none());
    }

    #[test]
    fn reads_pem_label() {
        let pem = b"-----BEGIN CMS-----\nMAMCAQE=\n-----END CMS-----\n";
        let out = unarmor(pem).unwrap();
        assert_eq!(out.label.as_deref(), Some("CMS"));
        assert_eq!(out.der, [0x30, 0x03, 0x02, 0x01, 0x01]);
    }

    #[test]
    fn rejects_garbage_text() {
        assert!(matches!(unarmor(b"not base64 at all!"), Err(ArmorError::NotBase64)));
        assert!(matches!(unarmor(b"  \n"), Err(ArmorError::Empty)));
    }
}
