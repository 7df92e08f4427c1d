//! QR login on the phone against the real server router: a citizen is enrolled once per test binary with
//! the enrollment driver (two RSA keys made on the "phone", key files behind a password); each test
//! copies that phone and plays the browser over HTTP (start a session, read the QR frame the page
//! shows, wait for the status, complete the login), while `login::approve` plays the phone.

mod support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use async_trait::async_trait;
use qoltanba_core::client::Client;
use qoltanba_core::driver::{Driver, Outcome};
use qoltanba_core::login::{
    Choice, Ending, LoginError, LoginOutcome, LoginPlatform, LoginPrompt, LoginRecord, QrError, approve,
};
use qoltanba_core::ports::{PinPrompt, PinPurpose, PortError, SystemClock};
use qoltanba_core::store::{MAX_FAILURES, Store};
use qoltanba_protocol::{IDEMPOTENCY_KEY_HEADER, LoggedIn, LoginChallenge, LoginRefusal, LoginStatus, paths};
use qoltanba_server::web::QR_TEXT_HEADER;
use support::script::{Answers, Operator, Script};
use support::{TestServer, citizen_with_phone, client_of, start_request};
use uuid::Uuid;
use zeroize::Zeroizing;

const PIN: &str = "7395";
const PASSWORD: &str = "Qoltanba!login-2026";

/// The enrolled phone every test copies, and the server it enrolled with (on a runtime of its own, so
/// that it outlives each test's runtime).
struct Enrolled {
    url: String,
    iin: String,
    phone: tempfile::TempDir,
    _server: TestServer,
    _runtime: tokio::runtime::Runtime,
}

fn enrolled() -> &'static Enrolled {
    static ENROLLED: OnceLock<Enrolled> = OnceLock::new();
    // Built on a plain thread: a test's runtime cannot block on another runtime.
    ENROLLED.get_or_init(|| std::thread::spawn(enroll).join().expect("enrollment"))
}

fn enroll() -> Enrolled {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let phone = tempfile::tempdir().unwrap();
    let (server, iin) = runtime.block_on(async {
        let server = TestServer::start().await;
        let operator = Operator::start(&server).await;
        let (citizen, sms_phone) = citizen_with_phone();
        let answers = Answers {
            iin: citizen.iin.clone(),
            new_phone: sms_phone.clone(),
            sms_phone,
            pin: PIN.into(),
            password: PASSWORD.into(),
            email: "citizen@qoltanba.kz".into(),
        };
        let client = server.client();
        let script = Script::new(answers, client.clone(), phone.path().join("phone.db"));
        let store = Store::open(phone.path().join("phone.db")).unwrap();
        let platform = script.platform(phone.path().join("keys"));
        let mut driver = Driver::open(store, client, platform, start_request(&citizen.iin).device).unwrap();
        let outcome = driver.run().await.unwrap();
        assert!(matches!(outcome, Outcome::Enrolled(_)), "{outcome:?}");
        drop(operator);
        (server, citizen.iin)
    });
    Enrolled { url: server.url.clone(), iin, phone, _server: server, _runtime: runtime }
}

/// A copy of the enrolled phone (store and key files), so that each test has its own history.
struct Phone {
    dir: tempfile::TempDir,
    client: Client,
}

impl Phone {
    fn copy() -> Self {
        let enrolled = enrolled();
        let dir = tempfile::tempdir().unwrap();
        copy_dir(enrolled.phone.path(), dir.path());
        Self { dir, client: client_of(&enrolled.url) }
    }

    fn store(&self) -> Store {
        Store::open(self.dir.path().join("phone.db")).unwrap()
    }

    fn platform(&self, prompt: Arc<Prompt>, pins: Arc<Pins>) -> LoginPlatform {
        LoginPlatform {
            prompt,
            pin: pins,
            clock: Arc::new(SystemClock),
            hardware_keys: None,
            key_dir: self.dir.path().join("keys"),
        }
    }

    async fn approve(&self, qr: &str, prompt: Arc<Prompt>, pins: &[&str]) -> Result<Ending, LoginError> {
        approve(qr, &mut self.store(), &self.client, &self.platform(prompt, Pins::new(pins))).await
    }

    fn logins(&self) -> Vec<LoginRecord> {
        self.store().history(0, 50).unwrap().iter().filter_map(LoginRecord::of).collect()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What the citizen picks on the challenge screen.
#[derive(Clone, Copy)]
enum Pick {
    /// This number (the page's).
    Number(u8),
    /// One of the three that is not this one (not the page's).
    Other(u8),
    /// Decline.
    Decline,
}

/// The citizen at the login screens: picks as told, types the key passwords in turn, and keeps every
/// challenge shown.
struct Prompt {
    pick: Pick,
    passwords: Mutex<Vec<&'static str>>,
    shown: Mutex<Vec<LoginChallenge>>,
}

impl Prompt {
    fn new(pick: Pick, passwords: &[&'static str]) -> Arc<Self> {
        let mut passwords = passwords.to_vec();
        passwords.reverse();
        Arc::new(Self { pick, passwords: Mutex::new(passwords), shown: Mutex::default() })
    }

    fn shown(&self) -> Vec<LoginChallenge> {
        self.shown.lock().unwrap().clone()
    }
}

#[async_trait]
impl LoginPrompt for Prompt {
    async fn choose(&self, challenge: &LoginChallenge, again: bool) -> Result<Choice, PortError> {
        assert!(!again, "only offered numbers are picked");
        self.shown.lock().unwrap().push(challenge.clone());
        Ok(match self.pick {
            Pick::Number(number) => Choice::Number(number),
            Pick::Other(not) => Choice::Number(challenge.numbers.into_iter().find(|n| *n != not).unwrap()),
            Pick::Decline => Choice::Decline,
        })
    }

    async fn key_password(&self, _wrong: bool) -> Result<Zeroizing<String>, PortError> {
        let next = self.passwords.lock().unwrap().pop().ok_or(PortError::Cancelled)?;
        Ok(Zeroizing::new(next.to_owned()))
    }
}

/// The PIN prompt typing the PINs in turn, keeping the tries left it was shown.
struct Pins {
    pins: Mutex<Vec<String>>,
    tries: Mutex<Vec<u8>>,
}

impl Pins {
    fn new(pins: &[&str]) -> Arc<Self> {
        let mut pins: Vec<String> = pins.iter().map(|p| (*p).to_owned()).collect();
        pins.reverse();
        Arc::new(Self { pins: Mutex::new(pins), tries: Mutex::default() })
    }
}

#[async_trait]
impl PinPrompt for Pins {
    async fn choose_pin(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        Err(PortError::Unavailable { reason: "no PIN is chosen at login".into() })
    }

    async fn pin(&self, purpose: PinPurpose, tries_left: u8) -> Result<Zeroizing<String>, PortError> {
        assert_eq!(purpose, PinPurpose::Unlock);
        self.tries.lock().unwrap().push(tries_left);
        self.pins.lock().unwrap().pop().map(Zeroizing::new).ok_or(PortError::Cancelled)
    }
}

/// The desktop browser, over HTTP: its session, its cookie, the number its page shows.
struct Page {
    http: reqwest::Client,
    url: String,
    cookie: String,
    id: Uuid,
    number: u8,
}

impl Page {
    async fn open() -> Self {
        let url = enrolled().url.clone();
        let http = reqwest::Client::new();
        let response = http
            .post(format!("{url}{}", paths::LOGIN_SESSIONS))
            .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string())
            .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let started: qoltanba_protocol::LoginStarted = response.json().await.unwrap();
        Self { http, url, cookie, id: started.session_id, number: started.number }
    }

    /// The QR text of the frame the page shows now.
    async fn frame(&self) -> String {
        let response = self.send(self.http.get(self.path(paths::login_session_qr(self.id)))).await;
        response.headers()[QR_TEXT_HEADER].to_str().unwrap().to_owned()
    }

    async fn status(&self) -> LoginStatus {
        self.send(self.http.get(self.path(paths::login_session(self.id)))).await.json().await.unwrap()
    }

    async fn complete(&self) -> LoggedIn {
        let request = self
            .http
            .post(self.path(paths::login_session_completion(self.id)))
            .header(IDEMPOTENCY_KEY_HEADER, Uuid::new_v4().to_string());
        self.send(request).await.json().await.unwrap()
    }

    fn path(&self, path: String) -> String {
        format!("{}{path}", self.url)
    }

    /// Sends `request` as this browser (its cookie); the answer must be 200.
    async fn send(&self, request: reqwest::RequestBuilder) -> reqwest::Response {
        let response = request.header("Cookie", &self.cookie).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_with_the_pages_number_logs_the_browser_in_as_the_enrolled_citizen() {
    let phone = Phone::copy();
    let page = Page::open().await;
    let prompt = Prompt::new(Pick::Number(page.number), &[PASSWORD]);

    let ending = phone.approve(&page.frame().await, prompt.clone(), &[PIN]).await.unwrap();

    assert_eq!(ending, Ending::Approved { relying_party: "eGov".into() });
    let shown = prompt.shown();
    assert_eq!(shown.len(), 1);
    assert_eq!((shown[0].session_id, shown[0].relying_party.as_str()), (page.id, "eGov"));
    assert!(shown[0].numbers.contains(&page.number) && shown[0].browser.contains("Chrome"), "{:?}", shown[0]);
    assert_eq!(page.status().await, LoginStatus::Approved);
    let logged_in = page.complete().await;
    assert_eq!(logged_in.iin, enrolled().iin);
    let logins = phone.logins();
    assert_eq!(logins.len(), 1, "{logins:?}");
    assert_eq!((logins[0].outcome, logins[0].relying_party.as_str()), (LoginOutcome::Approved, "eGov"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_number_is_refused_on_the_phone_and_on_the_page() {
    let phone = Phone::copy();
    let page = Page::open().await;

    let ending =
        phone.approve(&page.frame().await, Prompt::new(Pick::Other(page.number), &[PASSWORD]), &[PIN]).await;

    assert_eq!(ending.unwrap(), Ending::Refused { reason: LoginRefusal::WrongNumber });
    assert_eq!(page.status().await, LoginStatus::Refused { reason: LoginRefusal::WrongNumber });
    let logins = phone.logins();
    assert_eq!(logins.len(), 1, "{logins:?}");
    assert_eq!(
        (logins[0].outcome, logins[0].reason),
        (LoginOutcome::Refused, Some(LoginRefusal::WrongNumber))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declining_on_the_phone_shows_the_refusal_on_the_page_and_in_the_history() {
    let phone = Phone::copy();
    let page = Page::open().await;

    let ending = phone.approve(&page.frame().await, Prompt::new(Pick::Decline, &[]), &[]).await.unwrap();

    assert_eq!(ending, Ending::Declined);
    assert_eq!(page.status().await, LoginStatus::Refused { reason: LoginRefusal::Declined });
    let logins = phone.logins();
    assert_eq!(logins.iter().map(|l| l.outcome).collect::<Vec<_>>(), [LoginOutcome::Declined]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_frame_is_refused_as_stale_at_the_scan_and_leaves_no_history() {
    let phone = Phone::copy();
    let page = Page::open().await;
    let frame = page.frame().await;
    let (head, code) = frame.rsplit_once('.').unwrap();
    let flipped = if code.starts_with('0') { "1" } else { "0" };
    let forged = format!("{head}.{flipped}{}", &code[1..]);

    let ending = phone.approve(&forged, Prompt::new(Pick::Number(page.number), &[]), &[]).await.unwrap();

    assert_eq!(ending, Ending::Refused { reason: LoginRefusal::StaleQrCode });
    assert_eq!(page.status().await, LoginStatus::Waiting, "the real frame still works");
    assert!(phone.logins().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_scanned_again_after_its_login_is_refused() {
    let phone = Phone::copy();
    let page = Page::open().await;
    let frame = page.frame().await;
    let first = phone.approve(&frame, Prompt::new(Pick::Number(page.number), &[PASSWORD]), &[PIN]).await;
    assert_eq!(first.unwrap(), Ending::Approved { relying_party: "eGov".into() });

    let again = phone.approve(&frame, Prompt::new(Pick::Number(page.number), &[PASSWORD]), &[PIN]).await;

    assert_eq!(again.unwrap(), Ending::Refused { reason: LoginRefusal::AlreadyScanned });
    assert_eq!(page.status().await, LoginStatus::Approved, "the first login stands");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_and_a_wrong_password_are_asked_again_before_approving() {
    let phone = Phone::copy();
    let page = Page::open().await;
    let prompt = Prompt::new(Pick::Number(page.number), &["not the password", PASSWORD]);
    let pins = Pins::new(&["0000", PIN]);
    let platform = phone.platform(prompt, pins.clone());

    let ending = approve(&page.frame().await, &mut phone.store(), &phone.client, &platform).await.unwrap();

    assert_eq!(ending, Ending::Approved { relying_party: "eGov".into() });
    assert_eq!(
        *pins.tries.lock().unwrap(),
        [0, MAX_FAILURES as u8 - 1],
        "the tries left after the wrong PIN"
    );
    assert_eq!(page.status().await, LoginStatus::Approved);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_that_is_not_a_login_qr_code_is_refused_before_anything_is_sent() {
    let phone = Phone::copy();
    let outcome = phone.approve("https://egov.kz/login", Prompt::new(Pick::Decline, &[]), &[]).await;
    assert!(matches!(outcome, Err(LoginError::Qr(QrError::WrongScheme))), "{outcome:?}");
}
