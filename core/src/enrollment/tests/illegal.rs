//! Every event kind in every state the journey passes through: the legal ones are taken, the illegal
//! ones are refused with a typed error and change nothing.

use qoltanba_protocol::{ApiError, EnrollmentState, ErrorCode};

use super::support::*;
use crate::enrollment::pending::Pending;
use crate::enrollment::{Enrollment, Event, EventKind, MachineError, Secret, StepKind};
use crate::keystore::KeyStorageKind;

/// The citizen's inputs each step takes (written out here, independently of the machine's table).
const STEP_INPUTS: &[(StepKind, EventKind)] = &[
    (StepKind::DeviceCheck, EventKind::DeviceChecked),
    (StepKind::EnterIin, EventKind::IinEntered),
    (StepKind::EnterPhone, EventKind::PhoneEntered),
    (StepKind::EnterSmsCode, EventKind::SmsCodeEntered),
    (StepKind::EnterSmsCode, EventKind::ResendRequested),
    (StepKind::TakeSelfie, EventKind::SelfieTaken),
    (StepKind::ChoosePin, EventKind::PinChosen),
    (StepKind::TakeIdCardPhoto, EventKind::IdCardPhotoTaken),
    (StepKind::ConfirmPinAndConsent, EventKind::ConsentGiven),
    (StepKind::ConfirmPinAndConsent, EventKind::ConsentRefused),
    (StepKind::ReviewPersonAndEmail, EventKind::EmailEntered),
    (StepKind::ChooseKeyStorage, EventKind::KeyStorageChosen),
    (StepKind::ChoosePassword, EventKind::PasswordChosen),
    (StepKind::UnlockKeys, EventKind::PasswordEntered),
];

/// A valid event of each kind.
pub(super) fn sample(kind: EventKind) -> Event {
    match kind {
        EventKind::DeviceChecked => Event::DeviceChecked { camera_ok: true, network_ok: true },
        EventKind::IinEntered => Event::IinEntered(IIN.into()),
        EventKind::PhoneEntered => Event::PhoneEntered("+77011234567".into()),
        EventKind::SmsCodeEntered => Event::SmsCodeEntered(Secret::from(SMS)),
        EventKind::ResendRequested => Event::ResendRequested,
        EventKind::SelfieTaken => Event::SelfieTaken(jpeg()),
        EventKind::PinChosen => pin_chosen(),
        EventKind::IdCardPhotoTaken => Event::IdCardPhotoTaken(png()),
        EventKind::ConsentGiven => Event::ConsentGiven { pin: Secret::from(PIN) },
        EventKind::ConsentRefused => Event::ConsentRefused,
        EventKind::EmailEntered => Event::EmailEntered("ivan@example.kz".into()),
        EventKind::KeyStorageChosen => Event::KeyStorageChosen(KeyStorageKind::Hardware),
        EventKind::PasswordChosen => password_chosen(),
        EventKind::PasswordEntered => Event::PasswordEntered(Secret::from(PASSWORD)),
        EventKind::Retry => Event::Retry,
        EventKind::ServerAnswered => answer(EnrollmentState::ExpectCsrs),
        EventKind::ServerRefused => Event::ServerRefused(ApiError::new(ErrorCode::Internal, "boom")),
        EventKind::TransportFailed => Event::TransportFailed,
        EventKind::PollDue => Event::PollDue,
        EventKind::PinStored => Event::PinStored,
        EventKind::PinChecked => Event::PinChecked { ok: true, tries_left: 3, locked_until: None },
        EventKind::KeysGenerated => keys_generated(),
        EventKind::KeysFailed => Event::KeysFailed { detail: "no".into() },
        EventKind::CertificatesInstalled => Event::CertificatesInstalled,
        EventKind::InstallFailed => Event::InstallFailed { detail: "no".into() },
        EventKind::KeysDeleted => Event::KeysDeleted,
    }
}

/// Whether `event` is legal for `machine`, from the rules: input when idle (or stalled) and the step
/// takes it; `Retry` when stalled; a result when its action is in flight.
fn legal(machine: &Enrollment, event: EventKind) -> bool {
    let busy = machine.pending.is_some() && !machine.stalled;
    if event.is_input() {
        return !busy && STEP_INPUTS.contains(&(machine.step().kind(), event));
    }
    match (&machine.pending, event) {
        (Some(_), EventKind::Retry) => machine.stalled,
        (
            Some(Pending::Api { .. }),
            EventKind::ServerAnswered | EventKind::ServerRefused | EventKind::TransportFailed,
        ) => true,
        (Some(Pending::Poll), EventKind::PollDue) => true,
        (Some(Pending::StorePin), EventKind::PinStored) => true,
        (Some(Pending::CheckPin), EventKind::PinChecked) => true,
        (Some(Pending::GenerateKeys { .. }), EventKind::KeysGenerated | EventKind::KeysFailed) => true,
        (Some(Pending::Install), EventKind::CertificatesInstalled | EventKind::InstallFailed) => true,
        (Some(Pending::DeleteKeys), EventKind::KeysDeleted) => true,
        _ => false,
    }
}

/// The journey's states, plus a stalled call, a failure with keys to delete, a failure without keys, and
/// the password asked again after an installation failure.
pub(super) fn states() -> Vec<Enrollment> {
    let mut states: Vec<Enrollment> = journey().into_iter().map(|(machine, _)| machine).collect();
    let mut stalled = at(StepKind::EnterSmsCode);
    stalled.handle(Event::SmsCodeEntered(Secret::from(SMS))).unwrap();
    stalled.handle(Event::TransportFailed).unwrap();
    states.push(stalled);
    let mut deleting = at(StepKind::Issuing);
    deleting.handle(Event::ServerRefused(ApiError::new(ErrorCode::SessionExpired, ""))).unwrap();
    states.push(deleting.clone());
    deleting.handle(Event::KeysDeleted).unwrap();
    states.push(deleting);
    let mut unlock = at(StepKind::Installing);
    unlock.handle(Event::InstallFailed { detail: "wrong password".into() }).unwrap();
    states.push(unlock);
    states
}

#[test]
fn the_states_cover_every_step() {
    let covered: std::collections::HashSet<StepKind> = states().iter().map(|m| m.step().kind()).collect();
    assert_eq!(covered.len(), 20, "{covered:?}");
}

#[test]
fn illegal_events_are_refused_and_change_nothing_legal_ones_are_taken() {
    let mut checked = (0, 0);
    for state in states() {
        for kind in EventKind::ALL {
            let mut machine = state.clone();
            let before = snapshot(&machine);
            let outcome = machine.handle(sample(kind));
            let context = format!(
                "{kind:?} in {:?} (pending {:?}, stalled {})",
                state.step().kind(),
                state.pending,
                state.stalled
            );
            if legal(&state, kind) {
                assert!(outcome.is_ok(), "{context}: refused: {outcome:?}");
                checked.0 += 1;
            } else {
                match outcome {
                    Err(MachineError::Busy { step, event } | MachineError::NotExpected { step, event }) => {
                        assert_eq!((step, event), (state.step().kind(), kind), "{context}");
                    }
                    other => panic!("{context}: expected a refusal, got {other:?}"),
                }
                assert_eq!(snapshot(&machine), before, "{context}: the refusal changed the state");
                checked.1 += 1;
            }
        }
    }
    assert!(checked.0 > 40 && checked.1 > 500, "{checked:?}");
}

#[test]
fn input_while_busy_is_busy_not_unexpected() {
    let mut machine = at(StepKind::EnterPhone);
    machine.handle(Event::PhoneEntered("+77011234567".into())).unwrap();
    let error = machine.handle(Event::PhoneEntered("+77011234568".into())).unwrap_err();
    assert_eq!(error, MachineError::Busy { step: StepKind::EnterPhone, event: EventKind::PhoneEntered });
}

#[test]
fn an_answer_about_another_session_is_refused() {
    let mut machine = at(StepKind::EnterPhone);
    machine.handle(Event::PhoneEntered("+77011234567".into())).unwrap();
    let before = snapshot(&machine);
    let mut other = session(EnrollmentState::ExpectCsrs);
    other.id = uuid::Uuid::from_u128(99);
    assert_eq!(machine.handle(Event::ServerAnswered(other)), Err(MachineError::ForeignSession));
    assert_eq!(snapshot(&machine), before);
}
