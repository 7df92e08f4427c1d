//! QR-code login of a browser with the citizen's phone (issue 6, the server side; the wire contract is
//! [`qoltanba_protocol::login`]).
//!
//! Sessions live in memory, not in the database: a waiting session is a few hundred bytes of RAM and
//! no write, it lives at most a minute, and losing them on a restart only makes the page start a new
//! one. Several server processes would need sticky routing by session id (documented limit).
//!
//! - `frames`: the animated QR code's HMAC frames (the secret never leaves this module's table);
//! - `verify`: the answer's signature, certificate path, validity, AUTH profile and OCSP status;
//! - `browser`: the User-Agent summary the phone shows;
//! - `table`: the sessions, the per-address start limit, and the logged-in citizens.

mod browser;
pub mod frames;
mod table;
mod verify;

use std::sync::Arc;

use qoltanba_protocol::login::{LOGIN_SESSION_TTL_S, QR_FRAME_INTERVAL_MS};
use qoltanba_protocol::{
    ApiError, ErrorCode, LoggedIn, LoginAccepted, LoginAnswer, LoginChallenge, LoginDecline, LoginQr,
    LoginRefusal, LoginStarted, LoginStatus, login_message,
};
use time::{Duration, OffsetDateTime};
use tokio::sync::watch;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::ca::Authority;
use crate::ra::{Clock, SystemClock};
use crate::storage::Storage;

pub use table::StartLimit;

/// How long a finished session is kept to tell replays apart, after it ends.
const KEEP_AFTER_END: Duration = Duration::seconds(120);
/// How long a logged-in citizen's web session lasts.
pub const CITIZEN_SESSION_TTL: Duration = Duration::minutes(30);
/// How often [`Login::spawn_sweeper`] expires and forgets sessions.
pub const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// Why a login call failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// A refusal of the login (the phone gets it in `ApiError::refusal`, the page in the status).
    #[error("login refused: {0}")]
    Refused(LoginRefusal),
    /// Another typed API error (no such session, rate limited, wrong state, …).
    #[error("{0}")]
    Api(ApiError),
    /// Something broke inside (storage, the CA, randomness); details for the log only.
    #[error("internal: {0}")]
    Internal(String),
}

impl LoginError {
    /// The wire error of this failure (`internal` for an internal one).
    pub fn api(&self) -> ApiError {
        match self {
            Self::Refused(reason) => ApiError::login_refused(*reason),
            Self::Api(error) => error.clone(),
            Self::Internal(_) => ApiError::new(ErrorCode::Internal, "internal error"),
        }
    }
}

fn not_found() -> LoginError {
    LoginError::Api(ApiError::new(ErrorCode::NotFound, "no such login session"))
}

/// What identifies a retry of one phone request: a digest of its `Idempotency-Key` and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry([u8; 32]);

impl Retry {
    /// The retry identity of a request with idempotency `key` and `body`.
    pub fn new(key: &str, body: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        let mut digest = Sha256::new();
        digest.update(Sha256::digest(key.as_bytes()));
        digest.update(Sha256::digest(body));
        Self(digest.finalize().into())
    }
}

/// A new session as its browser gets it: the answer and the browser cookie's value.
#[derive(Debug)]
pub struct Started {
    /// What the page shows.
    pub started: LoginStarted,
    /// The HttpOnly cookie binding the session to this browser (secret).
    pub browser_key: Zeroizing<String>,
}

/// The QR-login service.
pub struct Login {
    storage: Storage,
    authority: Arc<Authority>,
    clock: Arc<dyn Clock>,
    relying_party: String,
    table: table::Table,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login").field("relying_party", &self.relying_party).finish_non_exhaustive()
    }
}

impl Login {
    /// The service for relying party `relying_party` (shown on the phone and signed), checking answers
    /// against `authority` and its certificate records in `storage`; system clock, default limit.
    pub fn new(storage: Storage, authority: Arc<Authority>, relying_party: &str) -> Self {
        Self {
            storage,
            authority,
            clock: Arc::new(SystemClock),
            relying_party: relying_party.to_owned(),
            table: table::Table::new(StartLimit::default()),
        }
    }

    /// The same service reading time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The same service with another per-address start limit.
    pub fn with_start_limit(mut self, limit: StartLimit) -> Self {
        self.table = table::Table::new(limit);
        self
    }

    /// How many sessions are held (waiting, scanned, or kept after their end).
    pub fn session_count(&self) -> usize {
        self.table.len()
    }

    fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Starts a session for a browser at `address` with `user_agent` (`rate_limited` past the
    /// per-address limit).
    pub fn start(&self, address: &str, user_agent: &str) -> Result<Started, LoginError> {
        let now = self.now();
        self.table.admit(address, now).map_err(LoginError::Api)?;
        let (session_id, number, browser_key) =
            self.table.insert(address, &browser::summary(user_agent), now)?;
        let started = LoginStarted {
            session_id,
            number,
            expires_at: now + Duration::seconds(i64::from(LOGIN_SESSION_TTL_S)),
            frame_interval_ms: QR_FRAME_INTERVAL_MS,
        };
        Ok(Started { started, browser_key })
    }

    /// The current QR frame of session `id`, for the browser holding `browser_key` (`other_browser`
    /// for any other; `expired` once it ended unanswered).
    pub fn frame(&self, id: Uuid, browser_key: &str) -> Result<LoginQr, LoginError> {
        self.table.frame(id, browser_key, self.now())
    }

    /// The status of session `id` as a watch (the browser holding `browser_key` only).
    pub fn watch(&self, id: Uuid, browser_key: &str) -> Result<watch::Receiver<LoginStatus>, LoginError> {
        self.table.watch(id, browser_key, self.now())
    }

    /// A phone scanned `qr` from `address`: the first scan of a current frame claims the session. The
    /// same request retried with the same idempotency key (`retry`) gets the same challenge.
    pub fn scan(&self, qr: &str, address: &str, retry: &Retry) -> Result<LoginChallenge, LoginError> {
        let qr = LoginQr::parse(qr)
            .map_err(|e| LoginError::Api(ApiError::new(ErrorCode::InvalidInput, format!("qr: {e}"))))?;
        self.table.scan(&qr, address, &self.relying_party, retry.0, self.now())
    }

    /// The phone's answer for session `id`: checked, then the session is approved, or ended with the
    /// refusal (when the answer is bound to it: its id and nonce). The accepted answer retried with the
    /// same idempotency key (`retry`) is accepted again, changing nothing; any other copy is `replayed`.
    pub async fn answer(
        &self,
        id: Uuid,
        answer: &LoginAnswer,
        retry: &Retry,
    ) -> Result<LoginAccepted, LoginError> {
        let accepted = LoginAccepted { session_id: id, relying_party: self.relying_party.clone() };
        if self.table.is_approving_retry(id, retry.0) {
            return Ok(accepted);
        }
        let certificate = verify::certificate(&answer.auth_certificate)?;
        let message = login_message(answer.session_id, &self.relying_party, answer.number, &answer.nonce);
        let signed = verify::signature_holds(&certificate, &message, &answer.signature);
        let now = self.now();
        self.table.claimable(id, answer, signed, now)?;
        let outcome = verify::good_auth_certificate(&self.storage, &self.authority, &certificate, now).await;
        let view = match outcome {
            Ok(view) => view,
            Err(LoginError::Refused(reason)) => return Err(self.table.end(id, reason, now)),
            Err(other) => return Err(other),
        };
        let citizen =
            LoggedIn { iin: view.iin.unwrap_or_default(), name: view.common_name.unwrap_or_default() };
        self.table.approve(id, answer.number, citizen, retry.0, now)?;
        Ok(accepted)
    }

    /// The citizen declined on the phone (with the challenge's nonce).
    pub fn decline(&self, id: Uuid, decline: &LoginDecline) -> Result<LoginStatus, LoginError> {
        self.table.decline(id, &decline.nonce, self.now())
    }

    /// The browser holding `browser_key` completes an approved session: the citizen, and the value of
    /// their web-session cookie (`other_browser` for any other browser; once only).
    pub fn complete(&self, id: Uuid, browser_key: &str) -> Result<(LoggedIn, Zeroizing<String>), LoginError> {
        self.table.complete(id, browser_key, self.now())
    }

    /// The citizen logged in with web-session cookie `key`, if it is alive.
    pub fn citizen(&self, key: &str) -> Option<LoggedIn> {
        self.table.citizen(key, self.now())
    }

    /// Expires overdue sessions (telling their pages) and forgets old ones.
    pub fn sweep(&self) {
        self.table.sweep(self.now(), KEEP_AFTER_END);
    }

    /// Runs [`Login::sweep`] every [`SWEEP_EVERY`] while the service lives.
    pub fn spawn_sweeper(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let service = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(SWEEP_EVERY);
            loop {
                interval.tick().await;
                let Some(service) = service.upgrade() else { return };
                service.sweep();
            }
        })
    }
}
