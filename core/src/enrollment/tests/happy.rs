//! Every transition of the flow, with and without a registered phone.

use qoltanba_protocol::{Consent, EmailAddress, EnrollmentState, PhoneNumber, StartEnrollment};

use super::support::*;
use crate::enrollment::{ApiCall, ApiRequest, Command, Event, POLL_INTERVAL, Secret, Step, StepKind};
use crate::keystore::{KeyId, KeyStorageKind};

fn post(request: ApiRequest, n: u32) -> Vec<Command> {
    vec![Command::Api(ApiCall { request, idempotency_key: key(n) })]
}

fn fetch() -> Vec<Command> {
    vec![Command::Api(ApiCall { request: ApiRequest::Fetch { session: SESSION }, idempotency_key: None })]
}

#[test]
fn walks_the_whole_flow_without_a_registered_phone_to_file_keys() {
    let mut m = machine();
    let mut run = |event: Event, step: StepKind, expected: Vec<Command>| {
        let label = format!("{event:?}");
        let commands = m.handle(event).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(m.step().kind(), step, "{label}");
        assert_eq!(commands, expected, "{label}");
        m.clone()
    };
    assert_eq!(machine().step(), &Step::DeviceCheck);
    run(Event::DeviceChecked { camera_ok: true, network_ok: true }, StepKind::EnterIin, vec![]);
    let start = StartEnrollment { iin: IIN.into(), device: device() };
    run(Event::IinEntered(format!(" {IIN} ")), StepKind::StartingSession, post(ApiRequest::Start(start), 1));
    run(answer(EnrollmentState::ExpectPhoneNumber), StepKind::EnterPhone, vec![]);
    let body = PhoneNumber { phone: "+77011234567".into() };
    let busy = run(
        Event::PhoneEntered("8 (701) 123-45-67".into()),
        StepKind::EnterPhone,
        post(ApiRequest::Phone { session: SESSION, body }, 2),
    );
    assert!(busy.view().busy);
    let waiting =
        run(answer(ticket_state()), StepKind::AwaitingOperator, vec![Command::PollAfter(POLL_INTERVAL)]);
    assert!(
        matches!(waiting.step(), Step::AwaitingOperator { phone_masked, .. } if phone_masked.contains("67"))
    );
    run(Event::PollDue, StepKind::AwaitingOperator, fetch());
    run(answer(ticket_state()), StepKind::AwaitingOperator, vec![Command::PollAfter(POLL_INTERVAL)]);
    run(Event::PollDue, StepKind::AwaitingOperator, fetch());
    let code = run(answer(sms_state(3)), StepKind::EnterSmsCode, vec![]);
    assert!(matches!(code.step(), Step::EnterSmsCode { tries_left: 3, .. }));
    assert!(!code.view().busy);
    run(
        Event::ResendRequested,
        StepKind::EnterSmsCode,
        post(ApiRequest::ResendSmsCode { session: SESSION }, 3),
    );
    run(answer(sms_state(3)), StepKind::EnterSmsCode, vec![]);
    run(
        Event::SmsCodeEntered(Secret::from(" 482913 ")),
        StepKind::EnterSmsCode,
        post(ApiRequest::SmsCode { session: SESSION, code: Secret::from(SMS) }, 4),
    );
    let selfie = EnrollmentState::ExpectSelfie { attempts_left: 5, last_rejection: None };
    run(answer(selfie), StepKind::TakeSelfie, vec![]);
    let picture = crate::enrollment::input::picture(jpeg()).unwrap();
    run(
        Event::SelfieTaken(jpeg()),
        StepKind::TakeSelfie,
        post(ApiRequest::Selfie { session: SESSION, picture }, 5),
    );
    run(
        answer(EnrollmentState::SelfieUnderReview),
        StepKind::SelfieUnderReview,
        vec![Command::PollAfter(POLL_INTERVAL)],
    );
    run(Event::PollDue, StepKind::SelfieUnderReview, fetch());
    run(answer(EnrollmentState::ExpectIdCardPhoto), StepKind::ChoosePin, vec![]);
    run(pin_chosen(), StepKind::ChoosePin, vec![Command::StorePin(Secret::from(PIN))]);
    run(Event::PinStored, StepKind::TakeIdCardPhoto, vec![]);
    let picture = crate::enrollment::input::picture(png()).unwrap();
    run(
        Event::IdCardPhotoTaken(png()),
        StepKind::TakeIdCardPhoto,
        post(ApiRequest::IdCardPhoto { session: SESSION, picture }, 6),
    );
    run(answer(EnrollmentState::ExpectConsent), StepKind::ConfirmPinAndConsent, vec![]);
    run(
        Event::ConsentGiven { pin: Secret::from(PIN) },
        StepKind::ConfirmPinAndConsent,
        vec![Command::CheckPin(Secret::from(PIN))],
    );
    run(
        Event::PinChecked { ok: true, tries_left: 3, locked_until: None },
        StepKind::ConfirmPinAndConsent,
        post(ApiRequest::Consent { session: SESSION, body: Consent { accepted: true } }, 7),
    );
    let shown = run(
        answer(EnrollmentState::ExpectEmail { person: person() }),
        StepKind::ReviewPersonAndEmail,
        vec![],
    );
    assert_eq!(shown.step(), &Step::ReviewPersonAndEmail { person: person() });
    let body = EmailAddress { email: "ivan@example.kz".into() };
    run(
        Event::EmailEntered(" ivan@example.kz ".into()),
        StepKind::ReviewPersonAndEmail,
        post(ApiRequest::Email { session: SESSION, body }, 8),
    );
    run(answer(EnrollmentState::ExpectCsrs), StepKind::ChooseKeyStorage, vec![]);
    run(Event::KeyStorageChosen(KeyStorageKind::File), StepKind::ChoosePassword, vec![]);
    let generate = Command::GenerateKeys {
        storage: KeyStorageKind::File,
        password: Some(Secret::from(PASSWORD)),
        label: format!("{NONCE}-keys-9"),
    };
    run(password_chosen(), StepKind::GeneratingKeys, vec![generate]);
    run(keys_generated(), StepKind::Issuing, post(ApiRequest::Csrs { session: SESSION, body: csrs() }, 10));
    let install = Command::InstallCertificates {
        certificates: certificates(),
        auth: KeyId("auth-1".into()),
        sign: KeyId("sign-1".into()),
        storage: KeyStorageKind::File,
        password: Some(Secret::from(PASSWORD)),
    };
    run(
        answer(EnrollmentState::Issued { certificates: certificates() }),
        StepKind::Installing,
        vec![install],
    );
    let done = run(Event::CertificatesInstalled, StepKind::Done, vec![]);
    assert_eq!(done.step(), &Step::Done { certificates: certificates() });
    assert!(done.step().is_terminal() && !done.view().busy);
}

#[test]
fn walks_the_flow_with_a_registered_phone_to_hardware_keys() {
    let mut m = machine();
    let mut run = |event: Event| {
        let label = format!("{event:?}");
        m.handle(event).unwrap_or_else(|e| panic!("{label}: {e}"))
    };
    run(Event::DeviceChecked { camera_ok: true, network_ok: true });
    assert_eq!(api(&run(Event::IinEntered(IIN.into()))).idempotency_key, key(1));
    assert!(run(answer(sms_state(3))).is_empty());
    assert_eq!(api(&run(Event::SmsCodeEntered(Secret::from(SMS)))).idempotency_key, key(2));
    run(answer(EnrollmentState::ExpectSelfie { attempts_left: 5, last_rejection: None }));
    assert_eq!(api(&run(Event::SelfieTaken(png()))).idempotency_key, key(3));
    // The face check matched at once: no review, straight to the PIN.
    assert!(run(answer(EnrollmentState::ExpectIdCardPhoto)).is_empty());
    run(pin_chosen());
    run(Event::PinStored);
    assert_eq!(api(&run(Event::IdCardPhotoTaken(jpeg()))).idempotency_key, key(4));
    run(answer(EnrollmentState::ExpectConsent));
    run(Event::ConsentGiven { pin: Secret::from(PIN) });
    assert_eq!(
        api(&run(Event::PinChecked { ok: true, tries_left: 3, locked_until: None })).idempotency_key,
        key(5)
    );
    run(answer(EnrollmentState::ExpectEmail { person: person() }));
    assert_eq!(api(&run(Event::EmailEntered("a.b@mail.kz".into()))).idempotency_key, key(6));
    run(answer(EnrollmentState::ExpectCsrs));
    let generate = run(Event::KeyStorageChosen(KeyStorageKind::Hardware));
    assert_eq!(
        generate,
        vec![Command::GenerateKeys {
            storage: KeyStorageKind::Hardware,
            password: None,
            label: format!("{NONCE}-keys-7")
        }]
    );
    assert_eq!(api(&run(keys_generated())).idempotency_key, key(8));
    let install = run(answer(EnrollmentState::Issued { certificates: certificates() }));
    assert!(matches!(
        &install[..],
        [Command::InstallCertificates { password: None, storage: KeyStorageKind::Hardware, .. }]
    ));
    assert!(run(Event::CertificatesInstalled).is_empty());
    assert_eq!(m.step(), &Step::Done { certificates: certificates() });
}

#[test]
fn a_rejected_selfie_asks_again_with_the_reason() {
    let mut m = at(StepKind::SelfieUnderReview);
    m.handle(Event::PollDue).unwrap();
    let again = EnrollmentState::ExpectSelfie { attempts_left: 4, last_rejection: Some("too dark".into()) };
    assert!(m.handle(answer(again)).unwrap().is_empty());
    assert_eq!(m.step(), &Step::TakeSelfie { attempts_left: 4, last_rejection: Some("too dark".into()) });
}

#[test]
fn a_wrong_pin_at_consent_stays_with_the_tries_left() {
    let mut m = at(StepKind::ConfirmPinAndConsent);
    m.handle(Event::ConsentGiven { pin: Secret::from("1357") }).unwrap();
    let commands = m.handle(Event::PinChecked { ok: false, tries_left: 2, locked_until: None }).unwrap();
    assert!(commands.is_empty());
    let view = m.view();
    assert_eq!(view.step, Step::ConfirmPinAndConsent);
    assert_eq!(view.notice, Some(crate::enrollment::Notice::WrongPin { tries_left: 2, locked_until: None }));
    assert!(!view.busy);
}

#[test]
fn refusing_consent_sends_the_refusal_and_follows_the_failure() {
    let mut m = at(StepKind::ConfirmPinAndConsent);
    let call = api(&m.handle(Event::ConsentRefused).unwrap()).clone();
    assert_eq!(call.request, ApiRequest::Consent { session: SESSION, body: Consent { accepted: false } });
    let failed =
        EnrollmentState::Failed { reason: qoltanba_protocol::FailureReason::ConsentRefused, detail: None };
    assert!(m.handle(answer(failed)).unwrap().is_empty());
    assert_eq!(m.step().kind(), StepKind::Failed);
}

#[test]
fn failed_key_generation_goes_back_to_the_storage_choice() {
    let mut m = at(StepKind::GeneratingKeys);
    assert!(m.handle(Event::KeysFailed { detail: "no StrongBox".into() }).unwrap().is_empty());
    assert_eq!(m.step(), &Step::ChooseKeyStorage);
    assert_eq!(
        m.view().notice,
        Some(crate::enrollment::Notice::KeysFailed { detail: "no StrongBox".into() })
    );
    // A second attempt gets a new label.
    let commands = m.handle(Event::KeyStorageChosen(KeyStorageKind::Hardware)).unwrap();
    assert!(
        matches!(&commands[..], [Command::GenerateKeys { label, .. }] if label == &format!("{NONCE}-keys-9"))
    );
}

#[test]
fn a_refused_key_file_password_at_installation_asks_for_it_again() {
    let mut m = at(StepKind::Installing);
    assert!(m.handle(Event::InstallFailed { detail: "wrong password".into() }).unwrap().is_empty());
    assert_eq!(m.step(), &Step::UnlockKeys);
    let commands = m.handle(Event::PasswordEntered(Secret::from(PASSWORD))).unwrap();
    assert!(
        matches!(&commands[..], [Command::InstallCertificates { password: Some(p), .. }] if p.expose() == PASSWORD)
    );
    assert_eq!(m.step(), &Step::Installing);
}

#[test]
fn a_failure_after_key_generation_deletes_the_keys() {
    let mut m = at(StepKind::Issuing);
    let commands = m.handle(Event::ServerRefused(qoltanba_protocol::ApiError::new(
        qoltanba_protocol::ErrorCode::SessionExpired,
        "expired",
    )));
    let expected = Command::DeleteKeys {
        auth: KeyId("auth-1".into()),
        sign: KeyId("sign-1".into()),
        storage: KeyStorageKind::File,
    };
    assert_eq!(commands.unwrap(), vec![expected]);
    assert!(m.handle(Event::KeysDeleted).unwrap().is_empty());
    assert!(m.resume().is_empty(), "nothing left to delete");
}
