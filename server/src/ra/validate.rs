//! Input checks done before any transaction: phone numbers, e-mail addresses, pictures, CSRs.

use qoltanba_protocol::ErrorCode;
use qoltanba_protocol::ImageType;
use qoltanba_protocol::limits::{MAX_CSR_CHARS, MAX_IMAGE_BYTES};

use super::RaError;
use super::error::api;

/// `+7` and ten digits.
pub(crate) fn phone(phone: &str) -> Result<(), RaError> {
    match phone.strip_prefix("+7") {
        Some(rest) if rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        _ => Err(api(ErrorCode::InvalidInput, "the phone must be +7 and ten digits")),
    }
}

/// `local@domain.tld`, ASCII without spaces, at most 254 characters.
pub(crate) fn email(email: &str) -> Result<(), RaError> {
    let bad = || api(ErrorCode::InvalidInput, "not an e-mail address");
    if email.len() > 254 || !email.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let labels_ok = domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty() || local.len() > 64 || domain.contains('@') || !domain.contains('.') || !labels_ok {
        return Err(bad());
    }
    Ok(())
}

/// A picture of the declared type within the size limit: `payload_too_large`, or
/// `unsupported_media_type` when the bytes are not what the `Content-Type` says.
pub(crate) fn image(declared: ImageType, bytes: &[u8]) -> Result<(), RaError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(api(ErrorCode::PayloadTooLarge, "the picture is larger than 5 MiB"));
    }
    if ImageType::sniff(bytes) != Some(declared) {
        return Err(api(ErrorCode::UnsupportedMediaType, "the picture is not what its Content-Type says"));
    }
    Ok(())
}

/// The DER of a CSR given as PEM or base64 DER.
pub(crate) fn csr(text: &str, purpose: &str) -> Result<Vec<u8>, RaError> {
    if text.len() > MAX_CSR_CHARS {
        return Err(api(ErrorCode::InvalidCsr, format!("the {purpose} request is too long")));
    }
    let unarmored = qoltanba_pki::encoding::unarmor(text.as_bytes()).map_err(|_| {
        api(ErrorCode::InvalidCsr, format!("the {purpose} request is neither PEM nor base64"))
    })?;
    Ok(unarmored.der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kazakh_mobile_numbers_only() {
        assert!(phone("+77011234567").is_ok());
        for bad in ["87011234567", "+7701123456", "+7701123456a", "+12025550123"] {
            assert!(phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn accepts_plain_addresses_only() {
        assert!(email("ivan@example.kz").is_ok());
        for bad in ["ivan", "@example.kz", "ivan@kz", "ivan@@example.kz", "iv an@example.kz", "ivan@.kz"] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_pictures_that_lie_about_their_type() {
        let png = b"\x89PNG\r\n\x1a\nrest";
        assert!(image(ImageType::Png, png).is_ok());
        let refused = image(ImageType::Jpeg, png).unwrap_err();
        assert_eq!(refused.api().map(|e| e.code), Some(ErrorCode::UnsupportedMediaType));
    }
}
