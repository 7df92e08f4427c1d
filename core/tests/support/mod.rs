//! Harness of the core's tests against the server: [`TestServer`] runs the reference server in-process on
//! `127.0.0.1:0` (a fresh seeded SQLite database, every route of `qoltanba_server::app::router` with
//! `--dev`), and [`stub`] has
//! misbehaving servers. Reusable by later end-to-end tests: `mod support;` and `TestServer::start().await`.
#![allow(dead_code)]

pub mod script;
pub mod signing;
pub mod stub;

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use qoltanba_core::client::{Client, ClientConfig, RetryPolicy, Sleeper};
use qoltanba_pki::x509::der::Encode;
use qoltanba_protocol::{DeviceInfo, Platform, StartEnrollment};
use qoltanba_server::ca::{Authority, CaMaterial, InitConfig, init};
use qoltanba_server::config::CaConfig;
use qoltanba_server::ra::Ra;
use qoltanba_server::seed;
use qoltanba_server::storage::Storage;
use qoltanba_server::storage::ca::CaRole;
use qoltanba_server::storage::registry::Citizen;
use time::OffsetDateTime;
use tokio::task::JoinHandle;
use zeroize::Zeroizing;

/// The CA every server of a test binary issues with (RSA key generation is slow): its key files in
/// `config.key_dir` under the names [`CaConfig`] expects, its certificates, and the opened authority.
struct SharedCa {
    config: CaConfig,
    material: CaMaterial,
    authority: Arc<Authority>,
    _dir: tempfile::TempDir,
}

fn shared_ca() -> &'static SharedCa {
    static CA: OnceLock<SharedCa> = OnceLock::new();
    CA.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = CaConfig {
            key_dir: dir.path().to_path_buf(),
            key_password: None,
            pkcs11: None,
            public_url: "http://ca.qoltanba.test".into(),
        };
        let material = init(
            &config.root_key(),
            &config.issuing_key(),
            &InitConfig::default(),
            OffsetDateTime::now_utc(),
        )
        .expect("make the CA");
        let signer = config.issuing_key().open().expect("open the issuing key");
        let authority =
            Authority::new(material.root.clone(), material.issuing.clone(), signer, config.urls())
                .expect("the CA");
        SharedCa { config, material, authority: Arc::new(authority), _dir: dir }
    })
}

/// The CA of this test binary (the one every [`TestServer`] issues with).
pub fn authority() -> Arc<Authority> {
    shared_ca().authority.clone()
}

/// The reference server, serving on a loopback port until dropped.
pub struct TestServer {
    /// Its base URL (`http://127.0.0.1:PORT`).
    pub url: String,
    /// An RA on its database, to take the operator's part directly.
    pub ra: Arc<Ra>,
    /// Its database.
    pub storage: Storage,
    task: JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A server on a fresh, seeded SQLite database with every route, as `qoltanba-server serve --dev`
    /// assembles them ([`qoltanba_server::app::router`]), issuing with this binary's shared CA.
    pub async fn start() -> Self {
        show_server_logs();
        let dir = tempfile::tempdir().expect("temp dir");
        let db = format!("sqlite://{}", dir.path().join("qoltanba.db").display());
        let storage = Storage::connect(&db).await.expect("a fresh SQLite database");
        seed::load(&storage).await.expect("seed the demo citizens");
        let ca = shared_ca();
        install_ca(&storage, ca).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let app = qoltanba_server::app::router(
            storage.clone(),
            &ca.config,
            &qoltanba_server::app::Options { dev: true, ..Default::default() },
        )
        .await
        .expect("the router");
        let ra = Arc::new(Ra::new(storage.clone(), ca.authority.clone()));
        let task = tokio::spawn(async move {
            let _ = axum_serve(listener, app).await;
        });
        Self { url, ra, storage, task, _dir: dir }
    }

    /// The certificates the server issued to `iin`.
    pub async fn certificates_of(
        &self,
        iin: &str,
    ) -> Vec<qoltanba_server::storage::certificates::CertificateRecord> {
        let mut conn = self.storage.acquire().await.expect("a connection");
        qoltanba_server::storage::certificates::by_iin(&mut conn, iin).await.expect("the certificates")
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

/// Sends the server's warnings and errors to the test's captured output (shown when a test fails): an
/// internal error's cause is only in the log. `RUST_LOG` overrides the level.
fn show_server_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
}

/// Records the shared CA in `storage`, so that the router opens it instead of making one.
async fn install_ca(storage: &Storage, ca: &SharedCa) {
    let now = OffsetDateTime::now_utc();
    let mut conn = storage.acquire().await.expect("a connection");
    for (role, certificate, key) in [
        (CaRole::Root, &ca.material.root, "root-ca.key.pem"),
        (CaRole::Issuing, &ca.material.issuing, "issuing-ca.key.pem"),
    ] {
        let der = certificate.to_der().expect("DER");
        let reference = ca.config.key_dir.join(key).display().to_string();
        qoltanba_server::storage::ca::insert(&mut conn, role, &der, &reference, now)
            .await
            .expect("record the CA");
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
