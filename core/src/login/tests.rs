//! The approval machine's transitions: every path to an ending, and every event refused in every stage.

use qoltanba_protocol::{ApiError, LoginAccepted, LoginChallenge, LoginQr, LoginRefusal, LoginStatus};
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

use super::*;
use crate::client::ClientError;
use crate::enrollment::Secret;
use crate::keystore::KeyStorageKind;
use crate::store::PinCheck;

const NONCE: Uuid = Uuid::from_u128(0x5eed);
const SESSION: Uuid = Uuid::from_u128(0x0b6d1b5e_4f7a_4c55_9d55_3f0a1f2b3c4d);
const LOCKED_UNTIL: OffsetDateTime = datetime!(2026-03-01 10:17 UTC);

fn qr() -> LoginQr {
    LoginQr::new("AbCdEfGhIjKlMnOpQrStUv", 3, &"a".repeat(64)).unwrap()
}

fn challenge() -> LoginChallenge {
    LoginChallenge {
        session_id: SESSION,
        relying_party: "eGov".into(),
        browser: "Chrome 126 on Linux".into(),
        browser_address: "127.0.0.1".into(),
        browser_place: None,
        started_at: datetime!(2026-03-01 10:15 UTC),
        numbers: [17, 42, 88],
        nonce: "n0nce".into(),
        address_differs: false,
        expires_at: datetime!(2026-03-01 10:16 UTC),
    }
}

fn refused(reason: LoginRefusal) -> ClientError {
    ClientError::Refused(ApiError::login_refused(reason))
}

fn signed() -> Signed {
    Signed { auth_certificate: vec![0x30, 0x03, 1, 2, 3], signature: vec![9; 4] }
}

fn start(storage: KeyStorageKind) -> Approval {
    let (machine, commands) = Approval::start(&qr(), storage, NONCE);
    assert_eq!(
        commands,
        vec![Command::Scan {
            scan: qoltanba_protocol::LoginScan { qr: qr().to_string() },
            key: format!("{NONCE}-login-scan")
        }]
    );
    machine
}

/// Feeds `events` in order, each accepted; returns the commands of the last.
fn feed(machine: &mut Approval, events: Vec<Event>) -> Vec<Command> {
    let mut last = Vec::new();
    for event in events {
        let kind = event.kind();
        last = machine.handle(event).unwrap_or_else(|e| panic!("{kind:?} refused: {e}"));
    }
    last
}

/// A machine at the PIN prompt, number 42 chosen.
fn at_pin(storage: KeyStorageKind) -> Approval {
    let mut machine = start(storage);
    feed(&mut machine, vec![Event::Scanned(Ok(challenge())), Event::NumberChosen(42)]);
    machine
}

fn ending(machine: &Approval) -> &Ending {
    match machine.stage() {
        Stage::Ended(ending) => ending,
        other => panic!("not ended: {other:?}"),
    }
}

#[test]
fn file_keys_approve_after_the_pin_and_the_password_signing_the_chosen_number() {
    let mut machine = at_pin(KeyStorageKind::File);
    let check = feed(&mut machine, vec![Event::PinEntered(Secret::from("4827"))]);
    assert_eq!(check, vec![Command::CheckPin(Secret::from("4827"))]);
    assert!(feed(&mut machine, vec![Event::PinChecked(PinCheck::Correct)]).is_empty());
    assert_eq!(machine.stage().kind(), StageKind::EnteringPassword);
    let sign = feed(&mut machine, vec![Event::PasswordEntered(Secret::from("pass"))]);
    let expected = challenge().message(42);
    assert_eq!(sign, vec![Command::Sign { message: expected, password: Some(Secret::from("pass")) }]);
    let answer = feed(&mut machine, vec![Event::Signed(Ok(signed()))]);
    let [Command::SendAnswer { answer, key }] = answer.as_slice() else { panic!("{answer:?}") };
    assert_eq!((answer.session_id, answer.number, answer.nonce.as_str()), (SESSION, 42, "n0nce"));
    assert_eq!((answer.auth_certificate.as_str(), answer.signature.as_str()), ("MAMBAgM=", "CQkJCQ=="));
    assert_eq!(key, &format!("{NONCE}-login-answer"));
    let accepted = LoginAccepted { session_id: SESSION, relying_party: "eGov".into() };
    assert!(feed(&mut machine, vec![Event::Answered(Ok(accepted))]).is_empty());
    assert_eq!(ending(&machine), &Ending::Approved { relying_party: "eGov".into() });
}

#[test]
fn hardware_keys_sign_right_after_the_pin_without_a_password() {
    let mut machine = at_pin(KeyStorageKind::Hardware);
    let sign = feed(
        &mut machine,
        vec![Event::PinEntered(Secret::from("4827")), Event::PinChecked(PinCheck::Correct)],
    );
    assert_eq!(sign, vec![Command::Sign { message: challenge().message(42), password: None }]);
    assert_eq!(machine.stage().kind(), StageKind::Signing);
}

#[test]
fn wrong_pin_asks_again_with_the_tries_left_and_a_lock_ends_the_login() {
    let mut machine = at_pin(KeyStorageKind::File);
    feed(
        &mut machine,
        vec![Event::PinEntered(Secret::from("0000")), Event::PinChecked(PinCheck::Wrong { tries_left: 2 })],
    );
    assert!(
        matches!(machine.stage(), Stage::EnteringPin { number: 42, tries_left: Some(2), .. }),
        "{:?}",
        machine.stage()
    );
    feed(
        &mut machine,
        vec![
            Event::PinEntered(Secret::from("1111")),
            Event::PinChecked(PinCheck::Locked { until: LOCKED_UNTIL }),
        ],
    );
    assert_eq!(ending(&machine), &Ending::PinLocked { until: LOCKED_UNTIL });
}

#[test]
fn a_number_not_offered_is_refused_and_the_challenge_stays() {
    let mut machine = start(KeyStorageKind::File);
    feed(&mut machine, vec![Event::Scanned(Ok(challenge()))]);
    let before = machine.clone();
    assert_eq!(machine.handle(Event::NumberChosen(43)), Err(ApprovalError::NotOffered { number: 43 }));
    assert_eq!(machine, before);
}

#[test]
fn a_wrong_number_among_the_three_is_signed_and_the_servers_refusal_ends_the_login() {
    let mut machine = start(KeyStorageKind::Hardware);
    let commands = feed(
        &mut machine,
        vec![
            Event::Scanned(Ok(challenge())),
            Event::NumberChosen(17),
            Event::PinEntered(Secret::from("4827")),
            Event::PinChecked(PinCheck::Correct),
        ],
    );
    assert_eq!(commands, vec![Command::Sign { message: challenge().message(17), password: None }]);
    feed(
        &mut machine,
        vec![Event::Signed(Ok(signed())), Event::Answered(Err(refused(LoginRefusal::WrongNumber)))],
    );
    assert_eq!(ending(&machine), &Ending::Refused { reason: LoginRefusal::WrongNumber });
}

#[test]
fn declining_at_the_challenge_the_pin_or_the_password_tells_the_server() {
    let declines: [fn(&mut Approval); 3] = [
        |_| {},
        |m| drop(feed(m, vec![Event::NumberChosen(42)])),
        |m| {
            feed(
                m,
                vec![
                    Event::NumberChosen(42),
                    Event::PinEntered(Secret::from("4827")),
                    Event::PinChecked(PinCheck::Correct),
                ],
            );
        },
    ];
    for to_stage in declines {
        let mut machine = start(KeyStorageKind::File);
        feed(&mut machine, vec![Event::Scanned(Ok(challenge()))]);
        to_stage(&mut machine);
        let commands = feed(&mut machine, vec![Event::Declined]);
        assert_eq!(
            commands,
            vec![Command::SendDecline {
                session_id: SESSION,
                decline: qoltanba_protocol::LoginDecline { nonce: "n0nce".into() },
                key: format!("{NONCE}-login-decline"),
            }]
        );
        feed(
            &mut machine,
            vec![Event::DeclineSent(Ok(LoginStatus::Refused { reason: LoginRefusal::Declined }))],
        );
        assert_eq!(ending(&machine), &Ending::Declined);
    }
}

#[test]
fn a_decline_refused_because_the_session_expired_ends_with_that_reason() {
    let mut machine = start(KeyStorageKind::File);
    feed(&mut machine, vec![Event::Scanned(Ok(challenge())), Event::Declined]);
    feed(&mut machine, vec![Event::DeclineSent(Err(refused(LoginRefusal::Expired)))]);
    assert_eq!(ending(&machine), &Ending::Refused { reason: LoginRefusal::Expired });
}

#[test]
fn wrong_key_password_asks_again_and_a_cancelled_key_prompt_declines() {
    let mut machine = at_pin(KeyStorageKind::File);
    feed(
        &mut machine,
        vec![
            Event::PinEntered(Secret::from("4827")),
            Event::PinChecked(PinCheck::Correct),
            Event::PasswordEntered(Secret::from("wrong")),
            Event::Signed(Err(SignFailure::WrongPassword)),
        ],
    );
    assert!(matches!(machine.stage(), Stage::EnteringPassword { wrong: true, .. }), "{:?}", machine.stage());
    let commands = feed(
        &mut machine,
        vec![Event::PasswordEntered(Secret::from("right")), Event::Signed(Err(SignFailure::Cancelled))],
    );
    assert!(matches!(commands.as_slice(), [Command::SendDecline { .. }]), "{commands:?}");
}

#[test]
fn a_key_that_cannot_sign_ends_the_login_as_failed() {
    let mut machine = at_pin(KeyStorageKind::Hardware);
    let failure = SignFailure::Key { detail: "key invalidated".into() };
    feed(
        &mut machine,
        vec![
            Event::PinEntered(Secret::from("4827")),
            Event::PinChecked(PinCheck::Correct),
            Event::Signed(Err(failure)),
        ],
    );
    let expected = Ending::Failed { failure: LoginFailure::Key { detail: "key invalidated".into() } };
    assert_eq!(ending(&machine), &expected);
}

#[test]
fn a_stale_qr_code_or_an_unreachable_server_ends_the_login_at_the_scan() {
    let mut stale = start(KeyStorageKind::File);
    feed(&mut stale, vec![Event::Scanned(Err(refused(LoginRefusal::StaleQrCode)))]);
    assert_eq!(ending(&stale), &Ending::Refused { reason: LoginRefusal::StaleQrCode });
    let mut offline = start(KeyStorageKind::File);
    feed(&mut offline, vec![Event::Scanned(Err(ClientError::Timeout))]);
    assert_eq!(ending(&offline), &Ending::Failed { failure: LoginFailure::Server(ClientError::Timeout) });
}

/// One event of each kind.
fn every_event() -> Vec<Event> {
    vec![
        Event::Scanned(Ok(challenge())),
        Event::NumberChosen(42),
        Event::Declined,
        Event::PinEntered(Secret::from("4827")),
        Event::PinChecked(PinCheck::Correct),
        Event::PasswordEntered(Secret::from("pass")),
        Event::Signed(Ok(signed())),
        Event::Answered(Ok(LoginAccepted { session_id: SESSION, relying_party: "eGov".into() })),
        Event::DeclineSent(Ok(LoginStatus::Refused { reason: LoginRefusal::Declined })),
    ]
}

/// A machine in each stage, with the events that stage takes.
fn every_stage() -> Vec<(Approval, Vec<EventKind>)> {
    use EventKind as E;
    let accepted = |m: &Approval| -> Vec<EventKind> {
        match m.stage().kind() {
            StageKind::Scanning => vec![E::Scanned],
            StageKind::Choosing => vec![E::NumberChosen, E::Declined],
            StageKind::EnteringPin => vec![E::PinEntered, E::Declined],
            StageKind::CheckingPin => vec![E::PinChecked],
            StageKind::EnteringPassword => vec![E::PasswordEntered, E::Declined],
            StageKind::Signing => vec![E::Signed],
            StageKind::Answering => vec![E::Answered],
            StageKind::Declining => vec![E::DeclineSent],
            StageKind::Ended => vec![],
        }
    };
    let paths: Vec<Vec<Event>> = vec![
        vec![],
        vec![Event::Scanned(Ok(challenge()))],
        vec![Event::Scanned(Ok(challenge())), Event::NumberChosen(42)],
        vec![Event::Scanned(Ok(challenge())), Event::NumberChosen(42), Event::PinEntered(Secret::from("1"))],
        vec![
            Event::Scanned(Ok(challenge())),
            Event::NumberChosen(42),
            Event::PinEntered(Secret::from("1")),
            Event::PinChecked(PinCheck::Correct),
        ],
        vec![
            Event::Scanned(Ok(challenge())),
            Event::NumberChosen(42),
            Event::PinEntered(Secret::from("1")),
            Event::PinChecked(PinCheck::Correct),
            Event::PasswordEntered(Secret::from("p")),
        ],
        vec![
            Event::Scanned(Ok(challenge())),
            Event::NumberChosen(42),
            Event::PinEntered(Secret::from("1")),
            Event::PinChecked(PinCheck::Correct),
            Event::PasswordEntered(Secret::from("p")),
            Event::Signed(Ok(signed())),
        ],
        vec![Event::Scanned(Ok(challenge())), Event::Declined],
        vec![Event::Scanned(Err(ClientError::Timeout))],
    ];
    paths
        .into_iter()
        .map(|path| {
            let mut machine = start(KeyStorageKind::File);
            feed(&mut machine, path);
            let takes = accepted(&machine);
            (machine, takes)
        })
        .collect()
}

#[test]
fn every_stage_refuses_every_event_it_has_no_use_for_and_stays_as_it_was() {
    let stages = every_stage();
    let kinds: std::collections::HashSet<_> = stages.iter().map(|(m, _)| m.stage().kind()).collect();
    assert_eq!(kinds.len(), 9, "every stage is covered: {kinds:?}");
    for (machine, takes) in stages {
        for event in every_event() {
            let kind = event.kind();
            let mut probe = machine.clone();
            let outcome = probe.handle(event);
            if takes.contains(&kind) {
                assert!(outcome.is_ok(), "{:?} refused {kind:?}: {outcome:?}", machine.stage().kind());
            } else {
                let expected = ApprovalError::NotExpected { stage: machine.stage().kind(), event: kind };
                assert_eq!(outcome, Err(expected));
                assert_eq!(probe, machine, "a refused event changes nothing");
            }
        }
    }
}

#[test]
fn debug_output_never_shows_the_pin_or_the_password() {
    let text = format!(
        "{:?} {:?}",
        Event::PinEntered(Secret::from("4827")),
        Command::Sign { message: vec![], password: Some(Secret::from("Qoltanba2026")) }
    );
    assert!(!text.contains("4827") && !text.contains("Qoltanba2026"), "{text}");
}
