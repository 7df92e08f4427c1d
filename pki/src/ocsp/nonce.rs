//! The OCSP nonce extension (`id-pkix-ocsp-nonce`, RFC 6960 section 4.4.1, tightened by RFC 8954).
//!
//! A client puts a random nonce into its request; the responder echoes the very same extension in its
//! response, which proves the response is fresh. RFC 8954: the value is `Nonce ::= OCTET STRING (SIZE(1..32))`
//! wrapped in the extension's `extnValue`, and a responder must refuse a longer nonce with
//! `malformedRequest`.

use const_oid::db::rfc6960::ID_PKIX_OCSP_NONCE;
use der::asn1::OctetString;
use der::{Decode, Encode};
use x509_cert::ext::Extension;

use super::{OcspError, OcspRequest, ResponseData};

/// The longest nonce RFC 8954 allows, in bytes.
pub const MAX_NONCE_LEN: usize = 32;

/// Why a request's nonce cannot be echoed; the responder answers `malformedRequest`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NonceError {
    /// The extension's value is not a DER OCTET STRING.
    #[error("the nonce is not an OCTET STRING")]
    Malformed,
    /// The nonce is empty or longer than [`MAX_NONCE_LEN`] bytes.
    #[error("the nonce has {0} bytes; RFC 8954 allows 1 to 32")]
    BadLength(usize),
    /// The request carries more than one nonce extension.
    #[error("the request carries more than one nonce")]
    Duplicate,
}

/// A non-critical nonce extension carrying `nonce` (what a client adds to its request).
pub fn nonce_extension(nonce: &[u8]) -> Result<Extension, OcspError> {
    Ok(Extension {
        extn_id: ID_PKIX_OCSP_NONCE,
        critical: false,
        extn_value: OctetString::new(OctetString::new(nonce)?.to_der()?)?,
    })
}

/// The request's nonce extension, checked by RFC 8954's rules, ready to be echoed unchanged;
/// `None` when the request has no nonce.
pub fn request_nonce(request: &OcspRequest) -> Result<Option<Extension>, NonceError> {
    let extensions = request.tbs_request.request_extensions.iter().flatten();
    let mut found = extensions.filter(|e| e.extn_id == ID_PKIX_OCSP_NONCE);
    let Some(nonce) = found.next() else { return Ok(None) };
    if found.next().is_some() {
        return Err(NonceError::Duplicate);
    }
    let value = nonce_value(nonce).ok_or(NonceError::Malformed)?;
    if value.is_empty() || value.len() > MAX_NONCE_LEN {
        return Err(NonceError::BadLength(value.len()));
    }
    Ok(Some(nonce.clone()))
}

/// The nonce a response carries, if any (the bytes inside the OCTET STRING).
pub fn response_nonce(data: &ResponseData) -> Option<Vec<u8>> {
    let extensions = data.response_extensions.iter().flatten();
    extensions.filter(|e| e.extn_id == ID_PKIX_OCSP_NONCE).find_map(nonce_value)
}

fn nonce_value(extension: &Extension) -> Option<Vec<u8>> {
    OctetString::from_der(extension.extn_value.as_bytes()).ok().map(|o| o.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocsp::{OcspRequest, TbsRequest};
    use x509_cert::certificate::Version;

    fn request_with(extensions: Vec<Extension>) -> OcspRequest {
        let tbs_request = TbsRequest {
            version: Version::V1,
            requestor_name: None,
            request_list: Vec::new(),
            request_extensions: Some(extensions),
        };
        OcspRequest { tbs_request, optional_signature: None }
    }

    #[test]
    fn accepts_a_32_byte_nonce_and_returns_it_unchanged() {
        let extension = nonce_extension(&[7; 32]).unwrap();
        let found = request_nonce(&request_with(vec![extension.clone()])).unwrap();
        assert_eq!(found, Some(extension));
    }

    #[test]
    fn refuses_a_33_byte_or_empty_nonce() {
        let long = nonce_extension(&[7; 33]).unwrap();
        assert_eq!(request_nonce(&request_with(vec![long])), Err(NonceError::BadLength(33)));
        let empty = nonce_extension(&[]).unwrap();
        assert_eq!(request_nonce(&request_with(vec![empty])), Err(NonceError::BadLength(0)));
    }

    #[test]
    fn refuses_a_nonce_that_is_not_an_octet_string() {
        let mut raw = nonce_extension(&[1; 8]).unwrap();
        raw.extn_value = OctetString::new([1u8; 8].as_slice()).unwrap();
        assert_eq!(request_nonce(&request_with(vec![raw])), Err(NonceError::Malformed));
    }

    #[test]
    fn refuses_two_nonces() {
        let one = nonce_extension(&[1; 8]).unwrap();
        assert_eq!(request_nonce(&request_with(vec![one.clone(), one])), Err(NonceError::Duplicate));
    }
}
