//! Identity proofing after the phone: the Digital ID selfie (face verifier or operator review, at most
//! five attempts), the ID-card photo, consent to the NCA, and the e-mail address.

use qoltanba_protocol::limits::SELFIE_MAX_ATTEMPTS;
use qoltanba_protocol::{
    Consent, EmailAddress, EnrollmentState, ErrorCode, FailureReason, ImageType, ReviewDecision,
    SelfieReviewStatus, Session,
};
use serde_json::json;
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::api;
use super::face::FaceVerdict;
use super::session::{self, Loaded, audit};
use super::start::decided;
use super::transaction::{Answer, Idempotency, transact};
use super::{Ra, RaError, validate};
use crate::storage::registry;
use crate::storage::reviews::{self, Decision, SelfieReviewRecord};
use crate::storage::uploads::{self, Upload, UploadKind};

impl Ra {
    /// `POST …/selfie`: a JPEG or PNG for the face check. The verifier's verdict moves the session on,
    /// asks for another selfie, or queues it for an operator (`selfie_under_review`).
    pub async fn submit_selfie(
        &self,
        id: Uuid,
        image: ImageType,
        bytes: &[u8],
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        validate::image(image, bytes)?;
        transact!(self, idem, 200, |tx| self.selfie_in(&mut tx, id, image, bytes).await)
    }

    async fn selfie_in(
        &self,
        conn: &mut AnyConnection,
        id: Uuid,
        image: ImageType,
        bytes: &[u8],
    ) -> Result<Answer, RaError> {
        let now = self.now();
        let mut loaded = session::load(conn, id, now).await?;
        if !matches!(loaded.data.state, EnrollmentState::ExpectSelfie { .. }) {
            return Err(loaded.wrong_state());
        }
        let citizen = registry::find(conn, &loaded.iin).await?.ok_or(RaError::CorruptSession(id))?;
        let upload = store_upload(conn, id, UploadKind::Selfie, image, bytes, now).await?;
        loaded.data.selfies_used = loaded.data.selfies_used.saturating_add(1);
        let attempt = loaded.data.selfies_used;
        let actor = format!("citizen:{}", loaded.iin);
        let state = match self.face.verify(bytes, &citizen.photo) {
            FaceVerdict::NeedsReview => {
                let review = SelfieReviewRecord {
                    id: Uuid::new_v4(),
                    session_id: id,
                    upload_id: upload,
                    attempt: attempt.into(),
                    status: SelfieReviewStatus::Pending,
                    operator: None,
                    reason: None,
                    created_at: now,
                    decided_at: None,
                };
                reviews::submit_selfie(conn, &review).await?;
                loaded.data.review = Some(review.id);
                let details = json!({ "review": review.id, "attempt": attempt });
                audit(conn, now, &actor, "selfie.queued", &id.to_string(), details).await?;
                EnrollmentState::SelfieUnderReview
            }
            FaceVerdict::Match => {
                audit(conn, now, "ra", "selfie.accepted", &id.to_string(), json!({ "attempt": attempt }))
                    .await?;
                EnrollmentState::ExpectIdCardPhoto
            }
            FaceVerdict::NoMatch(reason) => {
                let details = json!({ "attempt": attempt, "reason": reason });
                audit(conn, now, "ra", "selfie.rejected", &id.to_string(), details).await?;
                after_rejection(&loaded, reason)
            }
        };
        Ok(Answer::Done(loaded.save(conn, state, now).await?))
    }

    /// The operator's decision on a selfie review: acceptance → `expect_id_card_photo`; rejection (a
    /// reason is required) → `expect_selfie` again, or `failed` when no attempts are left. `not_found`
    /// for an unknown review, `conflict` for one already decided. Returns the session as it now is.
    pub async fn decide_selfie(
        &self,
        operator: &str,
        review: Uuid,
        decision: &ReviewDecision,
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        let (accept, reason) = match decision {
            ReviewDecision::Approve => (true, None),
            ReviewDecision::Reject { reason } => (false, Some(reason.as_str())),
        };
        transact!(self, idem, 200, |tx| self.review_in(&mut tx, operator, review, accept, reason).await)
    }

    async fn review_in(
        &self,
        conn: &mut AnyConnection,
        operator: &str,
        review_id: Uuid,
        accept: bool,
        reason: Option<&str>,
    ) -> Result<Answer, RaError> {
        let now = self.now();
        let review = reviews::review(conn, review_id)
            .await?
            .ok_or_else(|| api(ErrorCode::NotFound, "no such review"))?;
        if review.status != SelfieReviewStatus::Pending {
            return Err(api(ErrorCode::Conflict, "the review was already decided"));
        }
        let loaded = session::load(conn, review.session_id, now).await?;
        if loaded.data.state != EnrollmentState::SelfieUnderReview || loaded.data.review != Some(review_id) {
            return Err(api(ErrorCode::Conflict, "the session no longer waits for this review"));
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let (status, state) = if accept {
            (SelfieReviewStatus::Accepted, EnrollmentState::ExpectIdCardPhoto)
        } else {
            let reason = reason.ok_or_else(|| api(ErrorCode::InvalidInput, "a rejection needs a reason"))?;
            (SelfieReviewStatus::Rejected, after_rejection(&loaded, reason.to_owned()))
        };
        let decision = Decision { status, operator, reason: if accept { None } else { reason }, at: now };
        reviews::decide_review(conn, review_id, &decision).await.map_err(decided)?;
        let action = if accept { "selfie.accepted" } else { "selfie.rejected" };
        let details = json!({ "review": review_id, "attempt": review.attempt, "reason": reason });
        let subject = review.session_id.to_string();
        audit(conn, now, &format!("operator:{operator}"), action, &subject, details).await?;
        Ok(Answer::Done(loaded.save(conn, state, now).await?))
    }

    /// `POST …/id-card-photo`: a JPEG or PNG of the ID card (`expect_consent` next).
    pub async fn submit_id_card_photo(
        &self,
        id: Uuid,
        image: ImageType,
        bytes: &[u8],
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        validate::image(image, bytes)?;
        transact!(self, idem, 200, |tx| self.id_card_in(&mut tx, id, image, bytes).await)
    }

    async fn id_card_in(
        &self,
        conn: &mut AnyConnection,
        id: Uuid,
        image: ImageType,
        bytes: &[u8],
    ) -> Result<Answer, RaError> {
        let now = self.now();
        let loaded = session::load(conn, id, now).await?;
        if loaded.data.state != EnrollmentState::ExpectIdCardPhoto {
            return Err(loaded.wrong_state());
        }
        let upload = store_upload(conn, id, UploadKind::IdCard, image, bytes, now).await?;
        let actor = format!("citizen:{}", loaded.iin);
        audit(conn, now, &actor, "id_card_photo.received", &id.to_string(), json!({ "upload": upload }))
            .await?;
        Ok(Answer::Done(loaded.save(conn, EnrollmentState::ExpectConsent, now).await?))
    }

    /// `POST …/consent`: consent shows the registry data (`expect_email`); refusal fails the session.
    pub async fn submit_consent(
        &self,
        id: Uuid,
        consent: &Consent,
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        transact!(self, idem, 200, |tx| self.consent_in(&mut tx, id, consent.accepted).await)
    }

    async fn consent_in(
        &self,
        conn: &mut AnyConnection,
        id: Uuid,
        accepted: bool,
    ) -> Result<Answer, RaError> {
        let now = self.now();
        let loaded = session::load(conn, id, now).await?;
        if loaded.data.state != EnrollmentState::ExpectConsent {
            return Err(loaded.wrong_state());
        }
        let actor = format!("citizen:{}", loaded.iin);
        let state = if !accepted {
            audit(conn, now, &actor, "consent.refused", &id.to_string(), json!({})).await?;
            EnrollmentState::Failed { reason: FailureReason::ConsentRefused, detail: None }
        } else {
            audit(conn, now, &actor, "consent.given", &id.to_string(), json!({})).await?;
            match registry::find(conn, &loaded.iin).await? {
                Some(citizen) => EnrollmentState::ExpectEmail { person: citizen.person() },
                None => EnrollmentState::Failed { reason: FailureReason::PersonNotFound, detail: None },
            }
        };
        Ok(Answer::Done(loaded.save(conn, state, now).await?))
    }

    /// `POST …/email`: where the NCA writes to the citizen (`expect_csrs` next).
    pub async fn submit_email(
        &self,
        id: Uuid,
        email: &EmailAddress,
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        let address = email.email.trim();
        validate::email(address)?;
        transact!(self, idem, 200, |tx| self.email_in(&mut tx, id, address).await)
    }

    async fn email_in(&self, conn: &mut AnyConnection, id: Uuid, email: &str) -> Result<Answer, RaError> {
        let now = self.now();
        let mut loaded = session::load(conn, id, now).await?;
        if !matches!(loaded.data.state, EnrollmentState::ExpectEmail { .. }) {
            return Err(loaded.wrong_state());
        }
        loaded.data.email = Some(email.to_owned());
        let actor = format!("citizen:{}", loaded.iin);
        audit(conn, now, &actor, "email.given", &id.to_string(), json!({})).await?;
        Ok(Answer::Done(loaded.save(conn, EnrollmentState::ExpectCsrs, now).await?))
    }
}

/// After a rejected selfie: another try, or `failed` when none is left.
fn after_rejection(loaded: &Loaded, reason: String) -> EnrollmentState {
    match SELFIE_MAX_ATTEMPTS.saturating_sub(loaded.data.selfies_used) {
        0 => EnrollmentState::Failed { reason: FailureReason::SelfieAttemptsExhausted, detail: Some(reason) },
        left => EnrollmentState::ExpectSelfie { attempts_left: left, last_rejection: Some(reason) },
    }
}

async fn store_upload(
    conn: &mut AnyConnection,
    session: Uuid,
    kind: UploadKind,
    image: ImageType,
    bytes: &[u8],
    now: OffsetDateTime,
) -> Result<Uuid, RaError> {
    let upload = Upload {
        id: Uuid::new_v4(),
        session_id: session,
        kind,
        content_type: image.content_type().to_owned(),
        bytes: bytes.to_vec(),
        created_at: now,
    };
    uploads::insert(conn, &upload).await?;
    Ok(upload.id)
}
