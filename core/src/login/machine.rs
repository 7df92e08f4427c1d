//! The approval machine: events in, commands out, no I/O.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_protocol::{LoginAnswer, LoginChallenge, LoginDecline, LoginQr, LoginScan};
use uuid::Uuid;

use super::command::Command;
use super::error::ApprovalError;
use super::event::{Event, EventKind, SignFailure};
use super::stage::{Ending, LoginFailure, Stage, StageKind};
use crate::keystore::KeyStorageKind;
use crate::store::PinCheck;

/// One login approval, from the scanned QR code to its [`Ending`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    stage: Stage,
    storage: KeyStorageKind,
    nonce: Uuid,
}

impl Approval {
    /// Starts approving the login of `qr`, signing with an AUTH key kept in `storage`; `nonce` (random,
    /// drawn at the edge) makes the idempotency keys. Returns the machine and its first command (the scan).
    pub fn start(qr: &LoginQr, storage: KeyStorageKind, nonce: Uuid) -> (Self, Vec<Command>) {
        let machine = Self { stage: Stage::Scanning, storage, nonce };
        let scan = Command::Scan { scan: LoginScan { qr: qr.to_string() }, key: machine.key("scan") };
        (machine, vec![scan])
    }

    /// Where the approval is (what the UI shows).
    pub fn stage(&self) -> &Stage {
        &self.stage
    }

    /// Takes `event`; returns the commands to run. A refused event changes nothing.
    ///
    /// # Errors
    /// [`ApprovalError::NotExpected`] for an event the stage has no use for,
    /// [`ApprovalError::NotOffered`] for a number the challenge does not offer.
    pub fn handle(&mut self, event: Event) -> Result<Vec<Command>, ApprovalError> {
        let refused = ApprovalError::NotExpected { stage: self.stage.kind(), event: event.kind() };
        let stage = std::mem::replace(&mut self.stage, Stage::Scanning);
        match self.next(stage.clone(), event) {
            Ok((next, commands)) => {
                self.stage = next;
                Ok(commands)
            }
            Err(error) => {
                self.stage = stage;
                Err(match error {
                    Refusal::NotExpected => refused,
                    Refusal::NotOffered(number) => ApprovalError::NotOffered { number },
                })
            }
        }
    }

    fn next(&self, stage: Stage, event: Event) -> Result<(Stage, Vec<Command>), Refusal> {
        Ok(match (stage, event) {
            (Stage::Scanning, Event::Scanned(Ok(challenge))) => (Stage::Choosing { challenge }, vec![]),
            (Stage::Scanning, Event::Scanned(Err(error))) => (ended_by(error), vec![]),
            (Stage::Choosing { challenge }, Event::NumberChosen(number)) => {
                if !challenge.numbers.contains(&number) {
                    return Err(Refusal::NotOffered(number));
                }
                (Stage::EnteringPin { challenge, number, tries_left: None }, vec![])
            }
            (
                Stage::Choosing { challenge }
                | Stage::EnteringPin { challenge, .. }
                | Stage::EnteringPassword { challenge, .. },
                Event::Declined,
            ) => self.decline(challenge),
            (Stage::EnteringPin { challenge, number, .. }, Event::PinEntered(pin)) => {
                (Stage::CheckingPin { challenge, number }, vec![Command::CheckPin(pin)])
            }
            (Stage::CheckingPin { challenge, number }, Event::PinChecked(check)) => match check {
                PinCheck::Correct => self.unlocked(challenge, number),
                PinCheck::Wrong { tries_left } => {
                    let tries_left = Some(u8::try_from(tries_left).unwrap_or(u8::MAX));
                    (Stage::EnteringPin { challenge, number, tries_left }, vec![])
                }
                PinCheck::Locked { until } => (Stage::Ended(Ending::PinLocked { until }), vec![]),
            },
            (Stage::EnteringPassword { challenge, number, .. }, Event::PasswordEntered(password)) => {
                let command = Command::Sign { message: challenge.message(number), password: Some(password) };
                (Stage::Signing { challenge, number }, vec![command])
            }
            (Stage::Signing { challenge, number }, Event::Signed(outcome)) => match outcome {
                Ok(signed) => {
                    let answer = LoginAnswer {
                        session_id: challenge.session_id,
                        nonce: challenge.nonce.clone(),
                        number,
                        auth_certificate: STANDARD.encode(&signed.auth_certificate),
                        signature: STANDARD.encode(&signed.signature),
                    };
                    let command = Command::SendAnswer { answer, key: self.key("answer") };
                    (Stage::Answering { challenge, number }, vec![command])
                }
                Err(SignFailure::WrongPassword) => {
                    (Stage::EnteringPassword { challenge, number, wrong: true }, vec![])
                }
                Err(SignFailure::Cancelled) => self.decline(challenge),
                Err(SignFailure::Key { detail }) => {
                    (Stage::Ended(Ending::Failed { failure: LoginFailure::Key { detail } }), vec![])
                }
            },
            (Stage::Answering { .. }, Event::Answered(outcome)) => match outcome {
                Ok(accepted) => {
                    (Stage::Ended(Ending::Approved { relying_party: accepted.relying_party }), vec![])
                }
                Err(error) => (ended_by(error), vec![]),
            },
            (Stage::Declining { .. }, Event::DeclineSent(outcome)) => match outcome {
                Ok(_) => (Stage::Ended(Ending::Declined), vec![]),
                Err(error) => (ended_by(error), vec![]),
            },
            _ => return Err(Refusal::NotExpected),
        })
    }

    /// The PIN was right: sign now (hardware) or ask the key files' password first.
    fn unlocked(&self, challenge: LoginChallenge, number: u8) -> (Stage, Vec<Command>) {
        match self.storage {
            KeyStorageKind::File => (Stage::EnteringPassword { challenge, number, wrong: false }, vec![]),
            KeyStorageKind::Hardware => {
                let command = Command::Sign { message: challenge.message(number), password: None };
                (Stage::Signing { challenge, number }, vec![command])
            }
        }
    }

    fn decline(&self, challenge: LoginChallenge) -> (Stage, Vec<Command>) {
        let command = Command::SendDecline {
            session_id: challenge.session_id,
            decline: LoginDecline { nonce: challenge.nonce.clone() },
            key: self.key("decline"),
        };
        (Stage::Declining { challenge }, vec![command])
    }

    /// The idempotency key of `action` (each action is sent at most once per approval).
    fn key(&self, action: &str) -> String {
        format!("{}-login-{action}", self.nonce)
    }
}

/// Why [`Approval::next`] refused, before it is named with the stage and event.
enum Refusal {
    NotExpected,
    NotOffered(u8),
}

/// The end a failed call leads to: the server's refusal, or the failure itself.
fn ended_by(error: crate::client::ClientError) -> Stage {
    Stage::Ended(match error.login_refusal() {
        Some(reason) => Ending::Refused { reason },
        None => Ending::Failed { failure: LoginFailure::Server(error) },
    })
}

impl Stage {
    /// The stage's kind (for errors and logs).
    pub fn kind(&self) -> StageKind {
        match self {
            Self::Scanning => StageKind::Scanning,
            Self::Choosing { .. } => StageKind::Choosing,
            Self::EnteringPin { .. } => StageKind::EnteringPin,
            Self::CheckingPin { .. } => StageKind::CheckingPin,
            Self::EnteringPassword { .. } => StageKind::EnteringPassword,
            Self::Signing { .. } => StageKind::Signing,
            Self::Answering { .. } => StageKind::Answering,
            Self::Declining { .. } => StageKind::Declining,
            Self::Ended(_) => StageKind::Ended,
        }
    }
}

impl Event {
    /// The event's kind (for errors and logs; no secret).
    pub fn kind(&self) -> EventKind {
        match self {
            Self::Scanned(_) => EventKind::Scanned,
            Self::NumberChosen(_) => EventKind::NumberChosen,
            Self::Declined => EventKind::Declined,
            Self::PinEntered(_) => EventKind::PinEntered,
            Self::PinChecked(_) => EventKind::PinChecked,
            Self::PasswordEntered(_) => EventKind::PasswordEntered,
            Self::Signed(_) => EventKind::Signed,
            Self::Answered(_) => EventKind::Answered,
            Self::DeclineSent(_) => EventKind::DeclineSent,
        }
    }
}
