//! `bench/sign-requests`: the load of push-approved signing requests. A reference server's signing-request
//! routes run in-process on a temporary SQLite database (rate limits raised: the bench measures the
//! service, not its anti-bombing limits), `PHONES` phones simulated by the core's [`SignRequests`]
//! (enrolled with the fixture keys, see `core/tests/support/signing.rs`) and one relying party through
//! the core's [`RelyingPartyClient`], all over loopback HTTP. Each phone, `ROUNDS` times: the relying
//! party asks, the phone long-polls its inbox, approves (PIN check, CAdES-BES CMS with RSA-2048), and
//! the relying party's long-poll sees `signed`; that round trip is timed.
//!
//! Usage: `bench_sign_requests [PHONES] [ROUNDS]` (defaults 8 and 25). Prints `name=value` lines, the
//! headline `sign_requests_per_s` last.

#[path = "../tests/support/signing.rs"]
#[allow(dead_code)]
mod signing;

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_core::client::RelyingPartyClient;
use qoltanba_core::signing::SignRequests;
use qoltanba_protocol::{CreateSignRequest, SignRequestStatus, SignatureFormat};
use qoltanba_server::config::CaConfig;
use qoltanba_server::signing::{Limits, Signing};
use qoltanba_server::storage::Storage;
use signing::{FixedPin, PIN, Phone, relying_party};

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse()).collect::<Result<_, _>>()?;
    let phones = args.first().copied().unwrap_or(8).max(1);
    let rounds = args.get(1).copied().unwrap_or(25).max(1);
    tokio::runtime::Runtime::new()?.block_on(bench(phones, rounds))
}

/// The `index`-th IIN of a man born 1990-01-01 (valid check digit), for the bench's citizens.
fn iin(index: usize) -> Result<String, Error> {
    for serial in (index * 10)..(index * 10 + 10) {
        let text = format!("9001013{:04}", serial % 10_000);
        let mut digits = [0u8; 11];
        for (digit, byte) in digits.iter_mut().zip(text.bytes()) {
            *digit = byte - b'0';
        }
        if let Some(check) = qoltanba_pki::iin::check_digit(&digits) {
            return Ok(format!("{text}{check}"));
        }
    }
    Err("no IIN with a check digit".into())
}

async fn bench(phones: usize, rounds: usize) -> Result<(), Error> {
    let dir = tempfile::tempdir()?;
    let storage = Storage::connect(&format!("sqlite://{}", dir.path().join("server.db").display())).await?;
    let ca = CaConfig {
        key_dir: dir.path().join("ca"),
        key_password: None,
        pkcs11: None,
        public_url: "http://127.0.0.1".into(),
    };
    std::fs::create_dir_all(&ca.key_dir)?;
    let authority =
        qoltanba_server::bootstrap::open_authority(&storage, &ca, time::OffsetDateTime::now_utc()).await?;
    let limits =
        Limits { per_relying_party: usize::MAX, per_citizen: usize::MAX, window: time::Duration::minutes(1) };
    let service = Arc::new(Signing::new(storage.clone(), true).with_limits(limits));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let routes = qoltanba_server::web::sign_request_routes(service);
    tokio::spawn(async move { axum::serve(listener, routes).await });

    let bank = relying_party(&storage, &url).await;
    let mut enrolled = Vec::new();
    for index in 0..phones {
        let phone = Phone::enrolled(&storage, &authority, &iin(index)?).await;
        let mut requests = phone.sign_requests(&url, FixedPin::new(PIN));
        requests.inbox(None).await?; // registers the device
        enrolled.push((phone, requests));
    }

    let started = Instant::now();
    let tasks: Vec<_> = enrolled
        .into_iter()
        .map(|(phone, requests)| tokio::spawn(run_phone(bank.clone(), phone, requests, rounds)))
        .collect();
    let mut roundtrips = Vec::new();
    for task in tasks {
        roundtrips.extend(task.await??);
    }
    let elapsed = started.elapsed();
    roundtrips.sort();
    let percentile = |p: f64| {
        let at = ((roundtrips.len() as f64 - 1.0) * p).round() as usize;
        roundtrips.get(at).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!("phones={phones}");
    println!("sign_requests={}", roundtrips.len());
    println!("sign_request_roundtrip_p50_ms={:.1}", percentile(0.50));
    println!("sign_request_roundtrip_p99_ms={:.1}", percentile(0.99));
    println!("sign_requests_per_s={:.1}", roundtrips.len() as f64 / elapsed.as_secs_f64());
    Ok(())
}

/// One phone's rounds: ask, see it on the phone, approve, see it signed; the time of each round trip.
async fn run_phone(
    bank: RelyingPartyClient,
    phone: Phone,
    mut requests: SignRequests,
    rounds: usize,
) -> Result<Vec<Duration>, Error> {
    let document = format!("Bench agreement for {}", phone.iin);
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let request = CreateSignRequest {
            iin: phone.iin.clone(),
            data: Some(STANDARD.encode(document.as_bytes())),
            digest: None,
            format: SignatureFormat::Attached,
            display_text: "Bench agreement".into(),
            callback_url: None,
        };
        let start = Instant::now();
        let created = bank.create(&request, &uuid::Uuid::new_v4().to_string()).await?;
        while !requests.inbox(Some(Duration::from_secs(10))).await?.iter().any(|item| item.id == created.id) {
        }
        requests.approve(created.id).await?;
        let state = bank.state(created.id, Some(Duration::from_secs(10))).await?;
        if state.status != SignRequestStatus::Signed {
            return Err(format!("request {} ended {}", created.id, state.status.name()).into());
        }
        times.push(start.elapsed());
    }
    Ok(times)
}
