//! Starting a session (IIN check, registry and mobile-citizens lookups) and registering a phone
//! through the operator's ticket.

use qoltanba_protocol::limits::SMS_MAX_TRIES;
use qoltanba_protocol::{
    ApiError, EnrollmentState, ErrorCode, FailureReason, PhoneNumber, Session, SmsCode, StartEnrollment,
    TicketDecision, TicketStatus,
};
use serde_json::json;
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use super::codes::{hash_code, mask_phone};
use super::error::api;
use super::session::{self, SessionData, audit};
use super::transaction::{Answer, Idempotency, transact};
use super::{Ra, RaError, SESSION_IDLE_TIMEOUT, validate};
use crate::storage::phones::{self, PhoneRecord};
use crate::storage::reviews::{self, Decision, PhoneTicket};
use crate::storage::{ConflictKind, StorageError, registry, sms};

/// Longest device description field accepted.
const MAX_DEVICE_FIELD: usize = 128;

impl Ra {
    /// `POST /v1/enrollments`: a new session for a valid IIN the registry knows (`invalid_iin`,
    /// `not_found`). With a phone registered to the IIN a code is sent to it (`expect_sms_code`),
    /// otherwise the citizen gives one (`expect_phone_number`).
    pub async fn start(
        &self,
        request: &StartEnrollment,
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        if request.iin.parse::<qoltanba_pki::iin::Iin>().is_err() {
            return Err(api(ErrorCode::InvalidIin, "the IIN is not 12 digits with a valid check digit"));
        }
        let device = &request.device;
        let fields = [&device.os_version, &device.app_version].into_iter().chain(device.model.as_ref());
        if fields.into_iter().any(|f| f.len() > MAX_DEVICE_FIELD) {
            return Err(api(ErrorCode::InvalidInput, "a device field is too long"));
        }
        transact!(self, idem, 201, |tx| self.start_in(&mut tx, request).await)
    }

    async fn start_in(&self, conn: &mut AnyConnection, request: &StartEnrollment) -> Result<Answer, RaError> {
        let now = self.now();
        let iin = &request.iin;
        if registry::find(conn, iin).await?.is_none() {
            return Err(api(ErrorCode::NotFound, "the population registry has no person with this IIN"));
        }
        let phone = phones::find(conn, iin).await?.map(|p| p.phone);
        let id = Uuid::new_v4();
        let mut data = SessionData {
            state: EnrollmentState::ExpectPhoneNumber,
            expires_at: now + SESSION_IDLE_TIMEOUT,
            device: request.device.clone(),
            phone: phone.clone(),
            email: None,
            review: None,
            selfies_used: 0,
        };
        session::create(conn, id, iin, &data, now).await?;
        if let Some(phone) = &phone {
            data.state = self.send_code(conn, id, phone, SMS_MAX_TRIES, now).await?;
            let loaded = session::load(conn, id, now).await?;
            loaded.save(conn, data.state.clone(), now).await?;
        }
        let details = json!({ "phone_registered": phone.is_some(), "device": request.device });
        audit(conn, now, &format!("citizen:{iin}"), "enrollment.started", &id.to_string(), details).await?;
        Ok(Answer::Done(session::load(conn, id, now).await?.data.wire(id)))
    }

    /// `POST …/phone`: the number to register. Opens the operator's ticket and sends a code to that
    /// number for the citizen to read out on the video call (`expect_phone_registration`).
    pub async fn submit_phone(
        &self,
        id: Uuid,
        request: &PhoneNumber,
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        validate::phone(&request.phone)?;
        transact!(self, idem, 200, |tx| self.phone_in(&mut tx, id, &request.phone).await)
    }

    async fn phone_in(&self, conn: &mut AnyConnection, id: Uuid, phone: &str) -> Result<Answer, RaError> {
        let now = self.now();
        let mut loaded = session::load(conn, id, now).await?;
        if loaded.data.state != EnrollmentState::ExpectPhoneNumber {
            return Err(loaded.wrong_state());
        }
        let ticket = PhoneTicket {
            id: Uuid::new_v4(),
            session_id: id,
            iin: loaded.iin.clone(),
            phone: phone.to_owned(),
            status: TicketStatus::Pending,
            operator: None,
            reason: None,
            created_at: now,
            decided_at: None,
        };
        reviews::open_ticket(conn, &ticket).await?;
        self.send_code(conn, id, phone, SMS_MAX_TRIES, now).await?;
        loaded.data.phone = Some(phone.to_owned());
        let details = json!({ "ticket": ticket.id, "phone": mask_phone(phone) });
        let actor = format!("citizen:{}", loaded.iin);
        audit(conn, now, &actor, "phone_registration.requested", &id.to_string(), details).await?;
        let state = EnrollmentState::ExpectPhoneRegistration {
            ticket_id: ticket.id,
            phone_masked: mask_phone(phone),
        };
        Ok(Answer::Done(loaded.save(conn, state, now).await?))
    }

    /// The operator's decision on a phone-registration ticket. Approval needs the code the citizen read
    /// out: a wrong one uses up one of the citizen's tries (`code_mismatch` with the tries left; the last
    /// one rejects the ticket, fails the session and answers `too_many_attempts`); the right one
    /// registers the phone in the mobile-citizens database and sends the 1414 code (`expect_sms_code`).
    /// Rejection needs a reason and fails the session. `not_found` for an unknown ticket, `conflict` for
    /// one already decided. Returns the session as it now is.
    pub async fn decide_phone_ticket(
        &self,
        operator: &str,
        ticket: Uuid,
        decision: &TicketDecision,
        idem: Option<&Idempotency>,
    ) -> Result<Session, RaError> {
        if let TicketDecision::Approve { sms_code } = decision
            && !(SmsCode { code: sms_code.clone() }).is_well_formed()
        {
            return Err(api(ErrorCode::InvalidInput, "the code has six digits"));
        }
        transact!(self, idem, 200, |tx| self.ticket_in(&mut tx, operator, ticket, decision).await)
    }

    async fn ticket_in(
        &self,
        conn: &mut AnyConnection,
        operator: &str,
        ticket_id: Uuid,
        decision: &TicketDecision,
    ) -> Result<Answer, RaError> {
        let now = self.now();
        let ticket = reviews::ticket(conn, ticket_id)
            .await?
            .ok_or_else(|| api(ErrorCode::NotFound, "no such ticket"))?;
        if ticket.status != TicketStatus::Pending {
            return Err(api(ErrorCode::Conflict, "the ticket was already decided"));
        }
        let loaded = session::load(conn, ticket.session_id, now).await?;
        let waiting = matches!(loaded.data.state,
            EnrollmentState::ExpectPhoneRegistration { ticket_id: t, .. } if t == ticket_id);
        if !waiting {
            return Err(api(ErrorCode::Conflict, "the session no longer waits for this ticket"));
        }
        let actor = format!("operator:{operator}");
        let heard = match decision {
            TicketDecision::Reject { reason } => {
                let reason = Some(reason.trim()).filter(|r| !r.is_empty());
                let reason =
                    reason.ok_or_else(|| api(ErrorCode::InvalidInput, "a rejection needs a reason"))?;
                let state = self.reject_ticket(conn, &actor, operator, &ticket, reason, now).await?;
                return Ok(Answer::Done(loaded.save(conn, state, now).await?));
            }
            TicketDecision::Approve { sms_code } => sms_code,
        };
        let subject = ticket.session_id.to_string();
        let stored =
            sms::code(conn, ticket.session_id).await?.ok_or(RaError::CorruptSession(ticket.session_id))?;
        if now >= stored.expires_at {
            return Err(api(ErrorCode::CodeExpired, "the code sent to the new phone expired"));
        }
        if hash_code(ticket.session_id, heard) != stored.code_hash {
            let left = u8::try_from(sms::use_try(conn, ticket.session_id).await?).unwrap_or(0);
            let details = json!({ "ticket": ticket_id, "tries_left": left });
            audit(conn, now, &actor, "phone_registration.code_mismatch", &subject, details).await?;
            if left > 0 {
                return Ok(Answer::Refused(ApiError::code_mismatch(left)));
            }
            let state = self.reject_ticket(conn, &actor, operator, &ticket, TOO_MANY_CODES, now).await?;
            loaded.save(conn, state, now).await?;
            return Ok(Answer::Refused(ApiError::new(ErrorCode::TooManyAttempts, TOO_MANY_CODES)));
        }
        let decision = Decision { status: TicketStatus::Approved, operator, reason: None, at: now };
        reviews::decide_ticket(conn, ticket_id, &decision).await.map_err(decided)?;
        let record = PhoneRecord {
            iin: ticket.iin.clone(),
            phone: ticket.phone.clone(),
            registered_at: now,
            registered_by: actor.clone(),
        };
        phones::register(conn, &record).await.map_err(|e| match e {
            StorageError::Conflict { kind: ConflictKind::Unique, .. } => {
                api(ErrorCode::Conflict, "a phone is already registered to this IIN")
            }
            other => other.into(),
        })?;
        let details = json!({ "ticket": ticket_id, "phone": mask_phone(&ticket.phone) });
        audit(conn, now, &actor, "phone_registration.approved", &subject, details).await?;
        let state = self.send_code(conn, ticket.session_id, &ticket.phone, SMS_MAX_TRIES, now).await?;
        Ok(Answer::Done(loaded.save(conn, state, now).await?))
    }

    /// Rejects a ticket (audited) and forgets the code sent to the new phone; returns the session's
    /// failed state.
    async fn reject_ticket(
        &self,
        conn: &mut AnyConnection,
        actor: &str,
        operator: &str,
        ticket: &PhoneTicket,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<EnrollmentState, RaError> {
        let decision = Decision { status: TicketStatus::Rejected, operator, reason: Some(reason), at: now };
        reviews::decide_ticket(conn, ticket.id, &decision).await.map_err(decided)?;
        sms::delete_code(conn, ticket.session_id).await?;
        let details = json!({ "ticket": ticket.id, "reason": reason });
        audit(conn, now, actor, "phone_registration.rejected", &ticket.session_id.to_string(), details)
            .await?;
        Ok(EnrollmentState::Failed {
            reason: FailureReason::PhoneRegistrationRejected,
            detail: Some(reason.to_owned()),
        })
    }
}

/// Why a ticket is rejected after the last wrong code.
const TOO_MANY_CODES: &str = "too many wrong codes; the session failed";

/// A lost race on a decision is a `conflict`.
pub(crate) fn decided(error: StorageError) -> RaError {
    match error {
        StorageError::Conflict { kind: ConflictKind::Stale, .. } => {
            api(ErrorCode::Conflict, "it was already decided")
        }
        StorageError::NotFound => api(ErrorCode::NotFound, "no such ticket or review"),
        other => other.into(),
    }
}
