//! The last step: two CSRs in, the AUTH and SIGN certificates out, with the subject from the
//! population registry (never from the CSRs), stored and audited in the same transaction.

use std::sync::Arc;

use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::EncodePem;
use qoltanba_pki::x509::der::pem::LineEnding;
use qoltanba_protocol::{
    CertificatePurpose, CsrPair, EnrollmentState, ErrorCode, FailureReason, IssuedCertificates, Session,
};
use serde_json::json;
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::api;
use super::session::{self, audit};
use super::transaction::{Answer, Idempotency, transact};
use super::{Ra, RaError, validate};
use crate::ca::{Authority, CaError, IssuedCertificate, IssuedPair, SubjectRecord};
use crate::storage::certificates::{self, CertificateRecord};
use crate::storage::registry;

impl Ra {
    /// `POST …/csrs`: issues both certificates (`issued`). A CSR that does not parse, fails its proof of
    /// possession or carries an unacceptable or shared key is `invalid_csr` (the session still waits);
    /// a registry record the CA's profile refuses fails the session (`issuance_refused`).
    ///
    /// The CA signs before the transaction opens (RSA signing is the slow part, and the transaction
    /// holds SQLite's write lock), then the transaction stores the pair only if the session is still the
    /// one that was read: a concurrent replay finds the stored answer or the `issued` state, so exactly
    /// two certificates are ever stored per session (a pair signed by a losing request is dropped).
    pub async fn submit_csrs(
        &self,
        id: Uuid,
        csrs: &CsrPair,
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        let auth = validate::csr(&csrs.auth, "AUTH")?;
        let sign = validate::csr(&csrs.sign, "SIGN")?;
        let now = self.now();
        let signed = self.presign(id, auth, sign, now).await?;
        transact!(self, idem, 200, |tx| self.csrs_in(&mut tx, id, signed, now).await)
    }

    /// Signs the pair for a session that waits for CSRs; `None` when it does not (the transaction then
    /// answers: a replay, `wrong_state`, `not_found`, …).
    async fn presign(
        &self,
        id: Uuid,
        auth: Vec<u8>,
        sign: Vec<u8>,
        now: OffsetDateTime,
    ) -> Result<Option<Presigned>, RaError> {
        let mut conn = self.storage.acquire().await?;
        let Ok(loaded) = session::load(&mut conn, id, now).await else { return Ok(None) };
        if loaded.data.state != EnrollmentState::ExpectCsrs {
            return Ok(None);
        }
        let citizen = registry::find(&mut conn, &loaded.iin).await?.ok_or(RaError::CorruptSession(id))?;
        drop(conn);
        let subject = SubjectRecord {
            surname: citizen.surname,
            name: citizen.name,
            patronymic: citizen.patronymic,
            iin: citizen.iin,
            email: loaded.data.email.clone(),
        };
        let outcome = sign_pair(self.authority.clone(), subject, auth, sign, now).await?;
        Ok(Some(Presigned { version: loaded.version, outcome }))
    }

    async fn csrs_in(
        &self,
        conn: &mut AnyConnection,
        id: Uuid,
        signed: Option<Presigned>,
        now: OffsetDateTime,
    ) -> Result<Answer, RaError> {
        let loaded = session::load(conn, id, now).await?;
        if loaded.data.state != EnrollmentState::ExpectCsrs {
            return Err(loaded.wrong_state());
        }
        let outcome = match signed {
            Some(signed) if signed.version == loaded.version => signed.outcome,
            _ => return Err(api(ErrorCode::Conflict, "the session changed meanwhile; retry")),
        };
        let pair = match outcome {
            Ok(pair) => pair,
            Err(refusal) => {
                audit(conn, now, "ca", "issuance.refused", &id.to_string(), json!({ "why": refusal }))
                    .await?;
                let state = EnrollmentState::Failed { reason: FailureReason::IssuanceRefused, detail: None };
                return Ok(Answer::Done(loaded.save(conn, state, now).await?));
            }
        };
        for (purpose, issued) in
            [(CertificatePurpose::Auth, &pair.auth), (CertificatePurpose::Sign, &pair.sign)]
        {
            let record = certificate_record(id, &loaded.iin, purpose, issued, now)?;
            certificates::insert(conn, &record).await?;
            let details = json!({ "session": id, "iin": loaded.iin, "purpose": purpose });
            audit(conn, now, "ca", "certificate.issued", &record.serial, details).await?;
        }
        let certificates = IssuedCertificates {
            auth_pem: pem(&pair.auth.certificate)?,
            sign_pem: pem(&pair.sign.certificate)?,
            chain_pem: self.authority.chain_pem().to_owned(),
            auth_serial: hex::encode_upper(&pair.auth.serial),
            sign_serial: hex::encode_upper(&pair.sign.serial),
        };
        let state = EnrollmentState::Issued { certificates };
        Ok(Answer::Done(loaded.save(conn, state, now).await?))
    }
}

/// A pair signed for the session at `version`, or the CA's refusal of the registry record.
struct Presigned {
    version: i64,
    outcome: Result<IssuedPair, String>,
}

/// Signs off the async runtime. `Ok(Err(why))` when the CA refuses the registry record (profile, lint);
/// `invalid_csr` when the requests are at fault.
async fn sign_pair(
    authority: Arc<Authority>,
    subject: SubjectRecord,
    auth: Vec<u8>,
    sign: Vec<u8>,
    now: OffsetDateTime,
) -> Result<Result<IssuedPair, String>, RaError> {
    let result = tokio::task::spawn_blocking(move || authority.issue_pair(&subject, &auth, &sign, now))
        .await
        .map_err(|_| RaError::Task)?;
    match result {
        Ok(pair) => Ok(Ok(pair)),
        Err(
            error @ (CaError::MalformedRequest { .. }
            | CaError::BadProofOfPossession { .. }
            | CaError::NotRsa { .. }
            | CaError::WeakKey { .. }
            | CaError::SameKey),
        ) => Err(api(ErrorCode::InvalidCsr, error.to_string())),
        Err(error @ (CaError::Subject(_) | CaError::Lint(_))) => Ok(Err(error.to_string())),
        Err(other) => Err(other.into()),
    }
}

fn certificate_record(
    session: Uuid,
    iin: &str,
    purpose: CertificatePurpose,
    issued: &IssuedCertificate,
    now: OffsetDateTime,
) -> Result<CertificateRecord, RaError> {
    let validity = issued.certificate.tbs_certificate().validity();
    let time = |t: &qoltanba_pki::x509::time::Time| {
        let seconds = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
        OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| RaError::CorruptSession(session))
    };
    Ok(CertificateRecord {
        serial: hex::encode_upper(&issued.serial),
        iin: iin.to_owned(),
        purpose,
        session_id: Some(session),
        not_before: time(&validity.not_before)?,
        not_after: time(&validity.not_after)?,
        der: issued.der.clone(),
        revocation: None,
        created_at: now,
    })
}

fn pem(certificate: &Certificate) -> Result<String, RaError> {
    certificate.to_pem(LineEnding::LF).map_err(|e| RaError::Ca(CaError::Encoding(e)))
}
