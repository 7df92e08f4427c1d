//! The snapshot: it round-trips at every step, and `resume` re-issues the action in flight with the same
//! idempotency key — or, when the action needed a secret or a picture the snapshot cannot hold, re-fetches
//! the session or asks again.

use qoltanba_protocol::EnrollmentState;

use super::support::*;
use crate::enrollment::{ApiRequest, Command, Enrollment, Event, Notice, Secret, Step, StepKind};

fn restored(machine: &Enrollment) -> Enrollment {
    serde_json::from_str(&snapshot(machine)).expect("the snapshot deserialises")
}

#[test]
fn the_snapshot_round_trips_at_every_step() {
    for (machine, _) in journey() {
        let again = restored(&machine);
        assert_eq!(snapshot(&again), snapshot(&machine), "{:?}", machine.step());
        assert_eq!(again.view(), machine.view());
    }
}

#[test]
fn resume_without_a_restart_reissues_exactly_what_was_emitted() {
    for (machine, commands) in journey() {
        let mut again = machine.clone();
        let expected = if machine.view().busy { commands } else { Vec::new() };
        assert_eq!(again.resume(), expected, "{:?}", machine.step());
        assert_eq!(again.resume(), expected, "resume is repeatable");
    }
}

/// Whether a command carries a secret or a picture (which a snapshot cannot restore).
fn needs_transient(command: &Command) -> bool {
    match command {
        Command::Api(call) => matches!(
            call.request,
            ApiRequest::SmsCode { .. } | ApiRequest::Selfie { .. } | ApiRequest::IdCardPhoto { .. }
        ),
        Command::StorePin(_) | Command::CheckPin(_) => true,
        Command::GenerateKeys { password, .. } | Command::InstallCertificates { password, .. } => {
            password.is_some()
        }
        Command::PollAfter(_) | Command::DeleteKeys { .. } => false,
    }
}

#[test]
fn after_a_restart_resume_reissues_the_same_call_and_key() {
    let mut reissued = 0;
    for (machine, commands) in journey() {
        if !machine.view().busy || commands.iter().any(needs_transient) {
            continue;
        }
        assert_eq!(restored(&machine).resume(), commands, "{:?}", machine.step());
        reissued += 1;
    }
    assert!(reissued >= 10, "{reissued}");
}

#[test]
fn after_a_restart_an_upload_in_flight_becomes_a_fetch_of_the_session() {
    for (step, event) in [
        (StepKind::EnterSmsCode, Event::SmsCodeEntered(Secret::from(SMS))),
        (StepKind::TakeSelfie, Event::SelfieTaken(jpeg())),
        (StepKind::TakeIdCardPhoto, Event::IdCardPhotoTaken(png())),
    ] {
        let mut machine = at(step);
        machine.handle(event).unwrap();
        let mut again = restored(&machine);
        let call = api(&again.resume()).clone();
        assert_eq!(
            (call.request, call.idempotency_key),
            (ApiRequest::Fetch { session: SESSION }, None),
            "{step:?}"
        );
        assert_eq!(again.step().kind(), step);
    }
    // The server had the code: the flow goes on.
    let mut machine = at(StepKind::EnterSmsCode);
    machine.handle(Event::SmsCodeEntered(Secret::from(SMS))).unwrap();
    let mut again = restored(&machine);
    again.resume();
    again.handle(answer(EnrollmentState::ExpectSelfie { attempts_left: 5, last_rejection: None })).unwrap();
    assert_eq!(again.step().kind(), StepKind::TakeSelfie);
}

#[test]
fn after_a_restart_a_lost_pin_or_password_is_asked_again() {
    let cases = [
        (StepKind::ChoosePin, pin_chosen(), Step::ChoosePin),
        (
            StepKind::ConfirmPinAndConsent,
            Event::ConsentGiven { pin: Secret::from(PIN) },
            Step::ConfirmPinAndConsent,
        ),
        (StepKind::ChoosePassword, password_chosen(), Step::ChoosePassword),
    ];
    for (step, event, expected) in cases {
        let mut machine = at(step);
        machine.handle(event).unwrap();
        let mut again = restored(&machine);
        assert_eq!(again.resume(), vec![], "{step:?}");
        let view = again.view();
        assert_eq!((view.step, view.notice, view.busy), (expected, Some(Notice::Interrupted), false));
    }
    let mut again = restored(&at(StepKind::Installing));
    assert_eq!(again.resume(), vec![]);
    assert_eq!(again.step(), &Step::UnlockKeys);
    let commands = again.handle(Event::PasswordEntered(Secret::from(PASSWORD))).unwrap();
    assert!(matches!(&commands[..], [Command::InstallCertificates { .. }]));
}

#[test]
fn a_snapshot_never_holds_a_secret_or_a_picture() {
    for (machine, _) in journey() {
        let text = snapshot(&machine);
        for secret in [SMS, PIN, PASSWORD, "IHDR", "JFIF"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let debug = format!("{machine:?}");
        for secret in [SMS, PASSWORD] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
    }
}
