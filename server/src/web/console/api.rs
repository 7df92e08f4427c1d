//! The JSON session API (for tests and tools): `POST` logs in (sets the session cookie, returns the CSRF
//! token), `DELETE` logs out (needs the CSRF header).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use qoltanba_protocol::headers::OPERATOR_SESSION_COOKIE;
use qoltanba_protocol::{OperatorLogin, OperatorSession, paths};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::ConsoleState;
use super::auth::{CsrfOperator, account_error};
use super::cookie;
use crate::accounts::{self, AccountError, SESSION_LIFETIME};
use crate::web::WebError;

/// The operator session resource.
pub const SESSION_PATH: &str = paths::OPERATOR_SESSION;

pub async fn login(
    State(state): State<ConsoleState>,
    Json(mut request): Json<OperatorLogin>,
) -> Result<Response, WebError> {
    let password = Zeroizing::new(std::mem::take(&mut request.password));
    let session =
        match accounts::login(&state.storage, &request.username, password, OffsetDateTime::now_utc()).await {
            Ok(session) => session,
            Err(AccountError::LockedOut { retry_after_s }) => {
                let mut response = account_error(AccountError::LockedOut { retry_after_s }).into_response();
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_s));
                return Ok(response);
            }
            Err(other) => return Err(account_error(other)),
        };
    let set_cookie = cookie::set(
        OPERATOR_SESSION_COOKIE,
        &session.token,
        SESSION_LIFETIME.whole_seconds(),
        state.secure_cookies,
    );
    let body = OperatorSession {
        username: session.username.clone(),
        csrf_token: session.csrf_token.clone(),
        expires_at: session.expires_at,
    };
    Ok(with_cookie((StatusCode::OK, Json(body)).into_response(), &set_cookie))
}

pub async fn logout(
    State(state): State<ConsoleState>,
    _operator: CsrfOperator,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(token) = cookie::read(&headers, OPERATOR_SESSION_COOKIE) {
        accounts::logout(&state.storage, &token, OffsetDateTime::now_utc()).await.map_err(account_error)?;
    }
    let clear = cookie::clear(OPERATOR_SESSION_COOKIE, state.secure_cookies);
    Ok(with_cookie(StatusCode::NO_CONTENT.into_response(), &clear))
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
