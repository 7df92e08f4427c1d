//! The responder's side: signed basic OCSP responses (for the CA server and for tests).

use der::Encode;
use der::asn1::{BitString, Null, OctetString};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::certificate::Version;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::CrlReason;

use super::{BasicOcspResponse, CertId, CertStatus, OcspError, OcspResponse, OcspResponseStatus};
use super::{ResponderId, ResponseBytes, ResponseData, RevokedInfo, SingleResponse};
use crate::issue::asn1_time;
use crate::signer::Signer;

/// Who signs responses: the issuing CA itself, or a responder certificate it issued with
/// `id-kp-OCSPSigning`.
pub struct Responder<'a> {
    /// The responder's certificate (the CA's own, or the delegated one).
    pub certificate: &'a Certificate,
    /// Its private key.
    pub signer: &'a dyn Signer,
    /// Whether to put the certificate into the response (needed for a delegated responder).
    pub include_certificate: bool,
}

/// The status to report for one certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not revoked.
    Good,
    /// Revoked at `at`, for `reason` when known.
    Revoked {
        /// When.
        at: OffsetDateTime,
        /// Why.
        reason: Option<CrlReason>,
    },
    /// The responder does not know this certificate.
    Unknown,
}

/// One answer: which certificate, its status, and the window the answer holds for.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The certificate, as the request named it.
    pub cert_id: CertId,
    /// Its status.
    pub status: Status,
    /// When the status was known to be correct.
    pub this_update: OffsetDateTime,
    /// When newer information will be available.
    pub next_update: Option<OffsetDateTime>,
}

/// A successful response with `answers`, produced at `produced_at`, signed by `responder`
/// (identified by key hash).
pub fn respond(
    responder: &Responder<'_>,
    answers: &[Answer],
    produced_at: OffsetDateTime,
) -> Result<OcspResponse, OcspError> {
    respond_with_extensions(responder, answers, produced_at, None)
}

/// As [`respond`], with response extensions (e.g. the request's nonce, echoed:
/// see [`super::request_nonce`]).
pub fn respond_with_extensions(
    responder: &Responder<'_>,
    answers: &[Answer],
    produced_at: OffsetDateTime,
    extensions: Option<Extensions>,
) -> Result<OcspResponse, OcspError> {
    let tbs = responder.certificate.tbs_certificate();
    if responder.signer.public_key()? != *tbs.subject_public_key_info() {
        return Err(OcspError::SignerMismatch);
    }
    let key_hash = crate::key::ski(tbs.subject_public_key_info());
    let data = ResponseData {
        version: Version::V1,
        responder_id: ResponderId::ByKey(OctetString::new(key_hash.to_vec())?),
        produced_at: asn1_time::to_generalized(produced_at).ok_or(OcspError::BadTime)?,
        responses: answers.iter().map(single_response).collect::<Result<_, _>>()?,
        response_extensions: extensions.filter(|e| !e.is_empty()),
    };
    let signature = responder.signer.sign(&data.to_der()?)?;
    let basic = BasicOcspResponse {
        tbs_response_data: data,
        signature_algorithm: responder.signer.signature_algorithm(),
        signature: BitString::from_bytes(&signature)?,
        certs: responder.include_certificate.then(|| vec![responder.certificate.clone()]),
    };
    let bytes = ResponseBytes {
        response_type: const_oid::db::rfc6960::ID_PKIX_OCSP_BASIC,
        response: OctetString::new(basic.to_der()?)?,
    };
    Ok(OcspResponse { response_status: OcspResponseStatus::Successful, response_bytes: Some(bytes) })
}

/// An unsigned error response (`malformedRequest`, `tryLater`, …). `Successful` is not an error.
pub fn error_response(status: OcspResponseStatus) -> OcspResponse {
    OcspResponse { response_status: status, response_bytes: None }
}

fn single_response(answer: &Answer) -> Result<SingleResponse, OcspError> {
    if answer.next_update.is_some_and(|next| next <= answer.this_update) {
        return Err(OcspError::BadTime);
    }
    let cert_status = match answer.status {
        Status::Good => CertStatus::Good(Null),
        Status::Unknown => CertStatus::Unknown(Null),
        Status::Revoked { at, reason } => CertStatus::Revoked(RevokedInfo {
            revocation_time: asn1_time::to_generalized(at).ok_or(OcspError::BadTime)?,
            revocation_reason: reason,
        }),
    };
    let next_update = match answer.next_update {
        Some(next) => Some(asn1_time::to_generalized(next).ok_or(OcspError::BadTime)?),
        None => None,
    };
    Ok(SingleResponse {
        cert_id: answer.cert_id.clone(),
        cert_status,
        this_update: asn1_time::to_generalized(answer.this_update).ok_or(OcspError::BadTime)?,
        next_update,
        single_extensions: None,
    })
}
