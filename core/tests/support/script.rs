//! Scripted platform ports for the driver's tests: one [`Script`] is the citizen, the camera, the SMS
//! source, the PIN prompt and the observer. It gives the good answers unless a bad one is queued for the
//! question, cancels at the k-th question when told, and records every question, view, refusal and work.
//! [`Operator`] takes the operator's part over the server's operator API.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use qoltanba_core::client::{Client, OperatorClient};
use qoltanba_core::driver::Platform;
use qoltanba_core::enrollment::{InputError, StepKind, View};
use qoltanba_core::keystore::KeyStorageKind;
use qoltanba_core::ports::{
    Camera, Citizen, DeviceCheck, Observer, PictureKind, PinPrompt, PinPurpose, PortError, SmsCodeSource,
    SystemClock, Work,
};
use qoltanba_protocol::{Person, ReviewDecision, TicketDecision};
use tokio::sync::Notify;
use zeroize::Zeroizing;

/// A question the driver asks through the ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Question {
    DeviceCheck,
    Iin,
    Phone,
    SmsCode,
    Selfie,
    IdCard,
    ChoosePin,
    Consent,
    ConfirmPin,
    Email,
    KeyStorage,
    Password,
}

/// A queued answer replacing the good one once.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A typed text (IIN, phone, SMS code, PIN at consent).
    Text(String),
    /// A value and its confirmation (PIN, password).
    Pair(String, String),
    /// Yes or no (consent).
    Yes(bool),
    /// A picture.
    Picture(Vec<u8>),
    /// The real SMS code with its last digit changed.
    WrongSmsCode,
    /// The citizen cancels.
    Cancel,
}

/// The citizen's good answers.
#[derive(Debug, Clone)]
pub struct Answers {
    pub iin: String,
    /// The phone to register when none is (asked only then).
    pub new_phone: String,
    /// Where the SMS codes go (the registered phone, else `new_phone`), E.164.
    pub sms_phone: String,
    pub pin: String,
    pub password: String,
    pub email: String,
}

/// What the observer saw.
#[derive(Debug, Default)]
pub struct Seen {
    pub questions: Vec<Question>,
    pub views: Vec<View>,
    /// Each refusal, with the step of the snapshot saved in the store at that moment.
    pub rejected: Vec<(InputError, Option<StepKind>)>,
    pub work: Vec<Work>,
    /// The `tries_left` the SMS source was given, per question.
    pub sms_tries: Vec<u8>,
    /// The `tries_left` the PIN prompt was given at consent, per question.
    pub pin_tries: Vec<u8>,
    /// The SMS codes given (to look for them where they must not be).
    pub sms_given: Vec<String>,
}

/// The scripted ports.
pub struct Script {
    pub answers: Answers,
    client: Client,
    /// The local store's file, read on every refusal to see the saved step.
    store_path: PathBuf,
    queued: Mutex<HashMap<Question, VecDeque<Answer>>>,
    cancel_at: Mutex<Option<usize>>,
    /// Crash when the n-th `working` call comes (1-based): `crash` is notified.
    crash_at: Mutex<Option<usize>>,
    /// Notified at the crash point.
    pub crash: Notify,
    pub seen: Mutex<Seen>,
}

impl Script {
    /// A script answering `answers`, reading SMS codes through `client`'s dev outbox.
    pub fn new(answers: Answers, client: Client, store_path: PathBuf) -> Arc<Self> {
        Arc::new(Self {
            answers,
            client,
            store_path,
            queued: Mutex::default(),
            cancel_at: Mutex::default(),
            crash_at: Mutex::default(),
            crash: Notify::new(),
            seen: Mutex::default(),
        })
    }

    /// The platform with every port this script, keys in `key_dir`, no hardware store.
    pub fn platform(self: &Arc<Self>, key_dir: PathBuf) -> Platform {
        Platform {
            citizen: self.clone(),
            camera: self.clone(),
            sms: self.clone(),
            pin: self.clone(),
            clock: Arc::new(SystemClock),
            observer: self.clone(),
            hardware_keys: None,
            key_dir,
        }
    }

    /// Queues `answer` for the next time `question` is asked.
    pub fn queue(&self, question: Question, answer: Answer) {
        self.queued.lock().unwrap().entry(question).or_default().push_back(answer);
    }

    /// Cancels the k-th question from now on (1-based), once.
    pub fn cancel_at(&self, k: usize) {
        let asked = self.seen.lock().unwrap().questions.len();
        *self.cancel_at.lock().unwrap() = Some(asked + k);
    }

    /// Notifies [`Self::crash`] at the n-th `working` call from now on (1-based), once.
    pub fn crash_at_work(&self, n: usize) {
        let done = self.seen.lock().unwrap().work.len();
        *self.crash_at.lock().unwrap() = Some(done + n);
    }

    /// The questions asked so far.
    pub fn questions(&self) -> Vec<Question> {
        self.seen.lock().unwrap().questions.clone()
    }

    /// The answer to `question` now: a queued one, a cancellation at the k-th question, else `None`
    /// (the good answer).
    fn next(&self, question: Question) -> Result<Option<Answer>, PortError> {
        let asked = {
            let mut seen = self.seen.lock().unwrap();
            seen.questions.push(question);
            seen.questions.len()
        };
        {
            let mut cancel = self.cancel_at.lock().unwrap();
            if *cancel == Some(asked) {
                *cancel = None;
                return Err(PortError::Cancelled);
            }
        }
        match self.queued.lock().unwrap().get_mut(&question).and_then(VecDeque::pop_front) {
            Some(Answer::Cancel) => Err(PortError::Cancelled),
            other => Ok(other),
        }
    }

    fn text(&self, question: Question, good: &str) -> Result<Zeroizing<String>, PortError> {
        Ok(Zeroizing::new(match self.next(question)? {
            Some(Answer::Text(text)) => text,
            None => good.to_owned(),
            Some(other) => panic!("{other:?} is no answer to {question:?}"),
        }))
    }

    fn pair(
        &self,
        question: Question,
        good: &str,
    ) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        let (value, confirmation) = match self.next(question)? {
            Some(Answer::Pair(value, confirmation)) => (value, confirmation),
            None => (good.to_owned(), good.to_owned()),
            Some(other) => panic!("{other:?} is no answer to {question:?}"),
        };
        Ok((Zeroizing::new(value), Zeroizing::new(confirmation)))
    }

    async fn sms_code(&self) -> Result<String, String> {
        let code = self.client.dev_sms(&self.answers.sms_phone).await.map_err(|e| e.to_string())?;
        Ok(code.code)
    }
}

#[async_trait]
impl Citizen for Script {
    async fn device_check(&self) -> Result<DeviceCheck, PortError> {
        self.next(Question::DeviceCheck)?;
        Ok(DeviceCheck { camera: true, network: true })
    }

    async fn iin(&self) -> Result<String, PortError> {
        Ok(self.text(Question::Iin, &self.answers.iin)?.to_string())
    }

    async fn phone_number(&self) -> Result<String, PortError> {
        Ok(self.text(Question::Phone, &self.answers.new_phone)?.to_string())
    }

    async fn consent(&self) -> Result<bool, PortError> {
        match self.next(Question::Consent)? {
            Some(Answer::Yes(yes)) => Ok(yes),
            None => Ok(true),
            Some(other) => panic!("{other:?} is no answer to consent"),
        }
    }

    async fn email(&self, _person: &Person) -> Result<String, PortError> {
        Ok(self.text(Question::Email, &self.answers.email)?.to_string())
    }

    async fn key_storage(&self, _hardware_available: bool) -> Result<KeyStorageKind, PortError> {
        self.next(Question::KeyStorage)?;
        Ok(KeyStorageKind::File)
    }

    async fn password(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        self.pair(Question::Password, &self.answers.password)
    }
}

#[async_trait]
impl Camera for Script {
    async fn capture(&self, kind: PictureKind) -> Result<Vec<u8>, PortError> {
        let question = match kind {
            PictureKind::Selfie => Question::Selfie,
            PictureKind::IdCard => Question::IdCard,
        };
        match self.next(question)? {
            Some(Answer::Picture(bytes)) => Ok(bytes),
            None => Ok(super::JPEG.to_vec()),
            Some(other) => panic!("{other:?} is no picture"),
        }
    }
}

#[async_trait]
impl SmsCodeSource for Script {
    async fn code(&self, _phone_masked: &str, tries_left: u8) -> Result<Zeroizing<String>, PortError> {
        self.seen.lock().unwrap().sms_tries.push(tries_left);
        let unavailable = |reason: String| PortError::Unavailable { reason };
        let code = match self.next(Question::SmsCode)? {
            Some(Answer::Text(text)) => text,
            Some(Answer::WrongSmsCode) => {
                let mut code = self.sms_code().await.map_err(unavailable)?;
                let last = code.pop().and_then(|c| c.to_digit(10)).unwrap_or(0);
                code.push(char::from_digit((last + 1) % 10, 10).unwrap_or('0'));
                code
            }
            None => self.sms_code().await.map_err(unavailable)?,
            Some(other) => panic!("{other:?} is no SMS code"),
        };
        self.seen.lock().unwrap().sms_given.push(code.clone());
        Ok(Zeroizing::new(code))
    }
}

#[async_trait]
impl PinPrompt for Script {
    async fn choose_pin(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        self.pair(Question::ChoosePin, &self.answers.pin)
    }

    async fn pin(&self, _purpose: PinPurpose, tries_left: u8) -> Result<Zeroizing<String>, PortError> {
        self.seen.lock().unwrap().pin_tries.push(tries_left);
        self.text(Question::ConfirmPin, &self.answers.pin)
    }
}

impl Observer for Script {
    fn view(&self, view: &View) {
        self.seen.lock().unwrap().views.push(view.clone());
    }

    fn rejected(&self, error: &InputError) {
        let saved = qoltanba_core::store::Store::open(&self.store_path)
            .ok()
            .and_then(|store| store.snapshot::<qoltanba_core::enrollment::Enrollment>().ok().flatten())
            .map(|machine| machine.step().kind());
        self.seen.lock().unwrap().rejected.push((error.clone(), saved));
    }

    fn working(&self, work: Work) {
        let done = {
            let mut seen = self.seen.lock().unwrap();
            seen.work.push(work);
            seen.work.len()
        };
        let mut crash = self.crash_at.lock().unwrap();
        if *crash == Some(done) {
            *crash = None;
            self.crash.notify_one();
        }
    }
}

/// The operator at the console: approves every phone registration with the code the citizen reads out
/// (from the dev outbox) and decides every selfie review with the queued decisions, then approves.
pub struct Operator {
    task: tokio::task::JoinHandle<()>,
    /// The selfie decisions to give first.
    pub selfie_decisions: Arc<Mutex<VecDeque<ReviewDecision>>>,
    /// The selfie decisions given, in order.
    pub decided: Arc<Mutex<Vec<ReviewDecision>>>,
}

impl Drop for Operator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Operator {
    /// Creates an operator account on `server` and starts working its queues.
    pub async fn start(server: &super::TestServer) -> Self {
        let (username, password) = ("aigerim", "correct horse battery staple");
        server.add_operator(username, password).await;
        let client = server.client();
        let operator = OperatorClient::login(&client, username, password).await.expect("operator login");
        let selfie_decisions: Arc<Mutex<VecDeque<ReviewDecision>>> = Arc::default();
        let decided: Arc<Mutex<Vec<ReviewDecision>>> = Arc::default();
        let (queue, log) = (selfie_decisions.clone(), decided.clone());
        let task = tokio::spawn(async move {
            loop {
                for ticket in operator.phone_registrations().await.expect("the tickets") {
                    let heard = client.dev_sms(&ticket.phone).await.expect("the code on the call");
                    let approve = TicketDecision::Approve { sms_code: heard.code };
                    operator.decide_phone_registration(ticket.id, &approve).await.expect("approve");
                }
                for review in operator.selfie_reviews().await.expect("the reviews") {
                    let decision = queue.lock().unwrap().pop_front().unwrap_or(ReviewDecision::Approve);
                    operator.decide_selfie_review(review.id, &decision).await.expect("decide");
                    log.lock().unwrap().push(decision);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
        Self { task, selfie_decisions, decided }
    }
}
