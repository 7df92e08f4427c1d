//! Every server state and every error code, mapped to the step, notice and commands that follow.

use qoltanba_protocol::{ApiError, EnrollmentState, ErrorCode, FailureReason};

use super::support::*;
use crate::enrollment::{
    ApiRequest, Command, Enrollment, Event, FailReason, Notice, POLL_INTERVAL, Secret, Step, StepKind,
};

fn all_states() -> Vec<EnrollmentState> {
    vec![
        EnrollmentState::ExpectPhoneNumber,
        ticket_state(),
        sms_state(2),
        EnrollmentState::ExpectSelfie { attempts_left: 3, last_rejection: Some("blurred".into()) },
        EnrollmentState::SelfieUnderReview,
        EnrollmentState::ExpectIdCardPhoto,
        EnrollmentState::ExpectConsent,
        EnrollmentState::ExpectEmail { person: person() },
        EnrollmentState::ExpectCsrs,
        EnrollmentState::Issued { certificates: certificates() },
        EnrollmentState::Failed {
            reason: FailureReason::PhoneRegistrationRejected,
            detail: Some("no ID".into()),
        },
    ]
}

/// The machine waiting for the start of the session.
fn starting() -> Enrollment {
    at(StepKind::StartingSession)
}

#[test]
fn every_server_state_maps_to_its_step_before_the_pin_and_keys_exist() {
    for state in all_states() {
        let mut machine = starting();
        let name = state.name();
        let commands = machine.handle(answer(state)).unwrap();
        let expected: (StepKind, Vec<Command>) = match name {
            "expect_phone_number" => (StepKind::EnterPhone, vec![]),
            "expect_phone_registration" => {
                (StepKind::AwaitingOperator, vec![Command::PollAfter(POLL_INTERVAL)])
            }
            "expect_sms_code" => (StepKind::EnterSmsCode, vec![]),
            "expect_selfie" => (StepKind::TakeSelfie, vec![]),
            "selfie_under_review" => (StepKind::SelfieUnderReview, vec![Command::PollAfter(POLL_INTERVAL)]),
            "expect_id_card_photo" | "expect_consent" => (StepKind::ChoosePin, vec![]),
            "expect_email" => (StepKind::ReviewPersonAndEmail, vec![]),
            "expect_csrs" => (StepKind::ChooseKeyStorage, vec![]),
            "issued" => (StepKind::Failed, vec![]),
            "failed" => (StepKind::Failed, vec![]),
            other => panic!("unmapped state {other}"),
        };
        assert_eq!((machine.step().kind(), commands), expected, "{name}");
        assert_eq!(machine.session(), Some(SESSION));
    }
}

#[test]
fn server_states_carry_their_details_into_the_steps() {
    let mut machine = starting();
    machine.handle(answer(sms_state(2))).unwrap();
    assert!(
        matches!(machine.step(), Step::EnterSmsCode { tries_left: 2, phone_masked, .. } if phone_masked.ends_with("67"))
    );
    let mut machine = starting();
    machine
        .handle(answer(EnrollmentState::Failed {
            reason: FailureReason::PhoneRegistrationRejected,
            detail: Some("no ID".into()),
        }))
        .unwrap();
    assert_eq!(
        machine.step(),
        &Step::Failed {
            reason: FailReason::Server(FailureReason::PhoneRegistrationRejected),
            detail: Some("no ID".into())
        }
    );
    let mut machine = starting();
    machine.handle(answer(EnrollmentState::Issued { certificates: certificates() })).unwrap();
    assert_eq!(machine.step(), &Step::Failed { reason: FailReason::KeysLost, detail: None });
}

#[test]
fn after_the_pin_the_photo_and_consent_steps_follow_the_server() {
    let mut machine = at(StepKind::TakeIdCardPhoto);
    machine.handle(Event::IdCardPhotoTaken(png())).unwrap();
    machine.handle(Event::ServerRefused(ApiError::wrong_state(&EnrollmentState::ExpectConsent))).unwrap();
    machine.handle(answer(EnrollmentState::ExpectConsent)).unwrap();
    assert_eq!(machine.step(), &Step::ConfirmPinAndConsent);
}

#[test]
fn with_keys_made_expect_csrs_sends_them_and_issued_installs() {
    let mut machine = at(StepKind::Issuing);
    machine.handle(Event::TransportFailed).unwrap();
    machine.handle(Event::Retry).unwrap();
    machine.handle(Event::ServerRefused(ApiError::wrong_state(&EnrollmentState::ExpectCsrs))).unwrap();
    let commands = machine.handle(answer(EnrollmentState::ExpectCsrs)).unwrap();
    assert_eq!(api(&commands).request, ApiRequest::Csrs { session: SESSION, body: csrs() });
    let commands = machine.handle(answer(EnrollmentState::Issued { certificates: certificates() })).unwrap();
    assert!(matches!(&commands[..], [Command::InstallCertificates { .. }]));
    assert_eq!(machine.step(), &Step::Installing);
}

/// The machine with an SMS code in flight.
fn code_sent() -> Enrollment {
    let mut machine = at(StepKind::EnterSmsCode);
    machine.handle(Event::SmsCodeEntered(Secret::from(SMS))).unwrap();
    machine
}

#[test]
fn every_error_code_maps_to_its_outcome() {
    for code in ErrorCode::ALL {
        let mut machine = code_sent();
        let error =
            ApiError { tries_left: Some(1), retry_after_s: Some(42), ..ApiError::new(code, "detail") };
        let commands = machine.handle(Event::ServerRefused(error)).unwrap();
        let view = machine.view();
        let fetch = vec![Command::Api(crate::enrollment::ApiCall {
            request: ApiRequest::Fetch { session: SESSION },
            idempotency_key: None,
        })];
        let failed = |_reason: FailReason| (StepKind::Failed, None, vec![]);
        let (step, notice, expected_commands): (StepKind, Option<Notice>, Vec<Command>) = match code {
            ErrorCode::CodeMismatch => {
                (StepKind::EnterSmsCode, Some(Notice::CodeMismatch { tries_left: 1 }), vec![])
            }
            ErrorCode::CodeExpired => (StepKind::EnterSmsCode, Some(Notice::CodeExpired), vec![]),
            ErrorCode::RateLimited => {
                (StepKind::EnterSmsCode, Some(Notice::RateLimited { retry_after_s: Some(42) }), vec![])
            }
            ErrorCode::Internal | ErrorCode::Unavailable => {
                (StepKind::EnterSmsCode, Some(Notice::ServerUnavailable { retry_after_s: Some(42) }), vec![])
            }
            ErrorCode::WrongState => (StepKind::EnterSmsCode, None, fetch),
            ErrorCode::InvalidIin
            | ErrorCode::InvalidInput
            | ErrorCode::PayloadTooLarge
            | ErrorCode::UnsupportedMediaType => {
                (StepKind::EnterSmsCode, Some(Notice::Refused { code }), vec![])
            }
            ErrorCode::TooManyAttempts => failed(FailReason::Server(FailureReason::TooManyCodeAttempts)),
            ErrorCode::SessionExpired => failed(FailReason::SessionExpired),
            ErrorCode::NotFound => failed(FailReason::SessionNotFound),
            ErrorCode::MalformedRequest
            | ErrorCode::MissingIdempotencyKey
            | ErrorCode::Unauthorized
            | ErrorCode::Forbidden
            | ErrorCode::Conflict
            | ErrorCode::InvalidCsr => failed(FailReason::Refused(code)),
        };
        assert_eq!((view.step.kind(), view.notice, commands), (step, notice, expected_commands), "{code}");
        let failed_reason = match code {
            ErrorCode::TooManyAttempts => Some(FailReason::Server(FailureReason::TooManyCodeAttempts)),
            ErrorCode::SessionExpired => Some(FailReason::SessionExpired),
            ErrorCode::NotFound => Some(FailReason::SessionNotFound),
            _ if step == StepKind::Failed => Some(FailReason::Refused(code)),
            _ => None,
        };
        if let Some(reason) = failed_reason {
            assert_eq!(view.step, Step::Failed { reason, detail: None }, "{code}");
        }
        let stalled = code.is_retryable();
        assert_eq!(view.stalled, stalled, "{code}: only retryable codes stall");
        assert_eq!(view.busy, code == ErrorCode::WrongState, "{code}");
    }
}

#[test]
fn a_wrong_code_updates_the_tries_left_and_a_new_code_may_be_typed() {
    let mut machine = code_sent();
    machine.handle(Event::ServerRefused(ApiError::code_mismatch(2))).unwrap();
    assert!(matches!(machine.step(), Step::EnterSmsCode { tries_left: 2, .. }));
    let commands = machine.handle(Event::SmsCodeEntered(Secret::from("000111"))).unwrap();
    assert_eq!(api(&commands).idempotency_key, key(4), "a new code is a new action");
}

#[test]
fn a_stalled_call_is_retried_with_the_same_key_or_replaced_by_new_input() {
    let mut machine = code_sent();
    let sent = api(&machine.clone().resume()).clone();
    machine.handle(Event::ServerRefused(ApiError::rate_limited(30))).unwrap();
    assert!(machine.view().stalled && !machine.view().busy);
    assert_eq!(api(&machine.clone().handle(Event::Retry).unwrap()), &sent);
    let resent = machine.handle(Event::ResendRequested).unwrap();
    assert_eq!(api(&resent).request, ApiRequest::ResendSmsCode { session: SESSION });
    assert_eq!(api(&resent).idempotency_key, key(4));
    assert_eq!(machine.view().notice, None);
}

#[test]
fn a_refused_start_goes_back_to_the_iin_and_a_refused_csr_fails() {
    let mut machine = starting();
    machine.handle(Event::ServerRefused(ApiError::new(ErrorCode::InvalidIin, "bad"))).unwrap();
    assert_eq!(machine.view().step, Step::EnterIin);
    assert_eq!(machine.view().notice, Some(Notice::Refused { code: ErrorCode::InvalidIin }));
    let mut machine = at(StepKind::Issuing);
    let commands =
        machine.handle(Event::ServerRefused(ApiError::new(ErrorCode::InvalidInput, "bad"))).unwrap();
    assert_eq!(
        machine.step(),
        &Step::Failed { reason: FailReason::Refused(ErrorCode::InvalidInput), detail: None }
    );
    assert!(matches!(&commands[..], [Command::DeleteKeys { .. }]));
}
