//! The QR-login load benchmark behind `bench/qr-login/run`: the real `/v1/login` router on a loopback
//! port, driven over HTTP by a reqwest client in the same process.
//!
//! 1. starts `SESSIONS` (default 10,000) login sessions and holds them waiting; the process's resident
//!    memory growth divided by the sessions is `bytes_per_waiting_session` (server tables and whatever
//!    the allocator keeps of the HTTP work; an upper bound of the server's cost);
//! 2. with those held, `SAMPLES` (default 200) more logins run end to end, one at a time: the page
//!    waits on server-sent events, the phone scans the frame and answers with a real RSA-2048 AUTH
//!    signature checked against the CA (path, OCSP). `qr_notify_ms` is from sending the answer to the
//!    `approved` event at the page: an upper bound of "answer accepted → event", since it includes the
//!    answer's verification.
//!
//! Prints `name=value` lines, `qr_notify_p99_ms` then `bytes_per_waiting_session` last.

use std::error::Error;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::StreamExt;
use qoltanba_pki::csr::{self, SubjectName};
use qoltanba_pki::key;
use qoltanba_pki::signer::{Signer, SoftwareSigner};
use qoltanba_pki::x509::der::Encode;
use qoltanba_protocol::{
    CertificatePurpose, IDEMPOTENCY_KEY_HEADER, LoginAnswer, LoginChallenge, LoginStatus, paths,
};
use qoltanba_server::bootstrap;
use qoltanba_server::ca::SubjectRecord;
use qoltanba_server::config::CaConfig;
use qoltanba_server::login::{Login, StartLimit};
use qoltanba_server::storage::Storage;
use qoltanba_server::storage::certificates::{self, CertificateRecord};
use qoltanba_server::web::{QR_TEXT_HEADER, login_routes};
use serde_json::Value;
use time::OffsetDateTime;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn env(name: &str, default: usize) -> Result<usize> {
    Ok(std::env::var(name).ok().map(|v| v.parse()).transpose()?.unwrap_or(default))
}

/// Resident memory of this process, in bytes (`/proc/self/statm`, 4 KiB pages).
fn rss() -> Result<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm")?;
    let pages: u64 = statm.split_whitespace().nth(1).ok_or("statm")?.parse()?;
    Ok(pages * 4096)
}

struct Bench {
    url: String,
    http: reqwest::Client,
    auth: SoftwareSigner,
    auth_der: Vec<u8>,
}

impl Bench {
    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        let key = uuid::Uuid::new_v4().to_string();
        self.http.post(format!("{}{path}", self.url)).header(IDEMPOTENCY_KEY_HEADER, key)
    }

    /// Starts a session: its JSON and the browser cookie.
    async fn start(&self) -> Result<(Value, String)> {
        let response = self.post(paths::LOGIN_SESSIONS).send().await?.error_for_status()?;
        let cookie =
            response.headers()["set-cookie"].to_str()?.split(';').next().unwrap_or_default().to_owned();
        Ok((response.json().await?, cookie))
    }

    /// One end-to-end login; the time from sending the answer to the page's `approved` event.
    async fn login(&self) -> Result<Duration> {
        let (session, cookie) = self.start().await?;
        let id: uuid::Uuid = session["session_id"].as_str().ok_or("session_id")?.parse()?;
        let number = u8::try_from(session["number"].as_u64().ok_or("number")?)?;
        let mut events = self
            .http
            .get(format!("{}{}", self.url, paths::login_session_events(id)))
            .header("Cookie", &cookie)
            .send()
            .await?;
        let mut buffer = String::new();
        next_status(&mut events, &mut buffer).await?;
        let frame =
            self.http.get(format!("{}{}", self.url, paths::login_session_qr(id))).header("Cookie", &cookie);
        let frame = frame.send().await?;
        let qr = frame.headers()[QR_TEXT_HEADER].to_str()?.to_owned();
        let scan = self.post(paths::LOGIN_SCANS).json(&serde_json::json!({ "qr": qr })).send().await?;
        let challenge: LoginChallenge = scan.error_for_status()?.json().await?;
        next_status(&mut events, &mut buffer).await?;
        let answer = LoginAnswer {
            session_id: id,
            nonce: challenge.nonce.clone(),
            number,
            auth_certificate: STANDARD.encode(&self.auth_der),
            signature: STANDARD.encode(self.auth.sign(&challenge.message(number))?),
        };
        let sent = Instant::now();
        let answered = self.post(&paths::login_session_answer(id)).json(&answer).send();
        let (answered, status) = tokio::join!(answered, next_status(&mut events, &mut buffer));
        let elapsed = sent.elapsed();
        answered?.error_for_status()?;
        if status? != LoginStatus::Approved {
            return Err("the login was not approved".into());
        }
        Ok(elapsed)
    }
}

async fn next_status(response: &mut reqwest::Response, buffer: &mut String) -> Result<LoginStatus> {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                return Ok(serde_json::from_str(data)?);
            }
            continue;
        }
        let chunk = response.chunk().await?.ok_or("the event stream ended")?;
        buffer.push_str(std::str::from_utf8(&chunk)?);
    }
}

async fn enrolled(
    storage: &Storage,
    dir: &std::path::Path,
) -> Result<(Arc<qoltanba_server::ca::Authority>, SoftwareSigner, Vec<u8>)> {
    let now = OffsetDateTime::now_utc().replace_nanosecond(0)?;
    let config = CaConfig {
        key_dir: dir.to_owned(),
        key_password: None,
        pkcs11: None,
        public_url: "http://127.0.0.1:9".into(),
    };
    let authority = bootstrap::open_authority(storage, &config, now).await?;
    let auth = SoftwareSigner::new(key::generate_rsa(key::DEFAULT_RSA_BITS)?)?;
    let sign = SoftwareSigner::new(key::generate_rsa(key::DEFAULT_RSA_BITS)?)?;
    let name = SubjectName::new("BENCH", "BENCH", "900101300255");
    let subject = SubjectRecord {
        surname: "BENCH".into(),
        name: "BENCH".into(),
        patronymic: None,
        iin: "900101300255".into(),
        email: None,
    };
    let pair = authority.issue_pair(
        &subject,
        &csr::build(&name, &auth)?.to_der()?,
        &csr::build(&name, &sign)?.to_der()?,
        now,
    )?;
    let record = CertificateRecord {
        serial: hex::encode_upper(&pair.auth.serial),
        iin: subject.iin.clone(),
        purpose: CertificatePurpose::Auth,
        session_id: None,
        not_before: now,
        not_after: now + time::Duration::days(365),
        der: pair.auth.der.clone(),
        revocation: None,
        created_at: now,
    };
    let mut conn = storage.acquire().await?;
    certificates::insert(&mut conn, &record).await?;
    Ok((Arc::new(authority), auth, pair.auth.der))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let sessions = env("SESSIONS", 10_000)?;
    let samples = env("SAMPLES", 200)?.max(1);
    let dir = tempfile::tempdir()?;
    let storage = Storage::connect(&format!("sqlite://{}", dir.path().join("bench.db").display())).await?;
    let (authority, auth, auth_der) = enrolled(&storage, dir.path()).await?;
    let unlimited = StartLimit { per_address: usize::MAX, window: time::Duration::minutes(1) };
    let service = Arc::new(Login::new(storage, authority, "eGov").with_start_limit(unlimited));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let app = login_routes(service.clone(), false).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(axum::serve(listener, app).into_future());
    let bench = Arc::new(Bench { url, http: reqwest::Client::new(), auth, auth_der });

    bench.login().await?; // warm up
    let before = rss()?;
    let started = Instant::now();
    let results: Vec<Result<()>> = futures_util::stream::iter(0..sessions)
        .map(|_| {
            let bench = bench.clone();
            async move { bench.start().await.map(|_| ()) }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    results.into_iter().collect::<Result<Vec<()>>>()?;
    let start_seconds = started.elapsed().as_secs_f64();
    let after = rss()?;
    let held = service.session_count();

    let mut latencies = Vec::with_capacity(samples);
    for _ in 0..samples {
        latencies.push(bench.login().await?);
    }
    latencies.sort();
    println!("waiting_sessions={held}");
    println!("session_starts_per_s={:.0}", sessions as f64 / start_seconds);
    println!("rss_before_bytes={before}");
    println!("rss_after_bytes={after}");
    println!("qr_logins_measured={samples}");
    println!("qr_notify_p50_ms={:.2}", percentile(&latencies, 0.50));
    println!("qr_notify_p99_ms={:.2}", percentile(&latencies, 0.99));
    println!("bytes_per_waiting_session={}", after.saturating_sub(before) / sessions.max(1) as u64);
    Ok(())
}
