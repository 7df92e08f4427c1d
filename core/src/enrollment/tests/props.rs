//! Random event sequences never panic, never change state on a refused event, and never put a secret
//! into the snapshot or a `Debug` output.

use proptest::prelude::*;
use qoltanba_protocol::{ApiError, EnrollmentState, ErrorCode, FailureReason};

use super::illegal::{sample, states};
use super::support::{PASSWORD, PIN, SMS, answer, certificates, person, sms_state, snapshot, ticket_state};
use crate::enrollment::{Event, EventKind, Secret};
use crate::keystore::KeyStorageKind;

/// Events beyond one sample per kind: every server state, every error code, bad input.
fn extra_events() -> Vec<Event> {
    let mut events: Vec<Event> = vec![
        answer(EnrollmentState::ExpectPhoneNumber),
        answer(ticket_state()),
        answer(sms_state(3)),
        answer(EnrollmentState::ExpectSelfie { attempts_left: 2, last_rejection: Some("dark".into()) }),
        answer(EnrollmentState::SelfieUnderReview),
        answer(EnrollmentState::ExpectIdCardPhoto),
        answer(EnrollmentState::ExpectConsent),
        answer(EnrollmentState::ExpectEmail { person: person() }),
        answer(EnrollmentState::Issued { certificates: certificates() }),
        answer(EnrollmentState::Failed { reason: FailureReason::CancelledByOperator, detail: None }),
        Event::KeyStorageChosen(KeyStorageKind::File),
        Event::PinChecked { ok: false, tries_left: 0, locked_until: None },
        Event::IinEntered("900101300018".into()),
        Event::SmsCodeEntered(Secret::from("48291x")),
        Event::SelfieTaken(b"GIF89a".to_vec()),
    ];
    events.extend(
        ErrorCode::ALL
            .into_iter()
            .map(|code| Event::ServerRefused(ApiError { tries_left: Some(1), ..ApiError::new(code, "") })),
    );
    events
}

fn pool() -> Vec<Event> {
    EventKind::ALL.into_iter().map(sample).chain(extra_events()).collect()
}

const SECRETS: [&str; 3] = [SMS, PIN, PASSWORD];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_events_never_panic_nor_leak_secrets(
        start in any::<prop::sample::Index>(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..80),
    ) {
        let pool = pool();
        let starts = states();
        let mut machine = starts[start.index(starts.len())].clone();
        for pick in picks {
            let event = pool[pick.index(pool.len())].clone();
            let before = snapshot(&machine);
            let outcome = machine.handle(event.clone());
            let after = snapshot(&machine);
            match &outcome {
                Err(_) => prop_assert_eq!(&after, &before, "refused {:?} changed the state", event),
                Ok(commands) => {
                    let debug = format!("{commands:?} {event:?}");
                    for secret in SECRETS {
                        prop_assert!(!debug.contains(secret), "{} in {}", secret, debug);
                    }
                }
            }
            for secret in SECRETS {
                prop_assert!(!after.contains(secret), "{} in the snapshot {}", secret, after);
            }
            let mut restored: crate::enrollment::Enrollment = serde_json::from_str(&after).unwrap();
            prop_assert_eq!(snapshot(&restored), after.clone());
            restored.resume();
        }
    }
}
