//! QR-code login to a relying party's web page with the phone's AUTH key (BankID's animated QR, Smart-ID's
//! number matching).
//!
//! # Browser side (the `/login` page; bound to the browser by the [`LOGIN_BROWSER_COOKIE`])
//! - `POST` [`crate::paths::LOGIN_SESSIONS`] (empty body) → `201` [`LoginStarted`], and sets the
//!   HttpOnly [`LOGIN_BROWSER_COOKIE`]; anonymous starts are rate-limited per client address (`429`);
//! - `GET` [`crate::paths::LOGIN_SESSION_QR`] → `image/svg+xml`, the QR code of the current frame
//!   ([`LoginQr`]), to refresh every [`LoginStarted::frame_interval_ms`];
//! - `GET` [`crate::paths::LOGIN_SESSION_EVENTS`]: server-sent events, each [`LOGIN_STATUS_EVENT`]
//!   carrying a [`LoginStatus`] (the current one first, then every change), plus comment keep-alives;
//!   or `GET` [`crate::paths::LOGIN_SESSION`]`?waitMs=` → [`LoginStatus`] (long-poll fallback: answers
//!   when the status differs from `waiting`/`scanned` as given by `seen`, or when the wait ends);
//! - once `approved`: `POST` [`crate::paths::LOGIN_SESSION_COMPLETION`] → [`LoggedIn`], and sets the
//!   HttpOnly, `SameSite=Strict` [`LOGIN_SESSION_COOKIE`]. Only the browser holding the session's
//!   [`LOGIN_BROWSER_COOKIE`] may do so; any other gets `403` with [`LoginRefusal::OtherBrowser`].
//!
//! # Phone side (anonymous; the AUTH signature is the proof)
//! - `POST` [`crate::paths::LOGIN_SCANS`] [`LoginScan`] (the QR text as read) → [`LoginChallenge`]. The
//!   first scan claims the session; the frame must be current (at most [`QR_FRAME_MAX_AGE_S`] old) and
//!   its code right, else `403` [`LoginRefusal::StaleQrCode`];
//! - the citizen picks one of [`LoginChallenge::numbers`] (the one the page shows) and confirms with the
//!   PIN; the phone signs [`login_message`] with the AUTH key (RSA PKCS#1 v1.5, SHA-256) and sends
//!   `POST` [`crate::paths::LOGIN_SESSION_ANSWER`] [`LoginAnswer`] → [`LoginAccepted`];
//! - or declines: `POST` [`crate::paths::LOGIN_SESSION_REFUSAL`] [`LoginDecline`] → [`LoginStatus`].
//!
//! A claimed session takes exactly one answer: a wrong number or a bad answer ends it (the page shows
//! the [`LoginRefusal`]). Every refusal reaches the phone as an [`crate::ApiError`] whose `refusal` field
//! holds the [`LoginRefusal`] (code [`LoginRefusal::error_code`]). Every `POST` carries an
//! `Idempotency-Key`, as everywhere in API v1; login sessions live in the server's memory, so its replay
//! rule holds while the session lives: a scan or an answer retried with the same key and body gets the
//! same answer; a copy under another key is `already_scanned` / `replayed`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::ErrorCode;

/// The QR payload's scheme, with its colon.
pub const QR_SCHEME: &str = "qoltanba-login:";
/// Length of a QR token: 16 random bytes, base64url without padding.
pub const QR_TOKEN_LEN: usize = 22;
/// Length of a frame's code: lowercase hex of an HMAC-SHA256.
pub const QR_CODE_LEN: usize = 64;
/// Longest decimal `t` in a QR payload (a `u32`).
const QR_TIME_MAX_DIGITS: usize = 10;
/// How often the QR frame changes, in milliseconds.
pub const QR_FRAME_INTERVAL_MS: u32 = 1_000;
/// Oldest QR frame the server accepts from a scan, in seconds behind the session's current `t`.
pub const QR_FRAME_MAX_AGE_S: u32 = 3;
/// Lifetime of a login session, in seconds, from its start.
pub const LOGIN_SESSION_TTL_S: u32 = 60;
/// Smallest and largest number shown for number matching (two digits).
pub const LOGIN_NUMBERS: std::ops::RangeInclusive<u8> = 10..=99;
/// Server-sent event name of a [`LoginStatus`].
pub const LOGIN_STATUS_EVENT: &str = "login_status";
/// HttpOnly cookie binding a login session to the browser that started it (random, per session).
pub const LOGIN_BROWSER_COOKIE: &str = "qoltanba_login_browser";
/// HttpOnly, `SameSite=Strict` cookie of the logged-in citizen's web session.
pub const LOGIN_SESSION_COOKIE: &str = "qoltanba_citizen";
/// Domain-separation line that starts [`login_message`].
pub const LOGIN_MESSAGE_PREFIX: &str = "qoltanba/v1/login\n";

/// Why a QR text is not a login payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QrError {
    /// It does not start with [`QR_SCHEME`].
    WrongScheme,
    /// It is not three fields `<token>.<t>.<code>`.
    WrongShape,
    /// The token is not [`QR_TOKEN_LEN`] base64url characters (`A-Z a-z 0-9 - _`).
    BadToken,
    /// `t` is not a decimal `u32` without sign or leading zeros.
    BadTime,
    /// The code is not [`QR_CODE_LEN`] lowercase hex digits.
    BadCode,
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::WrongScheme => "not a qoltanba-login: QR code",
            Self::WrongShape => "the QR code is not <token>.<t>.<code>",
            Self::BadToken => "the QR code's token is malformed",
            Self::BadTime => "the QR code's time is malformed",
            Self::BadCode => "the QR code's code is malformed",
        })
    }
}

impl std::error::Error for QrError {}

/// One frame of the animated QR code: `qoltanba-login:<token>.<t>.<code>`, where `t` is the whole seconds
/// since the session started and `code` the lowercase hex HMAC-SHA256, keyed with the session secret's
/// ASCII text, of the decimal `t` (BankID's construction; the secret never leaves the server).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LoginQr {
    token: String,
    t: u32,
    code: String,
}

impl LoginQr {
    /// A frame from its parts, checked as [`LoginQr::parse`] does.
    ///
    /// # Errors
    /// [`QrError::BadToken`] or [`QrError::BadCode`].
    pub fn new(token: &str, t: u32, code: &str) -> Result<Self, QrError> {
        if !is_token(token) {
            return Err(QrError::BadToken);
        }
        if !is_code(code) {
            return Err(QrError::BadCode);
        }
        Ok(Self { token: token.to_owned(), t, code: code.to_owned() })
    }

    /// Reads a QR text, strictly: the scheme, exactly three `.`-separated fields, nothing around them.
    ///
    /// # Errors
    /// The [`QrError`] of the first fault found.
    pub fn parse(text: &str) -> Result<Self, QrError> {
        let rest = text.strip_prefix(QR_SCHEME).ok_or(QrError::WrongScheme)?;
        let mut fields = rest.split('.');
        let (Some(token), Some(t), Some(code), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(QrError::WrongShape);
        };
        Self::new(token, parse_time(t)?, code)
    }

    /// The session's public token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whole seconds since the session started.
    pub fn t(&self) -> u32 {
        self.t
    }

    /// The frame's code (64 lowercase hex digits).
    pub fn code(&self) -> &str {
        &self.code
    }
}

impl fmt::Display for LoginQr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{QR_SCHEME}{}.{}.{}", self.token, self.t, self.code)
    }
}

impl FromStr for LoginQr {
    type Err = QrError;

    fn from_str(text: &str) -> Result<Self, QrError> {
        Self::parse(text)
    }
}

fn is_token(token: &str) -> bool {
    token.len() == QR_TOKEN_LEN && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn is_code(code: &str) -> bool {
    code.len() == QR_CODE_LEN && code.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn parse_time(t: &str) -> Result<u32, QrError> {
    let digits = !t.is_empty() && t.len() <= QR_TIME_MAX_DIGITS && t.bytes().all(|b| b.is_ascii_digit());
    if !digits || (t.len() > 1 && t.starts_with('0')) {
        return Err(QrError::BadTime);
    }
    t.parse().map_err(|_| QrError::BadTime)
}

/// The exact bytes the phone's AUTH key signs (RSA PKCS#1 v1.5 with SHA-256) to approve a login.
///
/// Layout, UTF-8: the line [`LOGIN_MESSAGE_PREFIX`] (`qoltanba/v1/login\n`), then four fields in this
/// order, each `<name>=<byte length in decimal>:<value>\n`: `session_id` (hyphenated lowercase UUID),
/// `relying_party` (the name as the challenge gave it), `number` (the chosen number, decimal) and `nonce`
/// (as the challenge gave it). The length prefix makes the layout unambiguous whatever a value holds.
///
/// ```
/// use qoltanba_protocol::login::login_message;
/// use uuid::Uuid;
///
/// let id = Uuid::from_u128(0x0b6d1b5e_4f7a_4c55_9d55_3f0a1f2b3c4d);
/// assert_eq!(
///     login_message(id, "eGov", 42, "n0nce"),
///     b"qoltanba/v1/login\nsession_id=36:0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d\n\
///       relying_party=4:eGov\nnumber=2:42\nnonce=5:n0nce\n"
/// );
/// ```
pub fn login_message(session_id: Uuid, relying_party: &str, number: u8, nonce: &str) -> Vec<u8> {
    let mut message = LOGIN_MESSAGE_PREFIX.as_bytes().to_vec();
    let fields = [
        ("session_id", session_id.hyphenated().to_string()),
        ("relying_party", relying_party.to_owned()),
        ("number", number.to_string()),
        ("nonce", nonce.to_owned()),
    ];
    for (name, value) in fields {
        message.extend_from_slice(format!("{name}={}:", value.len()).as_bytes());
        message.extend_from_slice(value.as_bytes());
        message.push(b'\n');
    }
    message
}

/// `201` answer of `POST /v1/login/sessions`: what the page shows while it waits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"session_id": "0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d", "number": 42,
    "expires_at": "2025-03-01T10:16:00Z", "frame_interval_ms": 1000}))]
pub struct LoginStarted {
    /// The session.
    pub session_id: Uuid,
    /// The two-digit number the page shows; the citizen picks it among the phone's three.
    pub number: u8,
    /// When the session ends unanswered (RFC 3339), [`LOGIN_SESSION_TTL_S`] after its start.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// How often to fetch a new QR frame, in milliseconds.
    pub frame_interval_ms: u32,
}

/// `POST /v1/login/scans`: the phone read a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"qr": "qoltanba-login:AbCdEfGhIjKlMnOpQrStUv.3.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"}))]
pub struct LoginScan {
    /// The QR text as read ([`LoginQr`]'s form).
    pub qr: String,
}

/// Answer of `POST /v1/login/scans`: what the phone shows before the citizen confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoginChallenge {
    /// The session (part of the signed message).
    pub session_id: Uuid,
    /// Who asks: the relying party's name (part of the signed message).
    pub relying_party: String,
    /// The browser, summarised from its User-Agent (`Chrome 126 on Windows`).
    pub browser: String,
    /// The browser's network address as the server saw it.
    pub browser_address: String,
    /// The approximate place of that address, when known (`Astana, Kazakhstan`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_place: Option<String>,
    /// When the browser started the login (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// Three distinct two-digit numbers; exactly one is the page's.
    pub numbers: [u8; 3],
    /// The server's random nonce (part of the signed message).
    pub nonce: String,
    /// The phone's network address differs from the browser's: warn the citizen.
    pub address_differs: bool,
    /// When the session ends unanswered (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

impl LoginChallenge {
    /// The bytes to sign after the citizen chose `number` ([`login_message`]).
    pub fn message(&self, number: u8) -> Vec<u8> {
        login_message(self.session_id, &self.relying_party, number, &self.nonce)
    }
}

/// `POST /v1/login/sessions/{id}/answer`: the citizen approved with the AUTH key. `session_id` and
/// `nonce` repeat the challenge's, so the server can tell an answer meant for another session or an old
/// one from a bad signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoginAnswer {
    /// The challenge's session.
    pub session_id: Uuid,
    /// The challenge's nonce.
    pub nonce: String,
    /// The number the citizen chose.
    pub number: u8,
    /// The citizen's AUTH certificate, base64 DER.
    pub auth_certificate: String,
    /// Base64 RSA PKCS#1 v1.5 SHA-256 signature of [`login_message`] over the fields above.
    pub signature: String,
}

/// Answer of `POST /v1/login/sessions/{id}/answer`: the browser is being logged in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoginAccepted {
    /// The session.
    pub session_id: Uuid,
    /// Who the citizen logged in to.
    pub relying_party: String,
}

/// `POST /v1/login/sessions/{id}/refusal`: the citizen declined on the phone (it was not them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoginDecline {
    /// The challenge's nonce (proves the decliner scanned the session).
    pub nonce: String,
}

/// Answer of `POST /v1/login/sessions/{id}/completion`: the browser is logged in as this citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoggedIn {
    /// The citizen's IIN (12 digits).
    pub iin: String,
    /// The citizen's name as in the AUTH certificate.
    pub name: String,
}

/// Where a login session is, as the page waits for it; tagged on the wire by `"status"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LoginStatus {
    /// Nobody has scanned the QR code yet.
    Waiting,
    /// A phone scanned it; the citizen is choosing the number.
    Scanned,
    /// The phone's answer was accepted: complete the login.
    Approved,
    /// Refused, and why.
    Refused {
        /// Why.
        reason: LoginRefusal,
    },
    /// Nobody answered within [`LOGIN_SESSION_TTL_S`] seconds: start a new session.
    Expired,
}

impl LoginStatus {
    /// Whether the session will not change any more.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Waiting | Self::Scanned)
    }
}

/// Query of `GET /v1/login/sessions/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoginPoll {
    /// Wait up to this long (1000 to 60000 ms) while the status is `seen` (default `waiting`); answer
    /// at once without.
    #[serde(default, rename = "waitMs")]
    #[param(rename = "waitMs")]
    pub wait_ms: Option<u64>,
    /// The status the page already shows: `waiting` or `scanned`.
    #[serde(default)]
    pub seen: Option<String>,
}

/// Why a login was refused: sent to the phone in [`crate::ApiError::refusal`] and to the page in
/// [`LoginStatus::Refused`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoginRefusal {
    /// The citizen picked a number the page does not show.
    WrongNumber,
    /// This answer (or its nonce) was already used.
    Replayed,
    /// The answer was signed for another session.
    OtherSession,
    /// The AUTH certificate is revoked (OCSP).
    CertificateRevoked,
    /// The AUTH certificate is expired or not yet valid.
    CertificateExpired,
    /// The certificate is not an AUTH certificate (a SIGN certificate, say).
    NotAnAuthCertificate,
    /// The signature does not verify with the certificate's key.
    BadSignature,
    /// The certificate was not issued by this CA.
    UntrustedCertificate,
    /// The session expired before the answer.
    Expired,
    /// The session was started by another browser.
    OtherBrowser,
    /// The QR frame is older than [`QR_FRAME_MAX_AGE_S`] or its code does not match.
    StaleQrCode,
    /// Another phone already scanned this session.
    AlreadyScanned,
    /// The citizen declined on the phone.
    Declined,
}

impl LoginRefusal {
    /// Every reason, in declaration order.
    pub const ALL: [LoginRefusal; 13] = [
        Self::WrongNumber,
        Self::Replayed,
        Self::OtherSession,
        Self::CertificateRevoked,
        Self::CertificateExpired,
        Self::NotAnAuthCertificate,
        Self::BadSignature,
        Self::UntrustedCertificate,
        Self::Expired,
        Self::OtherBrowser,
        Self::StaleQrCode,
        Self::AlreadyScanned,
        Self::Declined,
    ];

    /// The wire name (`wrong_number`).
    pub fn name(self) -> &'static str {
        match self {
            Self::WrongNumber => "wrong_number",
            Self::Replayed => "replayed",
            Self::OtherSession => "other_session",
            Self::CertificateRevoked => "certificate_revoked",
            Self::CertificateExpired => "certificate_expired",
            Self::NotAnAuthCertificate => "not_an_auth_certificate",
            Self::BadSignature => "bad_signature",
            Self::UntrustedCertificate => "untrusted_certificate",
            Self::Expired => "expired",
            Self::OtherBrowser => "other_browser",
            Self::StaleQrCode => "stale_qr_code",
            Self::AlreadyScanned => "already_scanned",
            Self::Declined => "declined",
        }
    }

    /// The reason named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The [`ErrorCode`] of the API error carrying this reason: `session_expired` for
    /// [`Expired`](Self::Expired), `conflict` for [`Replayed`](Self::Replayed) and
    /// [`AlreadyScanned`](Self::AlreadyScanned), `forbidden` otherwise.
    pub fn error_code(self) -> ErrorCode {
        match self {
            Self::Expired => ErrorCode::SessionExpired,
            Self::Replayed | Self::AlreadyScanned => ErrorCode::Conflict,
            _ => ErrorCode::Forbidden,
        }
    }
}

impl fmt::Display for LoginRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests;
