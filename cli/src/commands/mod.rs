//! One module per command; each returns an [`Outcome`] or a [`CliError`].

mod csr;
mod inspect;
mod keygen;
mod pack;
mod sign;
mod verify;

use crate::args::Command;
use crate::error::CliError;
use std::path::Path;
use std::process::ExitCode;

/// How a command that ran to the end came out.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done, or the signature is valid (exit 0).
    Success,
    /// A definite negative answer: an invalid signature or an untrusted chain (exit 1).
    Negative,
}

impl Outcome {
    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Success => ExitCode::SUCCESS,
            Self::Negative => ExitCode::from(1),
        }
    }
}

/// Runs one command.
pub fn run(command: Command) -> Result<Outcome, CliError> {
    match command {
        Command::Enroll { server, state, answers, lang } => {
            crate::phone::enroll::run(crate::phone::enroll::Request { server, state, answers, lang })
        }
        Command::Demo { out, password, lang } => crate::phone::demo::run(crate::phone::demo::Request {
            out,
            password: password.map(zeroize::Zeroizing::new),
            lang,
        }),
        Command::Inbox { phone, wait } => {
            let wait = wait.map(std::time::Duration::from_secs);
            crate::phone::signing::run(phone, crate::phone::signing::Action::Inbox(wait))
        }
        Command::Approve { id, phone } => {
            crate::phone::signing::run(phone, crate::phone::signing::Action::Approve(id))
        }
        Command::Refuse { id, phone } => {
            crate::phone::signing::run(phone, crate::phone::signing::Action::Refuse(id))
        }
        Command::Login { qr, qr_image, state, server, number, decline, pin, password, lang } => {
            use crate::phone::login::{Qr, Request, run};
            let qr = match (qr, qr_image) {
                (Some(text), _) => Qr::Text(text),
                (None, Some(path)) => Qr::Image(path),
                (None, None) => return Err(CliError::Usage("give --qr or --qr-image".into())),
            };
            let (pin, password) = (pin.map(zeroize::Zeroizing::new), password.map(zeroize::Zeroizing::new));
            run(Request { qr, state, server, number, decline, pin, password, lang })
        }
        Command::Inspect { file, password, json } => inspect::run(&file, password, json),
        Command::Sign { file, key, password, detached, base64, output } => {
            let password = crate::password::resolve(password, &key.display().to_string())?;
            sign::run(&sign::Request { file, key, password, detached, base64, output })
        }
        Command::Verify { signature, data, trust, crl, ocsp, at, extract, json } => {
            verify::run(&verify::Request { signature, data, trust, crl, ocsp, at, extract, json })
        }
        Command::Keygen { output, bits, password, public } => {
            keygen::run(&output, bits, password.map(Into::into), public.as_deref())
        }
        Command::Csr { key, password, iin, surname, name, patronymic, email, output } => {
            csr::run(&csr::Request {
                key,
                password: password.map(Into::into),
                iin,
                surname,
                name,
                patronymic,
                email,
                output,
            })
        }
        Command::Pack { key, key_password, cert, chain, password, legacy, output } => {
            pack::run(&pack::Request {
                key,
                key_password: key_password.map(Into::into),
                cert,
                chain,
                password: crate::password::resolve(password, "the new key store")?,
                legacy,
                output,
            })
        }
    }
}

/// Reads a whole file, naming it in the error.
pub fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(CliError::io(path))
}

/// Writes a whole file, naming it in the error.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(CliError::io(path))
}
