//! How the server's answers move the machine: each [`EnrollmentState`] to its step (with the phone's own
//! steps inserted), each [`ErrorCode`] to a step, a notice or a retry.

use qoltanba_protocol::{ApiError, EnrollmentState, ErrorCode, FailureReason, Session};

use super::command::Command;
use super::event::EventKind;
use super::machine::{Enrollment, accepts};
use super::pending::Call;
use super::step::{FailReason, Notice, Step};

impl Enrollment {
    /// The server answered with the session: follow its state.
    pub(crate) fn follow(&mut self, session: Session) -> Vec<Command> {
        self.session = Some(session.id);
        self.expires_at = Some(session.expires_at);
        self.server_state = Some(session.state.clone());
        self.notice = None;
        self.settle(None);
        self.enter(session.state)
    }

    /// The step for a server state; the phone's own steps come first where they belong (the PIN before
    /// the ID-card photo, the key storage choice and key generation before the CSRs).
    pub(crate) fn enter(&mut self, state: EnrollmentState) -> Vec<Command> {
        match state {
            EnrollmentState::ExpectPhoneNumber => self.show(Step::EnterPhone),
            EnrollmentState::ExpectPhoneRegistration { ticket_id, phone_masked } => {
                self.step = Step::AwaitingOperator { ticket: ticket_id, phone_masked };
                self.poll()
            }
            EnrollmentState::ExpectSmsCode { phone_masked, expires_at, resend_after, tries_left } => {
                self.show(Step::EnterSmsCode { phone_masked, expires_at, resend_after, tries_left })
            }
            EnrollmentState::ExpectSelfie { attempts_left, last_rejection } => {
                self.show(Step::TakeSelfie { attempts_left, last_rejection })
            }
            EnrollmentState::SelfieUnderReview => {
                self.step = Step::SelfieUnderReview;
                self.poll()
            }
            EnrollmentState::ExpectIdCardPhoto => self.after_pin(Step::TakeIdCardPhoto),
            EnrollmentState::ExpectConsent => self.after_pin(Step::ConfirmPinAndConsent),
            EnrollmentState::ExpectEmail { person } => {
                self.person = Some(person.clone());
                self.show(Step::ReviewPersonAndEmail { person })
            }
            EnrollmentState::ExpectCsrs => match self.keys.clone() {
                Some(keys) => {
                    self.step = Step::Issuing;
                    self.post(Call::Csrs(keys.csrs))
                }
                None => self.show(Step::ChooseKeyStorage),
            },
            EnrollmentState::Issued { certificates } if self.keys.is_some() => self.install(certificates),
            EnrollmentState::Issued { .. } => self.fail(FailReason::KeysLost, None),
            EnrollmentState::Failed { reason, detail } => self.fail(FailReason::Server(reason), detail),
        }
    }

    fn after_pin(&mut self, step: Step) -> Vec<Command> {
        self.show(if self.pin_set { step } else { Step::ChoosePin })
    }

    /// The server refused the call in flight.
    pub(crate) fn refused(&mut self, error: ApiError) -> Vec<Command> {
        use ErrorCode as C;
        match error.code {
            C::CodeMismatch => {
                let left = error.tries_left;
                if let (Step::EnterSmsCode { tries_left, .. }, Some(left)) = (&mut self.step, left) {
                    *tries_left = left;
                }
                let tries_left = match &self.step {
                    Step::EnterSmsCode { tries_left, .. } => *tries_left,
                    _ => left.unwrap_or(0),
                };
                self.settle(Some(Notice::CodeMismatch { tries_left }))
            }
            C::CodeExpired => self.settle(Some(Notice::CodeExpired)),
            C::TooManyAttempts => self.fail(FailReason::Server(FailureReason::TooManyCodeAttempts), None),
            C::SessionExpired => self.fail(FailReason::SessionExpired, None),
            C::NotFound => self.fail(FailReason::SessionNotFound, None),
            C::WrongState => {
                self.notice = None;
                self.transient.clear_action();
                self.fetch()
            }
            C::RateLimited => self.stall(Notice::RateLimited { retry_after_s: error.retry_after_s }),
            C::Internal | C::Unavailable => {
                self.stall(Notice::ServerUnavailable { retry_after_s: error.retry_after_s })
            }
            C::InvalidIin | C::InvalidInput | C::PayloadTooLarge | C::UnsupportedMediaType => {
                self.rejected(error.code)
            }
            C::MalformedRequest
            | C::MissingIdempotencyKey
            | C::Unauthorized
            | C::Forbidden
            | C::Conflict
            | C::InvalidCsr => self.fail(FailReason::Refused(error.code), None),
        }
    }

    /// The server refused what the citizen gave: ask again where there is something to ask, else fail.
    fn rejected(&mut self, code: ErrorCode) -> Vec<Command> {
        let step = self.step.kind();
        if step == super::step::StepKind::StartingSession {
            self.step = Step::EnterIin;
        } else if !EventKind::ALL.into_iter().any(|event| accepts(step, event)) {
            return self.fail(FailReason::Refused(code), None);
        }
        self.settle(Some(Notice::Refused { code }))
    }
}
