//! The CA brought up from the database, and its OCSP / CRL endpoints over real HTTP, judged by openssl.
//! Every test runs on SQLite and on PostgreSQL.

#[macro_use]
mod support;
#[path = "ca_support/mod.rs"]
mod ca_support;
mod console_support;

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use ca_support::{csr, fixture_signer, openssl, registry_record, text, write, write_pem};
use qoltanba_pki::signer::Signer;
use qoltanba_pki::x509::der::Encode;
use qoltanba_protocol::{
    CertificatePurpose, CitizenRevocation, IDEMPOTENCY_KEY_HEADER, RevocationReason, paths,
};
use qoltanba_server::accounts;
use qoltanba_server::bootstrap::{self, BootstrapError};
use qoltanba_server::ca::{Authority, IssuedCertificate};
use qoltanba_server::config::CaConfig;
use qoltanba_server::ra::Ra;
use qoltanba_server::storage::audit;
use qoltanba_server::storage::certificates::{self, CertificateRecord, Revocation};
use qoltanba_server::web::{
    CSRF_HEADER, ConsoleState, PkiState, certificate_routes, console_routes, operator_routes, pki_routes,
};
use serde_json::{Value, json};
use std::sync::Arc;
use support::TestDb;
use time::Duration;
use time::OffsetDateTime;
use tower::ServiceExt;
use zeroize::Zeroizing;

backend_tests!(
    holder_revocation_signed_with_the_auth_key_shows_in_ocsp_at_once,
    operator_revocation_shows_in_ocsp_and_the_crl_at_once,
    ocsp_says_good_then_revoked_at_once,
    crl_lists_revoked_certificates,
    restart_keeps_the_same_ca
);

fn ca_config(dir: &std::path::Path, public_url: &str) -> CaConfig {
    CaConfig { key_dir: dir.to_owned(), key_password: None, pkcs11: None, public_url: public_url.to_owned() }
}

/// A CA on `db`, an AUTH and a SIGN certificate issued and stored, and the PKI, revocation, operator
/// and console routes served on a real port.
struct Fixture {
    dir: tempfile::TempDir,
    authority: Arc<Authority>,
    url: String,
    /// The SIGN certificate's serial (`leaf.pem`).
    serial: String,
    /// The AUTH certificate's serial (`auth.pem`).
    auth_serial: String,
    router: axum::Router,
}

/// Stores an issued certificate as the RA would.
async fn store(
    db: &TestDb,
    issued: &IssuedCertificate,
    purpose: CertificatePurpose,
    now: OffsetDateTime,
) -> String {
    let serial = hex::encode_upper(&issued.serial);
    let validity = issued.certificate.tbs_certificate().validity();
    let time = |t: &qoltanba_pki::x509::time::Time| {
        OffsetDateTime::from_unix_timestamp(t.to_unix_duration().as_secs() as i64).unwrap()
    };
    let record = CertificateRecord {
        serial: serial.clone(),
        iin: registry_record().iin,
        purpose,
        session_id: None,
        not_before: time(&validity.not_before),
        not_after: time(&validity.not_after),
        der: issued.der.clone(),
        revocation: None,
        created_at: now,
    };
    certificates::insert(&mut db.storage.acquire().await.unwrap(), &record).await.unwrap();
    serial
}

async fn fixture(db: &TestDb) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let now = OffsetDateTime::now_utc();
    let authority = bootstrap::open_authority(&db.storage, &ca_config(dir.path(), &url), now).await.unwrap();
    let pair = authority.issue_pair(&registry_record(), &csr("auth"), &csr("sign"), now).unwrap();
    let serial = store(db, &pair.sign, CertificatePurpose::Sign, now).await;
    let auth_serial = store(db, &pair.auth, CertificatePurpose::Auth, now).await;
    write_pem(dir.path(), "issuing.pem", authority.issuing());
    write_pem(dir.path(), "root.pem", authority.root());
    write_pem(dir.path(), "leaf.pem", &pair.sign.certificate);
    write_pem(dir.path(), "auth.pem", &pair.auth.certificate);
    let authority = Arc::new(authority);
    let ra = Arc::new(Ra::new(db.storage.clone(), authority.clone()));
    let router = pki_routes(PkiState { authority: authority.clone(), storage: db.storage.clone() })
        .merge(certificate_routes(ra.clone()))
        .merge(operator_routes(ra))
        .merge(console_routes(ConsoleState { storage: db.storage.clone(), secure_cookies: false }));
    tokio::spawn(axum::serve(listener, router.clone()).into_future());
    Fixture { dir, authority, url, serial, auth_serial, router }
}

impl Fixture {
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    /// `openssl ocsp` against the live responder (with a nonce) about the SIGN certificate; returns its
    /// output.
    async fn ask_openssl(&self) -> String {
        self.ask_openssl_about("leaf.pem").await
    }

    /// `openssl ocsp` against the live responder (with a nonce) about the certificate in `leaf`.
    async fn ask_openssl_about(&self, leaf: &str) -> String {
        let args = [
            "ocsp".to_owned(),
            "-issuer".to_owned(),
            self.path("issuing.pem"),
            "-cert".to_owned(),
            self.path(leaf),
            "-url".to_owned(),
            format!("{}/ocsp", self.url),
            "-VAfile".to_owned(),
            self.path("issuing.pem"),
        ];
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            text(&openssl(&args))
        })
        .await
        .unwrap()
    }

    async fn get(&self, uri: &str) -> Vec<u8> {
        let response =
            self.router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        assert!(response.status().is_success(), "{uri}: {}", response.status());
        to_bytes(response.into_body(), 1 << 20).await.unwrap().to_vec()
    }
}

/// `POST` a JSON body with a fresh idempotency key (and the operator's cookie and CSRF token, if given).
async fn post(
    router: &axum::Router,
    path: &str,
    body: &Value,
    operator: Option<(&str, &str)>,
) -> (StatusCode, Value) {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(IDEMPOTENCY_KEY_HEADER, uuid::Uuid::new_v4().to_string());
    if let Some((cookie, csrf)) = operator {
        request = request.header(header::COOKIE, cookie).header(CSRF_HEADER, csrf);
    }
    let response = router.clone().oneshot(request.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// A holder's revocation of `serial` at `at`, signed by the fixture key `key`.
fn holder_request(serial: &str, auth_serial: &str, key: &str, at: OffsetDateTime) -> Value {
    let mut request = CitizenRevocation {
        reason: RevocationReason::KeyCompromise,
        requested_at: at,
        auth_serial: auth_serial.to_owned(),
        signature: String::new(),
    };
    let signature = fixture_signer(key).sign(&request.message(serial).unwrap()).unwrap();
    request.signature = base64::engine::general_purpose::STANDARD.encode(signature);
    serde_json::to_value(request).unwrap()
}

async fn revocations(db: &TestDb, serial: &str) -> usize {
    let mut conn = db.storage.acquire().await.unwrap();
    let entries = audit::by_subject(&mut conn, serial).await.unwrap();
    entries.iter().filter(|e| e.action == "certificate.revoked").count()
}

async fn holder_revocation_signed_with_the_auth_key_shows_in_ocsp_at_once(db: TestDb) {
    let fixture = fixture(&db).await;
    let answer = fixture.ask_openssl().await;
    assert!(answer.contains("leaf.pem: good"), "{answer}");
    let path = paths::certificate_revocation(&fixture.serial);
    let now = OffsetDateTime::now_utc();
    let by_sign_key = holder_request(&fixture.serial, &fixture.auth_serial, "sign", now);
    let (status, body) = post(&fixture.router, &path, &by_sign_key, None).await;
    assert_eq!((status, &body["code"]), (StatusCode::UNAUTHORIZED, &json!("unauthorized")), "{body}");
    let stale = holder_request(&fixture.serial, &fixture.auth_serial, "auth", now - Duration::minutes(6));
    let (status, body) = post(&fixture.router, &path, &stale, None).await;
    assert_eq!(
        (status, &body["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("invalid_input")),
        "{body}"
    );
    assert!(fixture.ask_openssl().await.contains("leaf.pem: good"), "refused requests revoke nothing");

    let request = holder_request(&fixture.serial, &fixture.auth_serial, "auth", now);
    let (status, first) = post(&fixture.router, &path, &request, None).await;
    assert_eq!((status, &first["status"]), (StatusCode::OK, &json!("revoked")), "{first}");
    let answer = fixture.ask_openssl().await;
    assert!(answer.contains("leaf.pem: revoked") && answer.contains("keyCompromise"), "{answer}");
    let (status, again) = post(&fixture.router, &path, &request, None).await;
    assert_eq!((status, again), (StatusCode::OK, first), "revoking twice answers the same");
    assert_eq!(revocations(&db, &fixture.serial).await, 1);

    // The AUTH certificate may revoke itself; once revoked, its key speaks for nothing.
    let own = paths::certificate_revocation(&fixture.auth_serial);
    let itself = holder_request(&fixture.auth_serial, &fixture.auth_serial, "auth", now);
    assert_eq!(post(&fixture.router, &own, &itself, None).await.0, StatusCode::OK);
    assert!(fixture.ask_openssl_about("auth.pem").await.contains("auth.pem: revoked"));
    let (status, body) = post(&fixture.router, &path, &request, None).await;
    assert_eq!((status, &body["code"]), (StatusCode::FORBIDDEN, &json!("forbidden")), "{body}");
    let unknown = paths::certificate_revocation("0A0B");
    assert_eq!(post(&fixture.router, &unknown, &request, None).await.0, StatusCode::NOT_FOUND);
}

async fn operator_revocation_shows_in_ocsp_and_the_crl_at_once(db: TestDb) {
    let fixture = fixture(&db).await;
    accounts::create(
        &db.storage,
        "aigerim",
        Zeroizing::new("correct horse battery".into()),
        "cli",
        OffsetDateTime::now_utc(),
    )
    .await
    .unwrap();
    let (cookie, csrf) =
        console_support::logged_in(&fixture.router, "aigerim", "correct horse battery").await;
    assert!(fixture.ask_openssl().await.contains("leaf.pem: good"));
    let path = paths::operator_certificate_revocation(&fixture.serial);
    let body = json!({"reason": "cessation_of_operation", "comment": "the holder called, ticket 42"});
    assert_eq!(post(&fixture.router, &path, &body, Some((&cookie, "wrong"))).await.0, StatusCode::FORBIDDEN);
    assert_eq!(post(&fixture.router, &path, &body, None).await.0, StatusCode::UNAUTHORIZED);
    let silent = json!({"reason": "cessation_of_operation", "comment": "  "});
    assert_eq!(
        post(&fixture.router, &path, &silent, Some((&cookie, &csrf))).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(fixture.ask_openssl().await.contains("leaf.pem: good"));

    let (status, first) = post(&fixture.router, &path, &body, Some((&cookie, &csrf))).await;
    assert_eq!((status, &first["status"]), (StatusCode::OK, &json!("revoked")), "{first}");
    let answer = fixture.ask_openssl().await;
    assert!(answer.contains("leaf.pem: revoked") && answer.contains("cessationOfOperation"), "{answer}");
    let (status, again) = post(&fixture.router, &path, &body, Some((&cookie, &csrf))).await;
    assert_eq!((status, again), (StatusCode::OK, first));
    assert_eq!(revocations(&db, &fixture.serial).await, 1);
    let mut conn = db.storage.acquire().await.unwrap();
    let entry = audit::by_subject(&mut conn, &fixture.serial).await.unwrap().pop().unwrap();
    assert_eq!(
        (entry.actor.as_str(), &entry.details["comment"]),
        ("operator:aigerim", &json!("the holder called, ticket 42"))
    );
    drop(conn);

    let crl = write(fixture.dir.path(), "now.crl", &fixture.get("/crl/issuing.crl").await);
    let out = text(&openssl(&["crl", "-inform", "DER", "-in", &crl, "-noout", "-text"]));
    assert!(out.contains(&format!("Serial Number: {}", fixture.serial)), "{out}");
    let listing = Request::get(format!("{}?iin={}", paths::OPERATOR_CERTIFICATES, registry_record().iin))
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let response = fixture.router.clone().oneshot(listing).await.unwrap();
    let items: Value =
        serde_json::from_slice(&to_bytes(response.into_body(), 1 << 20).await.unwrap()).unwrap();
    let statuses: Vec<_> =
        items.as_array().unwrap().iter().map(|i| (i["serial"].clone(), i["status"].clone())).collect();
    assert!(statuses.contains(&(json!(fixture.serial), json!("revoked"))), "{items}");
    assert!(statuses.contains(&(json!(fixture.auth_serial), json!("good"))), "{items}");
}

async fn revoke(db: &TestDb, serial: &str) {
    let revocation = Revocation { at: OffsetDateTime::now_utc(), reason: RevocationReason::KeyCompromise };
    certificates::revoke(&mut db.storage.acquire().await.unwrap(), serial, revocation).await.unwrap();
}

async fn ocsp_says_good_then_revoked_at_once(db: TestDb) {
    let fixture = fixture(&db).await;
    let answer = fixture.ask_openssl().await;
    assert!(answer.contains("Response verify OK"), "{answer}");
    assert!(answer.contains("leaf.pem: good"), "{answer}");
    assert!(!answer.contains("WARNING: no nonce"), "{answer}");

    revoke(&db, &fixture.serial).await;
    let answer = fixture.ask_openssl().await;
    assert!(answer.contains("leaf.pem: revoked"), "{answer}");
    assert!(answer.contains("keyCompromise"), "{answer}");

    // RFC 6960 A.1 GET: the base64 request in the path.
    let request = fixture.path("req.der");
    let made = openssl(&[
        "ocsp",
        "-issuer",
        &fixture.path("issuing.pem"),
        "-cert",
        &fixture.path("leaf.pem"),
        "-no_nonce",
        "-reqout",
        &request,
    ]);
    assert!(made.status.success(), "{}", text(&made));
    let encoded = base64::engine::general_purpose::STANDARD.encode(std::fs::read(&request).unwrap());
    let response = fixture.get(&format!("/ocsp/{encoded}")).await;
    let response_path = write(fixture.dir.path(), "resp.der", &response);
    let read = openssl(&[
        "ocsp",
        "-respin",
        &response_path,
        "-issuer",
        &fixture.path("issuing.pem"),
        "-VAfile",
        &fixture.path("issuing.pem"),
        "-resp_text",
    ]);
    assert!(text(&read).contains("Cert Status: revoked"), "{}", text(&read));
}

async fn crl_lists_revoked_certificates(db: TestDb) {
    let fixture = fixture(&db).await;
    revoke(&db, &fixture.serial).await;
    let first = fixture.get("/crl/issuing.crl").await;
    let second = fixture.get("/crl/issuing.crl").await;
    let path = write(fixture.dir.path(), "issuing.crl", &second);
    let out = openssl(&[
        "crl",
        "-inform",
        "DER",
        "-in",
        &path,
        "-CAfile",
        &fixture.path("issuing.pem"),
        "-noout",
        "-text",
    ]);
    let out = text(&out);
    assert!(out.contains("verify OK"), "{out}");
    assert!(out.contains(&format!("Serial Number: {}", fixture.serial)), "{out}");
    assert_ne!(first, second, "each CRL gets a new number");

    let chain = fixture.get("/ca/chain.pem").await;
    assert_eq!(String::from_utf8(chain).unwrap().matches("BEGIN CERTIFICATE").count(), 2);
    assert_eq!(fixture.get("/ca/issuing.cer").await, fixture.authority.issuing().to_der().unwrap());
    let (ok, why) = ca_support::verify(
        &fixture.path("root.pem"),
        &fixture.path("issuing.pem"),
        &fixture.path("leaf.pem"),
        &["-crl_check", "-CRLfile", &path],
    );
    assert!(!ok && why.contains("certificate revoked"), "{why}");
}

async fn restart_keeps_the_same_ca(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let config = ca_config(dir.path(), "http://127.0.0.1:9");
    let now = OffsetDateTime::now_utc();
    let first = bootstrap::open_authority(&db.storage, &config, now).await.unwrap();
    let storage = db.reopen().await;
    let second = bootstrap::open_authority(&storage, &config, now).await.unwrap();
    assert_eq!(first.issuing(), second.issuing());
    assert_eq!(first.root(), second.root());
    assert!(matches!(
        bootstrap::init_ca(&storage, &config, now).await,
        Err(BootstrapError::AlreadyInitialised)
    ));
}
