//! The citizen's answers: approval with a CMS signature, or refusal.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_pki::cms::{self, Verified};
use qoltanba_pki::x509::der::Encode;
use qoltanba_protocol::sign_requests::MAX_SIGNATURE_BYTES;
use qoltanba_protocol::{
    ApiError, CertificatePurpose, CertificateStatus, ErrorCode, SignRequestApproval, SignRequestCallback,
    SignRequestStatus, SignatureFormat,
};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{Device, Signing, not_pending};
use crate::ra::transaction::{Answer, transact};
use crate::ra::{Idempotency, RaError, api, audit};
use crate::storage::sign_requests::{self, Finish, SignRequestRecord};
use crate::storage::{AnyConnection, ConflictKind, StorageError, certificates};

impl Signing {
    /// `POST /v1/device/sign-requests/{id}/approval`: the citizen approves with a CMS SignedData over
    /// exactly the request's document (attached: carrying it; detached: messageDigest = the digest),
    /// with one signer, valid (`invalid_input` otherwise), whose certificate is a good SIGN certificate
    /// of the citizen in this CA's records (`forbidden` otherwise). `not_found` for another citizen's
    /// request, `session_expired` past its time, `wrong_state` once it ended; `payload_too_large`.
    pub async fn approve(
        &self,
        device: &Device,
        id: Uuid,
        approval: &SignRequestApproval,
        idem: Option<&Idempotency>,
    ) -> Result<SignRequestCallback, RaError> {
        if approval.signature.len() > MAX_SIGNATURE_BYTES / 3 * 4 + 4 {
            return Err(RaError::Api(ApiError::new(
                ErrorCode::PayloadTooLarge,
                "the signature is too large",
            )));
        }
        let signature = STANDARD
            .decode(approval.signature.trim())
            .map_err(|_| api(ErrorCode::InvalidInput, "the signature is not base64"))?;
        let now = self.now();
        let mut ended = None;
        let answer = async {
            transact!(self, idem, 200, |tx| {
                let record = pending_in(&mut tx, device, id, now).await?;
                let verified = verified(&record, &signature)?;
                let serial = check_signer(&mut tx, &record, &verified, now).await?;
                let finish = Finish {
                    status: SignRequestStatus::Signed,
                    at: now,
                    signature: Some(signature.clone()),
                    signer_serial: Some(serial.clone()),
                };
                end(&mut tx, &record, &finish).await?;
                let actor = format!("citizen:{}", record.iin);
                let details = json!({ "device": device.id, "signer_serial": serial });
                audit(&mut tx, now, &actor, "sign_request.signed", &id.to_string(), details).await?;
                ended = Some(record);
                Ok(Answer::Done(SignRequestCallback { id, status: SignRequestStatus::Signed }))
            })
        }
        .await;
        if let (Ok(_), Some(record)) = (&answer, &ended) {
            self.announce_end(record, SignRequestStatus::Signed);
        }
        answer
    }

    /// `POST /v1/device/sign-requests/{id}/refusal`: the citizen refuses (audited). Errors as
    /// [`Signing::approve`]'s state errors.
    pub async fn refuse(
        &self,
        device: &Device,
        id: Uuid,
        idem: Option<&Idempotency>,
    ) -> Result<SignRequestCallback, RaError> {
        let now = self.now();
        let mut ended = None;
        let answer = async {
            transact!(self, idem, 200, |tx| {
                let record = pending_in(&mut tx, device, id, now).await?;
                let finish = Finish {
                    status: SignRequestStatus::Refused,
                    at: now,
                    signature: None,
                    signer_serial: None,
                };
                end(&mut tx, &record, &finish).await?;
                let actor = format!("citizen:{}", record.iin);
                let details = json!({ "device": device.id });
                audit(&mut tx, now, &actor, "sign_request.refused", &id.to_string(), details).await?;
                ended = Some(record);
                Ok(Answer::Done(SignRequestCallback { id, status: SignRequestStatus::Refused }))
            })
        }
        .await;
        if let (Ok(_), Some(record)) = (&answer, &ended) {
            self.announce_end(record, SignRequestStatus::Refused);
        }
        answer
    }
}

/// The device citizen's request `id`, still pending and in time (read in the answer's transaction, after
/// its idempotency check, so a retried answer is replayed rather than refused).
async fn pending_in(
    conn: &mut AnyConnection,
    device: &Device,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<SignRequestRecord, RaError> {
    let record = sign_requests::find(conn, id)
        .await?
        .filter(|r| r.iin == device.iin)
        .ok_or_else(|| api(ErrorCode::NotFound, "no such sign request"))?;
    match record.status {
        SignRequestStatus::Pending if record.expires_at <= now => {
            Err(not_pending(SignRequestStatus::Expired))
        }
        SignRequestStatus::Pending => Ok(record),
        other => Err(not_pending(other)),
    }
}

/// The CMS, verified against what the request asked to sign (`invalid_input` unless it holds).
fn verified(record: &SignRequestRecord, signature: &[u8]) -> Result<Verified, RaError> {
    let invalid = |why: &str| api(ErrorCode::InvalidInput, format!("the signature {why}"));
    let verified = match (record.format, &record.data) {
        (SignatureFormat::Attached, Some(data)) => {
            let verified =
                cms::verify(signature, None).map_err(|_| invalid("is not a readable attached CMS"))?;
            if verified.content.as_deref() != Some(data.as_slice()) {
                return Err(invalid("carries another document"));
            }
            verified
        }
        (SignatureFormat::Detached, Some(data)) => {
            cms::verify(signature, Some(data)).map_err(|_| invalid("is not a readable detached CMS"))?
        }
        (_, None) => cms::verify_digest(signature, &record.digest)
            .map_err(|_| invalid("is not a readable detached CMS"))?,
    };
    if verified.signers.len() != 1 {
        return Err(invalid("must have exactly one signer"));
    }
    if !verified.all_valid() {
        return Err(invalid("does not verify over the requested document"));
    }
    Ok(verified)
}

/// The signer's serial, if its certificate is a good SIGN certificate of the request's citizen in this
/// CA's records (`forbidden` otherwise).
async fn check_signer(
    conn: &mut AnyConnection,
    record: &SignRequestRecord,
    verified: &Verified,
    now: OffsetDateTime,
) -> Result<String, RaError> {
    let forbidden = |why: &str| api(ErrorCode::Forbidden, format!("the signer's certificate {why}"));
    let certificate =
        verified.signers.first().map(|s| &s.certificate).ok_or_else(|| forbidden("is missing"))?;
    let der = certificate.to_der().map_err(|_| forbidden("does not encode"))?;
    let serial = hex::encode_upper(certificate.tbs_certificate().serial_number().as_bytes());
    let stored = certificates::find(conn, &serial)
        .await?
        .filter(|c| c.der == der)
        .ok_or_else(|| forbidden("was not issued by this CA"))?;
    if stored.iin != record.iin {
        return Err(forbidden("belongs to another citizen"));
    }
    if stored.purpose != CertificatePurpose::Sign {
        return Err(forbidden("is not a SIGN certificate"));
    }
    if stored.status_at(now) != CertificateStatus::Good {
        return Err(forbidden("is revoked or expired"));
    }
    Ok(serial)
}

/// Ends the pending request; `wrong_state` if it ended meanwhile.
async fn end(conn: &mut AnyConnection, record: &SignRequestRecord, finish: &Finish) -> Result<(), RaError> {
    match sign_requests::finish(conn, record.id, finish).await {
        Err(StorageError::Conflict { kind: ConflictKind::Stale, .. }) => {
            let now = sign_requests::find(conn, record.id).await?.ok_or(StorageError::NotFound)?;
            Err(not_pending(now.status))
        }
        other => Ok(other?),
    }
}
