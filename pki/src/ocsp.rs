//! OCSP (RFC 6960): requests for a (certificate, issuer) pair, signed responses for the CA's responder,
//! and checking responses as revocation evidence, signed by the issuing CA or by a responder it
//! delegated with `id-kp-OCSPSigning`.

mod asn1;
mod check;
mod nonce;
mod respond;

pub use asn1::{
    BasicOcspResponse, CertId, CertStatus, OcspRequest, OcspResponse, OcspResponseStatus, OcspSignature,
    Request, ResponderId, ResponseBytes, ResponseData, RevokedInfo, SingleResponse, TbsRequest,
};
pub use check::{OcspSet, VerifiedResponse, verify_response};
pub use nonce::{MAX_NONCE_LEN, NonceError, nonce_extension, request_nonce, response_nonce};
pub use respond::{Answer, Responder, Status, error_response, respond, respond_with_extensions};

use const_oid::db::rfc5912::{ID_SHA_1, ID_SHA_256};
use der::asn1::OctetString;
use der::{Decode, Encode};
use sha1::{Digest, Sha1};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::certificate::Version;

/// Why an OCSP message could not be made, read or trusted.
#[derive(Debug, thiserror::Error)]
pub enum OcspError {
    /// The message is not well-formed DER, or lacks a basic response.
    #[error("the OCSP message is malformed: {0}")]
    Malformed(#[from] der::Error),
    /// The responder did not answer successfully.
    #[error("the responder answered {0:?}")]
    Unsuccessful(OcspResponseStatus),
    /// The response type is not `id-pkix-ocsp-basic`.
    #[error("unsupported OCSP response type")]
    UnsupportedResponseType,
    /// The CertID uses a hash other than SHA-1 or SHA-256.
    #[error("unsupported CertID hash algorithm")]
    UnsupportedHash,
    /// `cert` is not issued by `issuer`.
    #[error("the certificate was not issued by the given issuer")]
    WrongIssuer,
    /// A time lies before 1970, or nextUpdate is not after thisUpdate.
    #[error("the OCSP times are out of range or out of order")]
    BadTime,
    /// The signer's key is not the one in the responder certificate.
    #[error("the signer's key does not belong to the responder certificate")]
    SignerMismatch,
    /// The signer failed.
    #[error(transparent)]
    Sign(#[from] crate::signer::SignError),
    /// No certificate we trust for this issuer signed the response.
    #[error("the response is not signed by the issuer or a responder it authorised")]
    UnauthorisedResponder,
    /// The signature does not verify.
    #[error("the OCSP signature does not verify: {0}")]
    BadSignature(crate::key::KeyError),
}

/// The CertID of `cert` under `issuer`, hashed with SHA-1 as every OCSP responder understands.
pub fn cert_id(cert: &Certificate, issuer: &Certificate) -> Result<CertId, OcspError> {
    cert_id_with(cert, issuer, ID_SHA_1)
}

/// The CertID of `cert` under `issuer` with the given hash (`id-sha1` or `id-sha256`).
pub fn cert_id_with(
    cert: &Certificate,
    issuer: &Certificate,
    hash: const_oid::ObjectIdentifier,
) -> Result<CertId, OcspError> {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return Err(OcspError::WrongIssuer);
    }
    let name = issuer.tbs_certificate().subject().to_der()?;
    let key = issuer.tbs_certificate().subject_public_key_info().subject_public_key.raw_bytes();
    let (name_hash, key_hash) = match hash {
        ID_SHA_1 => (Sha1::digest(&name).to_vec(), Sha1::digest(key).to_vec()),
        ID_SHA_256 => (sha2::Sha256::digest(&name).to_vec(), sha2::Sha256::digest(key).to_vec()),
        _ => return Err(OcspError::UnsupportedHash),
    };
    Ok(CertId {
        hash_algorithm: AlgorithmIdentifierOwned { oid: hash, parameters: Some(der::asn1::Null.into()) },
        issuer_name_hash: OctetString::new(name_hash)?,
        issuer_key_hash: OctetString::new(key_hash)?,
        serial_number: cert.tbs_certificate().serial_number().clone(),
    })
}

/// An unsigned OCSP request for `cert` issued by `issuer` (SHA-1 CertID, no nonce).
pub fn request(cert: &Certificate, issuer: &Certificate) -> Result<OcspRequest, OcspError> {
    let tbs_request = TbsRequest {
        version: Version::V1,
        requestor_name: None,
        request_list: vec![Request { req_cert: cert_id(cert, issuer)?, single_request_extensions: None }],
        request_extensions: None,
    };
    Ok(OcspRequest { tbs_request, optional_signature: None })
}

impl OcspRequest {
    /// Decodes a DER request (what a responder receives).
    pub fn parse(der: &[u8]) -> Result<Self, OcspError> {
        Ok(Self::from_der(der)?)
    }
}

impl OcspResponse {
    /// Decodes a DER response (what a client receives).
    pub fn parse(der: &[u8]) -> Result<Self, OcspError> {
        Ok(Self::from_der(der)?)
    }

    /// The basic response inside a successful answer.
    pub fn basic(&self) -> Result<BasicOcspResponse, OcspError> {
        if self.response_status != OcspResponseStatus::Successful {
            return Err(OcspError::Unsuccessful(self.response_status));
        }
        let bytes =
            self.response_bytes.as_ref().ok_or(OcspError::Malformed(der::ErrorKind::Failed.into()))?;
        if bytes.response_type != const_oid::db::rfc6960::ID_PKIX_OCSP_BASIC {
            return Err(OcspError::UnsupportedResponseType);
        }
        Ok(BasicOcspResponse::from_der(bytes.response.as_bytes())?)
    }
}
