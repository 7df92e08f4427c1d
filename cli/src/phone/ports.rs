//! The terminal as a phone: the core's platform ports answered from an answers file or at a prompt.

use std::collections::HashSet;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;

use async_trait::async_trait;
use qoltanba_core::keystore::KeyStorageKind;
use qoltanba_core::ports::{
    Camera, Citizen, DeviceCheck, PictureKind, PinPrompt, PinPurpose, PortError, SmsCodeSource,
};
use qoltanba_protocol::Person;
use zeroize::Zeroizing;

use super::answers::{Answers, SmsAnswer};
use super::text::{Lang, Text};

/// Reads the latest SMS code the reference server sent to a phone (its `--dev` outbox).
#[async_trait]
pub trait DevOutbox: Send + Sync {
    /// The code last sent to the phone shown as `phone_masked`.
    async fn latest_code(&self) -> Result<Zeroizing<String>, PortError>;
}

/// The terminal phone: answers first, then the terminal (when there is one), else a clear refusal. A
/// written answer the core refused is not given again (so a wrong answer ends a run without a terminal
/// instead of looping; the flow stays at its step).
pub struct Terminal {
    lang: Lang,
    answers: Answers,
    outbox: Option<Box<dyn DevOutbox>>,
    last_asked: Mutex<Option<&'static str>>,
    refused: Mutex<HashSet<&'static str>>,
}

impl Terminal {
    /// A terminal phone speaking `lang`, with written `answers` and, for `sms_code = "dev-outbox"`, the
    /// server's outbox.
    pub fn new(lang: Lang, answers: Answers, outbox: Option<Box<dyn DevOutbox>>) -> Self {
        Self { lang, answers, outbox, last_asked: Mutex::new(None), refused: Mutex::new(HashSet::new()) }
    }

    /// The written answer for `field`, unless the core refused it already.
    fn written<'a, T: ?Sized>(&self, field: &'static str, answer: Option<&'a T>) -> Option<&'a T> {
        if let Ok(mut last) = self.last_asked.lock() {
            *last = Some(field);
        }
        let refused = self.refused.lock().map(|r| r.contains(field)).unwrap_or(true);
        if refused { None } else { answer }
    }

    /// The core refused the last answer: don't give the written one again.
    pub fn refuse_last(&self) {
        let last = self.last_asked.lock().ok().and_then(|last| *last);
        if let (Some(field), Ok(mut refused)) = (last, self.refused.lock()) {
            refused.insert(field);
        }
    }

    /// The key files' password: the written answer, else `QOLTANBA_PASSWORD`, else asked without echo.
    pub fn key_password(&self) -> Result<Zeroizing<String>, PortError> {
        let from_env = std::env::var("QOLTANBA_PASSWORD").ok().map(Zeroizing::new);
        let given = self.written("password", self.answers.password.as_ref()).or(from_env.as_ref());
        self.ask_secret(Text::Password, given)
    }

    /// The language spoken.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    fn say(&self, text: Text) -> &'static str {
        text.in_lang(self.lang)
    }

    fn ask(&self, text: Text, given: Option<&str>) -> Result<String, PortError> {
        if let Some(given) = given {
            return Ok(given.to_owned());
        }
        let prompt = self.say(text);
        if !std::io::stdin().is_terminal() {
            return Err(unanswered(prompt));
        }
        eprint!("{prompt}: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| PortError::Unavailable { reason: e.to_string() })?;
        if line.is_empty() {
            return Err(PortError::Cancelled);
        }
        Ok(line.trim().to_owned())
    }

    fn ask_secret(
        &self,
        text: Text,
        given: Option<&Zeroizing<String>>,
    ) -> Result<Zeroizing<String>, PortError> {
        if let Some(given) = given {
            return Ok(given.clone());
        }
        let prompt = self.say(text);
        if !std::io::stdin().is_terminal() {
            return Err(unanswered(prompt));
        }
        rpassword::prompt_password(format!("{prompt}: "))
            .map(Zeroizing::new)
            .map_err(|e| PortError::Unavailable { reason: e.to_string() })
    }
}

fn unanswered(prompt: &str) -> PortError {
    PortError::Unavailable { reason: format!("no answer for \"{prompt}\" (give it in --answers)") }
}

#[async_trait]
impl Citizen for Terminal {
    async fn device_check(&self) -> Result<DeviceCheck, PortError> {
        eprintln!("{}", self.say(Text::DeviceCheck));
        Ok(DeviceCheck { camera: true, network: true })
    }

    async fn iin(&self) -> Result<String, PortError> {
        self.ask(Text::Iin, self.written("iin", self.answers.iin.as_deref()))
    }

    async fn phone_number(&self) -> Result<String, PortError> {
        self.ask(Text::Phone, self.written("phone", self.answers.phone.as_deref()))
    }

    async fn consent(&self) -> Result<bool, PortError> {
        if let Some(&consent) = self.written("consent", self.answers.consent.as_ref()) {
            return Ok(consent);
        }
        let answer = self.ask(Text::Consent, None)?.to_lowercase();
        Ok(matches!(answer.as_str(), "y" | "yes" | "д" | "да" | "и" | "иә"))
    }

    async fn email(&self, person: &Person) -> Result<String, PortError> {
        let patronymic = person.patronymic.as_deref().unwrap_or_default();
        eprintln!(
            "{}: {} {} {patronymic}, {} {}",
            self.say(Text::YourData),
            person.surname,
            person.name,
            person.iin,
            person.birth_date
        );
        self.ask(Text::Email, self.written("email", self.answers.email.as_deref()))
    }

    async fn key_storage(&self, hardware_available: bool) -> Result<KeyStorageKind, PortError> {
        let answer =
            self.ask(Text::KeyStorage, self.written("key_storage", self.answers.key_storage.as_deref()))?;
        match answer.as_str() {
            "hardware" if hardware_available => Ok(KeyStorageKind::Hardware),
            "file" | "" => Ok(KeyStorageKind::File),
            other => Err(PortError::Unavailable { reason: format!("no key storage \"{other}\" here") }),
        }
    }

    async fn password(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        let given = self.written("password", self.answers.password.as_ref());
        let password = self.ask_secret(Text::Password, given)?;
        let repeat = self.ask_secret(Text::RepeatPassword, given)?;
        Ok((password, repeat))
    }
}

#[async_trait]
impl Camera for Terminal {
    async fn capture(&self, kind: PictureKind) -> Result<Vec<u8>, PortError> {
        let (text, given) = match kind {
            PictureKind::Selfie => (Text::Selfie, self.written("selfie", self.answers.selfie.as_ref())),
            PictureKind::IdCard => (Text::IdCard, self.written("id_card", self.answers.id_card.as_ref())),
        };
        let path = match given {
            Some(path) => path.clone(),
            None => self.ask(text, None)?.into(),
        };
        std::fs::read(&path)
            .map_err(|e| PortError::Unavailable { reason: format!("{}: {e}", path.display()) })
    }
}

#[async_trait]
impl SmsCodeSource for Terminal {
    async fn code(&self, phone_masked: &str, tries_left: u8) -> Result<Zeroizing<String>, PortError> {
        eprintln!(
            "{} ({phone_masked}, {}: {tries_left})",
            self.say(Text::SmsCode),
            self.say(Text::TriesLeft)
        );
        match (self.written("sms_code", self.answers.sms_code.as_ref()), &self.outbox) {
            (Some(SmsAnswer::DevOutbox), Some(outbox)) => outbox.latest_code().await,
            (Some(SmsAnswer::Code(code)), _) => Ok(code.clone()),
            _ => self.ask_secret(Text::SmsCode, None),
        }
    }
}

#[async_trait]
impl PinPrompt for Terminal {
    async fn choose_pin(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        let given = self.written("pin", self.answers.pin.as_ref());
        let pin = self.ask_secret(Text::ChoosePin, given)?;
        let repeat = self.ask_secret(Text::RepeatPin, given)?;
        Ok((pin, repeat))
    }

    async fn pin(&self, _purpose: PinPurpose, tries_left: u8) -> Result<Zeroizing<String>, PortError> {
        if tries_left > 0 {
            eprintln!("{}: {tries_left}", self.say(Text::TriesLeft));
        }
        self.ask_secret(Text::EnterPin, self.written("pin", self.answers.pin.as_ref()))
    }
}
