//! `qoltanba inbox`, `approve ID` and `refuse ID`: the signing requests services send to the citizen
//! enrolled in `--state` (by `qoltanba enroll` or `qoltanba demo`), through the core's
//! [`SignRequests`]. The device registers with the AUTH key on first use (the key files' password is
//! asked then, and for approving); `--server` is needed only until it has registered.
//!
//! `inbox` prints one line per pending request, `ID<TAB>CODE<TAB>RELYING PARTY<TAB>DISPLAY TEXT` (the code
//! computed on this device), then indented lines with the document and what may be done.

use std::sync::Arc;
use std::time::Duration;

use qoltanba_core::client::{Client, ClientConfig};
use qoltanba_core::keystore::{KeyStorageKind, KeyStoreError, KeysOnUse, PasswordSource};
use qoltanba_core::ports::SystemClock;
use qoltanba_core::signing::{InboxItem, SignRequests, SigningError, SigningPorts};
use qoltanba_core::store::Store;
use qoltanba_core::text;
use uuid::Uuid;

use super::answers::Answers;
use super::ports::Terminal;
use super::text::{Lang, Text};
use crate::commands::Outcome;
use crate::error::CliError;

/// What the three commands share (their flags).
pub use crate::args::PhoneArgs as Phone;

/// What to do.
pub enum Action {
    /// List the pending requests, waiting up to this long for one when none is pending.
    Inbox(Option<Duration>),
    /// Approve a request.
    Approve(Uuid),
    /// Refuse a request.
    Refuse(Uuid),
}

/// Runs `action` for the phone in `phone.state`.
pub fn run(phone: Phone, action: Action) -> Result<Outcome, CliError> {
    let answers = phone.answers.as_deref().map(Answers::read).transpose()?.unwrap_or_default();
    let terminal = Arc::new(Terminal::new(phone.lang, answers, None));
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| CliError::Usage(format!("cannot start: {e}")))?;
    let mut requests = open(&phone, terminal)?;
    let lang = phone.lang;
    let failed = |error: SigningError| CliError::Usage(text::signing_error(&error, lang.into()));
    match action {
        Action::Inbox(wait) => {
            let items = runtime.block_on(requests.inbox(wait)).map_err(failed)?;
            print_inbox(&items, lang);
        }
        Action::Approve(id) => {
            runtime.block_on(requests.approve(id)).map_err(failed)?;
            println!("{id}\t{}", Text::Signed.in_lang(lang));
        }
        Action::Refuse(id) => {
            runtime.block_on(requests.refuse(id)).map_err(failed)?;
            println!("{id}\t{}", Text::Refused.in_lang(lang));
        }
    }
    Ok(Outcome::Success)
}

/// The core's signing requests on the state directory's store and key files.
fn open(phone: &Phone, terminal: Arc<Terminal>) -> Result<SignRequests, CliError> {
    let db = phone.state.join("qoltanba.db");
    if !db.is_file() {
        return Err(CliError::Usage(format!(
            "{}: no enrolled phone here (run `qoltanba enroll`)",
            db.display()
        )));
    }
    let store = Store::open(&db).map_err(|e| CliError::unreadable(&db, e))?;
    let registered = store.device().map_err(|e| CliError::unreadable(&db, e))?.map(|device| device.server);
    let server = super::server_of(&phone.state, phone.server.clone().or(registered)).ok_or_else(|| {
        CliError::Usage(text::signing_error(&SigningError::NotRegistered, phone.lang.into()) + " (--server)")
    })?;
    let client =
        Client::new(&server, &ClientConfig::default()).map_err(|e| CliError::Usage(e.to_string()))?;
    // The key files, opened with the password the first time a key is used (listing and refusing need none
    // once the device is registered).
    let asker = terminal.clone();
    let password: PasswordSource =
        Box::new(move || asker.key_password().map_err(|e| KeyStoreError::Platform(e.to_string())));
    let keys = Arc::new(KeysOnUse::new(KeyStorageKind::File, None, phone.state.clone(), password));
    let ports = SigningPorts { keys, pin: terminal, clock: Arc::new(SystemClock) };
    Ok(SignRequests::new(store, client, &server, ports))
}

fn print_inbox(items: &[InboxItem], lang: Lang) {
    if items.is_empty() {
        eprintln!("{}", Text::NoRequests.in_lang(lang));
    }
    for item in items {
        println!("{}\t{}\t{}\t{}", item.id, item.verification_code, item.relying_party, item.display_text);
        let size = match item.document.size {
            Some(size) => format!("{size} {}", Text::Bytes.in_lang(lang)),
            None => Text::DigestOnly.in_lang(lang).to_owned(),
        };
        let format = item.document.format.name();
        println!(
            "  {}: {size}, SHA-256 {}, {format}",
            Text::Document.in_lang(lang),
            item.document.digest_hex
        );
        println!("  {}", text::verdict(&item.verdict, lang.into()));
    }
}
