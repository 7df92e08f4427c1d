//! `qoltanba demo`: the reference server in-process on a temporary SQLite database with seed data, and a
//! demo citizen without a registered phone enrolled through the whole flow; the demo takes the operator's
//! part (phone registration on the "video call", selfie review) and reads SMS codes from the dev outbox.

use std::path::{Path, PathBuf};

use qoltanba_core::client::{Client, ClientConfig, OperatorClient};
use qoltanba_protocol::{ReviewDecision, TicketDecision};
use qoltanba_server::config::CaConfig;
use qoltanba_server::storage::Storage;
use zeroize::Zeroizing;

use super::answers::{Answers, SmsAnswer};
use super::enroll::{Dirs, enroll};
use super::text::Lang;
use crate::commands::Outcome as Exit;
use crate::error::CliError;

/// The seed citizen the demo enrolls (no phone registered: the operator's part is shown too).
const CITIZEN: usize = 2;
/// The phone the demo citizen registers on the video call.
const NEW_PHONE: &str = "+77071234567";
const OPERATOR: &str = "demo-operator";
const PIN: &str = "4827";

/// What `demo` needs.
pub struct Request {
    /// Where the key files and `ca.pem` go.
    pub out: PathBuf,
    /// The key files' password; a random one when not given (printed at the end).
    pub password: Option<Zeroizing<String>>,
    /// The language of what is shown.
    pub lang: Lang,
}

/// Runs the demo.
pub fn run(request: Request) -> Result<Exit, CliError> {
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| CliError::Usage(format!("cannot start: {e}")))?;
    runtime.block_on(demo(request))
}

fn failed(what: &str) -> impl FnOnce(String) -> CliError + '_ {
    move |e| CliError::Usage(format!("demo: {what}: {e}"))
}

async fn demo(request: Request) -> Result<Exit, CliError> {
    let scratch = tempfile::tempdir().map_err(|e| failed("temporary directory")(e.to_string()))?;
    let (url, storage) = start_server(scratch.path()).await?;
    eprintln!("reference server: {url} (dev outbox: {url}/dev/sms)");
    let operator_password = Zeroizing::new(uuid::Uuid::new_v4().to_string());
    qoltanba_server::accounts::create(
        &storage,
        OPERATOR,
        operator_password.clone(),
        "demo",
        time::OffsetDateTime::now_utc(),
    )
    .await
    .map_err(|e| failed("operator account")(e.to_string()))?;
    let operator = tokio::spawn(operate(url.clone(), operator_password));

    let password = request.password.unwrap_or_else(random_password);
    let answers = citizen_answers(scratch.path(), password.clone())?;
    let dirs = Dirs { state: scratch.path().join("phone"), keys: request.out };
    let outcome = enroll(&url, &dirs, answers, request.lang).await;
    operator.abort();
    if matches!(outcome, Ok(Exit::Success)) {
        println!("password\t{}", password.as_str());
    }
    outcome
}

/// Starts the whole reference service on 127.0.0.1 (a free port), seeded, with `--dev`.
async fn start_server(dir: &Path) -> Result<(String, Storage), CliError> {
    let db = format!("sqlite://{}", dir.join("server.db").display());
    let storage = Storage::connect(&db).await.map_err(|e| failed("database")(e.to_string()))?;
    qoltanba_server::seed::load(&storage).await.map_err(|e| failed("seed")(e.to_string()))?;
    let listener =
        tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| failed("listen")(e.to_string()))?;
    let address = listener.local_addr().map_err(|e| failed("listen")(e.to_string()))?;
    let url = format!("http://{address}");
    let key_dir = dir.join("ca");
    std::fs::create_dir_all(&key_dir).map_err(CliError::io(&key_dir))?;
    let ca = CaConfig { key_dir, key_password: None, pkcs11: None, public_url: url.clone() };
    let app = qoltanba_server::app::router(
        storage.clone(),
        &ca,
        &qoltanba_server::app::Options { dev: true, ..Default::default() },
    )
    .await
    .map_err(|e| failed("CA")(e.to_string()))?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((url, storage))
}

/// The operator's part: approve every phone registration (with the code the citizen "says" on the call,
/// read from the outbox) and every selfie, as they come.
async fn operate(url: String, password: Zeroizing<String>) -> Result<(), String> {
    let client = Client::new(&url, &ClientConfig::default()).map_err(|e| e.to_string())?;
    let operator = OperatorClient::login(&client, OPERATOR, &password).await.map_err(|e| e.to_string())?;
    loop {
        for ticket in operator.phone_registrations().await.map_err(|e| e.to_string())? {
            let heard = client.dev_sms(&ticket.phone).await.map_err(|e| e.to_string())?;
            let decision = TicketDecision::Approve { sms_code: heard.code.clone() };
            operator.decide_phone_registration(ticket.id, &decision).await.map_err(|e| e.to_string())?;
            eprintln!("[operator] ID card checked on the video call; phone {} registered", ticket.phone);
        }
        for review in operator.selfie_reviews().await.map_err(|e| e.to_string())? {
            operator
                .decide_selfie_review(review.id, &ReviewDecision::Approve)
                .await
                .map_err(|e| e.to_string())?;
            eprintln!("[operator] selfie matches the registry photo");
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// The demo citizen's answers; the pictures are the seed's registry photo, written to `dir`.
fn citizen_answers(dir: &Path, password: Zeroizing<String>) -> Result<Answers, CliError> {
    let records = qoltanba_server::seed::demo_records();
    let (citizen, _) = records.get(CITIZEN).ok_or_else(|| CliError::Usage("demo: no seed citizen".into()))?;
    let selfie = dir.join("selfie.png");
    std::fs::write(&selfie, &citizen.photo).map_err(CliError::io(&selfie))?;
    Ok(Answers {
        iin: Some(citizen.iin.clone()),
        phone: Some(NEW_PHONE.to_owned()),
        sms_code: Some(SmsAnswer::DevOutbox),
        selfie: Some(selfie.clone()),
        id_card: Some(selfie),
        pin: Some(Zeroizing::new(PIN.to_owned())),
        consent: Some(true),
        email: Some("demo@qoltanba.kz".to_owned()),
        key_storage: Some("file".to_owned()),
        password: Some(password),
    })
}

/// A password the core accepts (letters and digits, 16 characters).
fn random_password() -> Zeroizing<String> {
    let random = uuid::Uuid::new_v4().simple().to_string();
    Zeroizing::new(format!("Qb7{}", &random[..13]))
}
