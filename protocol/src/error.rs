//! The one error body of the API and its closed set of codes.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What went wrong, closed and stable: clients match on it (and localise it), never on `detail`.
/// Each code has one HTTP status, given first in its description (`ErrorCode::http_status` in Rust).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// `400`: the body is not JSON of the expected shape, or a path parameter is malformed.
    MalformedRequest,
    /// `400`: a `POST` without a valid `Idempotency-Key` header.
    MissingIdempotencyKey,
    /// `401`: operator credentials are missing or invalid, a citizen's revocation or device-registration
    /// signature does not verify, or a relying party's API key or a device token is missing or unknown
    /// (then with `WWW-Authenticate: Bearer`).
    Unauthorized,
    /// `403`: authenticated but not allowed (an operator role, a certificate of another IIN; a device
    /// registration or an approval whose certificate is not a good AUTH / SIGN certificate of the
    /// citizen issued by this CA).
    Forbidden,
    /// `403`: the last allowed attempt failed (SMS code tries); the session is now `failed`.
    TooManyAttempts,
    /// `404`: no such session, ticket, review, certificate or sign request (another relying party's or
    /// citizen's counts as none); for a new sign request, the citizen holds no good SIGN certificate.
    NotFound,
    /// `409`: the session is not in the state this step needs; `expected_state` names the state it is in
    /// (for a sign request that already ended: `signed`, `refused` or `cancelled`).
    WrongState,
    /// `409`: the request clashes with the resource's state: an idempotency key reused with another
    /// request, a ticket or review already decided, a certificate already revoked.
    Conflict,
    /// `410`: the session (or the sign request) expired; start a new one.
    SessionExpired,
    /// `413`: the body is larger than the limit (pictures: 5 MiB).
    PayloadTooLarge,
    /// `415`: the `Content-Type` is not accepted (pictures: `image/jpeg` or `image/png`), or the bytes do
    /// not match it.
    UnsupportedMediaType,
    /// `422`: the IIN is not 12 digits with a valid check digit.
    InvalidIin,
    /// `422`: a field is well-formed JSON but unacceptable (phone number, e-mail, reason, time skew, …).
    InvalidInput,
    /// `422`: a CSR does not parse, its signature (proof of possession) fails, its key is not acceptable,
    /// or both CSRs carry the same key.
    InvalidCsr,
    /// `422`: wrong SMS code; `tries_left` says how many remain.
    CodeMismatch,
    /// `422`: the SMS code expired; ask for a new one (`…/sms-code/resend`).
    CodeExpired,
    /// `429`: too soon (an SMS resend before its time, too many requests); `retry_after_s` says when to
    /// retry. Also sent as the `Retry-After` header.
    RateLimited,
    /// `500`: the server failed; retrying with the same idempotency key is safe.
    Internal,
    /// `503`: a backing system (registry, SMS gateway, CA) is unavailable; retry later, with the same
    /// idempotency key.
    Unavailable,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 19] = [
        Self::MalformedRequest,
        Self::MissingIdempotencyKey,
        Self::Unauthorized,
        Self::Forbidden,
        Self::TooManyAttempts,
        Self::NotFound,
        Self::WrongState,
        Self::Conflict,
        Self::SessionExpired,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::InvalidIin,
        Self::InvalidInput,
        Self::InvalidCsr,
        Self::CodeMismatch,
        Self::CodeExpired,
        Self::RateLimited,
        Self::Internal,
        Self::Unavailable,
    ];

    /// The HTTP status the server answers with for this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::MalformedRequest | Self::MissingIdempotencyKey => 400,
            Self::Unauthorized => 401,
            Self::Forbidden | Self::TooManyAttempts => 403,
            Self::NotFound => 404,
            Self::WrongState | Self::Conflict => 409,
            Self::SessionExpired => 410,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::InvalidIin
            | Self::InvalidInput
            | Self::InvalidCsr
            | Self::CodeMismatch
            | Self::CodeExpired => 422,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }

    /// The wire name (`code_mismatch`).
    pub fn name(self) -> &'static str {
        match self {
            Self::MalformedRequest => "malformed_request",
            Self::MissingIdempotencyKey => "missing_idempotency_key",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::TooManyAttempts => "too_many_attempts",
            Self::NotFound => "not_found",
            Self::WrongState => "wrong_state",
            Self::Conflict => "conflict",
            Self::SessionExpired => "session_expired",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::InvalidIin => "invalid_iin",
            Self::InvalidInput => "invalid_input",
            Self::InvalidCsr => "invalid_csr",
            Self::CodeMismatch => "code_mismatch",
            Self::CodeExpired => "code_expired",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
        }
    }

    /// Whether the same request may succeed if sent again later, unchanged (with the same idempotency
    /// key): rate limits and server-side failures.
    pub fn is_retryable(self) -> bool {
        matches!(self, Self::RateLimited | Self::Internal | Self::Unavailable)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The body of every error response (`Content-Type: application/json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"code": "code_mismatch", "detail": "the code does not match", "tries_left": 2}))]
pub struct ApiError {
    /// What went wrong.
    pub code: ErrorCode,
    /// Human-readable English detail for logs and developers; never shown as the UI's message.
    pub detail: String,
    /// With `code_mismatch`: wrong codes still allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tries_left: Option<u8>,
    /// With `rate_limited` (and possibly `unavailable`): seconds to wait before retrying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u32>,
    /// With `wrong_state`: the state the session is in (an `EnrollmentState` tag such as
    /// `expect_selfie`), i.e. the step the server expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_state: Option<String>,
    /// With a refused QR login (`forbidden`, `conflict` or `session_expired` from a `/v1/login` route):
    /// why ([`crate::login::LoginRefusal`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<crate::login::LoginRefusal>,
}

impl ApiError {
    /// An error with only a code and a detail.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            tries_left: None,
            retry_after_s: None,
            expected_state: None,
            refusal: None,
        }
    }

    /// A refused QR login: [`LoginRefusal::error_code`](crate::login::LoginRefusal::error_code) with the
    /// reason.
    pub fn login_refused(reason: crate::login::LoginRefusal) -> Self {
        Self { refusal: Some(reason), ..Self::new(reason.error_code(), format!("login refused: {reason}")) }
    }

    /// `wrong_state`, naming the state the session is in.
    pub fn wrong_state(actual: &crate::EnrollmentState) -> Self {
        Self {
            expected_state: Some(actual.name().to_owned()),
            ..Self::new(ErrorCode::WrongState, format!("the session is in state {}", actual.name()))
        }
    }

    /// `code_mismatch` with the tries left.
    pub fn code_mismatch(tries_left: u8) -> Self {
        Self { tries_left: Some(tries_left), ..Self::new(ErrorCode::CodeMismatch, "the code does not match") }
    }

    /// `rate_limited`, retry after `seconds`.
    pub fn rate_limited(seconds: u32) -> Self {
        Self {
            retry_after_s: Some(seconds),
            ..Self::new(ErrorCode::RateLimited, format!("retry after {seconds} s"))
        }
    }

    /// The HTTP status of this error ([`ErrorCode::http_status`]).
    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.code.http_status(), self.detail)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_documented_status() {
        let expected: [(ErrorCode, u16); 19] = [
            (ErrorCode::MalformedRequest, 400),
            (ErrorCode::MissingIdempotencyKey, 400),
            (ErrorCode::Unauthorized, 401),
            (ErrorCode::Forbidden, 403),
            (ErrorCode::TooManyAttempts, 403),
            (ErrorCode::NotFound, 404),
            (ErrorCode::WrongState, 409),
            (ErrorCode::Conflict, 409),
            (ErrorCode::SessionExpired, 410),
            (ErrorCode::PayloadTooLarge, 413),
            (ErrorCode::UnsupportedMediaType, 415),
            (ErrorCode::InvalidIin, 422),
            (ErrorCode::InvalidInput, 422),
            (ErrorCode::InvalidCsr, 422),
            (ErrorCode::CodeMismatch, 422),
            (ErrorCode::CodeExpired, 422),
            (ErrorCode::RateLimited, 429),
            (ErrorCode::Internal, 500),
            (ErrorCode::Unavailable, 503),
        ];
        assert_eq!(expected.map(|(c, _)| c), ErrorCode::ALL);
        for (code, status) in expected {
            assert_eq!(code.http_status(), status, "{code}");
        }
    }

    #[test]
    fn names_match_serde_and_round_trip() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.name());
            assert_eq!(serde_json::from_value::<ErrorCode>(json).unwrap(), code);
        }
    }

    #[test]
    fn only_time_dependent_codes_are_retryable() {
        let retryable: Vec<_> = ErrorCode::ALL.into_iter().filter(|c| c.is_retryable()).collect();
        assert_eq!(retryable, [ErrorCode::RateLimited, ErrorCode::Internal, ErrorCode::Unavailable]);
    }

    #[test]
    fn unknown_code_is_refused() {
        assert!(serde_json::from_str::<ErrorCode>("\"teapot\"").is_err());
    }
}
