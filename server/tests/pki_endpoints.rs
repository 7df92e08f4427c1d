//! The CA brought up from the database, and its OCSP / CRL endpoints over real HTTP, judged by openssl.
//! Every test runs on SQLite and on PostgreSQL.

#[macro_use]
mod support;
#[path = "ca_support/mod.rs"]
mod ca_support;

use axum::body::{Body, to_bytes};
use axum::http::Request;
use base64::Engine;
use ca_support::{csr, openssl, registry_record, text, write, write_pem};
use qoltanba_pki::x509::der::Encode;
use qoltanba_protocol::{CertificatePurpose, RevocationReason};
use qoltanba_server::bootstrap::{self, BootstrapError};
use qoltanba_server::ca::Authority;
use qoltanba_server::config::CaConfig;
use qoltanba_server::storage::certificates::{self, CertificateRecord, Revocation};
use qoltanba_server::web::{PkiState, pki_routes};
use std::sync::Arc;
use support::TestDb;
use time::OffsetDateTime;
use tower::ServiceExt;

backend_tests!(
    ocsp_says_good_then_revoked_at_once,
    crl_lists_revoked_certificates,
    restart_keeps_the_same_ca
);

fn ca_config(dir: &std::path::Path, public_url: &str) -> CaConfig {
    CaConfig { key_dir: dir.to_owned(), key_password: None, pkcs11: None, public_url: public_url.to_owned() }
}

/// A CA on `db`, one SIGN certificate issued and stored, and the PKI routes served on a real port.
struct Fixture {
    dir: tempfile::TempDir,
    authority: Arc<Authority>,
    url: String,
    serial: String,
    router: axum::Router,
}

async fn fixture(db: &TestDb) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let now = OffsetDateTime::now_utc();
    let authority = bootstrap::open_authority(&db.storage, &ca_config(dir.path(), &url), now).await.unwrap();
    let pair = authority.issue_pair(&registry_record(), &csr("auth"), &csr("sign"), now).unwrap();
    let serial = hex::encode_upper(&pair.sign.serial);
    let tbs = pair.sign.certificate.tbs_certificate();
    let record = CertificateRecord {
        serial: serial.clone(),
        iin: registry_record().iin,
        purpose: CertificatePurpose::Sign,
        session_id: None,
        not_before: OffsetDateTime::from_unix_timestamp(
            tbs.validity().not_before.to_unix_duration().as_secs() as i64,
        )
        .unwrap(),
        not_after: OffsetDateTime::from_unix_timestamp(
            tbs.validity().not_after.to_unix_duration().as_secs() as i64
        )
        .unwrap(),
        der: pair.sign.der.clone(),
        revocation: None,
        created_at: now,
    };
    certificates::insert(&mut db.storage.acquire().await.unwrap(), &record).await.unwrap();
    write_pem(dir.path(), "issuing.pem", authority.issuing());
    write_pem(dir.path(), "root.pem", authority.root());
    write_pem(dir.path(), "leaf.pem", &pair.sign.certificate);
    let authority = Arc::new(authority);
    let router = pki_routes(PkiState { authority: authority.clone(), storage: db.storage.clone() });
    tokio::spawn(axum::serve(listener, router.clone()).into_future());
    Fixture { dir, authority, url, serial, router }
}

impl Fixture {
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    /// `openssl ocsp` against the live responder (with a nonce); returns its output.
    async fn ask_openssl(&self) -> String {
        let args = [
            "ocsp".to_owned(),
            "-issuer".to_owned(),
            self.path("issuing.pem"),
            "-cert".to_owned(),
            self.path("leaf.pem"),
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
