//! The client's side: checking a response's signer and signature, and using responses as
//! revocation evidence.

use const_oid::db::rfc5280::ID_KP_OCSP_SIGNING;
use der::Encode;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::ExtendedKeyUsage;

use super::{
    BasicOcspResponse, CertId, CertStatus, OcspError, OcspResponse, ResponderId, ResponseData, SingleResponse,
};
use crate::chain::{RevocationError, RevocationSource, RevocationStatus};
use crate::issue::asn1_time;
use crate::key::{self, KeyError};

/// A response whose signature checked out, signed by the issuer or its delegated responder.
#[derive(Clone, Debug)]
pub struct VerifiedResponse {
    /// The signed response data.
    pub data: ResponseData,
    /// The certificate that signed it (the issuer itself, or the delegated responder).
    pub responder: Certificate,
}

impl VerifiedResponse {
    /// The answer about `cert` (issued by `issuer`), if the response has one.
    pub fn find(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
    ) -> Result<Option<&SingleResponse>, OcspError> {
        find(&self.data, cert, issuer)
    }
}

/// Checks that `response` is signed by `issuer`, or by a responder certificate (carried in the
/// response) that `issuer` signed, marked `id-kp-OCSPSigning` and valid at `at`.
pub fn verify_response(
    response: &OcspResponse,
    issuer: &Certificate,
    at: OffsetDateTime,
) -> Result<VerifiedResponse, OcspError> {
    let basic = response.basic()?;
    let responder = responder_certificate(&basic, issuer)?;
    if responder != *issuer {
        check_delegation(&responder, issuer, at)?;
    }
    let message = basic.tbs_response_data.to_der()?;
    let signature = basic.signature.as_bytes().ok_or(OcspError::BadSignature(KeyError::BadSignature))?;
    let spki = responder.tbs_certificate().subject_public_key_info();
    key::verify_signature(spki, &basic.signature_algorithm, &message, signature)
        .map_err(OcspError::BadSignature)?;
    Ok(VerifiedResponse { data: basic.tbs_response_data, responder })
}

/// The certificate the ResponderID names: the issuer, or one of the response's certificates.
fn responder_certificate(basic: &BasicOcspResponse, issuer: &Certificate) -> Result<Certificate, OcspError> {
    let names = |c: &Certificate| match &basic.tbs_response_data.responder_id {
        ResponderId::ByName(name) => c.tbs_certificate().subject() == name,
        ResponderId::ByKey(hash) => {
            key::ski(c.tbs_certificate().subject_public_key_info()) == hash.as_bytes()
        }
    };
    if names(issuer) {
        return Ok(issuer.clone());
    }
    basic.certs.iter().flatten().find(|c| names(c)).cloned().ok_or(OcspError::UnauthorisedResponder)
}

/// RFC 6960 section 4.2.2.2: a delegated responder is issued by the CA and carries id-kp-OCSPSigning.
fn check_delegation(
    responder: &Certificate,
    issuer: &Certificate,
    at: OffsetDateTime,
) -> Result<(), OcspError> {
    let tbs = responder.tbs_certificate();
    if tbs.issuer() != issuer.tbs_certificate().subject() {
        return Err(OcspError::UnauthorisedResponder);
    }
    let eku = tbs.get_extension::<ExtendedKeyUsage>()?;
    if !eku.is_some_and(|(_, ExtendedKeyUsage(usages))| usages.contains(&ID_KP_OCSP_SIGNING)) {
        return Err(OcspError::UnauthorisedResponder);
    }
    let validity = tbs.validity();
    if at < asn1_time::from_x509(&validity.not_before) || at > asn1_time::from_x509(&validity.not_after) {
        return Err(OcspError::UnauthorisedResponder);
    }
    let message = tbs.to_der()?;
    let signature = responder.signature().as_bytes().ok_or(OcspError::UnauthorisedResponder)?;
    let issuer_key = issuer.tbs_certificate().subject_public_key_info();
    key::verify_signature(issuer_key, responder.signature_algorithm(), &message, signature)
        .map_err(|_| OcspError::UnauthorisedResponder)
}

fn find<'a>(
    data: &'a ResponseData,
    cert: &Certificate,
    issuer: &Certificate,
) -> Result<Option<&'a SingleResponse>, OcspError> {
    for single in &data.responses {
        if matches(&single.cert_id, cert, issuer)? {
            return Ok(Some(single));
        }
    }
    Ok(None)
}

fn matches(id: &CertId, cert: &Certificate, issuer: &Certificate) -> Result<bool, OcspError> {
    let expected = match super::cert_id_with(cert, issuer, id.hash_algorithm.oid) {
        Ok(expected) => expected,
        Err(OcspError::UnsupportedHash) => return Ok(false),
        Err(e) => return Err(e),
    };
    Ok(expected.issuer_name_hash == id.issuer_name_hash
        && expected.issuer_key_hash == id.issuer_key_hash
        && expected.serial_number == id.serial_number)
}

fn is_current(single: &SingleResponse, at: OffsetDateTime) -> bool {
    asn1_time::from_generalized(&single.this_update) <= at
        && single.next_update.as_ref().is_none_or(|next| at <= asn1_time::from_generalized(next))
}

/// OCSP responses the caller fetched, usable as revocation evidence.
#[derive(Clone, Debug, Default)]
pub struct OcspSet {
    /// The responses, about any certificates.
    pub responses: Vec<OcspResponse>,
}

impl RevocationSource for OcspSet {
    /// Uses every successful response that answers about `cert`: each must be signed by `issuer` or
    /// its delegated responder; the latest answer current at `at` decides. None about `cert`:
    /// `Unknown`; none current: `NotCurrent`.
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        at: OffsetDateTime,
    ) -> Result<RevocationStatus, RevocationError> {
        let mut current: Option<SingleResponse> = None;
        let mut relevant = false;
        for response in &self.responses {
            let Ok(basic) = response.basic() else { continue };
            let about = find(&basic.tbs_response_data, cert, issuer)
                .map_err(|e| RevocationError::Malformed(e.to_string()))?;
            if about.is_none() {
                continue;
            }
            relevant = true;
            let verified =
                verify_response(response, issuer, at).map_err(|_| RevocationError::BadSignature)?;
            let single =
                verified.find(cert, issuer).map_err(|e| RevocationError::Malformed(e.to_string()))?;
            let Some(single) = single.filter(|s| is_current(s, at)) else { continue };
            if current.as_ref().is_none_or(|c| c.this_update < single.this_update) {
                current = Some(single.clone());
            }
        }
        if !relevant {
            return Ok(RevocationStatus::Unknown);
        }
        let single = current.ok_or(RevocationError::NotCurrent)?;
        Ok(match single.cert_status {
            CertStatus::Good(_) => RevocationStatus::Good,
            CertStatus::Unknown(_) => RevocationStatus::Unknown,
            CertStatus::Revoked(info) => {
                let revoked_at = asn1_time::from_generalized(&info.revocation_time);
                if revoked_at <= at {
                    RevocationStatus::Revoked { revoked_at }
                } else {
                    RevocationStatus::Good
                }
            }
        })
    }
}
