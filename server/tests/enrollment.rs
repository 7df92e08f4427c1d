//! The enrollment API driven in-process (tower `oneshot` against the real router) through every branch
//! of the flow; SMS codes are read through the dev endpoint, time is a fake clock, operator decisions
//! go through the RA. Every test runs on SQLite and on PostgreSQL.

#[macro_use]
mod support;
#[path = "ca_support/mod.rs"]
mod ca_support;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use base64::Engine;
use ca_support::{csr, openssl, text, urls, write};
use qoltanba_pki::x509::der::pem::LineEnding;
use qoltanba_protocol::paths;
use qoltanba_protocol::{
    IDEMPOTENCY_KEY_HEADER, ReviewDecision, SelfieReviewStatus, Session, SmsMessage, TicketDecision,
    TicketStatus,
};
use qoltanba_server::ca::{Authority, InitConfig, KeySource, init};
use qoltanba_server::ra::{FakeClock, Ra};
use qoltanba_server::seed;
use qoltanba_server::storage::registry::Citizen;
use qoltanba_server::storage::{Storage, certificates, reviews};
use serde_json::{Value, json};
use support::TestDb;
use time::{Duration, OffsetDateTime};
use tower::ServiceExt;
use uuid::Uuid;

backend_tests!(
    registered_phone_path_issues_certificates_with_the_registry_subject,
    unregistered_phone_is_registered_through_the_operator_ticket,
    third_wrong_code_fails_the_session,
    expired_code_is_refused_until_a_new_one_is_sent,
    resend_too_early_is_rate_limited,
    rejected_selfie_can_be_retaken_and_accepted,
    refused_consent_fails_the_session,
    wrong_order_call_names_the_current_state,
    replayed_csr_step_returns_the_same_certificates,
    restart_in_the_middle_finishes_the_enrollment,
    idle_session_expires,
    bad_starts_are_refused_with_typed_errors,
    the_code_ends_with_the_android_app_hash_when_one_is_set,
);

/// One CA per test binary (RSA key generation is slow); each test's RA shares it.
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

struct Fixture {
    clock: Arc<FakeClock>,
    ra: Arc<Ra>,
    router: Router,
}

impl Fixture {
    fn on(storage: Storage, clock: Arc<FakeClock>) -> Self {
        let ra = Arc::new(Ra::new(storage, authority()).with_clock(clock.clone()));
        let router = qoltanba_server::web::enrollment_routes(ra.clone(), true);
        Self { clock, ra, router }
    }

    async fn new(db: &TestDb) -> Self {
        seed::load(&db.storage).await.unwrap();
        Self::on(db.storage.clone(), Arc::new(FakeClock::new(OffsetDateTime::now_utc())))
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    async fn post_with_key(&self, path: &str, key: &str, body: &Value) -> (StatusCode, Value) {
        let request = Request::post(path)
            .header(IDEMPOTENCY_KEY_HEADER, key)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.post_with_key(path, &Uuid::new_v4().to_string(), &body).await
    }

    async fn upload(&self, path: &str, content_type: &str, bytes: &[u8]) -> (StatusCode, Value) {
        let request = Request::post(path)
            .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string())
            .header("content-type", content_type)
            .body(Body::from(bytes.to_vec()))
            .unwrap();
        self.send(request).await
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// The last SMS sent to `phone` by 1414, read from the dev outbox.
    async fn last_sms(&self, phone: &str) -> String {
        let (status, body) =
            self.get(&format!("{}?phone={}", paths::DEV_SMS, phone.replace('+', "%2B"))).await;
        assert_eq!(status, StatusCode::OK);
        let messages: Vec<SmsMessage> = serde_json::from_value(body).unwrap();
        let last = messages.last().expect("an SMS was sent");
        assert_eq!(last.sender, "1414");
        last.text.clone()
    }

    /// The last code sent to `phone`, read from the dev outbox.
    async fn last_code(&self, phone: &str) -> String {
        let text = self.last_sms(phone).await;
        text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap().to_owned()
    }

    async fn start(&self, iin: &str) -> Session {
        let body = json!({"iin": iin, "device": {"platform": "android", "os_version": "14", "app_version": "0.1.0"}});
        let (status, body) = self.post(paths::ENROLLMENTS, body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        serde_json::from_value(body).unwrap()
    }

    /// Starts with a registered phone and sends its code: the session then expects a selfie.
    async fn to_selfie(&self, citizen: &Citizen, phone: &str) -> Uuid {
        let session = self.start(&citizen.iin).await;
        assert_eq!(state(&serde_json::to_value(&session).unwrap()), "expect_sms_code");
        let code = self.last_code(phone).await;
        let (status, body) = self.post(&paths::enrollment_sms_code(session.id), json!({"code": code})).await;
        assert_eq!((status, state(&body)), (StatusCode::OK, "expect_selfie".to_owned()), "{body}");
        session.id
    }

    async fn pending_review(&self, id: Uuid) -> Uuid {
        let mut conn = self.ra.storage().acquire().await.unwrap();
        let pending = reviews::reviews(&mut conn, SelfieReviewStatus::Pending).await.unwrap();
        pending.into_iter().find(|r| r.session_id == id).expect("a pending review").id
    }

    /// Selfie (accepted by the operator), ID card, consent, e-mail: the session then expects CSRs.
    async fn to_csrs(&self, id: Uuid) -> Value {
        let (status, body) = self.upload(&paths::enrollment_selfie(id), "image/jpeg", JPEG).await;
        assert_eq!((status, state(&body)), (StatusCode::OK, "selfie_under_review".to_owned()), "{body}");
        let session = self
            .ra
            .decide_selfie("aigerim", self.pending_review(id).await, &ReviewDecision::Approve, None)
            .await
            .unwrap();
        assert_eq!(session.state.name(), "expect_id_card_photo");
        let (status, body) = self.upload(&paths::enrollment_id_card_photo(id), "image/png", PNG).await;
        assert_eq!((status, state(&body)), (StatusCode::OK, "expect_consent".to_owned()), "{body}");
        let (_, body) = self.post(&paths::enrollment_consent(id), json!({"accepted": true})).await;
        assert_eq!(state(&body), "expect_email", "{body}");
        let person = body["state"]["person"].clone();
        let (_, body) = self.post(&paths::enrollment_email(id), json!({"email": "qanat@example.kz"})).await;
        assert_eq!(state(&body), "expect_csrs", "{body}");
        person
    }
}

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR";

fn state(body: &Value) -> String {
    body["state"]["state"].as_str().unwrap_or_default().to_owned()
}

fn approve(code: &str) -> TicketDecision {
    TicketDecision::Approve { sms_code: code.to_owned() }
}

fn reject(reason: &str) -> ReviewDecision {
    ReviewDecision::Reject { reason: reason.to_owned() }
}

fn code(body: &Value) -> String {
    body["code"].as_str().unwrap_or_default().to_owned()
}

/// A demo citizen with a registered phone, and one without.
fn with_phone() -> (Citizen, String) {
    let (citizen, phone) = seed::demo_records().into_iter().find(|(_, p)| p.is_some()).unwrap();
    (citizen, phone.unwrap().to_owned())
}

fn without_phone() -> Citizen {
    seed::demo_records().into_iter().find(|(_, p)| p.is_none()).unwrap().0
}

fn csr_pair() -> Value {
    let auth = base64::engine::general_purpose::STANDARD.encode(csr("auth"));
    let sign = pem_csr(&csr("sign"));
    json!({"auth": auth, "sign": sign})
}

fn pem_csr(der: &[u8]) -> String {
    qoltanba_pki::x509::der::pem::encode_string("CERTIFICATE REQUEST", LineEnding::LF, der).unwrap()
}

/// Checks the issued pair with openssl: both verify against the chain and name the registry's person.
fn assert_issued(body: &Value, citizen: &Citizen) {
    assert_eq!(state(body), "issued", "{body}");
    let certs = &body["state"]["certificates"];
    let dir = tempfile::tempdir().unwrap();
    let chain = write(dir.path(), "chain.pem", certs["chain_pem"].as_str().unwrap().as_bytes());
    for name in ["auth_pem", "sign_pem"] {
        let leaf = write(dir.path(), name, certs[name].as_str().unwrap().as_bytes());
        let out = openssl(&["verify", "-CAfile", &chain, &leaf]);
        assert!(out.status.success(), "{}", text(&out));
        let out = openssl(&["x509", "-in", &leaf, "-noout", "-subject", "-nameopt", "utf8,sep_comma_plus"]);
        let subject = text(&out);
        assert!(subject.contains(&citizen.surname) && subject.contains(&citizen.name), "{subject}");
        assert!(subject.contains(&format!("IIN{}", citizen.iin)), "{subject}");
        assert!(!subject.contains("IMPOSTOR") && !subject.contains("MALLORY"), "{subject}");
        assert!(subject.contains("qanat@example.kz"), "{subject}");
    }
}

async fn registered_phone_path_issues_certificates_with_the_registry_subject(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, phone) = with_phone();
    let id = fx.to_selfie(&citizen, &phone).await;
    let person = fx.to_csrs(id).await;
    assert_eq!(person["iin"], citizen.iin.as_str());
    assert_eq!(person["surname"], citizen.surname.as_str());
    let (status, body) = fx.post(&paths::enrollment_csrs(id), csr_pair()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_issued(&body, &citizen);
    let (_, polled) = fx.get(&paths::enrollment(id)).await;
    assert_eq!(polled["state"], body["state"]);
    let mut conn = db.storage.acquire().await.unwrap();
    let stored = certificates::by_session(&mut conn, id).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|c| c.iin == citizen.iin));
}

async fn unregistered_phone_is_registered_through_the_operator_ticket(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let citizen = without_phone();
    let session = fx.start(&citizen.iin).await;
    assert_eq!(session.state.name(), "expect_phone_number");
    let phone = "+77079998877";
    let (status, body) = fx.post(&paths::enrollment_phone(session.id), json!({"phone": "8707"})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input".to_owned()));
    let (_, body) = fx.post(&paths::enrollment_phone(session.id), json!({"phone": phone})).await;
    assert_eq!(state(&body), "expect_phone_registration", "{body}");
    assert_eq!(body["state"]["phone_masked"], "+7 707 *** ** 77");
    let ticket: Uuid = serde_json::from_value(body["state"]["ticket_id"].clone()).unwrap();
    let heard = fx.last_code(phone).await;
    let wrong = if heard == "000000" { "111111" } else { "000000" };
    let refused = fx.ra.decide_phone_ticket("aigerim", ticket, &approve(wrong), None).await.unwrap_err();
    assert_eq!(refused.api().unwrap().code.name(), "code_mismatch");
    assert_eq!(refused.api().unwrap().tries_left, Some(2), "a wrong heard code uses one of the tries");
    let approved = fx.ra.decide_phone_ticket("aigerim", ticket, &approve(&heard), None).await.unwrap();
    assert_eq!(approved.state.name(), "expect_sms_code");
    let again = fx.ra.decide_phone_ticket("aigerim", ticket, &approve(&heard), None).await.unwrap_err();
    assert_eq!(again.api().unwrap().code.name(), "conflict");
    let mut conn = db.storage.acquire().await.unwrap();
    let registered = qoltanba_server::storage::phones::find(&mut conn, &citizen.iin).await.unwrap().unwrap();
    assert_eq!((registered.phone.as_str(), registered.registered_by.as_str()), (phone, "operator:aigerim"));
    let ticket = reviews::ticket(&mut conn, ticket).await.unwrap().unwrap();
    assert_eq!(ticket.status, TicketStatus::Approved);
    drop(conn);
    let code_1414 = fx.last_code(phone).await;
    let (_, body) = fx.post(&paths::enrollment_sms_code(session.id), json!({"code": code_1414})).await;
    assert_eq!(state(&body), "expect_selfie", "{body}");
    fx.to_csrs(session.id).await;
    let (_, body) = fx.post(&paths::enrollment_csrs(session.id), csr_pair()).await;
    assert_issued(&body, &citizen);
}

async fn third_wrong_code_fails_the_session(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, phone) = with_phone();
    let session = fx.start(&citizen.iin).await;
    let right = fx.last_code(&phone).await;
    let wrong = if right == "000000" { "111111" } else { "000000" };
    let path = paths::enrollment_sms_code(session.id);
    for left in [2, 1] {
        let (status, body) = fx.post(&path, json!({"code": wrong})).await;
        assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "code_mismatch".to_owned()));
        assert_eq!(body["tries_left"], left);
    }
    let (_, polled) = fx.get(&paths::enrollment(session.id)).await;
    assert_eq!(polled["state"]["tries_left"], 1);
    let (status, body) = fx.post(&path, json!({"code": wrong})).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "too_many_attempts".to_owned()));
    let (_, polled) = fx.get(&paths::enrollment(session.id)).await;
    assert_eq!(state(&polled), "failed");
    assert_eq!(polled["state"]["reason"], "too_many_code_attempts");
    let (status, body) = fx.post(&path, json!({"code": right})).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "wrong_state".to_owned()));
}

async fn expired_code_is_refused_until_a_new_one_is_sent(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, phone) = with_phone();
    let session = fx.start(&citizen.iin).await;
    let old = fx.last_code(&phone).await;
    fx.clock.advance(Duration::seconds(301));
    let (status, body) = fx.post(&paths::enrollment_sms_code(session.id), json!({"code": old})).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "code_expired".to_owned()));
    let (status, body) = fx.post(&paths::enrollment_sms_code_resend(session.id), json!({})).await;
    assert_eq!((status, state(&body)), (StatusCode::OK, "expect_sms_code".to_owned()), "{body}");
    assert_eq!(body["state"]["tries_left"], 3, "an expired code costs no try");
    let new = fx.last_code(&phone).await;
    let (_, body) = fx.post(&paths::enrollment_sms_code(session.id), json!({"code": new})).await;
    assert_eq!(state(&body), "expect_selfie", "{body}");
}

async fn resend_too_early_is_rate_limited(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, _) = with_phone();
    let session = fx.start(&citizen.iin).await;
    fx.clock.advance(Duration::seconds(20));
    let request = Request::post(paths::enrollment_sms_code_resend(session.id))
        .header(IDEMPOTENCY_KEY_HEADER, "resend-1")
        .body(Body::empty())
        .unwrap();
    let response = fx.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "40");
    let body: Value =
        serde_json::from_slice(&to_bytes(response.into_body(), usize::MAX).await.unwrap()).unwrap();
    assert_eq!((code(&body), body["retry_after_s"].as_u64()), ("rate_limited".to_owned(), Some(40)));
    fx.clock.advance(Duration::seconds(40));
    let request = Request::post(paths::enrollment_sms_code_resend(session.id))
        .header(IDEMPOTENCY_KEY_HEADER, "resend-1")
        .body(Body::empty())
        .unwrap();
    let (status, body) = fx.send(request).await;
    assert_eq!(status, StatusCode::OK, "a rate-limited answer is not stored: {body}");
}

async fn rejected_selfie_can_be_retaken_and_accepted(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, phone) = with_phone();
    let id = fx.to_selfie(&citizen, &phone).await;
    let (status, body) = fx.upload(&paths::enrollment_selfie(id), "image/png", JPEG).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type".to_owned())
    );
    let (status, _) = fx.upload(&paths::enrollment_selfie(id), "text/plain", JPEG).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (_, body) = fx.upload(&paths::enrollment_selfie(id), "image/jpeg", JPEG).await;
    assert_eq!(state(&body), "selfie_under_review", "{body}");
    let review = fx.pending_review(id).await;
    let session = fx.ra.decide_selfie("aigerim", review, &reject("face not visible"), None).await.unwrap();
    let session = serde_json::to_value(&session).unwrap();
    assert_eq!(state(&session), "expect_selfie");
    assert_eq!(session["state"]["attempts_left"], 4);
    assert_eq!(session["state"]["last_rejection"], "face not visible");
    let again = fx.ra.decide_selfie("aigerim", review, &ReviewDecision::Approve, None).await.unwrap_err();
    assert_eq!(again.api().unwrap().code.name(), "conflict");
    fx.to_csrs(id).await;
    let mut conn = db.storage.acquire().await.unwrap();
    let decided = reviews::reviews(&mut conn, SelfieReviewStatus::Accepted).await.unwrap();
    assert_eq!(decided.iter().filter(|r| r.session_id == id).map(|r| r.attempt).collect::<Vec<_>>(), [2]);
}

async fn refused_consent_fails_the_session(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, phone) = with_phone();
    let id = fx.to_selfie(&citizen, &phone).await;
    fx.upload(&paths::enrollment_selfie(id), "image/jpeg", JPEG).await;
    fx.ra
        .decide_selfie("aigerim", fx.pending_review(id).await, &ReviewDecision::Approve, None)
        .await
        .unwrap();
    fx.upload(&paths::enrollment_id_card_photo(id), "image/jpeg", JPEG).await;
    let (status, body) = fx.post(&paths::enrollment_consent(id), json!({"accepted": false})).await;
    assert_eq!((status, state(&body)), (StatusCode::OK, "failed".to_owned()), "{body}");
    assert_eq!(body["state"]["reason"], "consent_refused");
    assert!(body["state"].get("person").is_none());
}

async fn wrong_order_call_names_the_current_state(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, _) = with_phone();
    let session = fx.start(&citizen.iin).await;
    let (status, body) = fx.post(&paths::enrollment_email(session.id), json!({"email": "a@b.kz"})).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "wrong_state".to_owned()));
    assert_eq!(body["expected_state"], "expect_sms_code");
    let (status, body) = fx.post(&paths::enrollment_csrs(session.id), csr_pair()).await;
    assert_eq!((status, body["expected_state"].as_str()), (StatusCode::CONFLICT, Some("expect_sms_code")));
    let (status, body) = fx.get(&paths::enrollment(Uuid::new_v4())).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found".to_owned()));
    let bad_iin =
        json!({"iin": "900101300124", "device": {"platform": "ios", "os_version": "17", "app_version": "1"}});
    let (status, body) = fx.post(paths::ENROLLMENTS, bad_iin).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_iin".to_owned()));
}

async fn replayed_csr_step_returns_the_same_certificates(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, phone) = with_phone();
    let id = fx.to_selfie(&citizen, &phone).await;
    fx.to_csrs(id).await;
    let path = paths::enrollment_csrs(id);
    let (first_status, first) = fx.post_with_key(&path, "csr-key", &csr_pair()).await;
    assert_eq!(first_status, StatusCode::OK, "{first}");
    let (second_status, second) = fx.post_with_key(&path, "csr-key", &csr_pair()).await;
    assert_eq!((second_status, &second), (StatusCode::OK, &first));
    let other = json!({"auth": csr_pair()["sign"], "sign": csr_pair()["auth"]});
    let (status, body) = fx.post_with_key(&path, "csr-key", &other).await;
    assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "conflict".to_owned()));
    let (status, body) = fx.post_with_key(&path, "another-key", &csr_pair()).await;
    assert_eq!((status, body["expected_state"].as_str()), (StatusCode::CONFLICT, Some("issued")));
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM certificates").fetch_one(db.storage.pool()).await.unwrap();
    assert_eq!(count, 2);
}

async fn restart_in_the_middle_finishes_the_enrollment(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, phone) = with_phone();
    let id = fx.to_selfie(&citizen, &phone).await;
    fx.upload(&paths::enrollment_selfie(id), "image/jpeg", JPEG).await;
    let review = fx.pending_review(id).await;
    let clock = fx.clock.clone();
    drop(fx);
    let restarted = Fixture::on(db.reopen().await, clock);
    let (_, polled) = restarted.get(&paths::enrollment(id)).await;
    assert_eq!(state(&polled), "selfie_under_review", "{polled}");
    restarted.ra.decide_selfie("aigerim", review, &ReviewDecision::Approve, None).await.unwrap();
    restarted.upload(&paths::enrollment_id_card_photo(id), "image/jpeg", JPEG).await;
    restarted.post(&paths::enrollment_consent(id), json!({"accepted": true})).await;
    restarted.post(&paths::enrollment_email(id), json!({"email": "qanat@example.kz"})).await;
    let (_, body) = restarted.post(&paths::enrollment_csrs(id), csr_pair()).await;
    assert_issued(&body, &citizen);
}

async fn idle_session_expires(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, phone) = with_phone();
    let id = fx.to_selfie(&citizen, &phone).await;
    fx.clock.advance(Duration::minutes(29));
    let (status, _) = fx.upload(&paths::enrollment_selfie(id), "image/jpeg", JPEG).await;
    assert_eq!(status, StatusCode::OK, "a step pushes the expiry ahead");
    fx.clock.advance(Duration::minutes(31));
    let (status, body) = fx.get(&paths::enrollment(id)).await;
    assert_eq!((status, code(&body)), (StatusCode::GONE, "session_expired".to_owned()));
    let review = fx.pending_review(id).await;
    let late = fx.ra.decide_selfie("aigerim", review, &ReviewDecision::Approve, None).await.unwrap_err();
    assert_eq!(late.api().unwrap().code.name(), "session_expired");
}

async fn bad_starts_are_refused_with_typed_errors(db: TestDb) {
    let fx = Fixture::new(&db).await;
    let (citizen, _) = with_phone();
    let body =
        json!({"iin": citizen.iin, "device": {"platform": "desktop", "os_version": "1", "app_version": "1"}});
    let request = Request::post(paths::ENROLLMENTS)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, body) = fx.send(request).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "missing_idempotency_key".to_owned()));
    let (status, body) = fx.post(paths::ENROLLMENTS, json!({"iin": 5})).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "malformed_request".to_owned()));
    let unknown = ca_support::registry_record().iin;
    let body =
        json!({"iin": unknown, "device": {"platform": "desktop", "os_version": "1", "app_version": "1"}});
    let (status, body) = fx.post(paths::ENROLLMENTS, body).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::NOT_FOUND, "not_found".to_owned()),
        "valid IIN, not in the registry"
    );
}

async fn the_code_ends_with_the_android_app_hash_when_one_is_set(db: TestDb) {
    seed::load(&db.storage).await.unwrap();
    let hash = "FA+9qCX9VSu".parse().ok();
    let ra = Arc::new(Ra::new(db.storage.clone(), authority()).with_sms_app_hash(hash));
    let router = qoltanba_server::web::enrollment_routes(ra.clone(), true);
    let fx = Fixture { clock: Arc::new(FakeClock::new(OffsetDateTime::now_utc())), ra, router };
    let (citizen, phone) = with_phone();
    fx.start(&citizen.iin).await;
    let text = fx.last_sms(&phone).await;
    assert!(text.ends_with("NCA.\n\nFA+9qCX9VSu"), "{text:?}");
    // SMS Retriever hands over one SMS (140 bytes at most), and the code is still in it.
    assert_eq!(text.split(|c: char| !c.is_ascii_digit()).filter(|w| w.len() == 6).count(), 1, "{text:?}");
    assert!(text.len() <= 140, "{} bytes", text.len());
}
