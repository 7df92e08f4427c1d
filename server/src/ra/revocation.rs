//! Revocation: by the holder (a request signed with the key of one of their good AUTH certificates) and
//! by an operator. Both are audited and idempotent: revoking a revoked certificate answers it again and
//! changes nothing. OCSP and the CRL read the status live, so a revocation shows there at once.

use base64::Engine;
use qoltanba_pki::key::verify_signature;
use qoltanba_pki::signer::sha256_with_rsa;
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::Decode;
use qoltanba_protocol::{
    CertificateItem, CertificatePurpose, CertificateStatus, CitizenRevocation, ErrorCode, OperatorRevocation,
    RevocationReason,
};
use serde_json::json;
use sqlx::AnyConnection;
use time::{Duration, OffsetDateTime};

use super::error::api;
use super::session::audit;
use super::transaction::{Answer, Idempotency, transact};
use super::{Ra, RaError};
use crate::storage::certificates::{self, CertificateRecord, Revocation};
use crate::storage::{ConflictKind, StorageError};

/// How far a holder's `requested_at` may be from the server's clock.
pub const REVOCATION_MAX_SKEW: Duration = Duration::minutes(5);
/// Longest operator comment accepted.
const MAX_COMMENT: usize = 1000;
/// Longest serial accepted (20 bytes, hex).
const MAX_SERIAL_HEX: usize = 40;

/// Who revokes, and why, as the audit log records it.
struct Revoker {
    actor: String,
    reason: RevocationReason,
    details: serde_json::Value,
}

impl Ra {
    /// `POST /v1/certificates/{serial}/revocation`: the holder revokes a certificate. The signature over
    /// [`CitizenRevocation::message`] must verify with the key of the good AUTH certificate
    /// `auth_serial` of the same IIN (`unauthorized` if it does not verify or that certificate is
    /// unknown, `forbidden` if it belongs to another IIN, is not an AUTH certificate or is revoked or
    /// expired); `requested_at` must be within 5 minutes of the server's clock (`invalid_input`).
    pub async fn revoke_by_holder(
        &self,
        serial: &str,
        request: &CitizenRevocation,
        idem: Option<&Idempotency>,
    ) -> Result<CertificateItem, RaError> {
        let serial = normalized_serial(serial)?;
        let now = self.now();
        if (request.requested_at - now).abs() > REVOCATION_MAX_SKEW {
            return Err(api(
                ErrorCode::InvalidInput,
                "requested_at is more than 5 minutes from the server's clock",
            ));
        }
        let message = request
            .message(&serial)
            .map_err(|_| api(ErrorCode::InvalidInput, "requested_at cannot be written as RFC 3339"))?;
        let signature = base64::engine::general_purpose::STANDARD
            .decode(request.signature.trim())
            .map_err(|_| api(ErrorCode::Unauthorized, "the signature is not base64"))?;
        let auth_serial = normalized_serial(&request.auth_serial)
            .map_err(|_| api(ErrorCode::Unauthorized, "no such AUTH certificate"))?;
        transact!(self, idem, 200, |tx| {
            let target = target(&mut tx, &serial).await?;
            let auth = certificates::find(&mut tx, &auth_serial)
                .await?
                .ok_or_else(|| api(ErrorCode::Unauthorized, "no such AUTH certificate"))?;
            check_holder_key(&target, &auth, &message, &signature, now)?;
            let revoker = Revoker {
                actor: format!("citizen:{}", target.iin),
                reason: request.reason,
                details: json!({ "reason": request.reason, "auth_serial": auth_serial }),
            };
            revoke_in(&mut tx, target, &revoker, now).await
        })
    }

    /// `POST /v1/operator/certificates/{serial}/revocation`: an operator revokes a certificate; the
    /// comment (1 to 1000 characters) goes to the audit log.
    pub async fn revoke_by_operator(
        &self,
        operator: &str,
        serial: &str,
        request: &OperatorRevocation,
        idem: Option<&Idempotency>,
    ) -> Result<CertificateItem, RaError> {
        let serial = normalized_serial(serial)?;
        let comment = request.comment.trim();
        if comment.is_empty() || comment.chars().count() > MAX_COMMENT {
            return Err(api(ErrorCode::InvalidInput, "a comment of 1 to 1000 characters is required"));
        }
        let now = self.now();
        let revoker = Revoker {
            actor: format!("operator:{operator}"),
            reason: request.reason,
            details: json!({ "reason": request.reason, "comment": comment }),
        };
        transact!(self, idem, 200, |tx| {
            let target = target(&mut tx, &serial).await?;
            revoke_in(&mut tx, target, &revoker, now).await
        })
    }
}

/// Upper-case hex of at most 20 bytes; anything else names no certificate (`not_found`).
fn normalized_serial(serial: &str) -> Result<String, RaError> {
    let ok =
        !serial.is_empty() && serial.len() <= MAX_SERIAL_HEX && serial.bytes().all(|b| b.is_ascii_hexdigit());
    match ok {
        true => Ok(serial.to_ascii_uppercase()),
        false => Err(api(ErrorCode::NotFound, "no such certificate")),
    }
}

async fn target(conn: &mut AnyConnection, serial: &str) -> Result<CertificateRecord, RaError> {
    certificates::find(conn, serial).await?.ok_or_else(|| api(ErrorCode::NotFound, "no such certificate"))
}

/// The AUTH certificate may speak for `target`, and its key signed `message`.
fn check_holder_key(
    target: &CertificateRecord,
    auth: &CertificateRecord,
    message: &[u8],
    signature: &[u8],
    now: OffsetDateTime,
) -> Result<(), RaError> {
    if auth.iin != target.iin || auth.purpose != CertificatePurpose::Auth {
        return Err(api(ErrorCode::Forbidden, "the AUTH certificate is not the holder's"));
    }
    if auth.status_at(now) != CertificateStatus::Good {
        return Err(api(ErrorCode::Forbidden, "the AUTH certificate is revoked or expired"));
    }
    let certificate =
        Certificate::from_der(&auth.der).map_err(|_| RaError::CorruptCertificate(auth.serial.clone()))?;
    let key = certificate.tbs_certificate().subject_public_key_info();
    verify_signature(key, &sha256_with_rsa(), message, signature)
        .map_err(|_| api(ErrorCode::Unauthorized, "the signature does not verify with the AUTH certificate"))
}

/// Revokes `target` (audited) unless it already is; answers its item either way.
async fn revoke_in(
    conn: &mut AnyConnection,
    target: CertificateRecord,
    revoker: &Revoker,
    now: OffsetDateTime,
) -> Result<Answer<CertificateItem>, RaError> {
    if target.revocation.is_some() {
        return Ok(Answer::Done(target.item(now)));
    }
    let revocation = Revocation { at: now, reason: revoker.reason };
    match certificates::revoke(conn, &target.serial, revocation).await {
        Ok(()) => {
            let subject = target.serial.as_str();
            audit(conn, now, &revoker.actor, "certificate.revoked", subject, revoker.details.clone()).await?;
        }
        Err(StorageError::Conflict { kind: ConflictKind::Stale, .. }) => {}
        Err(other) => return Err(other.into()),
    }
    let revoked = certificates::find(conn, &target.serial).await?.ok_or(StorageError::NotFound)?;
    Ok(Answer::Done(revoked.item(now)))
}
