//! Push-approved signing requests: relying parties ask citizens to sign, the citizens' registered
//! devices answer with a CMS signature made by their SIGN key (issue 7, the server side).
//!
//! - [`relying_parties`]: registering services (`qoltanba-server rp add`) and checking their API keys;
//! - `requests`: creating requests (one pending per citizen), the relying party's long-poll, expiry
//!   (lazily on every read and by [`Signing::sweep`]);
//! - `devices`: registering a phone with its AUTH key, its device token, its pending list and events;
//! - `answers`: approval (the CMS is checked against the request and the citizen's SIGN certificates in
//!   this CA's records, the same records OCSP answers from) and refusal;
//! - [`Notifier`]: push wake-ups (none by default), carrying no content;
//! - `channels` (in-memory wake-ups), `limits` (in-memory rate limits), `callbacks` (HMAC-signed posts).
//!
//! Every change runs in one transaction with its audit entry (and its idempotency record for the
//! `POST`s that take a key); what others are told (wake-ups, device events, callbacks) happens after the
//! commit. Errors are [`RaError`]s: typed [`qoltanba_protocol::ApiError`]s or internal failures.

mod answers;
mod callbacks;
mod channels;
mod devices;
mod limits;
mod push;
pub mod relying_parties;
mod requests;

use std::sync::Arc;

use qoltanba_protocol::{ApiError, ErrorCode, SignRequestCallback, SignRequestStatus};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use crate::ra::transaction::{self, Answer, Begun, Tx};
use crate::ra::{Clock, Idempotency, RaError, SystemClock};
use crate::storage::Storage;
use crate::storage::sign_requests::SignRequestRecord;

pub use callbacks::callback_signature;
pub use channels::DeviceEvent;
pub use devices::Device;
pub use limits::Limits;
pub use push::{NoPush, Notifier, WakeUp};
pub use relying_parties::{NewRelyingParty, RelyingParty};

/// How often [`Signing::spawn_sweeper`] expires overdue requests.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// The signing-request service.
pub struct Signing {
    storage: Storage,
    clock: Arc<dyn Clock>,
    channels: channels::Channels,
    limits: limits::RateLimits,
    callbacks: callbacks::Callbacks,
    notifier: Arc<dyn Notifier>,
    dev: bool,
}

impl std::fmt::Debug for Signing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signing").field("dev", &self.dev).finish_non_exhaustive()
    }
}

impl Signing {
    /// The service on `storage` with the system clock and the default [`Limits`]; `dev` also accepts
    /// `http://` callback URLs to loopback hosts.
    pub fn new(storage: Storage, dev: bool) -> Self {
        Self {
            storage,
            clock: Arc::new(SystemClock),
            channels: channels::Channels::default(),
            limits: limits::RateLimits::new(Limits::default()),
            callbacks: callbacks::Callbacks::new(),
            notifier: Arc::new(NoPush),
            dev,
        }
    }

    /// The same service reading time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The same service with other rate limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits::RateLimits::new(limits);
        self
    }

    /// The same service waking devices through `notifier`.
    pub fn with_notifier(mut self, notifier: Arc<dyn Notifier>) -> Self {
        self.notifier = notifier;
        self
    }

    /// The storage it works on.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// Expires overdue requests every [`SWEEP_EVERY`], in the background, for as long as the runtime
    /// runs (reads expire them lazily too).
    pub fn spawn_sweeper(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let service = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(SWEEP_EVERY);
            loop {
                interval.tick().await;
                let Some(service) = service.upgrade() else { return };
                if let Err(error) = service.sweep().await {
                    tracing::warn!(%error, "sweeping expired sign requests failed");
                }
            }
        })
    }

    /// The current time, whole seconds (the precision the database keeps).
    fn now(&self) -> OffsetDateTime {
        let now = self.clock.now();
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// Opens a transaction with the idempotency record (for `transact!`).
    pub(crate) async fn begin<T: DeserializeOwned>(
        &self,
        idem: Option<&Idempotency>,
    ) -> Result<Begun<T>, RaError> {
        transaction::begin(&self.storage, idem, self.now()).await
    }

    /// Records the answer and commits (for `transact!`).
    pub(crate) async fn commit<T: Serialize>(
        &self,
        tx: Tx,
        idem: Option<&Idempotency>,
        answer: Answer<T>,
        success_status: u16,
    ) -> Result<T, RaError> {
        transaction::commit(tx, idem, answer, success_status, self.now()).await
    }

    /// Wakes the citizen's devices that gave a push token, in the background.
    fn wake_devices(&self, iin: &str) {
        let (storage, notifier, iin) = (self.storage.clone(), self.notifier.clone(), iin.to_owned());
        tokio::spawn(async move {
            let devices = match storage.acquire().await {
                Ok(mut conn) => crate::storage::devices::by_iin(&mut conn, &iin).await,
                Err(error) => Err(error),
            };
            match devices {
                Ok(devices) => {
                    for device in devices {
                        if let Some(push_token) = device.push_token {
                            notifier.wake(WakeUp { platform: device.platform, push_token }).await;
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "no devices to wake"),
            }
        });
    }

    /// Tells everyone a request ended: its long-polls, the citizen's devices, its callback URL.
    fn announce_end(&self, record: &SignRequestRecord, status: SignRequestStatus) {
        let outcome = SignRequestCallback { id: record.id, status };
        self.channels.ended(record.id);
        self.channels.publish(&record.iin, DeviceEvent::Ended(outcome.clone()));
        if let Some(url) = record.callback_url.clone() {
            let storage = self.storage.clone();
            let callbacks = self.callbacks.clone();
            let relying_party = record.relying_party_id;
            tokio::spawn(async move {
                match relying_parties::callback_secret(&storage, relying_party).await {
                    Ok(secret) => callbacks.deliver(url, secret, outcome),
                    Err(error) => tracing::warn!(%error, "no callback secret; callback not sent"),
                }
            });
        }
    }
}

/// `wrong_state` naming the request's status, or `session_expired` for an expired request.
fn not_pending(status: SignRequestStatus) -> RaError {
    let error = match status {
        SignRequestStatus::Expired => ApiError::new(ErrorCode::SessionExpired, "the sign request expired"),
        other => ApiError {
            expected_state: Some(other.name().to_owned()),
            ..ApiError::new(ErrorCode::WrongState, format!("the sign request is {}", other.name()))
        },
    };
    RaError::Api(error)
}
