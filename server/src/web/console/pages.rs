//! The console's pages: login form, login, logout, dashboard, stylesheet. Every response carries a
//! strict Content-Security-Policy, no caching and no framing.

use axum::extract::{Form, Query, State};
use axum::http::header::{self, HeaderName};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use qoltanba_protocol::headers::OPERATOR_SESSION_COOKIE;
use qoltanba_protocol::{SelfieReviewStatus, TicketStatus};
use serde::Deserialize;
use time::OffsetDateTime;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::ConsoleState;
use super::auth::{Operator, account_error, session_operator};
use super::cookie::{self, LOGIN_CSRF_COOKIE};
use super::html::{self, escape};
use super::i18n::Lang;
use super::queues::{REVIEWS_PATH, TICKETS_PATH};
use crate::accounts::{self, AccountError, SESSION_LIFETIME};
use crate::storage::reviews;
use crate::web::WebError;

/// The login form (`GET`) and the login (`POST`).
pub const LOGIN_PATH: &str = "/console/login";
/// Logout (`POST`, with the CSRF field).
pub const LOGOUT_PATH: &str = "/console/logout";
/// The dashboard.
pub const DASHBOARD_PATH: &str = "/console";
/// The stylesheet.
pub const STYLE_PATH: &str = "/console/style.css";
/// How long a login form stays valid.
const LOGIN_FORM_LIFETIME_S: i64 = 3600;
const SECURITY_HEADERS: [(&str, &str); 5] = [
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-store"),
];

/// `?lang=`.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub(super) lang: Option<String>,
}

/// The login form's fields; wiped when dropped.
#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf_token: String,
    lang: Option<String>,
}

/// The logout form's fields.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf_token: String,
    lang: Option<String>,
}

pub async fn login_form(
    State(state): State<ConsoleState>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::negotiate(query.lang.as_deref(), &headers);
    login_page(&state, lang, "", None, StatusCode::OK)
}

pub async fn login(
    State(state): State<ConsoleState>,
    headers: HeaderMap,
    Form(mut form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = Lang::negotiate(form.lang.as_deref(), &headers);
    let texts = lang.texts();
    let form_ok = cookie::read(&headers, LOGIN_CSRF_COOKIE)
        .is_some_and(|expected| accounts::csrf_matches(&expected, &form.csrf_token));
    if !form_ok {
        return login_page(&state, lang, &form.username, Some(texts.form_expired), StatusCode::FORBIDDEN);
    }
    let password = Zeroizing::new(std::mem::take(&mut form.password));
    match accounts::login(&state.storage, &form.username, password, OffsetDateTime::now_utc()).await {
        Ok(session) => {
            let max_age = SESSION_LIFETIME.whole_seconds();
            let cookies = [
                cookie::set(OPERATOR_SESSION_COOKIE, &session.token, max_age, state.secure_cookies),
                cookie::clear(LOGIN_CSRF_COOKIE, state.secure_cookies),
            ];
            Ok(redirect(&format!("{DASHBOARD_PATH}?lang={}", lang.tag()), &cookies))
        }
        Err(AccountError::InvalidCredentials) => login_page(
            &state,
            lang,
            &form.username,
            Some(texts.invalid_credentials),
            StatusCode::UNAUTHORIZED,
        ),
        Err(AccountError::LockedOut { .. }) => {
            login_page(&state, lang, &form.username, Some(texts.locked_out), StatusCode::TOO_MANY_REQUESTS)
        }
        Err(other) => Err(account_error(other)),
    }
}

pub async fn logout(
    State(state): State<ConsoleState>,
    operator: Operator,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Result<Response, WebError> {
    operator.require_csrf(Some(&form.csrf_token))?;
    let lang = Lang::negotiate(form.lang.as_deref(), &headers);
    if let Some(token) = cookie::read(&headers, OPERATOR_SESSION_COOKIE) {
        match accounts::logout(&state.storage, &token, OffsetDateTime::now_utc()).await {
            Ok(()) | Err(AccountError::NotAuthenticated) => {}
            Err(other) => return Err(account_error(other)),
        }
    }
    let cookies = [cookie::clear(OPERATOR_SESSION_COOKIE, state.secure_cookies)];
    Ok(redirect(&format!("{LOGIN_PATH}?lang={}", lang.tag()), &cookies))
}

pub async fn dashboard(
    State(state): State<ConsoleState>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::negotiate(query.lang.as_deref(), &headers);
    let Some(operator) = session_operator(&state.storage, &headers).await? else {
        return Ok(redirect(&format!("{LOGIN_PATH}?lang={}", lang.tag()), &[]));
    };
    let (tickets, selfies) = pending_counts(&state).await?;
    let t = lang.texts();
    let section = |title: &str, path: &str, count: usize| {
        format!(
            "<section class=\"card\"><h2><a href=\"{path}?lang={}\">{}</a></h2><p class=\"count\">{count}</p><p>{}</p></section>",
            lang.tag(),
            escape(title),
            escape(t.pending)
        )
    };
    let main = format!(
        "<div class=\"card\"><h1>{heading}</h1><p>{signed_in} <strong>{name}</strong></p>\
         <form method=\"post\" action=\"{LOGOUT_PATH}\">{csrf}{lang_field}\
         <button class=\"secondary\" type=\"submit\">{sign_out}</button></form></div>\
         <div class=\"row\">{phones}{selfies}</div>",
        heading = escape(t.dashboard_heading),
        signed_in = escape(t.signed_in_as),
        name = escape(&operator.username),
        csrf = hidden("csrf_token", &operator.csrf_token),
        lang_field = hidden("lang", lang.tag()),
        sign_out = escape(t.sign_out),
        phones = section(t.phone_registrations, TICKETS_PATH, tickets),
        selfies = section(t.selfie_reviews, REVIEWS_PATH, selfies),
    );
    Ok(html_response(StatusCode::OK, html::page(lang, DASHBOARD_PATH, &main), &[]))
}

pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], html::STYLE).into_response()
}

async fn pending_counts(state: &ConsoleState) -> Result<(usize, usize), WebError> {
    let mut conn = state.storage.acquire().await.map_err(|e| WebError::Internal(e.to_string()))?;
    let tickets = reviews::tickets(&mut conn, TicketStatus::Pending).await;
    let selfies = reviews::reviews(&mut conn, SelfieReviewStatus::Pending).await;
    match (tickets, selfies) {
        (Ok(t), Ok(s)) => Ok((t.len(), s.len())),
        (Err(e), _) | (_, Err(e)) => Err(WebError::Internal(e.to_string())),
    }
}

/// The login page with a fresh pre-login CSRF token (cookie + hidden field).
fn login_page(
    state: &ConsoleState,
    lang: Lang,
    username: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let csrf = accounts::random_token().map_err(|e| WebError::Internal(e.to_string()))?;
    let t = lang.texts();
    let error =
        error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e))).unwrap_or_default();
    let main = format!(
        "<div class=\"card narrow\"><h1>{heading}</h1>{error}\
         <form method=\"post\" action=\"{LOGIN_PATH}\">{csrf_field}{lang_field}\
         <label for=\"username\">{username_label}</label>\
         <input type=\"text\" id=\"username\" name=\"username\" value=\"{username}\" autocomplete=\"username\" required>\
         <label for=\"password\">{password_label}</label>\
         <input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">{sign_in}</button></form></div>",
        heading = escape(t.login_heading),
        csrf_field = hidden("csrf_token", &csrf),
        lang_field = hidden("lang", lang.tag()),
        username_label = escape(t.username),
        username = escape(username),
        password_label = escape(t.password),
        sign_in = escape(t.sign_in),
    );
    let cookies = [cookie::set(LOGIN_CSRF_COOKIE, &csrf, LOGIN_FORM_LIFETIME_S, state.secure_cookies)];
    Ok(html_response(status, html::page(lang, LOGIN_PATH, &main), &cookies))
}

pub(super) fn hidden(name: &str, value: &str) -> String {
    format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(name), escape(value))
}

pub(super) fn redirect(location: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    with_headers(response, cookies)
}

pub(super) fn html_response(status: StatusCode, body: String, cookies: &[String]) -> Response {
    let response = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
    with_headers(response, cookies)
}

fn with_headers(mut response: Response, cookies: &[String]) -> Response {
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}
