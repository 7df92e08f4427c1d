//! The operator's side through the real routers (enrollment, operator JSON API, console pages) on SQLite
//! and PostgreSQL: phone-registration tickets and selfie reviews decided through the JSON API and
//! through the console's forms, the pictures served with their types, CSRF and idempotency, audit, and
//! the `/dev/sms` page.

#[macro_use]
mod support;
#[path = "ca_support/mod.rs"]
mod ca_support;
mod console_support;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use ca_support::urls;
use console_support::{form_post, hidden_value, logged_in, send};
use qoltanba_protocol::{IDEMPOTENCY_KEY_HEADER, PhoneRegistrationTicket, SelfieReview, SmsMessage, paths};
use qoltanba_server::ca::{Authority, InitConfig, KeySource, init};
use qoltanba_server::ra::Ra;
use qoltanba_server::storage::registry::Citizen;
use qoltanba_server::storage::{Storage, audit};
use qoltanba_server::web::{CSRF_HEADER, ConsoleState, console_routes, enrollment_routes, operator_routes};
use qoltanba_server::{accounts, seed};
use serde_json::{Value, json};
use support::TestDb;
use time::OffsetDateTime;
use uuid::Uuid;
use zeroize::Zeroizing;

backend_tests!(
    json_api_registers_a_phone_after_a_wrong_code_used_a_try,
    third_wrong_heard_code_rejects_the_ticket_and_fails_the_session,
    console_forms_reject_then_accept_a_selfie_shown_beside_the_registry_photo,
    console_ticket_page_approves_with_the_heard_code,
    dev_sms_page_lists_the_outbox_newest_first_only_in_dev_mode,
);

const NAME: &str = "aigerim";
const PASSWORD: &str = "correct horse battery";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];

/// One CA per test binary (RSA key generation is slow).
fn authority() -> Arc<Authority> {
    static CA: OnceLock<(tempfile::TempDir, Arc<Authority>)> = OnceLock::new();
    CA.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let root = KeySource::File { path: dir.path().join("root.key"), password: None };
        let issuing = KeySource::File { path: dir.path().join("issuing.key"), password: None };
        let material = init(&root, &issuing, &InitConfig::default(), OffsetDateTime::now_utc()).unwrap();
        let authority =
            Authority::new(material.root, material.issuing, issuing.open().unwrap(), urls()).unwrap();
        (dir, Arc::new(authority))
    })
    .1
    .clone()
}

fn app(storage: &Storage, dev: bool) -> Router {
    let ra = Arc::new(Ra::new(storage.clone(), authority()));
    console_routes(ConsoleState { storage: storage.clone(), secure_cookies: false })
        .merge(operator_routes(ra.clone()))
        .merge(enrollment_routes(ra, dev))
}

/// The app on a seeded database with an operator account, and that operator's (cookie, CSRF token).
async fn setup(db: &TestDb) -> (Router, String, String) {
    seed::load(&db.storage).await.unwrap();
    accounts::create(&db.storage, NAME, Zeroizing::new(PASSWORD.into()), "cli", OffsetDateTime::now_utc())
        .await
        .unwrap();
    let app = app(&db.storage, true);
    let (cookie, csrf) = logged_in(&app, NAME, PASSWORD).await;
    (app, cookie, csrf)
}

fn request(method: &str, path: &str, cookie: Option<&str>, body: Option<&Value>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    match body {
        Some(body) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string())
            .body(Body::from(body.to_string())),
        None => builder.body(Body::empty()),
    }
    .unwrap()
}

async fn json_of(app: &Router, request: Request<Body>) -> (StatusCode, Value) {
    let (status, _, body, _) = send(app, request).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// An operator `POST` with the CSRF header and the given idempotency key.
fn operator_post(path: &str, cookie: &str, csrf: &str, key: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(CSRF_HEADER, csrf)
        .header(IDEMPOTENCY_KEY_HEADER, key)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn start(app: &Router, iin: &str) -> Value {
    let body =
        json!({"iin": iin, "device": {"platform": "android", "os_version": "14", "app_version": "0.1.0"}});
    let (status, session) = json_of(app, request("POST", paths::ENROLLMENTS, None, Some(&body))).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    session
}

async fn session(app: &Router, id: &str) -> Value {
    json_of(app, request("GET", &format!("/v1/enrollments/{id}"), None, None)).await.1
}

/// The last code sent to `phone`.
async fn last_code(app: &Router, phone: &str) -> String {
    let path = format!("{}?phone={}", paths::DEV_SMS, phone.replace('+', "%2B"));
    let (_, body) = json_of(app, request("GET", &path, None, None)).await;
    let messages: Vec<SmsMessage> = serde_json::from_value(body).unwrap();
    let text = &messages.last().expect("an SMS").text;
    text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned()
}

fn other_code(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

fn without_phone() -> Citizen {
    seed::demo_records().into_iter().find(|(_, p)| p.is_none()).unwrap().0
}

fn with_phone() -> (Citizen, String) {
    let (citizen, phone) = seed::demo_records().into_iter().find(|(_, p)| p.is_some()).unwrap();
    (citizen, phone.unwrap().to_owned())
}

/// A session of a citizen without a phone that now waits for the operator's ticket decision.
async fn waiting_ticket(app: &Router, phone: &str) -> (String, Uuid) {
    let started = start(app, &without_phone().iin).await;
    let id = started["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/enrollments/{id}/phone");
    let (status, body) = json_of(app, request("POST", &path, None, Some(&json!({"phone": phone})))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (id, serde_json::from_value(body["state"]["ticket_id"].clone()).unwrap())
}

/// A session of a citizen with a phone that now waits for a selfie review.
async fn under_review(app: &Router) -> (String, Uuid, Citizen) {
    let (citizen, phone) = with_phone();
    let started = start(app, &citizen.iin).await;
    let id = started["id"].as_str().unwrap().to_owned();
    let code = last_code(app, &phone).await;
    let path = format!("/v1/enrollments/{id}/sms-code");
    json_of(app, request("POST", &path, None, Some(&json!({"code": code})))).await;
    let upload = Request::post(format!("/v1/enrollments/{id}/selfie"))
        .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string())
        .header(header::CONTENT_TYPE, "image/jpeg")
        .body(Body::from(JPEG))
        .unwrap();
    let (status, body) = json_of(app, upload).await;
    assert_eq!((status, body["state"]["state"].as_str()), (StatusCode::OK, Some("selfie_under_review")));
    let review = audit_review(app, &id).await;
    (id, review, citizen)
}

/// The pending review of session `id`, as the operator API lists it.
async fn audit_review(app: &Router, id: &str) -> Uuid {
    let (cookie, _) = logged_in(app, NAME, PASSWORD).await;
    let (_, list) = json_of(app, request("GET", paths::OPERATOR_SELFIE_REVIEWS, Some(&cookie), None)).await;
    let reviews: Vec<SelfieReview> = serde_json::from_value(list).unwrap();
    reviews.into_iter().find(|r| r.session_id.to_string() == id).expect("a pending review").id
}

async fn actions(storage: &Storage, subject: &str) -> Vec<(String, String)> {
    let mut conn = storage.acquire().await.unwrap();
    let entries = audit::by_subject(&mut conn, subject).await.unwrap();
    entries.into_iter().map(|e| (e.actor, e.action)).collect()
}

async fn get_bytes(app: &Router, path: &str, cookie: &str) -> (StatusCode, String, Vec<u8>) {
    let response =
        tower::ServiceExt::oneshot(app.clone(), request("GET", path, Some(cookie), None)).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, to_bytes(response.into_body(), 1 << 24).await.unwrap().to_vec())
}

async fn json_api_registers_a_phone_after_a_wrong_code_used_a_try(db: TestDb) {
    let (app, cookie, csrf) = setup(&db).await;
    let phone = "+77079998877";
    let (id, ticket_id) = waiting_ticket(&app, phone).await;
    let anonymous = request("GET", paths::OPERATOR_PHONE_REGISTRATIONS, None, None);
    assert_eq!(json_of(&app, anonymous).await.0, StatusCode::UNAUTHORIZED);
    let (status, list) =
        json_of(&app, request("GET", paths::OPERATOR_PHONE_REGISTRATIONS, Some(&cookie), None)).await;
    assert_eq!(status, StatusCode::OK);
    let tickets: Vec<PhoneRegistrationTicket> = serde_json::from_value(list).unwrap();
    let ticket = tickets.iter().find(|t| t.id == ticket_id).expect("the ticket is listed");
    assert_eq!((ticket.phone.as_str(), ticket.iin.as_str()), (phone, without_phone().iin.as_str()));
    let (status, content_type, photo) = get_bytes(&app, &ticket.registry_photo_url, &cookie).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "image/png"));
    assert_eq!(photo, without_phone().photo);

    let heard = last_code(&app, phone).await;
    let path = paths::operator_phone_registration_decision(ticket_id);
    let wrong = json!({"decision": "approve", "sms_code": other_code(&heard)});
    let no_csrf = request("POST", &path, Some(&cookie), Some(&wrong));
    assert_eq!(json_of(&app, no_csrf).await.0, StatusCode::FORBIDDEN);
    let (status, body) = json_of(&app, operator_post(&path, &cookie, &csrf, "wrong-1", &wrong)).await;
    assert_eq!(
        (status, &body["code"], &body["tries_left"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("code_mismatch"), &json!(2))
    );
    let (status, replayed) = json_of(&app, operator_post(&path, &cookie, &csrf, "wrong-1", &wrong)).await;
    assert_eq!((status, replayed), (StatusCode::UNPROCESSABLE_ENTITY, body), "a replay uses no second try");

    let right = json!({"decision": "approve", "sms_code": heard});
    let (status, body) = json_of(&app, operator_post(&path, &cookie, &csrf, "right-1", &right)).await;
    assert_eq!((status, &body["status"]), (StatusCode::OK, &json!("approved")), "{body}");
    assert_eq!(session(&app, &id).await["state"]["state"], "expect_sms_code");
    let (_, list) =
        json_of(&app, request("GET", paths::OPERATOR_PHONE_REGISTRATIONS, Some(&cookie), None)).await;
    assert_eq!(list, json!([]));
    let operator = format!("operator:{NAME}");
    let log = actions(&db.storage, &id).await;
    assert!(log.contains(&(operator.clone(), "phone_registration.code_mismatch".into())), "{log:?}");
    assert!(log.contains(&(operator, "phone_registration.approved".into())), "{log:?}");
    assert_eq!(log.iter().filter(|(_, a)| a == "phone_registration.code_mismatch").count(), 1);
}

async fn third_wrong_heard_code_rejects_the_ticket_and_fails_the_session(db: TestDb) {
    let (app, cookie, csrf) = setup(&db).await;
    let phone = "+77079998866";
    let (id, ticket_id) = waiting_ticket(&app, phone).await;
    let heard = last_code(&app, phone).await;
    let path = paths::operator_phone_registration_decision(ticket_id);
    let wrong = json!({"decision": "approve", "sms_code": other_code(&heard)});
    for left in [2, 1] {
        let (status, body) =
            json_of(&app, operator_post(&path, &cookie, &csrf, &format!("w{left}"), &wrong)).await;
        assert_eq!((status, &body["tries_left"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!(left)));
    }
    let (status, body) = json_of(&app, operator_post(&path, &cookie, &csrf, "w0", &wrong)).await;
    assert_eq!((status, &body["code"]), (StatusCode::FORBIDDEN, &json!("too_many_attempts")), "{body}");
    let state = session(&app, &id).await;
    assert_eq!(
        (&state["state"]["state"], &state["state"]["reason"]),
        (&json!("failed"), &json!("phone_registration_rejected"))
    );
    let right = json!({"decision": "approve", "sms_code": heard});
    let (status, body) = json_of(&app, operator_post(&path, &cookie, &csrf, "late", &right)).await;
    assert_eq!((status, &body["code"]), (StatusCode::CONFLICT, &json!("conflict")));
}

async fn console_forms_reject_then_accept_a_selfie_shown_beside_the_registry_photo(db: TestDb) {
    let (app, cookie, _) = setup(&db).await;
    let (id, review, citizen) = under_review(&app).await;
    let (status, _, page, _) =
        send(&app, request("GET", "/console/selfie-reviews?lang=en", Some(&cookie), None)).await;
    assert_eq!(status, StatusCode::OK);
    let registry = format!("<img src=\"/v1/operator/people/{}/photo\"", citizen.iin);
    let selfie = format!("<img src=\"/v1/operator/selfie-reviews/{review}/selfie\"");
    assert!(page.contains(&registry) && page.contains(&selfie), "{page}");
    assert!(
        page.contains("Registry photo") && page.contains(">Reject<") && page.contains(">Approve<"),
        "{page}"
    );
    for (lang, word) in [("kk", "Селфи тексерулері"), ("ru", "Проверка селфи")] {
        let uri = format!("/console/selfie-reviews?lang={lang}");
        let (_, _, localized, _) = send(&app, request("GET", &uri, Some(&cookie), None)).await;
        assert!(localized.contains(word) && localized.contains(&selfie), "{localized}");
    }
    let (status, content_type, bytes) =
        get_bytes(&app, &paths::operator_selfie_review_image(review), &cookie).await;
    assert_eq!((status, content_type.as_str(), bytes.as_slice()), (StatusCode::OK, "image/jpeg", JPEG));

    let csrf = hidden_value(&page, "csrf_token");
    let action = format!("/console/selfie-reviews/{review}/decision");
    let key = Uuid::new_v4().to_string();
    let reject = [
        ("csrf_token", csrf.as_str()),
        ("idempotency_key", &key),
        ("decision", "reject"),
        ("reason", "face not visible"),
        ("lang", "en"),
    ];
    let forged = [
        ("csrf_token", "forged"),
        ("idempotency_key", &key),
        ("decision", "reject"),
        ("reason", "x"),
        ("lang", "en"),
    ];
    assert_eq!(send(&app, form_post(&action, &cookie, &forged)).await.0, StatusCode::FORBIDDEN);
    let (status, _, _, response) = send(&app, form_post(&action, &cookie, &reject)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/console/selfie-reviews?lang=en&saved=1");
    let (_, _, _, response) = send(&app, form_post(&action, &cookie, &reject)).await;
    assert_eq!(
        response.headers()[header::LOCATION],
        "/console/selfie-reviews?lang=en&saved=1",
        "a double submit replays"
    );
    let state = session(&app, &id).await;
    assert_eq!(
        (&state["state"]["state"], &state["state"]["last_rejection"]),
        (&json!("expect_selfie"), &json!("face not visible"))
    );

    let upload = Request::post(format!("/v1/enrollments/{id}/selfie"))
        .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string())
        .header(header::CONTENT_TYPE, "image/jpeg")
        .body(Body::from(JPEG))
        .unwrap();
    assert_eq!(json_of(&app, upload).await.0, StatusCode::OK);
    let second = audit_review(&app, &id).await;
    let action = format!("/console/selfie-reviews/{second}/decision");
    let key = Uuid::new_v4().to_string();
    let approve =
        [("csrf_token", csrf.as_str()), ("idempotency_key", &key), ("decision", "approve"), ("lang", "ru")];
    let (status, _, _, response) = send(&app, form_post(&action, &cookie, &approve)).await;
    assert_eq!(
        (status, response.headers()[header::LOCATION].to_str().unwrap()),
        (StatusCode::SEE_OTHER, "/console/selfie-reviews?lang=ru&saved=1")
    );
    assert_eq!(session(&app, &id).await["state"]["state"], "expect_id_card_photo");
    let (_, _, page, _) =
        send(&app, request("GET", "/console/selfie-reviews?lang=ru&saved=1", Some(&cookie), None)).await;
    assert!(page.contains("Решение сохранено.") && page.contains("Ничего не ожидает решения."), "{page}");
    let log = actions(&db.storage, &id).await;
    let operator = format!("operator:{NAME}");
    assert!(
        log.contains(&(operator.clone(), "selfie.rejected".into()))
            && log.contains(&(operator, "selfie.accepted".into())),
        "{log:?}"
    );
}

async fn console_ticket_page_approves_with_the_heard_code(db: TestDb) {
    let (app, cookie, _) = setup(&db).await;
    let phone = "+77079998855";
    let (id, ticket) = waiting_ticket(&app, phone).await;
    let (status, _, page, _) =
        send(&app, request("GET", "/console/phone-registrations?lang=kk", Some(&cookie), None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Телефон тіркеу өтінімдері") && page.contains(phone), "{page}");
    assert!(
        page.contains(&format!("<img src=\"/v1/operator/people/{}/photo\"", without_phone().iin)),
        "{page}"
    );
    let csrf = hidden_value(&page, "csrf_token");
    let heard = last_code(&app, phone).await;
    let action = format!("/console/phone-registrations/{ticket}/decision");
    let form = |code: &str| {
        let key = Uuid::new_v4().to_string();
        let pairs = [
            ("csrf_token", csrf.as_str()),
            ("idempotency_key", &key),
            ("decision", "approve"),
            ("sms_code", code),
            ("lang", "en"),
        ];
        form_post(&action, &cookie, &pairs)
    };
    let (_, _, _, response) = send(&app, form(other_code(&heard))).await;
    assert_eq!(
        response.headers()[header::LOCATION],
        "/console/phone-registrations?lang=en&error=code_mismatch&tries_left=2"
    );
    let (_, _, notice, _) = send(
        &app,
        request(
            "GET",
            "/console/phone-registrations?lang=en&error=code_mismatch&tries_left=2",
            Some(&cookie),
            None,
        ),
    )
    .await;
    assert!(notice.contains("The code does not match. Tries left: 2"), "{notice}");
    let (_, _, _, response) = send(&app, form(&heard)).await;
    assert_eq!(response.headers()[header::LOCATION], "/console/phone-registrations?lang=en&saved=1");
    assert_eq!(session(&app, &id).await["state"]["state"], "expect_sms_code");
}

async fn dev_sms_page_lists_the_outbox_newest_first_only_in_dev_mode(db: TestDb) {
    let (app, _, _) = setup(&db).await;
    let first = waiting_ticket(&app, "+77079990001").await;
    let second = waiting_ticket(&app, "+77079990002").await;
    assert_ne!(first, second);
    let (status, _, page, response) = send(&app, request("GET", "/dev/sms?lang=en", None, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let (a, b) = (page.find("+77079990001").expect("first"), page.find("+77079990002").expect("second"));
    assert!(b < a, "newest first: {page}");
    assert!(page.contains("SMS outbox") && page.contains("1414"), "{page}");
    let production = self::app(&db.storage, false);
    assert_eq!(send(&production, request("GET", "/dev/sms", None, None)).await.0, StatusCode::NOT_FOUND);
}
