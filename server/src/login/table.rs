//! The in-memory table of login sessions (by id, and by QR token), the per-address start limit, and the
//! citizens' web sessions. Every change happens under one lock; pages learn of changes through each
//! session's `watch` channel.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use qoltanba_protocol::login::{LOGIN_SESSION_TTL_S, QR_TOKEN_LEN};
use qoltanba_protocol::{
    ApiError, ErrorCode, LoggedIn, LoginAnswer, LoginChallenge, LoginQr, LoginRefusal, LoginStatus,
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};
use tokio::sync::watch;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{LoginError, frames, not_found};

/// How many sessions one client address may start per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartLimit {
    /// Starts allowed per window.
    pub per_address: usize,
    /// The window.
    pub window: Duration,
}

impl Default for StartLimit {
    /// 10 per minute.
    fn default() -> Self {
        Self { per_address: 10, window: Duration::minutes(1) }
    }
}

struct Session {
    token: String,
    secret: Zeroizing<String>,
    browser_hash: [u8; 32],
    number: u8,
    numbers: [u8; 3],
    nonce: String,
    started_at: OffsetDateTime,
    browser: String,
    address: String,
    status: watch::Sender<LoginStatus>,
    citizen: Option<LoggedIn>,
    ended_at: Option<OffsetDateTime>,
    /// The idempotency digest of the scan that claimed the session, and of the accepted answer.
    scan_retry: Option<[u8; 32]>,
    answer_retry: Option<[u8; 32]>,
}

impl Session {
    fn status(&self) -> LoginStatus {
        *self.status.borrow()
    }

    fn set(&mut self, status: LoginStatus, now: OffsetDateTime) {
        self.status.send_replace(status);
        if status.is_final() {
            self.ended_at.get_or_insert(now);
        }
    }

    fn expire_if_due(&mut self, now: OffsetDateTime) {
        let due = self.started_at + Duration::seconds(i64::from(LOGIN_SESSION_TTL_S));
        if !self.status().is_final() && now >= due {
            self.set(LoginStatus::Expired, now);
        }
    }

    fn t(&self, now: OffsetDateTime) -> u32 {
        u32::try_from((now - self.started_at).whole_seconds().max(0)).unwrap_or(u32::MAX)
    }

    fn belongs_to(&self, browser_key: &str) -> bool {
        bool::from(hash(browser_key).ct_eq(&self.browser_hash))
    }
}

#[derive(Default)]
struct Inner {
    sessions: HashMap<Uuid, Session>,
    tokens: HashMap<String, Uuid>,
    citizens: HashMap<[u8; 32], (LoggedIn, OffsetDateTime)>,
    starts: HashMap<String, VecDeque<OffsetDateTime>>,
}

pub(super) struct Table {
    limit: StartLimit,
    inner: Mutex<Inner>,
}

fn hash(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, LoginError> {
    let mut bytes = Zeroizing::new([0u8; N]);
    getrandom::fill(bytes.as_mut()).map_err(|_| LoginError::Internal("no randomness".into()))?;
    Ok(bytes)
}

fn random_text<const N: usize>() -> Result<Zeroizing<String>, LoginError> {
    Ok(Zeroizing::new(URL_SAFE_NO_PAD.encode(random::<N>()?.as_ref())))
}

/// The page's number and the phone's three choices (distinct, the right one at a random place).
fn numbers() -> Result<(u8, [u8; 3]), LoginError> {
    let [n, a, b, place] = *random::<4>()?;
    let number = 10 + n % 90;
    let first = 1 + a % 89;
    let second = match 1 + b % 89 {
        same if same == first => first % 89 + 1,
        other => other,
    };
    let shift = |k: u8| 10 + (number - 10 + k) % 90;
    let mut choices = [number, shift(first), shift(second)];
    choices.swap(0, usize::from(place % 3));
    Ok((number, choices))
}

fn refused(reason: LoginRefusal) -> LoginError {
    LoginError::Refused(reason)
}

impl Table {
    pub(super) fn new(limit: StartLimit) -> Self {
        Self { limit, inner: Mutex::default() }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn len(&self) -> usize {
        self.lock().sessions.len()
    }

    /// Counts a start from `address`, or says when to retry.
    pub(super) fn admit(&self, address: &str, now: OffsetDateTime) -> Result<(), ApiError> {
        let mut inner = self.lock();
        let window = self.limit.window;
        let times = inner.starts.entry(address.to_owned()).or_default();
        while times.front().is_some_and(|t| *t + window <= now) {
            times.pop_front();
        }
        if let Some(oldest) = times.front().filter(|_| times.len() >= self.limit.per_address) {
            let wait = (*oldest + window - now).whole_seconds().max(1);
            return Err(ApiError::rate_limited(u32::try_from(wait).unwrap_or(u32::MAX)));
        }
        times.push_back(now);
        Ok(())
    }

    pub(super) fn insert(
        &self,
        address: &str,
        browser: &str,
        now: OffsetDateTime,
    ) -> Result<(Uuid, u8, Zeroizing<String>), LoginError> {
        let browser_key = random_text::<32>()?;
        let (number, numbers) = numbers()?;
        let token = random_text::<16>()?.chars().take(QR_TOKEN_LEN).collect::<String>();
        let session = Session {
            token: token.clone(),
            secret: random_text::<32>()?,
            browser_hash: hash(&browser_key),
            number,
            numbers,
            nonce: random_text::<24>()?.to_string(),
            started_at: now,
            browser: browser.to_owned(),
            address: address.to_owned(),
            status: watch::channel(LoginStatus::Waiting).0,
            citizen: None,
            ended_at: None,
            scan_retry: None,
            answer_retry: None,
        };
        let id = Uuid::new_v4();
        let mut inner = self.lock();
        inner.tokens.insert(token, id);
        inner.sessions.insert(id, session);
        Ok((id, number, browser_key))
    }

    /// Session `id` of the browser holding `browser_key`, brought up to date.
    fn owned<'a>(
        inner: &'a mut Inner,
        id: Uuid,
        browser_key: &str,
        now: OffsetDateTime,
    ) -> Result<&'a mut Session, LoginError> {
        let session = inner.sessions.get_mut(&id).ok_or_else(not_found)?;
        if !session.belongs_to(browser_key) {
            return Err(refused(LoginRefusal::OtherBrowser));
        }
        session.expire_if_due(now);
        Ok(session)
    }

    pub(super) fn frame(
        &self,
        id: Uuid,
        browser_key: &str,
        now: OffsetDateTime,
    ) -> Result<LoginQr, LoginError> {
        let mut inner = self.lock();
        let session = Self::owned(&mut inner, id, browser_key, now)?;
        match session.status() {
            LoginStatus::Waiting => {}
            LoginStatus::Expired => return Err(refused(LoginRefusal::Expired)),
            other => return Err(wrong_state(other)),
        }
        let t = session.t(now);
        LoginQr::new(&session.token, t, &frames::frame_code(&session.secret, t))
            .map_err(|e| LoginError::Internal(format!("own QR frame: {e}")))
    }

    pub(super) fn watch(
        &self,
        id: Uuid,
        browser_key: &str,
        now: OffsetDateTime,
    ) -> Result<watch::Receiver<LoginStatus>, LoginError> {
        let mut inner = self.lock();
        Ok(Self::owned(&mut inner, id, browser_key, now)?.status.subscribe())
    }

    /// The first scan of a current frame claims the session; the same request retried (same
    /// idempotency digest `retry`) gets the same challenge.
    pub(super) fn scan(
        &self,
        qr: &LoginQr,
        address: &str,
        relying_party: &str,
        retry: [u8; 32],
        now: OffsetDateTime,
    ) -> Result<LoginChallenge, LoginError> {
        let mut inner = self.lock();
        let id = *inner.tokens.get(qr.token()).ok_or_else(not_found)?;
        let session = inner.sessions.get_mut(&id).ok_or_else(not_found)?;
        session.expire_if_due(now);
        match session.status() {
            LoginStatus::Waiting => {}
            LoginStatus::Scanned if session.scan_retry == Some(retry) => {}
            LoginStatus::Expired => return Err(refused(LoginRefusal::Expired)),
            _ => return Err(refused(LoginRefusal::AlreadyScanned)),
        }
        if session.status() == LoginStatus::Waiting {
            if !frames::is_current(qr, &session.secret, session.t(now)) {
                return Err(refused(LoginRefusal::StaleQrCode));
            }
            session.scan_retry = Some(retry);
            session.set(LoginStatus::Scanned, now);
        }
        Ok(LoginChallenge {
            session_id: id,
            relying_party: relying_party.to_owned(),
            browser: session.browser.clone(),
            browser_address: session.address.clone(),
            browser_place: None,
            started_at: session.started_at,
            numbers: session.numbers,
            nonce: session.nonce.clone(),
            address_differs: session.address != address,
            expires_at: session.started_at + Duration::seconds(i64::from(LOGIN_SESSION_TTL_S)),
        })
    }

    /// Whether session `id` may take `answer` now: refusals for a bad signature (ending the session
    /// when the answer is bound to it), another session's answer, a used one, an expired session.
    pub(super) fn claimable(
        &self,
        id: Uuid,
        answer: &LoginAnswer,
        signed: bool,
        now: OffsetDateTime,
    ) -> Result<(), LoginError> {
        let mut inner = self.lock();
        let session = inner.sessions.get_mut(&id).ok_or_else(not_found)?;
        session.expire_if_due(now);
        let bound = answer.session_id == id && answer.nonce == session.nonce;
        if !signed {
            if bound && session.status() == LoginStatus::Scanned {
                session.set(LoginStatus::Refused { reason: LoginRefusal::BadSignature }, now);
            }
            return Err(refused(LoginRefusal::BadSignature));
        }
        if answer.session_id != id {
            return Err(refused(LoginRefusal::OtherSession));
        }
        match session.status() {
            _ if !bound => Err(refused(LoginRefusal::Replayed)),
            LoginStatus::Scanned => Ok(()),
            LoginStatus::Approved | LoginStatus::Refused { .. } => Err(refused(LoginRefusal::Replayed)),
            LoginStatus::Expired => Err(refused(LoginRefusal::Expired)),
            LoginStatus::Waiting => Err(wrong_state(LoginStatus::Waiting)),
        }
    }

    /// Ends session `id` (if still open) with `reason`; the error to answer.
    pub(super) fn end(&self, id: Uuid, reason: LoginRefusal, now: OffsetDateTime) -> LoginError {
        let mut inner = self.lock();
        if let Some(session) = inner.sessions.get_mut(&id).filter(|s| !s.status().is_final()) {
            session.set(LoginStatus::Refused { reason }, now);
        }
        refused(reason)
    }

    /// Whether `retry` is the idempotency digest of the answer that approved session `id`.
    pub(super) fn is_approving_retry(&self, id: Uuid, retry: [u8; 32]) -> bool {
        let inner = self.lock();
        inner.sessions.get(&id).is_some_and(|s| s.answer_retry == Some(retry))
    }

    pub(super) fn approve(
        &self,
        id: Uuid,
        number: u8,
        citizen: LoggedIn,
        retry: [u8; 32],
        now: OffsetDateTime,
    ) -> Result<(), LoginError> {
        let mut inner = self.lock();
        let session = inner.sessions.get_mut(&id).ok_or_else(not_found)?;
        if session.status() != LoginStatus::Scanned {
            return Err(refused(LoginRefusal::Replayed));
        }
        if number != session.number {
            session.set(LoginStatus::Refused { reason: LoginRefusal::WrongNumber }, now);
            return Err(refused(LoginRefusal::WrongNumber));
        }
        session.citizen = Some(citizen);
        session.answer_retry = Some(retry);
        session.set(LoginStatus::Approved, now);
        Ok(())
    }

    pub(super) fn decline(
        &self,
        id: Uuid,
        nonce: &str,
        now: OffsetDateTime,
    ) -> Result<LoginStatus, LoginError> {
        let mut inner = self.lock();
        let session = inner.sessions.get_mut(&id).ok_or_else(not_found)?;
        if !bool::from(session.nonce.as_bytes().ct_eq(nonce.as_bytes())) {
            return Err(not_found());
        }
        session.expire_if_due(now);
        if session.status() == LoginStatus::Scanned {
            session.set(LoginStatus::Refused { reason: LoginRefusal::Declined }, now);
        }
        Ok(session.status())
    }

    pub(super) fn complete(
        &self,
        id: Uuid,
        browser_key: &str,
        now: OffsetDateTime,
    ) -> Result<(LoggedIn, Zeroizing<String>), LoginError> {
        let key = random_text::<32>()?;
        let until = now + super::CITIZEN_SESSION_TTL;
        let mut inner = self.lock();
        let session = Self::owned(&mut inner, id, browser_key, now)?;
        let status = session.status();
        let citizen = match status {
            LoginStatus::Approved => session.citizen.take().ok_or(refused(LoginRefusal::Replayed))?,
            LoginStatus::Refused { reason } => return Err(refused(reason)),
            LoginStatus::Expired => return Err(refused(LoginRefusal::Expired)),
            other => return Err(wrong_state(other)),
        };
        inner.citizens.insert(hash(&key), (citizen.clone(), until));
        Ok((citizen, key))
    }

    pub(super) fn citizen(&self, key: &str, now: OffsetDateTime) -> Option<LoggedIn> {
        let inner = self.lock();
        inner.citizens.get(&hash(key)).filter(|(_, until)| now < *until).map(|(c, _)| c.clone())
    }

    pub(super) fn sweep(&self, now: OffsetDateTime, keep: Duration) {
        let mut inner = self.lock();
        let mut gone = Vec::new();
        for (id, session) in &mut inner.sessions {
            session.expire_if_due(now);
            if session.ended_at.is_some_and(|at| at + keep <= now) {
                gone.push((*id, session.token.clone()));
            }
        }
        for (id, token) in gone {
            inner.sessions.remove(&id);
            inner.tokens.remove(&token);
        }
        inner.citizens.retain(|_, (_, until)| now < *until);
        let window = self.limit.window;
        inner.starts.retain(|_, times| times.back().is_some_and(|t| *t + window > now));
    }
}

fn wrong_state(status: LoginStatus) -> LoginError {
    let name = match status {
        LoginStatus::Waiting => "waiting",
        LoginStatus::Scanned => "scanned",
        LoginStatus::Approved => "approved",
        LoginStatus::Refused { .. } => "refused",
        LoginStatus::Expired => "expired",
    };
    LoginError::Api(ApiError {
        expected_state: Some(name.to_owned()),
        ..ApiError::new(ErrorCode::WrongState, format!("the login session is {name}"))
    })
}
