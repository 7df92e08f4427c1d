//! Harness of the core's tests against the server: [`TestServer`] runs the reference server in-process on
//! `127.0.0.1:0` (a fresh seeded SQLite database, `--dev` routes, the operator console), and [`stub`] has
//! misbehaving servers. Reusable by later end-to-end tests: `mod support;` and `TestServer::start().await`.
#![allow(dead_code)]

pub mod stub;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use qoltanba_core::client::{Client, ClientConfig, RetryPolicy, Sleeper};
use qoltanba_protocol::{DeviceInfo, Platform, StartEnrollment};
use qoltanba_server::ca::{Authority, CaUrls, InitConfig, KeySource, init};
use qoltanba_server::ra::Ra;
use qoltanba_server::seed;
use qoltanba_server::storage::Storage;
use qoltanba_server::storage::registry::Citizen;
use qoltanba_server::web::{self, ConsoleState, PkiState};
use time::OffsetDateTime;
use tokio::task::JoinHandle;
use zeroize::Zeroizing;

/// One CA per test binary (RSA key generation is slow); every server of the binary issues with it.
pub fn authority() -> Arc<Authority> {
    static CA: OnceLock<(tempfile::TempDir, Arc<Authority>)> = OnceLock::new();
    CA.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = KeySource::File { path: dir.path().join("root.key"), password: None };
        let issuing = KeySource::File { path: dir.path().join("issuing.key"), password: None };
        let material =
            init(&root, &issuing, &InitConfig::default(), OffsetDateTime::now_utc()).expect("make the CA");
        let urls = CaUrls {
            crl: "http://ca.qoltanba.test/crl/nca_rsa.crl".into(),
            ocsp: "http://ca.qoltanba.test/ocsp/".into(),
            ca_issuers: "http://ca.qoltanba.test/cert/nca_rsa.cer".into(),
        };
        let signer = issuing.open().expect("open the issuing key");
        let authority = Authority::new(material.root, material.issuing, signer, urls).expect("the CA");
        (dir, Arc::new(authority))
    })
    .1
    .clone()
}

/// The reference server, serving on a loopback port until dropped.
pub struct TestServer {
    /// Its base URL (`http://127.0.0.1:PORT`).
    pub url: String,
    /// Its RA, to take the operator's part directly.
    pub ra: Arc<Ra>,
    /// Its database.
    pub storage: Storage,
    task: JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A server on a fresh, seeded SQLite database, with the `--dev` SMS outbox, the enrollment, PKI and
    /// console routes, as `qoltanba-server serve --dev` assembles them.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = format!("sqlite://{}", dir.path().join("qoltanba.db").display());
        let storage = Storage::connect(&db).await.expect("a fresh SQLite database");
        seed::load(&storage).await.expect("seed the demo citizens");
        let authority = authority();
        let ra = Arc::new(Ra::new(storage.clone(), authority.clone()));
        let console = ConsoleState { storage: storage.clone(), secure_cookies: false };
        let app = web::enrollment_routes(ra.clone(), true)
            .merge(web::console_routes(console))
            .merge(web::pki_routes(PkiState { authority, storage: storage.clone() }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let task = tokio::spawn(async move {
            let _ = axum_serve(listener, app).await;
        });
        Self { url, ra, storage, task, _dir: dir }
    }

    /// Creates operator `username` with `password` (at least 12 characters).
    pub async fn add_operator(&self, username: &str, password: &str) {
        let password = Zeroizing::new(password.to_owned());
        qoltanba_server::accounts::create(
            &self.storage,
            username,
            password,
            "test",
            OffsetDateTime::now_utc(),
        )
        .await
        .expect("create the operator");
    }

    /// A client of this server with [`fast_config`] and a [`RecordingSleeper`].
    pub fn client(&self) -> Client {
        client_of(&self.url)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn axum_serve(listener: tokio::net::TcpListener, app: axum::Router) -> std::io::Result<()> {
    axum::serve(listener, app).await
}

/// A client of `url` with [`fast_config`], not waiting between attempts.
pub fn client_of(url: &str) -> Client {
    Client::new(url, &fast_config()).expect("a client").with_sleeper(Arc::new(RecordingSleeper::default()))
}

/// Short timeouts, 3 attempts, at most 5 s of `Retry-After` honoured (tests' sleepers do not wait).
pub fn fast_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(10),
        retry: RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
            max_retry_after: Duration::from_secs(5),
        },
    }
}

/// A sleeper that records the waits asked for and returns at once.
#[derive(Debug, Default)]
pub struct RecordingSleeper {
    waits: Mutex<Vec<Duration>>,
}

impl RecordingSleeper {
    /// The waits asked for so far.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().expect("not poisoned").clone()
    }
}

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
        self.waits.lock().expect("not poisoned").push(duration);
        Box::pin(std::future::ready(()))
    }
}

/// A demo citizen with a registered phone, and that phone.
pub fn citizen_with_phone() -> (Citizen, String) {
    let (citizen, phone) = seed::demo_records().into_iter().find(|(_, p)| p.is_some()).expect("one");
    (citizen, phone.unwrap_or_default().to_owned())
}

/// A demo citizen without a registered phone.
pub fn citizen_without_phone() -> Citizen {
    seed::demo_records().into_iter().find(|(_, p)| p.is_none()).expect("one").0
}

/// The start of an enrollment for `iin` from the desktop.
pub fn start_request(iin: &str) -> StartEnrollment {
    StartEnrollment {
        iin: iin.to_owned(),
        device: DeviceInfo {
            platform: Platform::Desktop,
            os_version: "test".into(),
            app_version: env!("CARGO_PKG_VERSION").into(),
            model: None,
        },
    }
}

/// A fresh idempotency key.
pub fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A tiny JPEG header (the server checks the magic bytes only).
pub const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];
/// A tiny PNG header.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR";

/// CSRs for the AUTH and SIGN keys of the server's test fixtures (`server/tests/data/ca`), so tests need
/// not generate RSA keys. The subject is arbitrary: the server writes the registry's.
pub fn fixture_csrs() -> qoltanba_protocol::CsrPair {
    let csr = |name: &str| {
        let path = format!("{}/../server/tests/data/ca/{name}-key.pem", env!("CARGO_MANIFEST_DIR"));
        let pem = std::fs::read_to_string(path).expect("the fixture key");
        let key = qoltanba_pki::key::private_key_from_pem(&pem, None).expect("a PKCS#8 key");
        let signer = qoltanba_pki::signer::SoftwareSigner::new(key).expect("an RSA signer");
        let subject = qoltanba_pki::csr::SubjectName::new("TEST", "TEST", "850503400126");
        let request = qoltanba_pki::csr::build(&subject, &signer).expect("a CSR");
        qoltanba_pki::csr::to_pem(&request).expect("its PEM")
    };
    qoltanba_protocol::CsrPair { auth: csr("auth"), sign: csr("sign") }
}
