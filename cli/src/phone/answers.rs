//! `qoltanba enroll --answers FILE.toml`: the citizen's answers written down, for running the flow without
//! a person at the terminal (tests, demos). Every field is optional; a missing one is asked for on the
//! terminal, or ends the run with a clear message when there is no terminal.
//!
//! ```toml
//! iin = "900101300123"
//! phone = "+77011234567"          # only asked for when no phone is registered to the IIN
//! sms_code = "dev-outbox"         # or six digits; `dev-outbox` reads the server's --dev outbox
//! selfie = "selfie.jpg"           # paths relative to the answers file
//! id_card = "id-card.png"
//! pin = "4827"
//! consent = true
//! email = "citizen@example.kz"
//! key_storage = "file"            # or "hardware"
//! password = "Qoltanba2026"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::error::CliError;

/// Where the SMS code comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsAnswer {
    /// Read the code the reference server sent, from its `--dev` outbox.
    DevOutbox,
    /// These digits (as typed, validated by the core).
    Code(Zeroizing<String>),
}

/// The answers file, as read.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    iin: Option<String>,
    phone: Option<String>,
    sms_code: Option<String>,
    selfie: Option<PathBuf>,
    id_card: Option<PathBuf>,
    pin: Option<String>,
    consent: Option<bool>,
    email: Option<String>,
    key_storage: Option<String>,
    password: Option<String>,
}

/// The citizen's answers, with picture paths resolved against the answers file's directory.
#[derive(Default)]
pub struct Answers {
    /// Step 2.
    pub iin: Option<String>,
    /// Step 4.
    pub phone: Option<String>,
    /// Step 5.
    pub sms_code: Option<SmsAnswer>,
    /// Step 6.
    pub selfie: Option<PathBuf>,
    /// Step 8.
    pub id_card: Option<PathBuf>,
    /// Steps 7 and 9.
    pub pin: Option<Zeroizing<String>>,
    /// Step 9.
    pub consent: Option<bool>,
    /// Step 10.
    pub email: Option<String>,
    /// Step 10: `file` or `hardware`.
    pub key_storage: Option<String>,
    /// Step 11.
    pub password: Option<Zeroizing<String>>,
}

impl Answers {
    /// Reads an answers file.
    pub fn read(path: &Path) -> Result<Self, CliError> {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(CliError::io(path))?);
        let file: File = toml::from_str(&text).map_err(|e| CliError::unreadable(path, e.message()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let sms_code = file.sms_code.map(|code| match code.as_str() {
            "dev-outbox" => SmsAnswer::DevOutbox,
            _ => SmsAnswer::Code(Zeroizing::new(code)),
        });
        Ok(Self {
            iin: file.iin,
            phone: file.phone,
            sms_code,
            selfie: file.selfie.map(|p| base.join(p)),
            id_card: file.id_card.map(|p| base.join(p)),
            pin: file.pin.map(Zeroizing::new),
            consent: file.consent,
            email: file.email,
            key_storage: file.key_storage,
            password: file.password.map(Zeroizing::new),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_field_and_resolves_pictures_next_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.toml");
        std::fs::write(
            &path,
            "iin = \"900101300123\"\nsms_code = \"dev-outbox\"\nselfie = \"me.jpg\"\npin = \"4827\"\n\
             consent = true\npassword = \"Qoltanba2026\"\n",
        )
        .unwrap();
        let answers = Answers::read(&path).unwrap();
        assert_eq!(answers.iin.as_deref(), Some("900101300123"));
        assert_eq!(answers.sms_code, Some(SmsAnswer::DevOutbox));
        assert_eq!(answers.selfie, Some(dir.path().join("me.jpg")));
        assert_eq!(answers.pin.as_deref().map(String::as_str), Some("4827"));
        assert_eq!(answers.consent, Some(true));
        assert!(answers.phone.is_none() && answers.email.is_none());
    }

    #[test]
    fn unknown_keys_are_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers.toml");
        std::fs::write(&path, "inn = \"900101300123\"\n").unwrap();
        let error = Answers::read(&path).err().unwrap().to_string();
        assert!(error.contains("answers.toml") && error.contains("inn"), "{error}");
    }
}
