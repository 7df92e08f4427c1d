//! The machine: its persisted state, which events it admits, and what each one does.

use std::time::Duration;

use qoltanba_protocol::{
    Consent, CsrPair, DeviceInfo, EmailAddress, EnrollmentState, IssuedCertificates, Person, PhoneNumber,
    StartEnrollment,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::command::{ApiCall, ApiRequest, Command};
use super::error::MachineError;
use super::event::{Event, EventKind};
use super::input;
use super::pending::{Call, Pending, Transient};
use super::step::{FailReason, Notice, Step, StepKind, View};
use crate::keystore::{KeyId, KeyStorageKind};

/// How long to wait between two looks at a session that waits for someone else.
pub const POLL_INTERVAL: Duration = Duration::from_secs(3);

/// One citizen's enrollment on this device. Serialise it after every [`Enrollment::handle`]; after a
/// restart, deserialise it and run what [`Enrollment::resume`] returns.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Enrollment {
    pub(crate) nonce: Uuid,
    pub(crate) actions: u32,
    pub(crate) device: DeviceInfo,
    pub(crate) session: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub(crate) expires_at: Option<OffsetDateTime>,
    pub(crate) server_state: Option<EnrollmentState>,
    pub(crate) step: Step,
    pub(crate) pending: Option<Pending>,
    pub(crate) stalled: bool,
    pub(crate) notice: Option<Notice>,
    pub(crate) pin_set: bool,
    pub(crate) storage: Option<KeyStorageKind>,
    pub(crate) keys: Option<Keys>,
    pub(crate) certificates: Option<IssuedCertificates>,
    /// The registry's person, once the server showed it (the CSRs' subject is written from it).
    #[serde(default)]
    pub(crate) person: Option<Person>,
    #[serde(skip)]
    pub(crate) transient: Transient,
}

/// The key pairs made on the device, and their CSRs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Keys {
    pub(crate) auth: KeyId,
    pub(crate) sign: KeyId,
    pub(crate) csrs: CsrPair,
}

impl Enrollment {
    /// A new enrollment at the device check. `nonce` comes from the edge's randomness (a UUID v4); the
    /// idempotency keys of its API calls are derived from it.
    pub fn new(nonce: Uuid, device: DeviceInfo) -> Self {
        Self {
            nonce,
            actions: 0,
            device,
            session: None,
            expires_at: None,
            server_state: None,
            step: Step::DeviceCheck,
            pending: None,
            stalled: false,
            notice: None,
            pin_set: false,
            storage: None,
            keys: None,
            certificates: None,
            person: None,
            transient: Transient::default(),
        }
    }

    /// The current screen.
    pub fn step(&self) -> &Step {
        &self.step
    }

    /// The server session, once started.
    pub fn session(&self) -> Option<Uuid> {
        self.session
    }

    /// The citizen as the population registry knows them, once the server showed it (after consent).
    pub fn person(&self) -> Option<&Person> {
        self.person.as_ref()
    }

    /// What the UI renders now.
    pub fn view(&self) -> View {
        View {
            step: self.step.clone(),
            busy: self.pending.is_some() && !self.stalled,
            stalled: self.stalled,
            notice: self.notice.clone(),
            expires_at: self.expires_at,
        }
    }

    /// The commands of the action in flight, again (after a restart, or to check): the same API call with
    /// the same idempotency key. An action whose secret or picture was lost in the restart is not
    /// re-sent: an upload becomes a `GET` of the session (whose answer says whether it had arrived), a PIN
    /// or password step is shown again with [`Notice::Interrupted`].
    pub fn resume(&mut self) -> Vec<Command> {
        self.stalled = false;
        self.emit_pending()
    }

    /// Takes one event: the next commands, or an error and no change at all.
    pub fn handle(&mut self, event: Event) -> Result<Vec<Command>, MachineError> {
        self.admit(event.kind())?;
        if let Event::ServerAnswered(session) = &event
            && self.session.is_some_and(|id| id != session.id)
        {
            return Err(MachineError::ForeignSession);
        }
        self.apply(event)
    }

    /// Whether `event` may come now, without changing anything.
    fn admit(&self, event: EventKind) -> Result<(), MachineError> {
        let step = self.step.kind();
        if event.is_input() {
            if self.pending.is_some() && !self.stalled {
                return Err(MachineError::Busy { step, event });
            }
            return if accepts(step, event) {
                Ok(())
            } else {
                Err(MachineError::NotExpected { step, event })
            };
        }
        use EventKind as E;
        let expected = match (&self.pending, event) {
            (Some(_), E::Retry) => self.stalled,
            (Some(Pending::Api { .. }), E::ServerAnswered | E::ServerRefused | E::TransportFailed) => true,
            (Some(Pending::Poll), E::PollDue) => true,
            (Some(Pending::StorePin), E::PinStored) => true,
            (Some(Pending::CheckPin), E::PinChecked) => true,
            (Some(Pending::GenerateKeys { .. }), E::KeysGenerated | E::KeysFailed) => true,
            (Some(Pending::Install), E::CertificatesInstalled | E::InstallFailed) => true,
            (Some(Pending::DeleteKeys), E::KeysDeleted) => true,
            _ => false,
        };
        if expected { Ok(()) } else { Err(MachineError::NotExpected { step, event }) }
    }

    /// An admitted event. A citizen's input is checked first, then acted on (replacing a stalled
    /// action); results go to [`Self::result`].
    fn apply(&mut self, event: Event) -> Result<Vec<Command>, MachineError> {
        Ok(match event {
            Event::DeviceChecked { camera_ok, network_ok } => {
                input::device(camera_ok, network_ok)?;
                self.begin_input();
                self.show(Step::EnterIin)
            }
            Event::IinEntered(text) => {
                let iin = input::iin(&text)?;
                self.begin_input();
                self.step = Step::StartingSession;
                self.post(Call::Start(StartEnrollment { iin: iin.as_string(), device: self.device.clone() }))
            }
            Event::PhoneEntered(text) => {
                let phone = input::phone(&text)?;
                self.begin_input();
                self.post(Call::Phone(PhoneNumber { phone }))
            }
            Event::SmsCodeEntered(code) => {
                let code = input::sms_code(&code)?;
                self.begin_input();
                self.transient.secret = Some(code);
                self.post(Call::SmsCode)
            }
            Event::ResendRequested => {
                self.begin_input();
                self.post(Call::Resend)
            }
            Event::SelfieTaken(bytes) => {
                let picture = input::picture(bytes)?;
                self.begin_input();
                self.transient.picture = Some(picture);
                self.post(Call::Selfie)
            }
            Event::IdCardPhotoTaken(bytes) => {
                let picture = input::picture(bytes)?;
                self.begin_input();
                self.transient.picture = Some(picture);
                self.post(Call::IdCardPhoto)
            }
            Event::PinChosen { pin, confirmation } => {
                input::new_pin(&pin, &confirmation)?;
                self.begin_input();
                self.transient.secret = Some(pin);
                self.wait_for(Pending::StorePin)
            }
            Event::ConsentGiven { pin } => {
                input::pin(&pin)?;
                self.begin_input();
                self.transient.secret = Some(pin);
                self.wait_for(Pending::CheckPin)
            }
            Event::ConsentRefused => {
                self.begin_input();
                self.post(Call::Consent(Consent { accepted: false }))
            }
            Event::EmailEntered(text) => {
                let email = input::email(&text)?;
                self.begin_input();
                self.post(Call::Email(EmailAddress { email }))
            }
            Event::KeyStorageChosen(storage) => {
                self.begin_input();
                self.storage = Some(storage);
                match storage {
                    KeyStorageKind::File => self.show(Step::ChoosePassword),
                    KeyStorageKind::Hardware => self.generate(storage),
                }
            }
            Event::PasswordChosen { password, confirmation } => {
                input::new_password(&password, &confirmation)?;
                self.begin_input();
                self.transient.password = Some(password);
                self.generate(KeyStorageKind::File)
            }
            Event::PasswordEntered(password) => {
                input::password(&password)?;
                self.begin_input();
                self.transient.password = Some(password);
                self.step = Step::Installing;
                self.wait_for(Pending::Install)
            }
            edge => self.result(edge),
        })
    }

    /// An edge's result (or `Retry`), admitted.
    fn result(&mut self, event: Event) -> Vec<Command> {
        match event {
            Event::Retry => {
                self.notice = None;
                self.resume()
            }
            Event::ServerAnswered(session) => self.follow(session),
            Event::ServerRefused(error) => self.refused(error),
            Event::TransportFailed => self.stall(Notice::Network),
            Event::PollDue => self.fetch(),
            Event::PinStored => {
                self.pin_set = true;
                self.settle(None);
                match self.server_state.clone() {
                    Some(state) => self.enter(state),
                    None => self.interrupted(Step::EnterIin),
                }
            }
            Event::PinChecked { ok: true, .. } => {
                self.transient.clear_action();
                self.post(Call::Consent(Consent { accepted: true }))
            }
            Event::PinChecked { ok: false, tries_left, locked_until } => {
                self.settle(Some(Notice::WrongPin { tries_left, locked_until }))
            }
            Event::KeysGenerated { auth, sign, csrs } => {
                self.keys = Some(Keys { auth, sign, csrs: csrs.clone() });
                self.step = Step::Issuing;
                self.post(Call::Csrs(csrs))
            }
            Event::KeysFailed { detail } => {
                self.transient.clear();
                self.step = Step::ChooseKeyStorage;
                self.settle(Some(Notice::KeysFailed { detail }))
            }
            Event::CertificatesInstalled => {
                self.transient.clear();
                self.settle(None);
                match self.certificates.clone() {
                    Some(certificates) => self.show(Step::Done { certificates }),
                    None => self.fail(FailReason::KeysLost, None),
                }
            }
            Event::InstallFailed { detail } if self.storage == Some(KeyStorageKind::File) => {
                self.transient.clear();
                self.step = Step::UnlockKeys;
                self.settle(Some(Notice::InstallFailed { detail }))
            }
            Event::InstallFailed { detail } => self.stall(Notice::InstallFailed { detail }),
            Event::KeysDeleted => {
                self.keys = None;
                self.settle(None)
            }
            // Inputs never come here: `apply` takes them.
            _ => Vec::new(),
        }
    }

    /// Starts a citizen's action: forgets the last notice and any stalled action.
    fn begin_input(&mut self) {
        self.notice = None;
        self.pending = None;
        self.stalled = false;
        self.transient.clear_action();
    }

    pub(crate) fn show(&mut self, step: Step) -> Vec<Command> {
        self.step = step;
        Vec::new()
    }

    /// Ends the action in flight, with a notice or none.
    pub(crate) fn settle(&mut self, notice: Option<Notice>) -> Vec<Command> {
        self.pending = None;
        self.stalled = false;
        self.transient.clear_action();
        if notice.is_some() {
            self.notice = notice;
        }
        Vec::new()
    }

    /// Keeps the action in flight for a `Retry`, with a notice.
    pub(crate) fn stall(&mut self, notice: Notice) -> Vec<Command> {
        self.stalled = true;
        self.notice = Some(notice);
        Vec::new()
    }

    /// Shows `step` again because what it asked for was lost in a restart.
    fn interrupted(&mut self, step: Step) -> Vec<Command> {
        self.settle(Some(Notice::Interrupted));
        self.show(step)
    }

    /// A new `POST` with the next idempotency key.
    pub(crate) fn post(&mut self, call: Call) -> Vec<Command> {
        self.actions = self.actions.saturating_add(1);
        let key = format!("{}-{}", self.nonce.hyphenated(), self.actions);
        self.wait_for(Pending::Api { call, key: Some(key) })
    }

    /// A `GET` of the session.
    pub(crate) fn fetch(&mut self) -> Vec<Command> {
        match self.session {
            Some(_) => self.wait_for(Pending::Api { call: Call::Fetch, key: None }),
            None => self.interrupted(Step::EnterIin),
        }
    }

    pub(crate) fn poll(&mut self) -> Vec<Command> {
        self.wait_for(Pending::Poll)
    }

    fn generate(&mut self, storage: KeyStorageKind) -> Vec<Command> {
        self.actions = self.actions.saturating_add(1);
        let label = format!("{}-keys-{}", self.nonce.hyphenated(), self.actions);
        self.step = Step::GeneratingKeys;
        self.wait_for(Pending::GenerateKeys { storage, label })
    }

    /// Installs the issued certificates.
    pub(crate) fn install(&mut self, certificates: IssuedCertificates) -> Vec<Command> {
        self.certificates = Some(certificates);
        self.step = Step::Installing;
        self.wait_for(Pending::Install)
    }

    /// Ends the flow; keys made for it are deleted.
    pub(crate) fn fail(&mut self, reason: FailReason, detail: Option<String>) -> Vec<Command> {
        self.transient.clear();
        self.settle(None);
        self.step = Step::Failed { reason, detail };
        if self.keys.is_some() { self.wait_for(Pending::DeleteKeys) } else { Vec::new() }
    }

    fn wait_for(&mut self, pending: Pending) -> Vec<Command> {
        self.pending = Some(pending);
        self.stalled = false;
        self.emit_pending()
    }

    /// The commands of the action in flight, or the step to go back to when its secret is gone.
    fn emit_pending(&mut self) -> Vec<Command> {
        let Some(pending) = self.pending.clone() else { return Vec::new() };
        match pending {
            Pending::Api { call, key } => match self.request(&call) {
                Some(request) => vec![Command::Api(ApiCall { request, idempotency_key: key })],
                None => self.fetch(),
            },
            Pending::Poll => vec![Command::PollAfter(POLL_INTERVAL)],
            Pending::StorePin => match self.transient.secret.clone() {
                Some(pin) => vec![Command::StorePin(pin)],
                None => self.interrupted(Step::ChoosePin),
            },
            Pending::CheckPin => match self.transient.secret.clone() {
                Some(pin) => vec![Command::CheckPin(pin)],
                None => self.interrupted(Step::ConfirmPinAndConsent),
            },
            Pending::GenerateKeys { storage, label } => match (storage, self.transient.password.clone()) {
                (KeyStorageKind::File, None) => self.interrupted(Step::ChoosePassword),
                (storage, password) => vec![Command::GenerateKeys { storage, password, label }],
            },
            Pending::Install => self.install_command(),
            Pending::DeleteKeys => match (self.keys.clone(), self.storage) {
                (Some(Keys { auth, sign, .. }), Some(storage)) => {
                    vec![Command::DeleteKeys { auth, sign, storage }]
                }
                _ => self.settle(None),
            },
        }
    }

    fn install_command(&mut self) -> Vec<Command> {
        let password = self.transient.password.clone();
        match (self.keys.clone(), self.certificates.clone(), self.storage) {
            (Some(_), Some(_), Some(KeyStorageKind::File)) if password.is_none() => {
                self.interrupted(Step::UnlockKeys)
            }
            (Some(Keys { auth, sign, .. }), Some(certificates), Some(storage)) => {
                vec![Command::InstallCertificates { certificates, auth, sign, storage, password }]
            }
            _ => self.fail(FailReason::KeysLost, None),
        }
    }

    /// The API request of `call`, or `None` when its session or transient payload is missing.
    fn request(&self, call: &Call) -> Option<ApiRequest> {
        if let Call::Start(body) = call {
            return Some(ApiRequest::Start(body.clone()));
        }
        let session = self.session?;
        Some(match call {
            Call::Start(_) | Call::Fetch => ApiRequest::Fetch { session },
            Call::Phone(body) => ApiRequest::Phone { session, body: body.clone() },
            Call::SmsCode => ApiRequest::SmsCode { session, code: self.transient.secret.clone()? },
            Call::Resend => ApiRequest::ResendSmsCode { session },
            Call::Selfie => ApiRequest::Selfie { session, picture: self.transient.picture.clone()? },
            Call::IdCardPhoto => {
                ApiRequest::IdCardPhoto { session, picture: self.transient.picture.clone()? }
            }
            Call::Consent(body) => ApiRequest::Consent { session, body: *body },
            Call::Email(body) => ApiRequest::Email { session, body: body.clone() },
            Call::Csrs(body) => ApiRequest::Csrs { session, body: body.clone() },
        })
    }
}

/// Which citizen's inputs each step takes.
pub(crate) fn accepts(step: StepKind, event: EventKind) -> bool {
    use EventKind as E;
    use StepKind as S;
    matches!(
        (step, event),
        (S::DeviceCheck, E::DeviceChecked)
            | (S::EnterIin, E::IinEntered)
            | (S::EnterPhone, E::PhoneEntered)
            | (S::EnterSmsCode, E::SmsCodeEntered | E::ResendRequested)
            | (S::TakeSelfie, E::SelfieTaken)
            | (S::ChoosePin, E::PinChosen)
            | (S::TakeIdCardPhoto, E::IdCardPhotoTaken)
            | (S::ConfirmPinAndConsent, E::ConsentGiven | E::ConsentRefused)
            | (S::ReviewPersonAndEmail, E::EmailEntered)
            | (S::ChooseKeyStorage, E::KeyStorageChosen)
            | (S::ChoosePassword, E::PasswordChosen)
            | (S::UnlockKeys, E::PasswordEntered)
    )
}
