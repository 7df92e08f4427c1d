//! OCSP answers (RFC 6960) signed by the issuing CA key, with the nonce echoed (RFC 8954).

use qoltanba_pki::algorithm::DigestAlgorithm;
use qoltanba_pki::ocsp::{
    Answer, CertId, OcspRequest, OcspResponse, OcspResponseStatus, Responder, error_response, request_nonce,
    respond_with_extensions,
};
use qoltanba_pki::x509::der::Encode;
use time::{Duration, OffsetDateTime};

use super::Authority;

/// A certificate's status as the caller's records say: good, revoked (when, why) or unknown.
pub use qoltanba_pki::ocsp::Status as CertState;

/// How long an answer holds (nextUpdate - thisUpdate). Short, since answers are made live from the
/// records and revocation must show quickly.
pub const OCSP_VALIDITY: Duration = Duration::minutes(10);

/// The most certificates one request may ask about.
pub const MAX_CERTIFICATES_PER_REQUEST: usize = 16;

impl Authority {
    /// Answers a DER OCSP request: each certificate named under this issuing CA gets the status
    /// `lookup(serial)` gives; any other is `unknown`. thisUpdate = producedAt = `now`, nextUpdate =
    /// `now` + [`OCSP_VALIDITY`]; the request's nonce is echoed. A malformed request (including a nonce
    /// longer than 32 bytes, or no or too many certificates) gets an unsigned `malformedRequest`, a
    /// signing failure an unsigned `internalError`. Returns the DER OCSPResponse; never panics.
    pub fn ocsp(
        &self,
        request_der: &[u8],
        lookup: impl Fn(&[u8]) -> CertState,
        now: OffsetDateTime,
    ) -> Vec<u8> {
        let response = self.answer(request_der, lookup, now).unwrap_or_else(error_response);
        // Encoding our own well-formed structure cannot fail; an empty body would be the only outcome.
        response.to_der().unwrap_or_default()
    }

    fn answer(
        &self,
        request_der: &[u8],
        lookup: impl Fn(&[u8]) -> CertState,
        now: OffsetDateTime,
    ) -> Result<OcspResponse, OcspResponseStatus> {
        let malformed = OcspResponseStatus::MalformedRequest;
        let request = OcspRequest::parse(request_der).map_err(|_| malformed)?;
        let asked = &request.tbs_request.request_list;
        if asked.is_empty() || asked.len() > MAX_CERTIFICATES_PER_REQUEST {
            return Err(malformed);
        }
        let nonce = request_nonce(&request).map_err(|_| malformed)?;
        let answers: Vec<Answer> = asked
            .iter()
            .map(|single| Answer {
                status: self.status(&single.req_cert, &lookup),
                cert_id: single.req_cert.clone(),
                this_update: now,
                next_update: Some(now + OCSP_VALIDITY),
            })
            .collect();
        let responder =
            Responder { certificate: self.issuing(), signer: self.signer(), include_certificate: false };
        respond_with_extensions(&responder, &answers, now, nonce.map(|n| vec![n]))
            .map_err(|_| OcspResponseStatus::InternalError)
    }

    fn status(&self, id: &CertId, lookup: &impl Fn(&[u8]) -> CertState) -> CertState {
        if self.is_our_issuer(id) { lookup(id.serial_number.as_bytes()) } else { CertState::Unknown }
    }

    /// Whether the CertID's issuer name and key hashes are this issuing CA's (SHA-1 or SHA-2).
    fn is_our_issuer(&self, id: &CertId) -> bool {
        let Some(digest) = DigestAlgorithm::from_digest_oid(&id.hash_algorithm.oid) else { return false };
        let tbs = self.issuing().tbs_certificate();
        let Ok(name) = tbs.subject().to_der() else { return false };
        let key = tbs.subject_public_key_info().subject_public_key.raw_bytes();
        digest.digest(&name) == id.issuer_name_hash.as_bytes()
            && digest.digest(key) == id.issuer_key_hash.as_bytes()
    }
}
