//! The SMS code from 1414: sending (hashed at rest, 5 minutes, resend after 60 s), checking (three
//! wrong tries end the session).

use qoltanba_protocol::limits::{SELFIE_MAX_ATTEMPTS, SMS_CODE_TTL_S, SMS_RESEND_AFTER_S};
use qoltanba_protocol::{ApiError, EnrollmentState, ErrorCode, FailureReason, Session, SmsCode};
use serde_json::json;
use sqlx::AnyConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::codes::{hash_code, mask_phone};
use super::error::api;
use super::session::{self, audit};
use super::transaction::{Answer, Idempotency, transact};
use super::{Ra, RaError};
use crate::storage::sms::{self, SENDER_1414};

impl Ra {
    /// Sends a fresh code to `phone` for `session` (replacing an earlier one) and returns the stored
    /// code record's times.
    pub(crate) async fn send_code(
        &self,
        conn: &mut AnyConnection,
        session: Uuid,
        phone: &str,
        tries_left: u8,
        now: OffsetDateTime,
    ) -> Result<EnrollmentState, RaError> {
        let code = self.codes.code().ok_or(RaError::Random)?;
        let record = sms::SmsCode {
            session_id: session,
            phone: phone.to_owned(),
            code_hash: hash_code(session, &code),
            sent_at: now,
            expires_at: now + Duration::seconds(SMS_CODE_TTL_S.into()),
            tries_left: tries_left.into(),
        };
        sms::put_code(conn, &record).await?;
        let mut text =
            format!("Qoltanba: your code is {}. Do not tell it to anyone but the NCA.", code.as_str());
        if let Some(hash) = &self.sms_app_hash {
            text.push_str(&format!("\n\n{hash}"));
        }
        sms::send(conn, phone, SENDER_1414, &text, now).await?;
        Ok(EnrollmentState::ExpectSmsCode {
            phone_masked: mask_phone(phone),
            expires_at: record.expires_at,
            resend_after: now + Duration::seconds(SMS_RESEND_AFTER_S.into()),
            tries_left,
        })
    }

    /// `POST …/sms-code`: the code from 1414. Right → `expect_selfie`; wrong → `code_mismatch` with the
    /// tries left, the last wrong one → `too_many_attempts` and the session `failed`; late →
    /// `code_expired`.
    pub async fn submit_sms_code(
        &self,
        id: Uuid,
        code: &SmsCode,
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        if !code.is_well_formed() {
            return Err(api(ErrorCode::InvalidInput, "the code has six digits"));
        }
        transact!(self, idem, 200, |tx| self.check_code(&mut tx, id, &code.code).await)
    }

    async fn check_code(&self, conn: &mut AnyConnection, id: Uuid, code: &str) -> Result<Answer, RaError> {
        let now = self.now();
        let loaded = session::load(conn, id, now).await?;
        let EnrollmentState::ExpectSmsCode { phone_masked, expires_at, resend_after, .. } =
            &loaded.data.state
        else {
            return Err(loaded.wrong_state());
        };
        let (phone_masked, expires_at, resend_after) = (phone_masked.clone(), *expires_at, *resend_after);
        let stored = sms::code(conn, id).await?.ok_or(RaError::CorruptSession(id))?;
        if now >= stored.expires_at {
            return Err(api(ErrorCode::CodeExpired, "the code expired; ask for a new one"));
        }
        let actor = format!("citizen:{}", loaded.iin);
        if hash_code(id, code) == stored.code_hash {
            sms::delete_code(conn, id).await?;
            audit(conn, now, &actor, "sms_code.accepted", &id.to_string(), json!({})).await?;
            let state = EnrollmentState::ExpectSelfie {
                attempts_left: SELFIE_MAX_ATTEMPTS.saturating_sub(loaded.data.selfies_used),
                last_rejection: None,
            };
            return Ok(Answer::Done(loaded.save(conn, state, now).await?));
        }
        let left = u8::try_from(sms::use_try(conn, id).await?).unwrap_or(0);
        audit(conn, now, &actor, "sms_code.mismatch", &id.to_string(), json!({ "tries_left": left })).await?;
        if left == 0 {
            sms::delete_code(conn, id).await?;
            let state = EnrollmentState::Failed { reason: FailureReason::TooManyCodeAttempts, detail: None };
            loaded.save(conn, state, now).await?;
            return Ok(Answer::Refused(ApiError::new(
                ErrorCode::TooManyAttempts,
                "too many wrong codes; the session failed",
            )));
        }
        let state =
            EnrollmentState::ExpectSmsCode { phone_masked, expires_at, resend_after, tries_left: left };
        loaded.save(conn, state, now).await?;
        Ok(Answer::Refused(ApiError::code_mismatch(left)))
    }

    /// `POST …/sms-code/resend`: a new code to the same phone, at the earliest 60 s after the last one
    /// (else `rate_limited` with the seconds to wait). Wrong tries already used stay used.
    pub async fn resend_sms_code(&self, id: Uuid, idem: Option<&Idempotency>) -> Result<Session, RaError> {
        transact!(self, idem, 200, |tx| self.resend_in(&mut tx, id).await)
    }

    async fn resend_in(&self, conn: &mut AnyConnection, id: Uuid) -> Result<Answer, RaError> {
        let now = self.now();
        let loaded = session::load(conn, id, now).await?;
        if !matches!(loaded.data.state, EnrollmentState::ExpectSmsCode { .. }) {
            return Err(loaded.wrong_state());
        }
        let stored = sms::code(conn, id).await?.ok_or(RaError::CorruptSession(id))?;
        let allowed_at = stored.sent_at + Duration::seconds(SMS_RESEND_AFTER_S.into());
        if now < allowed_at {
            let wait = u32::try_from((allowed_at - now).whole_seconds()).unwrap_or(SMS_RESEND_AFTER_S);
            return Err(RaError::Api(ApiError::rate_limited(wait.max(1))));
        }
        let tries = u8::try_from(stored.tries_left).unwrap_or(0);
        let state = self.send_code(conn, id, &stored.phone, tries, now).await?;
        let actor = format!("citizen:{}", loaded.iin);
        audit(conn, now, &actor, "sms_code.resent", &id.to_string(), json!({})).await?;
        Ok(Answer::Done(loaded.save(conn, state, now).await?))
    }
}
