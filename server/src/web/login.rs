//! The QR-login API under `/v1/login` (see [`qoltanba_protocol::login`]): the browser's session, QR
//! frames, status (SSE and long-poll) and completion; the phone's scan, answer and refusal.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::stream::{self, StreamExt};
use qoltanba_protocol::login::{LOGIN_BROWSER_COOKIE, LOGIN_SESSION_COOKIE, LOGIN_STATUS_EVENT, LoginPoll};
use qoltanba_protocol::paths::{
    LOGIN_SCANS, LOGIN_SESSION, LOGIN_SESSION_ANSWER, LOGIN_SESSION_COMPLETION, LOGIN_SESSION_EVENTS,
    LOGIN_SESSION_QR, LOGIN_SESSION_REFUSAL, LOGIN_SESSIONS, login_session,
};
use qoltanba_protocol::{ApiError, ErrorCode, LoginAnswer, LoginDecline, LoginScan, LoginStatus};
use qrcode::QrCode;
use qrcode::render::svg;
use uuid::Uuid;

use crate::login::{CITIZEN_SESSION_TTL, Login, LoginError, Retry};
use crate::web::WebError;
use crate::web::console::read_cookie;
use crate::web::json::{json, path_id, post_parts, reply};

/// Response header of the QR image carrying the frame's text (what the image encodes; no secret).
pub const QR_TEXT_HEADER: &str = "X-Login-Qr";
/// Largest body of these routes (an answer with a certificate and a signature).
const MAX_BODY_BYTES: usize = 64 * 1024;
/// Shortest and longest long-poll, in milliseconds.
const WAIT_MS: std::ops::RangeInclusive<u64> = 1_000..=60_000;

impl From<LoginError> for WebError {
    fn from(error: LoginError) -> Self {
        match error {
            LoginError::Internal(cause) => Self::Internal(cause),
            other => Self::Api(other.api()),
        }
    }
}

/// The login API and pages on `service`; `secure_cookies` marks the cookies `Secure` (https).
pub fn routes(service: Arc<Login>, secure_cookies: bool) -> Router {
    let state = LoginState { service, secure_cookies };
    Router::new()
        .route(LOGIN_SESSIONS, post(start))
        .route(LOGIN_SESSION, get(poll))
        .route(LOGIN_SESSION_QR, get(qr))
        .route(LOGIN_SESSION_EVENTS, get(events))
        .route(LOGIN_SESSION_COMPLETION, post(complete))
        .route(LOGIN_SCANS, post(scan))
        .route(LOGIN_SESSION_ANSWER, post(answer))
        .route(LOGIN_SESSION_REFUSAL, post(decline))
        .merge(super::login_page::routes())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The routes' state.
#[derive(Clone)]
pub(crate) struct LoginState {
    pub(crate) service: Arc<Login>,
    secure_cookies: bool,
}

/// The client's address (the TCP peer), or `unknown` when the server runs without connect info.
fn address(extensions: &Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ConnectInfo(peer)| peer.ip().to_string())
}

fn cookie(name: &str, value: &str, path: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}; Max-Age={max_age_s}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn browser_key(headers: &HeaderMap) -> String {
    read_cookie(headers, LOGIN_BROWSER_COOKIE).map(|k| k.to_string()).unwrap_or_default()
}

async fn start(
    State(state): State<LoginState>,
    extensions: Extensions,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if let Err(error) = post_parts(&headers, &uri, body) {
        return reply::<()>(StatusCode::CREATED, Err(error));
    }
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let started = match state.service.start(&address(&extensions), agent) {
        Ok(started) => started,
        Err(error) => return reply::<()>(StatusCode::CREATED, Err(error.into())),
    };
    let path = login_session(started.started.session_id);
    let ttl = i64::from(qoltanba_protocol::login::LOGIN_SESSION_TTL_S) * 2;
    let mut response = reply(StatusCode::CREATED, Ok::<_, WebError>(started.started));
    let set = cookie(LOGIN_BROWSER_COOKIE, &started.browser_key, &path, ttl, state.secure_cookies);
    response.headers_mut().insert(header::SET_COOKIE, set);
    response
}

async fn qr(State(state): State<LoginState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let frame = path_id(&id, "login session")
        .and_then(|id| state.service.frame(id, &browser_key(&headers)).map_err(WebError::from));
    let frame = match frame {
        Ok(frame) => frame.to_string(),
        Err(error) => return error.into_response(),
    };
    let Ok(code) = QrCode::new(frame.as_bytes()) else {
        return WebError::Internal("the QR frame does not fit a QR code".into()).into_response();
    };
    let image = code.render::<svg::Color<'_>>().min_dimensions(240, 240).build();
    let mut response = ([(header::CONTENT_TYPE, "image/svg+xml")], image).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(text) = HeaderValue::from_str(&frame) {
        headers.insert(QR_TEXT_HEADER, text);
    }
    response
}

fn watch(
    state: &LoginState,
    id: &str,
    headers: &HeaderMap,
) -> Result<tokio::sync::watch::Receiver<LoginStatus>, WebError> {
    let id = path_id(id, "login session")?;
    Ok(state.service.watch(id, &browser_key(headers))?)
}

async fn events(State(state): State<LoginState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let receiver = match watch(&state, &id, &headers) {
        Ok(receiver) => receiver,
        Err(error) => return error.into_response(),
    };
    let statuses = stream::unfold((receiver, true, false), |(mut receiver, first, done)| async move {
        if done || (!first && receiver.changed().await.is_err()) {
            return None;
        }
        let status = *receiver.borrow_and_update();
        Some((status, (receiver, false, status.is_final())))
    });
    let events = statuses.map(|status| {
        Ok::<_, Infallible>(Event::default().event(LOGIN_STATUS_EVENT).json_data(status).unwrap_or_default())
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}

async fn poll(
    State(state): State<LoginState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<LoginPoll>, QueryRejection>,
) -> Response {
    let result = async {
        let Query(query) = query.map_err(|e| ApiError::new(ErrorCode::MalformedRequest, e.body_text()))?;
        let mut receiver = watch(&state, &id, &headers)?;
        let seen = match query.seen.as_deref() {
            None | Some("waiting") => LoginStatus::Waiting,
            Some("scanned") => LoginStatus::Scanned,
            Some(_) => {
                return Err(ApiError::new(ErrorCode::InvalidInput, "seen is waiting or scanned").into());
            }
        };
        if let Some(wait) = query.wait_ms {
            if !WAIT_MS.contains(&wait) {
                return Err(ApiError::new(ErrorCode::InvalidInput, "waitMs is 1000 to 60000").into());
            }
            let changed = receiver.wait_for(|status| *status != seen);
            let _ = tokio::time::timeout(std::time::Duration::from_millis(wait), changed).await;
        }
        let status = *receiver.borrow();
        Ok::<_, WebError>(status)
    };
    reply(StatusCode::OK, result.await)
}

async fn complete(
    State(state): State<LoginState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = post_parts(&headers, &uri, body)
        .and_then(|_| path_id(&id, "login session"))
        .and_then(|id| Ok(state.service.complete(id, &browser_key(&headers))?));
    let (citizen, key) = match result {
        Ok(done) => done,
        Err(error) => return reply::<()>(StatusCode::OK, Err(error)),
    };
    let mut response = reply(StatusCode::OK, Ok::<_, WebError>(citizen));
    let max_age = CITIZEN_SESSION_TTL.whole_seconds();
    let set = cookie(LOGIN_SESSION_COOKIE, &key, "/", max_age, state.secure_cookies);
    response.headers_mut().insert(header::SET_COOKIE, set);
    response
}

async fn scan(
    State(state): State<LoginState>,
    extensions: Extensions,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = post_parts(&headers, &uri, body).and_then(|post| {
        let request: LoginScan = json(&post.body)?;
        let retry = Retry::new(&post.idem.key, &post.body);
        Ok(state.service.scan(&request.qr, &address(&extensions), &retry)?)
    });
    reply(StatusCode::OK, result)
}

async fn answer(
    State(state): State<LoginState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let post = post_parts(&headers, &uri, body)?;
        let id: Uuid = path_id(&id, "login session")?;
        let request: LoginAnswer = json(&post.body)?;
        let retry = Retry::new(&post.idem.key, &post.body);
        Ok::<_, WebError>(state.service.answer(id, &request, &retry).await?)
    };
    reply(StatusCode::OK, result.await)
}

async fn decline(
    State(state): State<LoginState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = post_parts(&headers, &uri, body).and_then(|post| {
        let id = path_id(&id, "login session")?;
        let request: LoginDecline = json(&post.body)?;
        Ok(state.service.decline(id, &request)?)
    });
    reply(StatusCode::OK, result)
}
