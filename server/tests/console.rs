//! The operator console and its authentication, driven in-process with `oneshot` on SQLite and PostgreSQL:
//! accounts, login (JSON and form), cookies, lockout, logout, CSRF, audit, and the pages in kk / ru / en.

#[path = "console_support/mod.rs"]
mod console_support;
mod support;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use console_support::{cookie_pair, form_post, hidden_value, json_login, send};
use qoltanba_server::accounts::{self, AccountError, LOCKOUT_WINDOW};
use qoltanba_server::storage::{Storage, audit, operators};
use qoltanba_server::web::{CSRF_HEADER, ConsoleState, console_routes};
use support::TestDb;
use time::OffsetDateTime;
use zeroize::Zeroizing;

const NAME: &str = "aigerim";
const PASSWORD: &str = "correct horse battery";

backend_tests!(
    operator_add_stores_an_argon2id_hash_and_audits_it,
    operator_add_refuses_bad_names_short_passwords_and_duplicates,
    json_login_sets_an_http_only_strict_cookie_and_returns_a_csrf_token,
    wrong_password_is_401_and_audited_without_the_password,
    five_failures_lock_the_username_until_the_window_passes,
    logout_invalidates_the_cookie,
    state_changes_without_the_right_csrf_token_are_403,
    login_page_speaks_kazakh_russian_and_english,
    form_login_escapes_the_echoed_username,
    form_login_needs_its_login_csrf_cookie,
    form_login_leads_to_the_dashboard_and_form_logout_ends_it,
);

fn app(storage: &Storage) -> Router {
    console_routes(ConsoleState { storage: storage.clone(), secure_cookies: false })
}

async fn add_operator(storage: &Storage) {
    accounts::create(storage, NAME, Zeroizing::new(PASSWORD.into()), "cli", OffsetDateTime::now_utc())
        .await
        .expect("create the operator");
}

/// Logs in through the JSON API; returns (`Cookie` value, CSRF token).
async fn logged_in(app: &Router) -> (String, String) {
    console_support::logged_in(app, NAME, PASSWORD).await
}

fn logout_request(cookie: &str, csrf: Option<&str>) -> Request<Body> {
    let mut request = Request::delete("/v1/operator/session").header(header::COOKIE, cookie);
    if let Some(csrf) = csrf {
        request = request.header(CSRF_HEADER, csrf);
    }
    request.body(Body::empty()).unwrap()
}

fn dashboard(cookie: &str) -> Request<Body> {
    Request::get("/console?lang=en").header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

async fn actions(storage: &Storage, name: &str) -> Vec<String> {
    let mut conn = storage.acquire().await.unwrap();
    let entries = audit::by_subject(&mut conn, &format!("operator:{name}")).await.unwrap();
    entries.into_iter().map(|e| e.action).collect()
}

/// GET the login form: its login-CSRF cookie pair and hidden token.
async fn login_form(app: &Router) -> (String, String) {
    let (status, cookies, body, _) =
        send(app, Request::get("/console/login").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    (cookie_pair(&cookies, "qoltanba_login_csrf"), hidden_value(&body, "csrf_token"))
}

async fn operator_add_stores_an_argon2id_hash_and_audits_it(db: TestDb) {
    add_operator(&db.storage).await;
    let mut conn = db.storage.acquire().await.unwrap();
    let account = operators::by_username(&mut conn, NAME).await.unwrap().expect("the account");
    assert!(account.password_hash.starts_with("$argon2id$v=19$"), "{}", account.password_hash);
    assert!(!account.password_hash.contains(PASSWORD));
    assert_eq!(actions(&db.storage, NAME).await, ["operator.created"]);
    let listed = accounts::list(&db.storage).await.unwrap();
    assert_eq!(listed.iter().map(|a| a.username.as_str()).collect::<Vec<_>>(), [NAME]);
}

async fn operator_add_refuses_bad_names_short_passwords_and_duplicates(db: TestDb) {
    let now = OffsetDateTime::now_utc();
    let create = |name: &'static str, password: &'static str| {
        let storage = db.storage.clone();
        async move { accounts::create(&storage, name, Zeroizing::new(password.into()), "cli", now).await }
    };
    assert!(matches!(create("Bad Name", PASSWORD).await, Err(AccountError::InvalidUsername)));
    assert!(matches!(create("nurlan", "elevenchars").await, Err(AccountError::PasswordTooShort)));
    create("nurlan", PASSWORD).await.unwrap();
    assert!(matches!(create("nurlan", PASSWORD).await, Err(AccountError::UsernameTaken)));
}

async fn json_login_sets_an_http_only_strict_cookie_and_returns_a_csrf_token(db: TestDb) {
    add_operator(&db.storage).await;
    let app = app(&db.storage);
    let (status, cookies, body, _) = send(&app, json_login(NAME, PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let set = cookies.iter().find(|c| c.starts_with("qoltanba_operator=")).expect("session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(set.split("; ").any(|a| a == attribute), "{attribute} missing in {set}");
    }
    assert!(!set.contains("Secure"), "plain-http deployment: {set}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["username"], NAME);
    assert_eq!(json["csrf_token"].as_str().unwrap().len(), 43);
    assert!(actions(&db.storage, NAME).await.contains(&"operator.login".to_owned()));
    let (status, _, page, _) = send(&app, dashboard(&cookie_pair(&cookies, "qoltanba_operator"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(NAME) && page.contains("Phone registrations") && page.contains("Selfie reviews"));
}

async fn wrong_password_is_401_and_audited_without_the_password(db: TestDb) {
    add_operator(&db.storage).await;
    let app = app(&db.storage);
    let (status, cookies, body, _) = send(&app, json_login(NAME, "wrong password 123")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(cookies.is_empty());
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["code"], "unauthorized");
    let (status, _, unknown_body, _) = send(&app, json_login("nobody", "wrong password 123")).await;
    assert_eq!((status, unknown_body), (StatusCode::UNAUTHORIZED, body), "unknown user answers alike");
    assert_eq!(actions(&db.storage, NAME).await, ["operator.created", "operator.login_failed"]);
    assert_eq!(actions(&db.storage, "nobody").await, ["operator.login_failed"]);
    let mut conn = db.storage.acquire().await.unwrap();
    let log = format!("{:?}", audit::recent(&mut conn, 100).await.unwrap());
    assert!(!log.contains("wrong password 123"), "{log}");
}

async fn five_failures_lock_the_username_until_the_window_passes(db: TestDb) {
    add_operator(&db.storage).await;
    let app = app(&db.storage);
    for _ in 0..5 {
        assert_eq!(send(&app, json_login(NAME, "wrong password 123")).await.0, StatusCode::UNAUTHORIZED);
    }
    let (status, cookies, body, response) = send(&app, json_login(NAME, PASSWORD)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(cookies.is_empty());
    let retry_after: u64 = response.headers()[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["code"], "rate_limited");
    assert!(json["retry_after_s"].as_u64().unwrap() <= 900);
    assert!(actions(&db.storage, NAME).await.contains(&"operator.login_locked".to_owned()));
    let later = OffsetDateTime::now_utc() + LOCKOUT_WINDOW + time::Duration::seconds(1);
    let session = accounts::login(&db.storage, NAME, Zeroizing::new(PASSWORD.into()), later).await;
    assert!(session.is_ok(), "the lock ends with the window: {session:?}");
}

async fn logout_invalidates_the_cookie(db: TestDb) {
    add_operator(&db.storage).await;
    let app = app(&db.storage);
    let (cookie, csrf) = logged_in(&app).await;
    let (status, cookies, _, _) = send(&app, logout_request(&cookie, Some(&csrf))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(cookies.iter().any(|c| c.starts_with("qoltanba_operator=;") && c.contains("Max-Age=0")));
    let (status, _, _, response) = send(&app, dashboard(&cookie)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/console/login?lang=en");
    assert_eq!(send(&app, logout_request(&cookie, Some(&csrf))).await.0, StatusCode::UNAUTHORIZED);
    assert!(actions(&db.storage, NAME).await.contains(&"operator.logout".to_owned()));
}

async fn state_changes_without_the_right_csrf_token_are_403(db: TestDb) {
    add_operator(&db.storage).await;
    let app = app(&db.storage);
    let (cookie, csrf) = logged_in(&app).await;
    let (status, _, body, _) = send(&app, logout_request(&cookie, None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["code"], "forbidden");
    // Change the last character (to one that differs from it, so the token is really wrong).
    let last = if csrf.ends_with('A') { 'B' } else { 'A' };
    let wrong = format!("{}{last}", &csrf[..csrf.len() - 1]);
    assert_eq!(send(&app, logout_request(&cookie, Some(&wrong))).await.0, StatusCode::FORBIDDEN);
    let form = form_post("/console/logout", &cookie, &[("csrf_token", &wrong), ("lang", "en")]);
    assert_eq!(send(&app, form).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, dashboard(&cookie)).await.0, StatusCode::OK, "the session survived");
    let anonymous = Request::delete("/v1/operator/session").body(Body::empty()).unwrap();
    assert_eq!(send(&app, anonymous).await.0, StatusCode::UNAUTHORIZED);
}

async fn login_page_speaks_kazakh_russian_and_english(db: TestDb) {
    let app = app(&db.storage);
    let page = |uri: &'static str, accept: Option<&'static str>| {
        let mut request = Request::get(uri);
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_LANGUAGE, accept);
        }
        send(&app, request.body(Body::empty()).unwrap())
    };
    let (status, _, kk, _) = page("/console/login", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kk.contains("<html lang=\"kk\">") && kk.contains("Құпиясөз") && kk.contains(">Кіру<"), "{kk}");
    let (_, _, ru, _) = page("/console/login?lang=ru", Some("en")).await;
    assert!(ru.contains("<html lang=\"ru\">") && ru.contains("Пароль") && ru.contains(">Войти<"), "{ru}");
    let (_, _, en, response) = page("/console/login", Some("de, en;q=0.8, ru;q=0.5")).await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Password") && en.contains(">Sign in<"), "{en}");
    let csp = response.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
}

async fn form_login_escapes_the_echoed_username(db: TestDb) {
    let app = app(&db.storage);
    let (cookie, csrf) = login_form(&app).await;
    let evil = "<script>alert(1)</script>\"'";
    let request = form_post(
        "/console/login",
        &cookie,
        &[("username", evil), ("password", "whatever password"), ("csrf_token", &csrf), ("lang", "en")],
    );
    let (status, _, body, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("Invalid username or password."), "{body}");
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;"), "{body}");
    assert!(!body.contains("<script>"), "{body}");
}

async fn form_login_needs_its_login_csrf_cookie(db: TestDb) {
    add_operator(&db.storage).await;
    let app = app(&db.storage);
    let (_, csrf) = login_form(&app).await;
    let request = form_post(
        "/console/login",
        "qoltanba_login_csrf=forged",
        &[("username", NAME), ("password", PASSWORD), ("csrf_token", &csrf)],
    );
    let (status, cookies, _, _) = send(&app, request).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!cookies.iter().any(|c| c.starts_with("qoltanba_operator=")));
    assert!(!actions(&db.storage, NAME).await.contains(&"operator.login".to_owned()));
}

async fn form_login_leads_to_the_dashboard_and_form_logout_ends_it(db: TestDb) {
    add_operator(&db.storage).await;
    let app = app(&db.storage);
    let (cookie, csrf) = login_form(&app).await;
    let request = form_post(
        "/console/login",
        &cookie,
        &[("username", NAME), ("password", PASSWORD), ("csrf_token", &csrf), ("lang", "ru")],
    );
    let (status, cookies, _, response) = send(&app, request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/console?lang=ru");
    let session = cookie_pair(&cookies, "qoltanba_operator");
    let request = Request::get("/console?lang=ru").header(header::COOKIE, &session).body(Body::empty());
    let (status, _, page, _) = send(&app, request.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Заявки на регистрацию телефона") && page.contains("Проверка селфи"), "{page}");
    let form_csrf = hidden_value(&page, "csrf_token");
    let logout = form_post("/console/logout", &session, &[("csrf_token", &form_csrf), ("lang", "ru")]);
    let (status, _, _, response) = send(&app, logout).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/console/login?lang=ru");
    assert_eq!(send(&app, dashboard(&session)).await.0, StatusCode::SEE_OTHER);
}
