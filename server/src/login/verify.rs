//! Checking a login answer's certificate and signature: the signature over the challenge bytes with the
//! certificate's key, the path to this CA, validity, the AUTH profile, and the revocation status from a
//! real OCSP exchange with this CA's own responder logic ([`Authority::ocsp`], answering from the same
//! certificate records the `/ocsp` endpoint uses), checked back through `pki`'s OCSP client side.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_pki::certificate::{CertificateView, Purpose, parse_certificate};
use qoltanba_pki::chain::{ChainError, validate};
use qoltanba_pki::key::verify_signature;
use qoltanba_pki::ocsp::{OcspResponse, OcspSet, Status, request};
use qoltanba_pki::signer::sha256_with_rsa;
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::Encode;
use qoltanba_protocol::LoginRefusal;
use time::OffsetDateTime;

use super::LoginError;
use crate::ca::Authority;
use crate::storage::{Storage, certificates};

/// Largest base64 certificate or signature accepted, in characters.
pub(super) const MAX_FIELD_CHARS: usize = 16 * 1024;

/// The certificate in an answer, read (`untrusted_certificate` when it is not one).
pub(super) fn certificate(base64_der: &str) -> Result<Certificate, LoginError> {
    let der = decode(base64_der).ok_or(LoginError::Refused(LoginRefusal::UntrustedCertificate))?;
    parse_certificate(&der).map_err(|_| LoginError::Refused(LoginRefusal::UntrustedCertificate))
}

/// Whether `signature` (base64) is the certificate key's RSA PKCS#1 v1.5 SHA-256 signature of `message`.
pub(super) fn signature_holds(certificate: &Certificate, message: &[u8], signature: &str) -> bool {
    let Some(signature) = decode(signature) else { return false };
    let key = certificate.tbs_certificate().subject_public_key_info();
    verify_signature(key, &sha256_with_rsa(), message, &signature).is_ok()
}

fn decode(text: &str) -> Option<Vec<u8>> {
    if text.len() > MAX_FIELD_CHARS {
        return None;
    }
    STANDARD.decode(text.trim()).ok()
}

/// Checks that `certificate` is a good AUTH certificate of this CA at `now`; answers who it names.
pub(super) async fn good_auth_certificate(
    storage: &Storage,
    authority: &std::sync::Arc<Authority>,
    certificate: &Certificate,
    now: OffsetDateTime,
) -> Result<CertificateView, LoginError> {
    let status = recorded_status(storage, certificate).await?;
    let ocsp = ocsp_exchange(authority, certificate, status, now).await?;
    let anchors = [authority.issuing().clone()];
    let path = validate(certificate, &[], &anchors, now, Some(&ocsp)).map_err(refusal)?;
    if path.revocation_unknown {
        return Err(LoginError::Refused(LoginRefusal::UntrustedCertificate));
    }
    let view = CertificateView::from_certificate(certificate);
    if view.purpose != Purpose::Auth {
        return Err(LoginError::Refused(LoginRefusal::NotAnAuthCertificate));
    }
    Ok(view)
}

/// The status this CA's records give the certificate's serial (`Unknown` if it did not issue it).
async fn recorded_status(storage: &Storage, certificate: &Certificate) -> Result<Status, LoginError> {
    let serial = hex::encode_upper(certificate.tbs_certificate().serial_number().as_bytes());
    let mut conn = storage.acquire().await.map_err(|e| LoginError::Internal(e.to_string()))?;
    let record =
        certificates::find(&mut conn, &serial).await.map_err(|e| LoginError::Internal(e.to_string()))?;
    let der = certificate.to_der().ok();
    Ok(record.filter(|r| Some(&r.der) == der.as_ref()).map_or(Status::Unknown, |r| r.ocsp_state()))
}

/// Asks the CA's OCSP responder about `certificate` with a DER request and parses its DER answer.
async fn ocsp_exchange(
    authority: &std::sync::Arc<Authority>,
    certificate: &Certificate,
    status: Status,
    now: OffsetDateTime,
) -> Result<OcspSet, LoginError> {
    let internal = |e: &dyn std::fmt::Display| LoginError::Internal(format!("OCSP: {e}"));
    let asked = request(certificate, authority.issuing())
        .map_err(|e| internal(&e))?
        .to_der()
        .map_err(|e| internal(&e))?;
    let authority = authority.clone();
    let answer = tokio::task::spawn_blocking(move || authority.ocsp(&asked, |_| status, now))
        .await
        .map_err(|e| internal(&e))?;
    let response = OcspResponse::parse(&answer).map_err(|e| internal(&e))?;
    Ok(OcspSet { responses: vec![response] })
}

fn refusal(error: ChainError) -> LoginError {
    LoginError::Refused(match error {
        ChainError::Expired { .. } | ChainError::NotYetValid { .. } => LoginRefusal::CertificateExpired,
        ChainError::Revoked { .. } => LoginRefusal::CertificateRevoked,
        _ => LoginRefusal::UntrustedCertificate,
    })
}
