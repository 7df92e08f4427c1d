//! The extractors of operator routes: [`Operator`] (a valid session cookie) and [`CsrfOperator`]
//! (that, plus a matching `X-CSRF-Token` header: every state-changing JSON request).

use axum::extract::{FromRef, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use qoltanba_protocol::headers::OPERATOR_SESSION_COOKIE;
use qoltanba_protocol::{ApiError, ErrorCode};
use time::OffsetDateTime;

use super::cookie;
use crate::accounts::{self, AccountError, AuthenticatedOperator};
use crate::storage::Storage;
use crate::web::WebError;

/// The header that carries the session's CSRF token on JSON requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The operator whose session cookie came with the request; `401 unauthorized` otherwise. Form
/// handlers check the CSRF field with [`Operator::require_csrf`].
#[derive(Debug, Clone)]
pub struct Operator(pub AuthenticatedOperator);

/// An [`Operator`] whose request also carries the session's CSRF token in [`CSRF_HEADER`];
/// `403 forbidden` when it is missing or wrong. Use it on every state-changing JSON route.
#[derive(Debug, Clone)]
pub struct CsrfOperator(pub AuthenticatedOperator);

impl Operator {
    /// `403 forbidden` unless `given` is this session's CSRF token.
    pub fn require_csrf(&self, given: Option<&str>) -> Result<(), WebError> {
        match self.0.csrf_ok(given) {
            true => Ok(()),
            false => Err(ApiError::new(ErrorCode::Forbidden, "missing or wrong CSRF token").into()),
        }
    }
}

impl<S> FromRequestParts<S> for Operator
where
    Storage: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let storage = Storage::from_ref(state);
        session_operator(&storage, &parts.headers).await?.map(Operator).ok_or_else(unauthorized)
    }
}

impl<S> FromRequestParts<S> for CsrfOperator
where
    Storage: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let operator = Operator::from_request_parts(parts, state).await?;
        let given = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        operator.require_csrf(given)?;
        Ok(CsrfOperator(operator.0))
    }
}

/// The operator of the session cookie, `None` without a valid one.
pub(super) async fn session_operator(
    storage: &Storage,
    headers: &HeaderMap,
) -> Result<Option<AuthenticatedOperator>, WebError> {
    let Some(token) = cookie::read(headers, OPERATOR_SESSION_COOKIE) else {
        return Ok(None);
    };
    match accounts::authenticate(storage, &token, OffsetDateTime::now_utc()).await {
        Ok(operator) => Ok(Some(operator)),
        Err(AccountError::NotAuthenticated) => Ok(None),
        Err(other) => Err(account_error(other)),
    }
}

fn unauthorized() -> WebError {
    ApiError::new(ErrorCode::Unauthorized, "log in first").into()
}

/// The HTTP answer for an account failure.
pub(super) fn account_error(error: AccountError) -> WebError {
    let api = match &error {
        AccountError::InvalidCredentials | AccountError::NotAuthenticated => {
            ApiError::new(ErrorCode::Unauthorized, error.to_string())
        }
        AccountError::LockedOut { retry_after_s } => ApiError::rate_limited(*retry_after_s),
        AccountError::InvalidUsername | AccountError::PasswordTooShort | AccountError::PasswordTooLong => {
            ApiError::new(ErrorCode::InvalidInput, error.to_string())
        }
        AccountError::UsernameTaken => ApiError::new(ErrorCode::Conflict, error.to_string()),
        AccountError::Hashing | AccountError::Storage(_) => return WebError::Internal(format!("{error:?}")),
    };
    api.into()
}
