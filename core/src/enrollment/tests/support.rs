//! Fixtures and the full journey the other tests walk.

use qoltanba_protocol::{
    CsrPair, DeviceInfo, EnrollmentState, IssuedCertificates, Person, Platform, Session,
};
use time::macros::{date, datetime};
use uuid::Uuid;

use crate::enrollment::{ApiCall, Command, Enrollment, Event, Secret};
use crate::keystore::{KeyId, KeyStorageKind};

pub const NONCE: Uuid = Uuid::from_u128(0x0a0b0c0d_1111_4222_8333_444455556666);
pub const SESSION: Uuid = Uuid::from_u128(0x5e55_1011_aaaa_4bbb_8ccc_dddd_eeee_ffff);
pub const IIN: &str = "900101300017";
pub const SMS: &str = "482913";
pub const PIN: &str = "2580";
pub const PASSWORD: &str = "Qazaq2025stan";

pub fn device() -> DeviceInfo {
    DeviceInfo {
        platform: Platform::Desktop,
        os_version: "test".into(),
        app_version: "0.1.0".into(),
        model: None,
    }
}

pub fn machine() -> Enrollment {
    Enrollment::new(NONCE, device())
}

pub fn key(n: u32) -> Option<String> {
    Some(format!("{NONCE}-{n}"))
}

pub fn session(state: EnrollmentState) -> Session {
    Session { id: SESSION, state, expires_at: datetime!(2025-03-01 10:45 UTC) }
}

pub fn answer(state: EnrollmentState) -> Event {
    Event::ServerAnswered(session(state))
}

pub fn sms_state(tries_left: u8) -> EnrollmentState {
    EnrollmentState::ExpectSmsCode {
        phone_masked: "+7 701 *** ** 67".into(),
        expires_at: datetime!(2025-03-01 10:20 UTC),
        resend_after: datetime!(2025-03-01 10:16 UTC),
        tries_left,
    }
}

pub fn ticket_state() -> EnrollmentState {
    EnrollmentState::ExpectPhoneRegistration {
        ticket_id: Uuid::from_u128(7),
        phone_masked: "+7 701 *** ** 67".into(),
    }
}

pub fn person() -> Person {
    Person {
        iin: IIN.into(),
        surname: "ИВАНОВ".into(),
        name: "ИВАН".into(),
        patronymic: None,
        birth_date: date!(1990 - 01 - 01),
    }
}

pub fn certificates() -> IssuedCertificates {
    IssuedCertificates {
        auth_pem: "AUTH PEM".into(),
        sign_pem: "SIGN PEM".into(),
        chain_pem: "CHAIN PEM".into(),
        auth_serial: "0A".into(),
        sign_serial: "0B".into(),
    }
}

pub fn csrs() -> CsrPair {
    CsrPair { auth: "AUTH CSR".into(), sign: "SIGN CSR".into() }
}

pub fn keys_generated() -> Event {
    Event::KeysGenerated { auth: KeyId("auth-1".into()), sign: KeyId("sign-1".into()), csrs: csrs() }
}

pub fn jpeg() -> Vec<u8> {
    vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']
}

pub fn png() -> Vec<u8> {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()
}

pub fn pin_chosen() -> Event {
    Event::PinChosen { pin: Secret::from(PIN), confirmation: Secret::from(PIN) }
}

pub fn password_chosen() -> Event {
    Event::PasswordChosen { password: Secret::from(PASSWORD), confirmation: Secret::from(PASSWORD) }
}

/// The one API call among `commands`.
pub fn api(commands: &[Command]) -> &ApiCall {
    match commands {
        [Command::Api(call)] => call,
        other => panic!("expected one API call, got {other:?}"),
    }
}

/// The machine's snapshot as JSON text.
pub fn snapshot(machine: &Enrollment) -> String {
    serde_json::to_string(machine).expect("the machine serialises")
}

/// Every event of an enrollment without a registered phone, keeping keys in files (polling twice for
/// the operator).
pub fn journey_events() -> Vec<Event> {
    vec![
        Event::DeviceChecked { camera_ok: true, network_ok: true },
        Event::IinEntered(IIN.into()),
        answer(EnrollmentState::ExpectPhoneNumber),
        Event::PhoneEntered("8 701 123 45 67".into()),
        answer(ticket_state()),
        Event::PollDue,
        answer(ticket_state()),
        Event::PollDue,
        answer(sms_state(3)),
        Event::SmsCodeEntered(Secret::from(SMS)),
        answer(EnrollmentState::ExpectSelfie { attempts_left: 5, last_rejection: None }),
        Event::SelfieTaken(jpeg()),
        answer(EnrollmentState::SelfieUnderReview),
        Event::PollDue,
        answer(EnrollmentState::ExpectIdCardPhoto),
        pin_chosen(),
        Event::PinStored,
        Event::IdCardPhotoTaken(png()),
        answer(EnrollmentState::ExpectConsent),
        Event::ConsentGiven { pin: Secret::from(PIN) },
        Event::PinChecked { ok: true, tries_left: 3, locked_until: None },
        answer(EnrollmentState::ExpectEmail { person: person() }),
        Event::EmailEntered(" ivan@example.kz ".into()),
        answer(EnrollmentState::ExpectCsrs),
        Event::KeyStorageChosen(KeyStorageKind::File),
        password_chosen(),
        keys_generated(),
        answer(EnrollmentState::Issued { certificates: certificates() }),
        Event::CertificatesInstalled,
    ]
}

/// The machine after each event of [`journey_events`] (the first entry: before any), with the commands
/// that event gave.
pub fn journey() -> Vec<(Enrollment, Vec<Command>)> {
    let mut machine = machine();
    let mut out = vec![(machine.clone(), Vec::new())];
    for event in journey_events() {
        let label = format!("{event:?}");
        let commands = machine.handle(event).unwrap_or_else(|e| panic!("{label}: {e}"));
        out.push((machine.clone(), commands));
    }
    out
}

/// The machine as the journey left it right after the first event of `kind`'s step was reached.
pub fn at(step: crate::enrollment::StepKind) -> Enrollment {
    journey()
        .into_iter()
        .map(|(machine, _)| machine)
        .find(|machine| machine.step().kind() == step)
        .unwrap_or_else(|| panic!("the journey never reaches {step:?}"))
}
