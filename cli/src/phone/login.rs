//! `qoltanba login (--qr PAYLOAD | --qr-image FILE.png) --state DIR [--server URL]`: the phone's side of a QR login with
//! the AUTH key of an enrolled state (`qoltanba enroll --state DIR`). Shows who asks and the three
//! numbers, asks for the number (on the terminal, or a line piped to stdin), the PIN and the key files'
//! password; `--number`/`--decline`, `--pin` and `--password` answer without asking (each is given once:
//! a refused one is asked for again, or ends the run when nobody can answer).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use qoltanba_core::client::{Client, ClientConfig};
use qoltanba_core::login::{
    self, Choice, Ending, LoginError, LoginFailure, LoginPlatform, LoginPrompt, text,
};
use qoltanba_core::ports::{PinPrompt, PinPurpose, PortError, SystemClock};
use qoltanba_core::store::Store;
use qoltanba_core::text::Lang as CoreLang;
use qoltanba_protocol::LoginChallenge;
use zeroize::Zeroizing;

use super::text::Lang;
use crate::commands::Outcome as Exit;
use crate::error::CliError;

/// Where the QR code comes from.
pub enum Qr {
    /// The text itself.
    Text(String),
    /// A PNG picture of it.
    Image(PathBuf),
}

/// What `login` needs.
pub struct Request {
    /// The QR code.
    pub qr: Qr,
    /// The enrolled state directory (the store and the key files).
    pub state: PathBuf,
    /// The server's base URL (else the one the state directory enrolled with).
    pub server: Option<String>,
    /// The number to pick, without asking.
    pub number: Option<u8>,
    /// Decline without asking.
    pub decline: bool,
    /// The PIN, without asking.
    pub pin: Option<Zeroizing<String>>,
    /// The key files' password, without asking.
    pub password: Option<Zeroizing<String>>,
    /// The language shown.
    pub lang: Lang,
}

/// Runs the phone's side; exit 0 approved, 1 declined or refused, 2 an error.
pub fn run(request: Request) -> Result<Exit, CliError> {
    let qr = match &request.qr {
        Qr::Text(text) => text.clone(),
        Qr::Image(path) => super::qr_image::read(path)?,
    };
    let db = request.state.join("qoltanba.db");
    if !db.is_file() {
        return Err(CliError::Usage(format!("{}: no enrolled phone here (qoltanba enroll)", db.display())));
    }
    let server = super::server_of(&request.state, request.server.clone())
        .ok_or_else(|| CliError::Usage(format!("{}: which server? (--server)", request.state.display())))?;
    let mut store = Store::open(&db).map_err(|e| CliError::unreadable(&db, e))?;
    let client =
        Client::new(&server, &ClientConfig::default()).map_err(|e| CliError::Usage(e.to_string()))?;
    let lang = CoreLang::from(request.lang);
    let terminal = Arc::new(LoginTerminal {
        lang,
        choice: Mutex::new(match (request.decline, request.number) {
            (true, _) => Some(Choice::Decline),
            (false, number) => number.map(Choice::Number),
        }),
        pin: Mutex::new(request.pin),
        password: Mutex::new(request.password),
    });
    let platform = LoginPlatform {
        prompt: terminal.clone(),
        pin: terminal,
        clock: Arc::new(SystemClock),
        hardware_keys: None,
        key_dir: request.state.clone(),
    };
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| CliError::Usage(format!("cannot start: {e}")))?;
    let ending = runtime.block_on(login::approve(&qr, &mut store, &client, &platform));
    match ending {
        Ok(Ending::Failed { failure }) => {
            let detail = match &failure {
                LoginFailure::Server(error) => error.to_string(),
                LoginFailure::Key { detail } => detail.clone(),
            };
            Err(CliError::Usage(format!("{} ({detail})", text::ending(&Ending::Failed { failure }, lang))))
        }
        Ok(ending) => {
            println!("{}", text::ending(&ending, lang));
            Ok(if matches!(ending, Ending::Approved { .. }) { Exit::Success } else { Exit::Negative })
        }
        Err(LoginError::Qr(error)) => Err(CliError::Usage(text::qr_error(error, lang))),
        Err(error) => Err(CliError::Usage(error.to_string())),
    }
}

/// The terminal at the login screens: the given answers first (once each), then the terminal.
struct LoginTerminal {
    lang: CoreLang,
    choice: Mutex<Option<Choice>>,
    pin: Mutex<Option<Zeroizing<String>>>,
    password: Mutex<Option<Zeroizing<String>>>,
}

impl LoginTerminal {
    fn given<T>(slot: &Mutex<Option<T>>) -> Option<T> {
        slot.lock().ok().and_then(|mut given| given.take())
    }
}

#[async_trait]
impl LoginPrompt for LoginTerminal {
    async fn choose(&self, challenge: &LoginChallenge, again: bool) -> Result<Choice, PortError> {
        for line in text::challenge(challenge, self.lang) {
            eprintln!("{line}");
        }
        let [a, b, c] = challenge.numbers;
        eprintln!("  [{a}]   [{b}]   [{c}]");
        if again {
            eprintln!("{}", text::not_offered(self.lang));
        }
        if let Some(choice) = Self::given(&self.choice) {
            return Ok(choice);
        }
        loop {
            match read_line(&text::choose_number(self.lang))?.parse::<u8>() {
                Ok(0) => return Ok(Choice::Decline),
                Ok(number) => return Ok(Choice::Number(number)),
                Err(_) => eprintln!("{}", text::not_offered(self.lang)),
            }
        }
    }

    async fn key_password(&self, wrong: bool) -> Result<Zeroizing<String>, PortError> {
        if wrong {
            eprintln!("{}", text::wrong_password(self.lang));
        }
        match Self::given(&self.password) {
            Some(password) => Ok(password),
            None => read_secret(&text::password_prompt(self.lang)),
        }
    }
}

#[async_trait]
impl PinPrompt for LoginTerminal {
    async fn choose_pin(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        Err(PortError::Unavailable { reason: "no PIN is chosen at login".into() })
    }

    async fn pin(&self, _purpose: PinPurpose, tries_left: u8) -> Result<Zeroizing<String>, PortError> {
        if tries_left > 0 {
            eprintln!("{}", text::wrong_pin(tries_left, self.lang));
        }
        match Self::given(&self.pin) {
            Some(pin) => Ok(pin),
            None => read_secret(&text::pin_prompt(self.lang)),
        }
    }
}

fn no_terminal(prompt: &str) -> PortError {
    PortError::Unavailable { reason: format!("no answer for \"{prompt}\"") }
}

/// A line from stdin: typed at a terminal, or piped by a program. The end of a terminal's input cancels
/// (declines); the end of piped input is an error.
fn read_line(prompt: &str) -> Result<String, PortError> {
    let terminal = std::io::stdin().is_terminal();
    eprint!("{prompt}: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| PortError::Unavailable { reason: e.to_string() })?;
    match (line.is_empty(), terminal) {
        (true, true) => Err(PortError::Cancelled),
        (true, false) => Err(no_terminal(prompt)),
        (false, _) => Ok(line.trim().to_owned()),
    }
}

fn read_secret(prompt: &str) -> Result<Zeroizing<String>, PortError> {
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal(prompt));
    }
    rpassword::prompt_password(format!("{prompt}: "))
        .map(Zeroizing::new)
        .map_err(|e| PortError::Unavailable { reason: e.to_string() })
}
