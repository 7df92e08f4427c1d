//! QR login over real HTTP: a browser (a reqwest client carrying its cookies by hand) starts a session
//! and waits on server-sent events; a phone scans the QR frame and answers with a real RSA signature
//! made by an enrolled citizen's AUTH key, issued by the test CA. Every test runs on SQLite and on
//! PostgreSQL (when configured).

#[macro_use]
mod support;
#[path = "ca_support/mod.rs"]
mod ca_support;

use std::net::SocketAddr;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ca_support::cached_signer as signer;
use ca_support::{Citizen, issue_citizen, registry_record};
use qoltanba_pki::signer::Signer;
use qoltanba_protocol::login::{LOGIN_BROWSER_COOKIE, LOGIN_SESSION_COOKIE, LOGIN_STATUS_EVENT};
use qoltanba_protocol::{
    IDEMPOTENCY_KEY_HEADER, LoginAnswer, LoginChallenge, LoginRefusal, LoginStatus, paths,
};
use qoltanba_server::bootstrap;
use qoltanba_server::ca::{Authority, IssuedCertificate};
use qoltanba_server::config::CaConfig;
use qoltanba_server::login::{Login, StartLimit};
use qoltanba_server::ra::FakeClock;
use qoltanba_server::storage::certificates::{self, Revocation};
use qoltanba_server::web::{QR_TEXT_HEADER, login_routes};
use serde_json::{Value, json};
use support::TestDb;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

backend_tests!(
    approved_login_tells_the_waiting_page_and_logs_the_browser_in,
    wrong_number_is_refused_on_both_sides,
    replayed_answer_is_refused,
    answer_for_another_session_is_refused,
    revoked_certificate_is_refused,
    expired_certificate_is_refused,
    sign_certificate_is_refused_for_login,
    bad_signature_is_refused,
    stale_qr_frame_is_refused,
    only_the_starting_browser_sees_and_completes_the_session,
    second_scan_is_refused,
    starts_are_rate_limited_per_address,
    session_expires_after_a_minute,
    declined_login_is_refused_on_the_page,
    login_page_speaks_kazakh_russian_and_english_with_stable_ids,
);

struct Fixture {
    _dir: tempfile::TempDir,
    db: TestDb,
    url: String,
    clock: Arc<FakeClock>,
    alice: Citizen,
    http: reqwest::Client,
}

/// A browser: its cookies, kept by hand.
struct Browser {
    cookie: String,
    session: Value,
}

async fn fixture_with(db: TestDb, limit: StartLimit) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let config = CaConfig {
        key_dir: dir.path().to_owned(),
        key_password: None,
        pkcs11: None,
        public_url: "http://127.0.0.1:9".into(),
    };
    let authority: Authority = bootstrap::open_authority(&db.storage, &config, now).await.unwrap();
    let alice = issue_citizen(&db.storage, &authority, &registry_record().iin, now).await;
    let clock = Arc::new(FakeClock::new(now));
    let service = Login::new(db.storage.clone(), Arc::new(authority), "eGov")
        .with_clock(clock.clone())
        .with_start_limit(limit);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = login_routes(Arc::new(service), false).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(axum::serve(listener, app).into_future());
    Fixture { _dir: dir, db, url, clock, alice, http: reqwest::Client::new() }
}

async fn fixture(db: TestDb) -> Fixture {
    fixture_with(db, StartLimit::default()).await
}

async fn send(request: reqwest::RequestBuilder) -> (u16, Value, reqwest::header::HeaderMap) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null), headers)
}

impl Fixture {
    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.url))
            .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string())
    }

    async fn start_raw(&self) -> (u16, Value, reqwest::header::HeaderMap) {
        send(
            self.post(paths::LOGIN_SESSIONS)
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"),
        )
        .await
    }

    async fn start(&self) -> Browser {
        let (status, session, headers) = self.start_raw().await;
        assert_eq!(status, 201, "{session}");
        let set = headers.get("set-cookie").unwrap().to_str().unwrap();
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
        let cookie = set.split(';').next().unwrap().to_owned();
        assert!(cookie.starts_with(&format!("{LOGIN_BROWSER_COOKIE}=")));
        Browser { cookie, session }
    }

    fn id(browser: &Browser) -> Uuid {
        browser.session["session_id"].as_str().unwrap().parse().unwrap()
    }

    /// The QR frame the browser's image shows now.
    async fn frame(&self, browser: &Browser) -> String {
        let response = self
            .http
            .get(format!("{}{}", self.url, paths::login_session_qr(Self::id(browser))))
            .header("Cookie", &browser.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/svg+xml");
        let text = response.headers()[QR_TEXT_HEADER].to_str().unwrap().to_owned();
        let svg = response.text().await.unwrap();
        assert!(svg.contains("<svg"), "an SVG image");
        text
    }

    async fn scan_raw(&self, qr: &str) -> (u16, Value) {
        let (status, body, _) = send(self.post(paths::LOGIN_SCANS).json(&json!({ "qr": qr }))).await;
        (status, body)
    }

    async fn scan(&self, browser: &Browser) -> LoginChallenge {
        let (status, body) = self.scan_raw(&self.frame(browser).await).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_value(body).unwrap()
    }

    fn answer_with(
        &self,
        challenge: &LoginChallenge,
        number: u8,
        cert: &IssuedCertificate,
        key: &str,
    ) -> LoginAnswer {
        let signature = signer(key).sign(&challenge.message(number)).unwrap();
        LoginAnswer {
            session_id: challenge.session_id,
            nonce: challenge.nonce.clone(),
            number,
            auth_certificate: STANDARD.encode(&cert.der),
            signature: STANDARD.encode(signature),
        }
    }

    /// Alice's honest answer, picking the page's number.
    fn answer(&self, challenge: &LoginChallenge, browser: &Browser) -> LoginAnswer {
        let number = browser.session["number"].as_u64().unwrap() as u8;
        self.answer_with(challenge, number, &self.alice.auth, "auth")
    }

    async fn send_answer(&self, id: Uuid, answer: &LoginAnswer) -> (u16, Value) {
        let (status, body, _) = send(self.post(&paths::login_session_answer(id)).json(answer)).await;
        (status, body)
    }

    async fn status(&self, browser: &Browser) -> LoginStatus {
        let request = self
            .http
            .get(format!("{}{}", self.url, paths::login_session(Self::id(browser))))
            .header("Cookie", &browser.cookie);
        let (status, body, _) = send(request).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_value(body).unwrap()
    }

    async fn complete(&self, browser: &Browser, cookie: &str) -> (u16, Value, reqwest::header::HeaderMap) {
        send(self.post(&paths::login_session_completion(Self::id(browser))).header("Cookie", cookie)).await
    }
}

fn refusal(body: &Value) -> LoginRefusal {
    serde_json::from_value(body["refusal"].clone()).unwrap_or_else(|_| panic!("no refusal in {body}"))
}

/// Reads server-sent events from `response` until one `login_status` arrives.
async fn next_status(response: &mut reqwest::Response, buffer: &mut String) -> LoginStatus {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if event.contains(&format!("event: {LOGIN_STATUS_EVENT}")) {
                let data = event.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
                return serde_json::from_str(data).unwrap();
            }
            continue;
        }
        let chunk = response.chunk().await.unwrap().expect("the stream goes on");
        buffer.push_str(std::str::from_utf8(&chunk).unwrap());
    }
}

async fn approved_login_tells_the_waiting_page_and_logs_the_browser_in(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let mut events = fx
        .http
        .get(format!("{}{}", fx.url, paths::login_session_events(Fixture::id(&browser))))
        .header("Cookie", &browser.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    let mut buffer = String::new();
    assert_eq!(next_status(&mut events, &mut buffer).await, LoginStatus::Waiting);

    let challenge = fx.scan(&browser).await;
    assert_eq!(challenge.relying_party, "eGov");
    assert_eq!(challenge.browser, "Firefox 128 on Linux");
    assert!(!challenge.address_differs, "phone and browser share 127.0.0.1");
    let number = browser.session["number"].as_u64().unwrap() as u8;
    assert_eq!(challenge.numbers.iter().filter(|n| **n == number).count(), 1, "{:?}", challenge.numbers);
    assert_eq!(next_status(&mut events, &mut buffer).await, LoginStatus::Scanned);

    let (status, accepted) = fx.send_answer(challenge.session_id, &fx.answer(&challenge, &browser)).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(next_status(&mut events, &mut buffer).await, LoginStatus::Approved);

    let (status, citizen, headers) = fx.complete(&browser, &browser.cookie).await;
    assert_eq!(status, 200, "{citizen}");
    let subject = registry_record();
    assert_eq!(citizen["iin"], subject.iin);
    assert!(citizen["name"].as_str().unwrap().contains(&subject.surname), "{citizen}");
    let set = headers["set-cookie"].to_str().unwrap();
    assert!(
        set.starts_with(LOGIN_SESSION_COOKIE) && set.contains("HttpOnly") && set.contains("SameSite=Strict")
    );
    let session_cookie = set.split(';').next().unwrap();
    let page = fx
        .http
        .get(format!("{}/login/welcome?lang=en", fx.url))
        .header("Cookie", session_cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("<span id=\"citizen-iin\">{}</span>", subject.iin)), "{page}");
    assert!(page.contains("id=\"citizen-name\""));
    let (again, body, _) = fx.complete(&browser, &browser.cookie).await;
    assert_eq!((again, refusal(&body)), (409, LoginRefusal::Replayed), "a login completes once");
}

async fn wrong_number_is_refused_on_both_sides(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let challenge = fx.scan(&browser).await;
    let number = browser.session["number"].as_u64().unwrap() as u8;
    let wrong = *challenge.numbers.iter().find(|n| **n != number).unwrap();
    let (status, body) = fx
        .send_answer(challenge.session_id, &fx.answer_with(&challenge, wrong, &fx.alice.auth, "auth"))
        .await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::WrongNumber), "{body}");
    assert_eq!(fx.status(&browser).await, LoginStatus::Refused { reason: LoginRefusal::WrongNumber });
    let (status, _) = fx.send_answer(challenge.session_id, &fx.answer(&challenge, &browser)).await;
    assert_eq!(status, 409, "no second chance after a wrong number");
}

async fn replayed_answer_is_refused(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let challenge = fx.scan(&browser).await;
    let answer = fx.answer(&challenge, &browser);
    let path = paths::login_session_answer(challenge.session_id);
    let key = Uuid::new_v4().to_string();
    let keyed =
        || fx.http.post(format!("{}{path}", fx.url)).header(IDEMPOTENCY_KEY_HEADER, &key).json(&answer);
    assert_eq!(send(keyed()).await.0, 200);
    let (status, body, _) = send(keyed()).await;
    assert_eq!(status, 200, "the phone's retry (same idempotency key) is accepted again: {body}");
    let (status, body) = fx.send_answer(challenge.session_id, &answer).await;
    assert_eq!((status, refusal(&body)), (409, LoginRefusal::Replayed), "{body}");
    assert_eq!(fx.status(&browser).await, LoginStatus::Approved, "the replay changes nothing");
}

async fn answer_for_another_session_is_refused(db: TestDb) {
    let fx = fixture(db).await;
    let victim = fx.start().await;
    let attacker = fx.start().await;
    let challenge = fx.scan(&victim).await;
    fx.scan(&attacker).await;
    let (status, body) = fx.send_answer(Fixture::id(&attacker), &fx.answer(&challenge, &victim)).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::OtherSession), "{body}");
    assert_eq!(fx.status(&attacker).await, LoginStatus::Scanned, "the attacker's browser is not logged in");
}

async fn revoked_certificate_is_refused(db: TestDb) {
    let fx = fixture(db).await;
    let serial = hex::encode_upper(&fx.alice.auth.serial);
    let revocation = Revocation { at: fx.now(), reason: qoltanba_protocol::RevocationReason::KeyCompromise };
    certificates::revoke(&mut fx.db.storage.acquire().await.unwrap(), &serial, revocation).await.unwrap();
    fx.clock.advance(Duration::seconds(1));
    let browser = fx.start().await;
    let challenge = fx.scan(&browser).await;
    let (status, body) = fx.send_answer(challenge.session_id, &fx.answer(&challenge, &browser)).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::CertificateRevoked), "{body}");
    assert_eq!(fx.status(&browser).await, LoginStatus::Refused { reason: LoginRefusal::CertificateRevoked });
}

async fn expired_certificate_is_refused(db: TestDb) {
    let fx = fixture(db).await;
    fx.clock.advance(Duration::days(366));
    let browser = fx.start().await;
    let challenge = fx.scan(&browser).await;
    let (status, body) = fx.send_answer(challenge.session_id, &fx.answer(&challenge, &browser)).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::CertificateExpired), "{body}");
}

async fn sign_certificate_is_refused_for_login(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let challenge = fx.scan(&browser).await;
    let number = browser.session["number"].as_u64().unwrap() as u8;
    let answer = fx.answer_with(&challenge, number, &fx.alice.sign, "sign");
    let (status, body) = fx.send_answer(challenge.session_id, &answer).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::NotAnAuthCertificate), "{body}");
}

async fn bad_signature_is_refused(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let challenge = fx.scan(&browser).await;
    let number = browser.session["number"].as_u64().unwrap() as u8;
    let answer = fx.answer_with(&challenge, number, &fx.alice.auth, "sign");
    let (status, body) = fx.send_answer(challenge.session_id, &answer).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::BadSignature), "{body}");
}

async fn stale_qr_frame_is_refused(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let old = fx.frame(&browser).await;
    fx.clock.advance(Duration::seconds(4));
    let (status, body) = fx.scan_raw(&old).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::StaleQrCode), "{body}");
    let current = fx.frame(&browser).await;
    assert_ne!(current, old);
    let forged =
        format!("{}{}", &current[..current.len() - 1], if current.ends_with('0') { '1' } else { '0' });
    let (status, body) = fx.scan_raw(&forged).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::StaleQrCode), "{body}");
    assert_eq!(fx.scan_raw(&current).await.0, 200);
}

async fn only_the_starting_browser_sees_and_completes_the_session(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let intruder = fx.start().await;
    let qr = fx.http.get(format!("{}{}", fx.url, paths::login_session_qr(Fixture::id(&browser))));
    let (status, body, _) = send(qr.header("Cookie", &intruder.cookie)).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::OtherBrowser), "{body}");
    let challenge = fx.scan(&browser).await;
    assert_eq!(fx.send_answer(challenge.session_id, &fx.answer(&challenge, &browser)).await.0, 200);
    let (status, body, headers) = fx.complete(&browser, &intruder.cookie).await;
    assert_eq!((status, refusal(&body)), (403, LoginRefusal::OtherBrowser), "{body}");
    assert!(headers.get("set-cookie").is_none());
    assert_eq!(fx.complete(&browser, &browser.cookie).await.0, 200, "the right browser still can");
}

async fn second_scan_is_refused(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let qr = fx.frame(&browser).await;
    let key = Uuid::new_v4().to_string();
    let keyed = || {
        let request = fx.http.post(format!("{}{}", fx.url, paths::LOGIN_SCANS));
        request.header(IDEMPOTENCY_KEY_HEADER, &key).json(&json!({ "qr": qr }))
    };
    let (status, first, _) = send(keyed()).await;
    assert_eq!(status, 200, "{first}");
    let (status, retried, _) = send(keyed()).await;
    assert_eq!((status, &retried), (200, &first), "the phone's retry gets the same challenge");
    let (status, body) = fx.scan_raw(&qr).await;
    assert_eq!((status, refusal(&body)), (409, LoginRefusal::AlreadyScanned), "{body}");
}

async fn starts_are_rate_limited_per_address(db: TestDb) {
    let fx = fixture_with(db, StartLimit { per_address: 2, window: Duration::minutes(1) }).await;
    fx.start().await;
    fx.start().await;
    let (status, body, headers) = fx.start_raw().await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")), "{body}");
    assert_eq!(headers["retry-after"], "60");
    fx.clock.advance(Duration::minutes(1));
    fx.start().await;
}

async fn session_expires_after_a_minute(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let qr = fx.frame(&browser).await;
    fx.clock.advance(Duration::seconds(60));
    assert_eq!(fx.status(&browser).await, LoginStatus::Expired);
    let (status, body) = fx.scan_raw(&qr).await;
    assert_eq!((status, refusal(&body)), (410, LoginRefusal::Expired), "{body}");
}

impl Fixture {
    fn now(&self) -> OffsetDateTime {
        use qoltanba_server::ra::Clock;
        self.clock.now()
    }
}

async fn declined_login_is_refused_on_the_page(db: TestDb) {
    let fx = fixture(db).await;
    let browser = fx.start().await;
    let challenge = fx.scan(&browser).await;
    let path = paths::login_session_refusal(challenge.session_id);
    let (status, _, _) = send(fx.post(&path).json(&json!({ "nonce": "not the nonce" }))).await;
    assert_eq!(status, 404, "declining needs the challenge's nonce");
    let (status, body, _) = send(fx.post(&path).json(&json!({ "nonce": challenge.nonce }))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(fx.status(&browser).await, LoginStatus::Refused { reason: LoginRefusal::Declined });
}

async fn login_page_speaks_kazakh_russian_and_english_with_stable_ids(db: TestDb) {
    let fx = fixture(db).await;
    for (lang, title, wrong_number) in [
        ("kk", "eGov жүйесіне кіру", "Телефонда қате сан таңдалды."),
        ("ru", "Вход в eGov", "На телефоне выбрано неверное число."),
        ("en", "Log in to eGov", "The wrong number was picked on the phone."),
    ] {
        let page =
            fx.http.get(format!("{}/login?lang={lang}", fx.url)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains(&format!("<html lang=\"{lang}\"")) && page.contains(title), "{lang}");
        assert!(page.contains(wrong_number), "{lang}: the refusal texts are on the page");
        for id in ["qr", "number", "status", "refusal", "restart"] {
            assert!(page.contains(&format!("id=\"{id}\"")), "{lang}: #{id}");
        }
    }
    let anonymous = fx.http.get(format!("{}/login/welcome", fx.url)).send().await.unwrap();
    assert!(anonymous.url().path().ends_with("/login"), "no citizen cookie: back to the login page");
}
