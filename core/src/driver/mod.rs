//! The driver: runs the [`Enrollment`] machine against the server, the platform ports, the key stores
//! and the local store, saving the machine after every step so that a killed app resumes where it was.
//!
//! ```text
//! loop:  commands in flight → run each (API call, wait, PIN, keys) → feed the result back → save
//!        no command → show the view → ask the citizen through the ports → feed the answer → save
//! ```

mod api;
mod ask;
mod error;
mod keys;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use qoltanba_protocol::{DeviceInfo, IssuedCertificates};
use uuid::Uuid;

use crate::client::Client;
use crate::enrollment::{Command, Enrollment, Event, FailReason, MachineError, Step};
use crate::keystore::KeyStore;
use crate::ports::{Camera, Citizen, Clock, Observer, PinPrompt, PortError, SmsCodeSource, Work};
use crate::store::{OperationKind, PinCheck, Store};

pub use error::DriverError;

/// What the platform gives the driver.
#[derive(Clone)]
pub struct Platform {
    /// The citizen's answers on the forms.
    pub citizen: Arc<dyn Citizen>,
    /// The camera.
    pub camera: Arc<dyn Camera>,
    /// The SMS code source.
    pub sms: Arc<dyn SmsCodeSource>,
    /// The secure PIN prompt.
    pub pin: Arc<dyn PinPrompt>,
    /// The time.
    pub clock: Arc<dyn Clock>,
    /// Told what happens.
    pub observer: Arc<dyn Observer>,
    /// The hardware-backed key store, where the platform has one.
    pub hardware_keys: Option<Arc<dyn KeyStore>>,
    /// Where the software key store keeps its PKCS#12 files.
    pub key_dir: PathBuf,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Both certificates are installed beside their keys.
    Enrolled(IssuedCertificates),
    /// The enrollment ended without certificates; a new one can start.
    Failed {
        /// Why.
        reason: FailReason,
        /// The server's or operator's words, if any.
        detail: Option<String>,
    },
    /// The citizen cancelled a prompt; the flow is saved and resumes on the next run.
    Paused,
}

/// Transport failures in a row after which [`Driver::run`] gives up for now ([`DriverError::Stalled`]).
pub const MAX_STALLS: u32 = 5;

/// Runs one enrollment to its end.
pub struct Driver {
    machine: Enrollment,
    store: Store,
    client: Client,
    platform: Platform,
    queue: VecDeque<Command>,
}

impl Driver {
    /// The enrollment saved in `store`, or a new one for `device` (its nonce drawn here, at the edge).
    pub fn open(
        store: Store,
        client: Client,
        platform: Platform,
        device: DeviceInfo,
    ) -> Result<Self, DriverError> {
        let mut store = store;
        let mut machine = match store.snapshot::<Enrollment>()? {
            Some(machine) => machine,
            None => Enrollment::new(Uuid::new_v4(), device),
        };
        let queue = machine.resume().into();
        store.save_snapshot(&machine)?;
        let view = machine.view();
        tracing::info!(step = ?view.step.kind(), "enrollment opened");
        platform.observer.view(&view);
        Ok(Self { machine, store, client, platform, queue })
    }

    /// The machine, as saved.
    pub fn enrollment(&self) -> &Enrollment {
        &self.machine
    }

    /// The local store (certificates and history after the run).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Runs the flow until it is enrolled, failed, or paused by the citizen.
    pub async fn run(&mut self) -> Result<Outcome, DriverError> {
        let mut stalls = 0;
        loop {
            while let Some(command) = self.queue.pop_front() {
                let event = self.execute(command).await?;
                self.feed(event)?;
            }
            let view = self.machine.view();
            match view.step {
                Step::Done { certificates } => return Ok(Outcome::Enrolled(certificates)),
                Step::Failed { reason, detail } => return Ok(Outcome::Failed { reason, detail }),
                _ => {}
            }
            if view.stalled {
                stalls += 1;
                if stalls > MAX_STALLS {
                    return Err(DriverError::Stalled { notice: view.notice });
                }
                tokio::time::sleep(retry_wait(view.notice.as_ref(), stalls)).await;
                self.feed(Event::Retry)?;
                continue;
            }
            stalls = 0;
            let event = match self.platform.ask(&view.step, view.notice.as_ref()).await {
                Ok(Some(event)) => event,
                Ok(None) => return Err(DriverError::Stuck(view.step.kind())),
                Err(PortError::Cancelled) => return Ok(Outcome::Paused),
                Err(error) => return Err(DriverError::Port(error)),
            };
            match self.feed(event) {
                Ok(()) => {}
                Err(DriverError::Machine(MachineError::Input(error))) => {
                    self.platform.observer.rejected(&error)
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Feeds an event to the machine, saves it, queues its commands and shows the new view.
    fn feed(&mut self, event: Event) -> Result<(), DriverError> {
        let commands = self.machine.handle(event)?;
        self.store.save_snapshot(&self.machine)?;
        let view = self.machine.view();
        tracing::info!(step = ?view.step.kind(), "enrollment step");
        self.queue.extend(commands);
        self.platform.observer.view(&view);
        Ok(())
    }

    async fn execute(&mut self, command: Command) -> Result<Event, DriverError> {
        let observer = self.platform.observer.clone();
        Ok(match command {
            Command::Api(call) => {
                observer.working(Work::Server);
                api::run(&self.client, &call).await
            }
            Command::PollAfter(wait) => {
                observer.working(Work::Waiting);
                tokio::time::sleep(wait).await;
                Event::PollDue
            }
            Command::StorePin(pin) => {
                self.store.set_pin(pin.expose())?;
                Event::PinStored
            }
            Command::CheckPin(pin) => match self.store.check_pin(pin.expose(), self.platform.clock.now())? {
                PinCheck::Correct => Event::PinChecked { ok: true, tries_left: 0, locked_until: None },
                PinCheck::Wrong { tries_left } => Event::PinChecked {
                    ok: false,
                    tries_left: u8::try_from(tries_left).unwrap_or(u8::MAX),
                    locked_until: None,
                },
                PinCheck::Locked { until } => {
                    Event::PinChecked { ok: false, tries_left: 0, locked_until: Some(until) }
                }
            },
            Command::GenerateKeys { storage, password, .. } => {
                observer.working(Work::GeneratingKeys);
                self.generate_keys(storage, password.as_ref()).await
            }
            Command::InstallCertificates { certificates, auth, sign, storage, password } => {
                observer.working(Work::Installing);
                let event = self.install(&certificates, [&auth, &sign], storage, password.as_ref());
                if matches!(event, Event::CertificatesInstalled) {
                    let detail = serde_json::json!({
                        "auth_serial": certificates.auth_serial,
                        "sign_serial": certificates.sign_serial,
                    });
                    self.store.record(self.platform.clock.now(), OperationKind::Enrolled, &detail)?;
                }
                event
            }
            Command::DeleteKeys { auth, sign, storage } => self.delete_keys([&auth, &sign], storage),
        })
    }
}

/// How long to wait before retrying a stalled call: a pause that grows with the stalls in a row, or longer
/// if the server asked for longer.
fn retry_wait(notice: Option<&crate::enrollment::Notice>, stalls: u32) -> Duration {
    use crate::enrollment::Notice;
    let asked = match notice {
        Some(Notice::RateLimited { retry_after_s } | Notice::ServerUnavailable { retry_after_s }) => {
            *retry_after_s
        }
        _ => None,
    };
    let growing = Duration::from_millis(500u64 << stalls.min(6));
    let asked = Duration::from_secs(u64::from(asked.unwrap_or(0).min(120)));
    growing.max(asked)
}
