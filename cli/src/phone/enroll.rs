//! `qoltanba enroll --server URL --state DIR`: the remote issuance flow in a terminal, resumable.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use qoltanba_core::client::{Client, ClientConfig};
use qoltanba_core::driver::{Driver, Outcome};
use qoltanba_core::store::Store;
use qoltanba_protocol::{CertificatePurpose, IssuedCertificates};

use super::answers::{Answers, SmsAnswer};
use super::ports::{DevOutbox, Terminal};
use super::text::Lang;
use super::{ServerOutbox, device, platform};
use crate::commands::Outcome as Exit;
use crate::error::CliError;

/// What `enroll` needs.
pub struct Request {
    /// The issuance server's base URL.
    pub server: String,
    /// Where the flow's state, the key files and `ca.pem` live.
    pub state: PathBuf,
    /// Written answers, if any.
    pub answers: Option<PathBuf>,
    /// The prompts' language.
    pub lang: Lang,
}

/// Runs (or resumes) the flow; exit 0 enrolled, 1 ended without certificates, 2 an error (state kept).
pub fn run(request: Request) -> Result<Exit, CliError> {
    let answers = request.answers.as_deref().map(Answers::read).transpose()?.unwrap_or_default();
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| CliError::Usage(format!("cannot start: {e}")))?;
    let dirs = Dirs { state: request.state.clone(), keys: request.state };
    runtime.block_on(enroll(&request.server, &dirs, answers, request.lang))
}

/// Where the flow keeps things.
pub struct Dirs {
    /// The local store (`qoltanba.db`).
    pub state: PathBuf,
    /// The key files and `ca.pem`.
    pub keys: PathBuf,
}

/// The flow against `server`; the terminal answers what `answers` doesn't.
pub async fn enroll(server: &str, dirs: &Dirs, answers: Answers, lang: Lang) -> Result<Exit, CliError> {
    let Dirs { state, keys } = dirs;
    for dir in [state, keys] {
        std::fs::create_dir_all(dir).map_err(CliError::io(dir))?;
    }
    super::remember_server(state, server)?;
    let client = Client::new(server, &ClientConfig::default()).map_err(|e| CliError::Usage(e.to_string()))?;
    let outbox: Option<Box<dyn DevOutbox>> = match answers.sms_code {
        Some(SmsAnswer::DevOutbox) => {
            Some(Box::new(ServerOutbox { client: client.clone(), phone: answers.phone.clone() }))
        }
        _ => None,
    };
    let terminal = Arc::new(Terminal::new(lang, answers, outbox));
    let db = state.join("qoltanba.db");
    let store = Store::open(&db).map_err(|e| CliError::unreadable(&db, e))?;
    let mut driver = Driver::open(store, client, platform(terminal, keys), device())
        .map_err(|e| CliError::unreadable(&db, e))?;
    match driver.run().await {
        Ok(Outcome::Enrolled(certificates)) => {
            report(keys, &driver, &certificates)?;
            Ok(Exit::Success)
        }
        Ok(Outcome::Failed { .. }) => Ok(Exit::Negative),
        Ok(Outcome::Paused) => Err(CliError::Usage("paused: run the same command again to resume".into())),
        Err(error) => Err(CliError::Usage(format!("{error} (the flow is saved; run again to resume)"))),
    }
}

/// Writes `ca.pem` beside the key files and prints where everything is.
fn report(keys: &Path, driver: &Driver, certificates: &IssuedCertificates) -> Result<(), CliError> {
    let ca = keys.join("ca.pem");
    std::fs::write(&ca, &certificates.chain_pem).map_err(CliError::io(&ca))?;
    let records = driver.store().certificates().map_err(|e| CliError::Usage(e.to_string()))?;
    for record in records {
        let file = keys.join(format!("{}.p12", record.key_id));
        let purpose = match record.purpose {
            CertificatePurpose::Auth => "auth",
            CertificatePurpose::Sign => "sign",
        };
        println!("{purpose}\t{}\t{}", record.serial, file.display());
    }
    println!("CA\t-\t{}", ca.display());
    Ok(())
}
