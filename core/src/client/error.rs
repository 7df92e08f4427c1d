//! What can go wrong talking to the server, typed for a UI to localise and for the enrollment machine to
//! map.

use std::time::Duration;

use qoltanba_protocol::{ApiError, ErrorCode};

/// Why a call failed. Variants made from the server's answer keep its [`ApiError`]
/// ([`ClientError::api_error`]); messages never contain secrets or URLs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached (no network, DNS failure, connection refused or cut) on every
    /// attempt.
    #[error("the server cannot be reached: {detail}")]
    NetworkDown {
        /// What the HTTP stack said (without the URL).
        detail: String,
    },
    /// The server did not answer in time on every attempt.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server failed or is overloaded (`500`, `502`, `503`, `504`) on every attempt; try again
    /// later with the same idempotency key.
    #[error("the server is unavailable")]
    ServerUnavailable {
        /// How long the server asked to wait, if it did.
        retry_after: Option<Duration>,
        /// Its error body, if it sent one.
        api: Option<ApiError>,
    },
    /// `429`: too soon (an SMS resend before its time, an operator's login locked out, too many
    /// requests); try again after `retry_after`.
    #[error("too many requests; retry after {retry_after:?}")]
    RateLimited {
        /// How long the server asked to wait (`retry_after_s`, else `Retry-After`), if it said.
        retry_after: Option<Duration>,
        /// Its error body, if it sent one.
        api: Option<ApiError>,
    },
    /// `410`: the enrollment session expired; start a new one.
    #[error("the session expired")]
    SessionExpired(ApiError),
    /// `422 code_mismatch`: the SMS code is wrong.
    #[error("wrong code; {tries_left:?} tries left")]
    WrongCode {
        /// Wrong codes still allowed before the session fails.
        tries_left: Option<u8>,
        /// The server's answer.
        api: ApiError,
    },
    /// `422 code_expired`: the SMS code expired; ask for a new one.
    #[error("the code expired")]
    CodeExpired(ApiError),
    /// `403 too_many_attempts`: the last allowed code was wrong; the session failed.
    #[error("too many wrong codes")]
    TooManyAttempts(ApiError),
    /// `409 wrong_state`: the session is not at this step; `expected_state` names the step it is at.
    #[error("the session is at another step ({expected_state:?})")]
    WrongState {
        /// The session's state tag (`expect_selfie`, …), as the server named it.
        expected_state: Option<String>,
        /// The server's answer.
        api: ApiError,
    },
    /// The input was refused: `invalid_iin`, `invalid_input`, `invalid_csr`, `payload_too_large` or
    /// `unsupported_media_type` (the code says which, `detail` says more).
    #[error("the input was refused: {0}")]
    InvalidInput(ApiError),
    /// Any other refusal of the API (`not_found`, `conflict`, `unauthorized`, `forbidden`, …).
    #[error("the server refused: {0}")]
    Refused(ApiError),
    /// The server answered something that is not API v1 (not JSON, the wrong shape, a status without
    /// an error body, a redirect, an oversized body).
    #[error("unexpected answer from the server (HTTP {status}): {detail}")]
    UnexpectedResponse {
        /// The HTTP status of the answer.
        status: u16,
        /// What was wrong with it.
        detail: String,
    },
    /// The caller's idempotency key is not 1 to 255 visible ASCII characters; nothing was sent.
    #[error("the idempotency key is not 1 to 255 visible ASCII characters")]
    InvalidIdempotencyKey,
    /// The client could not be set up (a base URL that is not an `http(s)` URL, a TLS setup failure).
    #[error("the client cannot be set up: {0}")]
    Setup(String),
    /// The `--dev` SMS outbox has no code for the phone.
    #[error("no SMS code was sent to this phone")]
    NoSmsCode,
}

impl ClientError {
    /// The server's error body behind this error, if there is one (for the enrollment machine to map).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::ServerUnavailable { api, .. } | Self::RateLimited { api, .. } => api.as_ref(),
            Self::SessionExpired(api)
            | Self::CodeExpired(api)
            | Self::TooManyAttempts(api)
            | Self::InvalidInput(api)
            | Self::Refused(api)
            | Self::WrongCode { api, .. }
            | Self::WrongState { api, .. } => Some(api),
            _ => None,
        }
    }

    /// Whether sending the same request again later (with the same key) may succeed: network failures,
    /// timeouts, an unavailable server, rate limits.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::NetworkDown { .. }
                | Self::Timeout
                | Self::ServerUnavailable { .. }
                | Self::RateLimited { .. }
        )
    }

    /// How long the server asked to wait before a retry, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::ServerUnavailable { retry_after, .. } | Self::RateLimited { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// The error for a non-success answer: the API's error body when the answer carries one matching its
    /// status, else the status alone for `429` and `5xx`, else [`ClientError::UnexpectedResponse`].
    pub(crate) fn from_answer(status: u16, retry_after_header: Option<Duration>, body: &[u8]) -> Self {
        match serde_json::from_slice::<ApiError>(body) {
            Ok(api) if api.http_status() == status => Self::from_api(api, retry_after_header),
            _ => match status {
                429 => Self::RateLimited { retry_after: retry_after_header, api: None },
                500 | 502 | 503 | 504 => {
                    Self::ServerUnavailable { retry_after: retry_after_header, api: None }
                }
                _ => Self::UnexpectedResponse { status, detail: "no API error body".into() },
            },
        }
    }

    /// The error for an API error body.
    pub(crate) fn from_api(api: ApiError, retry_after_header: Option<Duration>) -> Self {
        let retry_after = api.retry_after_s.map(|s| Duration::from_secs(s.into())).or(retry_after_header);
        match api.code {
            ErrorCode::RateLimited => Self::RateLimited { retry_after, api: Some(api) },
            ErrorCode::Internal | ErrorCode::Unavailable => {
                Self::ServerUnavailable { retry_after, api: Some(api) }
            }
            ErrorCode::SessionExpired => Self::SessionExpired(api),
            ErrorCode::CodeMismatch => Self::WrongCode { tries_left: api.tries_left, api },
            ErrorCode::CodeExpired => Self::CodeExpired(api),
            ErrorCode::TooManyAttempts => Self::TooManyAttempts(api),
            ErrorCode::WrongState => Self::WrongState { expected_state: api.expected_state.clone(), api },
            ErrorCode::InvalidIin
            | ErrorCode::InvalidInput
            | ErrorCode::InvalidCsr
            | ErrorCode::PayloadTooLarge
            | ErrorCode::UnsupportedMediaType => Self::InvalidInput(api),
            ErrorCode::MalformedRequest
            | ErrorCode::MissingIdempotencyKey
            | ErrorCode::Unauthorized
            | ErrorCode::Forbidden
            | ErrorCode::NotFound
            | ErrorCode::Conflict => Self::Refused(api),
        }
    }

    /// The error for a request that got no (complete) answer.
    pub(crate) fn from_transport(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else if error.is_builder() {
            Self::Setup(error.without_url().to_string())
        } else {
            Self::NetworkDown { detail: describe(&error.without_url()) }
        }
    }
}

/// The error and its sources, `: `-joined (reqwest's own message says little: "error sending request").
fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(api: &ApiError) -> Vec<u8> {
        serde_json::to_vec(api).unwrap()
    }

    #[test]
    fn code_mismatch_keeps_tries_left_and_the_api_error() {
        let api = ApiError::code_mismatch(2);
        let error = ClientError::from_answer(422, None, &body(&api));
        assert_eq!(error, ClientError::WrongCode { tries_left: Some(2), api: api.clone() });
        assert_eq!(error.api_error(), Some(&api));
        assert!(!error.is_transient());
    }

    #[test]
    fn rate_limit_prefers_the_body_over_the_header() {
        let error =
            ClientError::from_answer(429, Some(Duration::from_secs(9)), &body(&ApiError::rate_limited(42)));
        assert_eq!(error.retry_after(), Some(Duration::from_secs(42)));
        let bare = ClientError::from_answer(429, Some(Duration::from_secs(9)), b"slow down");
        assert_eq!(bare, ClientError::RateLimited { retry_after: Some(Duration::from_secs(9)), api: None });
    }

    #[test]
    fn every_code_maps_to_a_variant_keeping_it() {
        for code in ErrorCode::ALL {
            let api = ApiError::new(code, "x");
            let error = ClientError::from_answer(code.http_status(), None, &body(&api));
            assert_eq!(error.api_error(), Some(&api), "{code}");
            assert_eq!(error.is_transient(), code.is_retryable(), "{code}");
        }
    }

    #[test]
    fn error_body_with_the_wrong_status_is_unexpected() {
        let error = ClientError::from_answer(200, None, &body(&ApiError::new(ErrorCode::NotFound, "x")));
        assert!(matches!(error, ClientError::UnexpectedResponse { status: 200, .. }), "{error:?}");
        let html = ClientError::from_answer(404, None, b"<html>not found</html>");
        assert!(matches!(html, ClientError::UnexpectedResponse { status: 404, .. }), "{html:?}");
    }

    #[test]
    fn gateway_errors_without_a_body_are_unavailability() {
        let error = ClientError::from_answer(502, None, b"");
        assert_eq!(error, ClientError::ServerUnavailable { retry_after: None, api: None });
        assert!(error.is_transient());
    }

    #[test]
    fn wrong_state_names_the_current_step() {
        let api = ApiError::wrong_state(&qoltanba_protocol::EnrollmentState::ExpectConsent);
        let error = ClientError::from_answer(409, None, &body(&api));
        assert!(
            matches!(&error, ClientError::WrongState { expected_state: Some(s), .. } if s == "expect_consent"),
            "{error:?}"
        );
    }
}
