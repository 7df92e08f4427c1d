//! Push-approved signing requests over real HTTP: a relying party asks, a registered device answers with
//! a real CMS made by the citizen's SIGN key, issued by the test CA. Every test runs on SQLite and on
//! PostgreSQL.

#[macro_use]
mod support;
#[path = "ca_support/mod.rs"]
mod ca_support;

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ca_support::cached_signer as signer;
use ca_support::{Citizen, issue_citizen, openssl, registry_record, text, write, write_pem};
use qoltanba_pki::cms::{self, SignOptions};
use qoltanba_pki::signer::Signer;
use qoltanba_pki::x509::Certificate;
use qoltanba_protocol::sign_requests::CALLBACK_SIGNATURE_HEADER;
use qoltanba_protocol::{DeviceRegistration, IDEMPOTENCY_KEY_HEADER, Platform, paths};
use qoltanba_server::bootstrap;
use qoltanba_server::ca::{Authority, IssuedCertificate};
use qoltanba_server::config::CaConfig;
use qoltanba_server::ra::FakeClock;
use qoltanba_server::signing::{Notifier, Signing, WakeUp, callback_signature, relying_parties};
use qoltanba_server::storage::audit;
use qoltanba_server::storage::certificates::{self, Revocation};
use qoltanba_server::web::sign_request_routes;
use serde_json::{Value, json};
use support::TestDb;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

backend_tests!(
    approved_attached_request_returns_a_cms_that_openssl_verifies,
    digest_only_request_is_signed_detached,
    refusal_is_called_back_with_a_valid_hmac,
    request_expires_after_two_minutes,
    newer_request_cancels_the_older,
    bad_api_key_is_unauthorized,
    another_relying_partys_request_is_not_found,
    sixth_request_to_a_citizen_within_a_minute_is_rate_limited,
    wrong_iin_unknown_signer_and_bad_display_text_are_refused,
    create_is_replayed_for_the_same_idempotency_key,
    event_stream_delivers_a_new_request_to_the_device,
    device_long_poll_returns_when_a_request_arrives,
    device_registration_is_refused_without_a_good_auth_key,
    approval_is_refused_over_other_data_or_by_another_citizen,
    sweep_expires_overdue_requests_and_tells_the_device,
    a_restarted_service_answers_from_the_database,
    devices_with_a_push_token_are_woken_without_content,
);

const OTHER_IIN: &str = "850314300122";

struct Fixture {
    dir: tempfile::TempDir,
    db: TestDb,
    url: String,
    clock: Arc<FakeClock>,
    authority: Authority,
    alice: Citizen,
    bob: Citizen,
    api_key: String,
    callback_secret: String,
    http: reqwest::Client,
    service: Arc<Signing>,
}

async fn fixture(db: TestDb) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let config = CaConfig {
        key_dir: dir.path().to_owned(),
        key_password: None,
        pkcs11: None,
        public_url: "http://127.0.0.1:9".into(),
    };
    let authority = bootstrap::open_authority(&db.storage, &config, now).await.unwrap();
    let alice = issue_citizen(&db.storage, &authority, &registry_record().iin, now).await;
    let bob = issue_citizen(&db.storage, &authority, OTHER_IIN, now).await;
    let added = relying_parties::add(&db.storage, "Demo Bank", &["127.0.0.1".into()], now).await.unwrap();
    let clock = Arc::new(FakeClock::new(now));
    let service = Arc::new(Signing::new(db.storage.clone(), true).with_clock(clock.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, sign_request_routes(service.clone())).into_future());
    Fixture {
        dir,
        db,
        url,
        clock,
        authority,
        alice,
        bob,
        api_key: added.api_key.to_string(),
        callback_secret: added.callback_secret.to_string(),
        http: reqwest::Client::new(),
        service,
    }
}

impl Fixture {
    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value, reqwest::header::HeaderMap) {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap();
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null), headers)
    }

    /// `POST /v1/sign-requests` with `key` and a fresh idempotency key.
    async fn create_with(&self, key: &str, body: &Value) -> (u16, Value, reqwest::header::HeaderMap) {
        let request = self
            .http
            .post(format!("{}{}", self.url, paths::SIGN_REQUESTS))
            .bearer_auth(key)
            .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string())
            .json(body);
        self.send(request).await
    }

    /// A request to Alice for `data` (attached), answered 201.
    async fn create(&self, body: &Value) -> Value {
        let (status, created, _) = self.create_with(&self.api_key, body).await;
        assert_eq!(status, 201, "{created}");
        created
    }

    async fn poll(&self, id: &str, query: &str) -> (u16, Value) {
        let request =
            self.http.get(format!("{}/v1/sign-requests/{id}{query}", self.url)).bearer_auth(&self.api_key);
        let (status, body, _) = self.send(request).await;
        (status, body)
    }

    fn registration(
        &self,
        who: &Citizen,
        certificate: &IssuedCertificate,
        at: OffsetDateTime,
    ) -> DeviceRegistration {
        let mut registration = DeviceRegistration {
            auth_certificate: STANDARD.encode(&certificate.der),
            registered_at: at,
            platform: Some(Platform::Desktop),
            push_token: None,
            signature: String::new(),
        };
        let _ = who;
        let message = registration.message(&hex::encode_upper(&certificate.serial)).unwrap();
        let key = if certificate.der == who.sign.der { signer("sign") } else { signer("auth") };
        registration.signature = STANDARD.encode(key.sign(&message).unwrap());
        registration
    }

    async fn register_raw(&self, registration: &DeviceRegistration) -> (u16, Value) {
        let request = self.http.post(format!("{}{}", self.url, paths::DEVICES)).json(registration);
        let (status, body, _) = self.send(request).await;
        (status, body)
    }

    /// Registers a device of `who`; returns its token.
    async fn device(&self, who: &Citizen) -> String {
        let (status, body) = self.register_raw(&self.registration(who, &who.auth, self.clock_now())).await;
        assert_eq!(status, 201, "{body}");
        body["device_token"].as_str().unwrap().to_owned()
    }

    fn clock_now(&self) -> OffsetDateTime {
        use qoltanba_server::ra::Clock;
        self.clock.now()
    }

    async fn device_post(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let request = self
            .http
            .post(format!("{}{path}", self.url))
            .bearer_auth(token)
            .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string())
            .json(body);
        let (status, body, _) = self.send(request).await;
        (status, body)
    }

    async fn approve(&self, token: &str, id: &str, cms: &[u8]) -> (u16, Value) {
        let path = paths::device_sign_request_approval(id.parse().unwrap());
        self.device_post(token, &path, &json!({ "signature": STANDARD.encode(cms) })).await
    }

    /// A CMS over `content` by `who`'s SIGN key and certificate.
    fn cms(&self, who: &Citizen, content: &[u8], detached: bool) -> Vec<u8> {
        let options = SignOptions { detached, signing_time: self.clock_now() };
        cms::sign(
            content,
            signer("sign"),
            &who.sign.certificate,
            &[self.authority.issuing().clone()],
            &options,
        )
        .unwrap()
    }

    async fn actions(&self, subject: &str) -> Vec<String> {
        let mut conn = self.db.storage.acquire().await.unwrap();
        audit::by_subject(&mut conn, subject).await.unwrap().into_iter().map(|e| e.action).collect()
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }
}

fn attached(iin: &str, data: &[u8]) -> Value {
    json!({ "iin": iin, "data": STANDARD.encode(data), "format": "attached", "display_text": "Loan agreement No. 42" })
}

fn sha256(data: &[u8]) -> Vec<u8> {
    qoltanba_pki::cms::DigestAlgorithm::Sha256.digest(data)
}

async fn approved_attached_request_returns_a_cms_that_openssl_verifies(db: TestDb) {
    let fx = fixture(db).await;
    let document = b"I take a loan of 1 000 000 tenge.";
    let created = fx.create(&attached(&fx.alice.iin, document)).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["verification_code"], qoltanba_protocol::verification_code(&sha256(document)));
    let token = fx.device(&fx.alice).await;
    let request = fx.http.get(format!("{}{}", fx.url, paths::DEVICE_SIGN_REQUESTS)).bearer_auth(&token);
    let (status, pending, _) = fx.send(request).await;
    assert_eq!(status, 200);
    assert_eq!(pending[0]["id"], id.as_str());
    assert_eq!(pending[0]["relying_party"], "Demo Bank");
    assert_eq!(pending[0]["verification_code"], created["verification_code"]);
    assert_eq!(pending[0]["data"], STANDARD.encode(document));
    // The relying party waits while the phone answers.
    let waiting = {
        let (http, url, key, id) = (fx.http.clone(), fx.url.clone(), fx.api_key.clone(), id.clone());
        tokio::spawn(async move {
            let response = http
                .get(format!("{url}/v1/sign-requests/{id}?timeoutMs=100000"))
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()
        })
    };
    let (status, answer) = fx.approve(&token, &id, &fx.cms(&fx.alice, document, false)).await;
    assert_eq!((status, &answer["status"]), (200, &json!("signed")), "{answer}");
    let state = waiting.await.unwrap();
    assert_eq!(state["status"], "signed", "{state}");
    let signature = STANDARD.decode(state["signature"].as_str().unwrap()).unwrap();
    let signer_pem = state["signer_certificate"].as_str().unwrap();
    assert_eq!(Certificate::load_pem_chain(signer_pem.as_bytes()).unwrap()[0], fx.alice.sign.certificate);
    // openssl verifies the CMS against the CA chain and gets the document back.
    let cms_path = write(fx.dir.path(), "signed.p7s", &signature);
    write_pem(fx.dir.path(), "root.pem", fx.authority.root());
    write_pem(fx.dir.path(), "issuing.pem", fx.authority.issuing());
    let out_path = fx.path("out.txt");
    let output = openssl(&[
        "cms",
        "-verify",
        "-inform",
        "DER",
        "-in",
        &cms_path,
        "-CAfile",
        &fx.path("root.pem"),
        "-certfile",
        &fx.path("issuing.pem"),
        "-purpose",
        "any",
        "-out",
        &out_path,
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(std::fs::read(&out_path).unwrap(), document);
    assert_eq!(fx.actions(&id).await, ["sign_request.created", "sign_request.signed"]);
}

async fn digest_only_request_is_signed_detached(db: TestDb) {
    let fx = fixture(db).await;
    let document = b"a document the bank keeps";
    let body = json!({ "iin": fx.alice.iin, "digest": STANDARD.encode(sha256(document)), "format": "detached",
                       "display_text": "Account statement" });
    let id = fx.create(&body).await["id"].as_str().unwrap().to_owned();
    let token = fx.device(&fx.alice).await;
    let (status, answer) = fx.approve(&token, &id, &fx.cms(&fx.alice, document, true)).await;
    assert_eq!(status, 200, "{answer}");
    let (_, state) = fx.poll(&id, "").await;
    assert_eq!(state["status"], "signed");
    let signature = STANDARD.decode(state["signature"].as_str().unwrap()).unwrap();
    let verified = cms::verify(&signature, Some(document)).unwrap();
    assert!(verified.all_valid());
}

async fn refusal_is_called_back_with_a_valid_hmac(db: TestDb) {
    let fx = fixture(db).await;
    let (sender, mut received) = tokio::sync::mpsc::unbounded_channel::<(String, Vec<u8>)>();
    let callback = axum::Router::new().route(
        "/callback",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let sender = sender.clone();
            async move {
                let signature = headers.get(CALLBACK_SIGNATURE_HEADER).unwrap().to_str().unwrap().to_owned();
                sender.send((signature, body.to_vec())).unwrap();
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let callback_url = format!("http://{}/callback", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, callback).into_future());
    let mut body = attached(&fx.alice.iin, b"contract");
    body["callback_url"] = json!(callback_url);
    let id = fx.create(&body).await["id"].as_str().unwrap().to_owned();
    let token = fx.device(&fx.alice).await;
    let (status, answer) =
        fx.device_post(&token, &paths::device_sign_request_refusal(id.parse().unwrap()), &json!({})).await;
    assert_eq!((status, &answer["status"]), (200, &json!("refused")));
    let (signature, posted) = received.recv().await.unwrap();
    assert_eq!(signature, callback_signature(fx.callback_secret.as_bytes(), &posted));
    assert_ne!(signature, callback_signature(b"another secret", &posted));
    let posted: Value = serde_json::from_slice(&posted).unwrap();
    assert_eq!(posted, json!({ "id": id, "status": "refused" }));
    assert_eq!(fx.poll(&id, "").await.1["status"], "refused");
    assert_eq!(fx.actions(&id).await, ["sign_request.created", "sign_request.refused"]);
}

async fn request_expires_after_two_minutes(db: TestDb) {
    let fx = fixture(db).await;
    let id = fx.create(&attached(&fx.alice.iin, b"late")).await["id"].as_str().unwrap().to_owned();
    let token = fx.device(&fx.alice).await;
    fx.clock.advance(Duration::seconds(119));
    assert_eq!(fx.poll(&id, "").await.1["status"], "pending");
    fx.clock.advance(Duration::seconds(2));
    assert_eq!(fx.poll(&id, "").await.1["status"], "expired");
    let (status, error) = fx.approve(&token, &id, &fx.cms(&fx.alice, b"late", false)).await;
    assert_eq!((status, &error["code"]), (410, &json!("session_expired")));
    assert_eq!(fx.actions(&id).await, ["sign_request.created", "sign_request.expired"]);
}

async fn newer_request_cancels_the_older(db: TestDb) {
    let fx = fixture(db).await;
    let first = fx.create(&attached(&fx.alice.iin, b"one")).await["id"].as_str().unwrap().to_owned();
    let second = fx.create(&attached(&fx.alice.iin, b"two")).await["id"].as_str().unwrap().to_owned();
    assert_eq!(fx.poll(&first, "").await.1["status"], "cancelled");
    assert_eq!(fx.poll(&second, "").await.1["status"], "pending");
    let token = fx.device(&fx.alice).await;
    let (status, error) = fx.approve(&token, &first, &fx.cms(&fx.alice, b"one", false)).await;
    assert_eq!((status, &error["expected_state"]), (409, &json!("cancelled")));
    assert_eq!(fx.actions(&first).await, ["sign_request.created", "sign_request.cancelled"]);
}

async fn bad_api_key_is_unauthorized(db: TestDb) {
    let fx = fixture(db).await;
    let (status, error, headers) = fx.create_with("not-a-key", &attached(&fx.alice.iin, b"x")).await;
    assert_eq!((status, &error["code"]), (401, &json!("unauthorized")));
    assert_eq!(headers.get("www-authenticate").unwrap(), "Bearer");
    let request =
        fx.http.post(format!("{}{}", fx.url, paths::SIGN_REQUESTS)).json(&attached(&fx.alice.iin, b"x"));
    assert_eq!(fx.send(request).await.0, 401);
}

async fn another_relying_partys_request_is_not_found(db: TestDb) {
    let fx = fixture(db).await;
    let id = fx.create(&attached(&fx.alice.iin, b"mine")).await["id"].as_str().unwrap().to_owned();
    let other = relying_parties::add(&fx.db.storage, "Other Bank", &[], fx.clock_now()).await.unwrap();
    let request =
        fx.http.get(format!("{}/v1/sign-requests/{id}", fx.url)).bearer_auth(other.api_key.as_str());
    let (status, error, _) = fx.send(request).await;
    assert_eq!((status, &error["code"]), (404, &json!("not_found")));
    assert_eq!(fx.poll(&id, "").await.0, 200);
}

async fn sixth_request_to_a_citizen_within_a_minute_is_rate_limited(db: TestDb) {
    let fx = fixture(db).await;
    for i in 0..5 {
        fx.create(&attached(&fx.alice.iin, format!("doc {i}").as_bytes())).await;
    }
    let (status, error, headers) = fx.create_with(&fx.api_key, &attached(&fx.alice.iin, b"doc 5")).await;
    assert_eq!((status, &error["code"]), (429, &json!("rate_limited")));
    assert_eq!(headers.get("retry-after").unwrap(), "60");
    fx.create(&attached(&fx.bob.iin, b"another citizen")).await;
    fx.clock.advance(Duration::seconds(60));
    fx.create(&attached(&fx.alice.iin, b"a minute later")).await;
}

async fn wrong_iin_unknown_signer_and_bad_display_text_are_refused(db: TestDb) {
    let fx = fixture(db).await;
    let (status, error, _) = fx.create_with(&fx.api_key, &attached("900101300256", b"x")).await;
    assert_eq!((status, &error["code"]), (422, &json!("invalid_iin")));
    let (status, error, _) = fx.create_with(&fx.api_key, &attached("990101300013", b"x")).await;
    assert_eq!((status, &error["code"]), (404, &json!("not_found")), "{error}");
    let mut long = attached(&fx.alice.iin, b"x");
    long["display_text"] = json!("ж".repeat(201));
    let (status, error, _) = fx.create_with(&fx.api_key, &long).await;
    assert_eq!((status, &error["code"]), (422, &json!("invalid_input")));
    let no_data = json!({ "iin": fx.alice.iin, "digest": STANDARD.encode(sha256(b"x")), "format": "attached",
                          "display_text": "x" });
    assert_eq!(fx.create_with(&fx.api_key, &no_data).await.0, 422);
    let mut foreign_callback = attached(&fx.alice.iin, b"x");
    foreign_callback["callback_url"] = json!("https://evil.example/cb");
    assert_eq!(fx.create_with(&fx.api_key, &foreign_callback).await.0, 422);
}

async fn create_is_replayed_for_the_same_idempotency_key(db: TestDb) {
    let fx = fixture(db).await;
    let send = || {
        fx.http
            .post(format!("{}{}", fx.url, paths::SIGN_REQUESTS))
            .bearer_auth(&fx.api_key)
            .header(IDEMPOTENCY_KEY_HEADER, "retry-1")
            .json(&attached(&fx.alice.iin, b"once"))
    };
    let (first_status, first, _) = fx.send(send()).await;
    let (second_status, second, _) = fx.send(send()).await;
    assert_eq!((first_status, second_status), (201, 201));
    assert_eq!(first, second);
    assert_eq!(fx.poll(first["id"].as_str().unwrap(), "").await.1["status"], "pending");
}

/// Reads the event stream until `needle` shows; returns what was read.
async fn read_until(response: &mut reqwest::Response, needle: &str) -> String {
    let mut seen = String::new();
    while !seen.contains(needle) {
        let chunk = response.chunk().await.unwrap().expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    seen
}

async fn event_stream_delivers_a_new_request_to_the_device(db: TestDb) {
    let fx = fixture(db).await;
    let token = fx.device(&fx.alice).await;
    let bob_token = fx.device(&fx.bob).await;
    let mut events =
        fx.http.get(format!("{}{}", fx.url, paths::DEVICE_EVENTS)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(events.status(), 200);
    assert!(events.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut bob_events = fx
        .http
        .get(format!("{}{}", fx.url, paths::DEVICE_EVENTS))
        .bearer_auth(&bob_token)
        .send()
        .await
        .unwrap();
    let id = fx.create(&attached(&fx.alice.iin, b"pushed")).await["id"].as_str().unwrap().to_owned();
    let seen = read_until(&mut events, &id).await;
    assert!(seen.contains("event: sign_request\n"), "{seen}");
    assert!(seen.contains("\"relying_party\":\"Demo Bank\""), "{seen}");
    // Bob's stream hears of Bob's request, never of Alice's.
    let bobs = fx.create(&attached(&fx.bob.iin, b"bob's")).await["id"].as_str().unwrap().to_owned();
    let bob_seen = read_until(&mut bob_events, &bobs).await;
    assert!(!bob_seen.contains(&id));
}

async fn device_long_poll_returns_when_a_request_arrives(db: TestDb) {
    let fx = fixture(db).await;
    let token = fx.device(&fx.alice).await;
    let waiting = {
        let request = fx
            .http
            .get(format!("{}{}?waitMs=100000", fx.url, paths::DEVICE_SIGN_REQUESTS))
            .bearer_auth(&token);
        tokio::spawn(async move { request.send().await.unwrap().json::<Value>().await.unwrap() })
    };
    // Time for the poll to find nothing pending and wait (HTTP shows no barrier to wait on); a poll that
    // only started after the request would pass without a wake-up, but a lost wake-up cannot pass: the
    // poll would hold for its 100 s, past the deadline below.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let id = fx.create(&attached(&fx.alice.iin, b"wake up")).await["id"].as_str().unwrap().to_owned();
    let pending = tokio::time::timeout(std::time::Duration::from_secs(30), waiting)
        .await
        .expect("the waiting poll is woken by the new request")
        .unwrap();
    assert_eq!(pending[0]["id"], id.as_str());
}

async fn device_registration_is_refused_without_a_good_auth_key(db: TestDb) {
    let fx = fixture(db).await;
    let now = fx.clock_now();
    let sign = fx.registration(&fx.alice, &fx.alice.sign, now);
    assert_eq!(fx.register_raw(&sign).await.1["code"], "forbidden");
    let stale = fx.registration(&fx.alice, &fx.alice.auth, now - Duration::minutes(6));
    assert_eq!(fx.register_raw(&stale).await.1["code"], "invalid_input");
    let mut forged = fx.registration(&fx.alice, &fx.alice.auth, now);
    forged.push_token = Some("swapped after signing".into());
    let (status, error) = fx.register_raw(&forged).await;
    assert_eq!((status, &error["code"]), (401, &json!("unauthorized")));
    let serial = hex::encode_upper(&fx.alice.auth.serial);
    let revocation = Revocation { at: now, reason: qoltanba_protocol::RevocationReason::KeyCompromise };
    let good = fx.registration(&fx.alice, &fx.alice.auth, now);
    assert_eq!(fx.register_raw(&good).await.0, 201);
    let token = fx.device(&fx.alice).await;
    certificates::revoke(&mut fx.db.storage.acquire().await.unwrap(), &serial, revocation).await.unwrap();
    let (status, error) = fx.register_raw(&good).await;
    assert_eq!((status, &error["code"]), (403, &json!("forbidden")));
    // The device dies with its AUTH certificate.
    let request = fx.http.get(format!("{}{}", fx.url, paths::DEVICE_SIGN_REQUESTS)).bearer_auth(&token);
    assert_eq!(fx.send(request).await.0, 401);
}

async fn approval_is_refused_over_other_data_or_by_another_citizen(db: TestDb) {
    let fx = fixture(db).await;
    let id =
        fx.create(&attached(&fx.alice.iin, b"the real contract")).await["id"].as_str().unwrap().to_owned();
    let token = fx.device(&fx.alice).await;
    let (status, error) = fx.approve(&token, &id, &fx.cms(&fx.alice, b"another contract", false)).await;
    assert_eq!((status, &error["code"]), (422, &json!("invalid_input")), "{error}");
    let (status, error) = fx.approve(&token, &id, &fx.cms(&fx.bob, b"the real contract", false)).await;
    assert_eq!((status, &error["code"]), (403, &json!("forbidden")), "{error}");
    let bob_token = fx.device(&fx.bob).await;
    let (status, _) = fx.approve(&bob_token, &id, &fx.cms(&fx.bob, b"the real contract", false)).await;
    assert_eq!(status, 404);
    assert_eq!(fx.poll(&id, "").await.1["status"], "pending");
}

async fn sweep_expires_overdue_requests_and_tells_the_device(db: TestDb) {
    let fx = fixture(db).await;
    let token = fx.device(&fx.alice).await;
    let id = fx.create(&attached(&fx.alice.iin, b"forgotten")).await["id"].as_str().unwrap().to_owned();
    let mut events =
        fx.http.get(format!("{}{}", fx.url, paths::DEVICE_EVENTS)).bearer_auth(&token).send().await.unwrap();
    read_until(&mut events, &id).await;
    assert_eq!(fx.service.sweep().await.unwrap(), 0);
    fx.clock.advance(Duration::seconds(121));
    assert_eq!(fx.service.sweep().await.unwrap(), 1);
    let seen = read_until(&mut events, "expired").await;
    assert!(seen.contains("event: sign_request_ended\n"), "{seen}");
    assert_eq!(fx.actions(&id).await, ["sign_request.created", "sign_request.expired"]);
    assert_eq!(fx.service.sweep().await.unwrap(), 0);
}

async fn a_restarted_service_answers_from_the_database(db: TestDb) {
    let fx = fixture(db).await;
    let document = b"survives a restart";
    let id = fx.create(&attached(&fx.alice.iin, document)).await["id"].as_str().unwrap().to_owned();
    let token = fx.device(&fx.alice).await;
    // A second process on the same database, with its own empty in-memory state.
    let restarted = Arc::new(Signing::new(fx.db.storage.clone(), true).with_clock(fx.clock.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, sign_request_routes(restarted)).into_future());
    let pending = fx.http.get(format!("{url}{}", paths::DEVICE_SIGN_REQUESTS)).bearer_auth(&token);
    assert_eq!(fx.send(pending).await.1[0]["id"], id.as_str());
    let cms = STANDARD.encode(fx.cms(&fx.alice, document, false));
    let approval = |base: &str| {
        fx.http
            .post(format!("{base}{}", paths::device_sign_request_approval(id.parse().unwrap())))
            .bearer_auth(&token)
            .header(IDEMPOTENCY_KEY_HEADER, "approve-1")
            .json(&json!({ "signature": cms }))
    };
    assert_eq!(fx.send(approval(&url)).await.0, 200);
    // A retry with the same key, to the first process, gets the same answer (not `wrong_state`).
    let (status, replayed, _) = fx.send(approval(&fx.url)).await;
    assert_eq!((status, &replayed["status"]), (200, &json!("signed")), "{replayed}");
    let state = fx.http.get(format!("{url}/v1/sign-requests/{id}")).bearer_auth(&fx.api_key);
    assert_eq!(fx.send(state).await.1["status"], "signed");
}

/// Records wake-ups.
struct RecordingNotifier(tokio::sync::mpsc::UnboundedSender<WakeUp>);

impl Notifier for RecordingNotifier {
    fn wake(&self, wake_up: WakeUp) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        let _ = self.0.send(wake_up);
        Box::pin(std::future::ready(()))
    }
}

async fn devices_with_a_push_token_are_woken_without_content(db: TestDb) {
    let fx = fixture(db).await;
    let mut registration = fx.registration(&fx.alice, &fx.alice.auth, fx.clock_now());
    registration.push_token = Some("fcm-token-1".into());
    let message = registration.message(&hex::encode_upper(&fx.alice.auth.serial)).unwrap();
    registration.signature = STANDARD.encode(signer("auth").sign(&message).unwrap());
    assert_eq!(fx.register_raw(&registration).await.0, 201);
    fx.device(&fx.alice).await; // a device without a push token is not woken
    let (sender, mut woken) = tokio::sync::mpsc::unbounded_channel();
    let service = Signing::new(fx.db.storage.clone(), true)
        .with_clock(fx.clock.clone())
        .with_notifier(Arc::new(RecordingNotifier(sender)));
    let rp = relying_parties::authenticate(&fx.db.storage, &fx.api_key).await.unwrap();
    let request: qoltanba_protocol::CreateSignRequest =
        serde_json::from_value(attached(&fx.alice.iin, b"wake")).unwrap();
    service.create(&rp, &request, None).await.unwrap();
    let wake_up = woken.recv().await.unwrap();
    assert_eq!(wake_up, WakeUp { platform: Some(Platform::Desktop), push_token: "fcm-token-1".into() });
    assert!(woken.try_recv().is_err());
}
