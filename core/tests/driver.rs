//! The driver against the real server router: scripted ports play the citizen, an operator task works
//! the operator's queues over HTTP. Every enrollment generates two RSA-2048 keys on the "phone"; the runs
//! that resume at every question and after a crash at every command go concurrently, one server each.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use qoltanba_core::client::Client;
use qoltanba_core::driver::{Driver, Outcome};
use qoltanba_core::enrollment::input::MIN_PASSWORD_CHARS;
use qoltanba_core::enrollment::{Enrollment, FailReason, InputError, Notice, Step, StepKind};
use qoltanba_core::keystore::software::SoftwareKeyStore;
use qoltanba_core::keystore::{CertificatePurpose, KeyStore};
use qoltanba_core::ports::Work;
use qoltanba_core::store::{OperationKind, Store};
use qoltanba_pki::iin::IinError;
use qoltanba_protocol::limits::MAX_IMAGE_BYTES;
use qoltanba_protocol::{FailureReason, ReviewDecision};
use support::script::{Answer, Answers, Operator, Question, Script};
use support::{TestServer, citizen_with_phone, citizen_without_phone, start_request};

const PIN: &str = "7395";
const PASSWORD: &str = "Qoltanba!pass-2026";
const NEW_PHONE: &str = "+77071234567";

/// The questions of an enrollment without a registered phone, when every answer is good.
const QUESTIONS_WITHOUT_PHONE: [Question; 12] = [
    Question::DeviceCheck,
    Question::Iin,
    Question::Phone,
    Question::SmsCode,
    Question::Selfie,
    Question::ChoosePin,
    Question::IdCard,
    Question::Consent,
    Question::ConfirmPin,
    Question::Email,
    Question::KeyStorage,
    Question::Password,
];

/// `working` calls in an enrollment without a registered phone, at the fewest polls: start, phone,
/// (poll, fetch), code, selfie, (poll, fetch), ID card, consent, e-mail, keys, CSRs, install.
const WORK_WITHOUT_PHONE: usize = 14;

/// A phone: its local store and key directory, the scripted ports, a client of the server.
struct Phone {
    dir: tempfile::TempDir,
    script: Arc<Script>,
    client: Client,
}

impl Phone {
    fn new(server: &TestServer, registered: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let answers = if registered {
            let (citizen, phone) = citizen_with_phone();
            answers(&citizen.iin, &phone)
        } else {
            answers(&citizen_without_phone().iin, NEW_PHONE)
        };
        let client = server.client();
        let script = Script::new(answers, client.clone(), dir.path().join("phone.db"));
        Self { dir, script, client }
    }

    fn store_path(&self) -> PathBuf {
        self.dir.path().join("phone.db")
    }

    fn key_dir(&self) -> PathBuf {
        self.dir.path().join("keys")
    }

    /// A driver on the store as saved (a restarted app).
    fn driver(&self) -> Driver {
        let store = Store::open(self.store_path()).unwrap();
        let device = start_request(&self.script.answers.iin).device;
        Driver::open(store, self.client.clone(), self.script.platform(self.key_dir()), device).unwrap()
    }

    async fn run(&self) -> Outcome {
        self.driver().run().await.unwrap()
    }

    fn iin(&self) -> &str {
        &self.script.answers.iin
    }
}

fn answers(iin: &str, sms_phone: &str) -> Answers {
    Answers {
        iin: iin.to_owned(),
        new_phone: NEW_PHONE.to_owned(),
        sms_phone: sms_phone.to_owned(),
        pin: PIN.to_owned(),
        password: PASSWORD.to_owned(),
        email: "citizen@qoltanba.kz".to_owned(),
    }
}

/// The phone is enrolled: both key files open with the password under openssl and hold the citizen's
/// certificate, the store lists both certificates and the `enrolled` history entry, and the server
/// issued exactly two certificates to the IIN.
async fn assert_enrolled(phone: &Phone, server: &TestServer, outcome: &Outcome) {
    assert!(matches!(outcome, Outcome::Enrolled(_)), "{outcome:?}");
    let installed = files_with_extension(&phone.key_dir(), "p12");
    let auth = installed.iter().filter(|name| name.starts_with("AUTH_RSA256_")).count();
    let sign = installed.iter().filter(|name| name.starts_with("RSA256_")).count();
    assert_eq!((installed.len(), auth, sign), (2, 1, 1), "{installed:?}");
    for name in &installed {
        let shown = openssl_pkcs12(&phone.key_dir().join(name), PASSWORD).expect("the key file opens");
        assert!(shown.contains("PRIVATE KEY") && shown.contains(phone.iin()), "{name}: {shown}");
        assert!(openssl_pkcs12(&phone.key_dir().join(name), "not the password").is_none());
    }

    let store = Store::open(phone.store_path()).unwrap();
    let mut purposes: Vec<_> = store.certificates().unwrap().into_iter().map(|c| c.purpose).collect();
    purposes.sort_by_key(|p| format!("{p:?}"));
    assert_eq!(purposes, [CertificatePurpose::Auth, CertificatePurpose::Sign]);
    let history = store.history(0, 100).unwrap();
    assert_eq!(history.iter().filter(|e| e.kind == OperationKind::Enrolled).count(), 1, "{history:?}");

    assert_eq!(server.certificates_of(phone.iin()).await.len(), 2);
}

/// The names of the files in `dir` ending `.extension`.
fn files_with_extension(dir: &Path, extension: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(&format!(".{extension}")))
        .collect()
}

/// `openssl pkcs12 -nodes` of `file` with `password`: its text, or `None` if openssl refuses.
fn openssl_pkcs12(file: &Path, password: &str) -> Option<String> {
    let output = std::process::Command::new("openssl")
        .args(["pkcs12", "-nodes", "-in"])
        .arg(file)
        .arg("-passin")
        .arg(format!("pass:{password}"))
        .output()
        .expect("run openssl");
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolls_a_citizen_with_a_registered_phone_discarding_keys_of_an_interrupted_generation() {
    let server = TestServer::start().await;
    let _operator = Operator::start(&server).await;
    let phone = Phone::new(&server, true);
    let password = zeroize::Zeroizing::new(PASSWORD.to_owned());
    let keys = SoftwareKeyStore::open(phone.key_dir(), password).unwrap();
    keys.generate(CertificatePurpose::Auth).unwrap();
    assert_eq!(files_with_extension(&phone.key_dir(), "key").len(), 1);

    let outcome = phone.run().await;

    assert_enrolled(&phone, &server, &outcome).await;
    assert_eq!(files_with_extension(&phone.key_dir(), "key"), Vec::<String>::new());
    let expected: Vec<_> = QUESTIONS_WITHOUT_PHONE.into_iter().filter(|q| *q != Question::Phone).collect();
    assert_eq!(phone.script.questions(), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrolls_a_citizen_without_a_phone_and_no_secret_reaches_the_store_files() {
    let server = TestServer::start().await;
    let _operator = Operator::start(&server).await;
    let phone = Phone::new(&server, false);

    let mut driver = phone.driver();
    let outcome = driver.run().await.unwrap();
    let open_files = store_files(&phone.store_path());
    drop(driver);

    assert_enrolled(&phone, &server, &outcome).await;
    assert_eq!(phone.script.questions(), QUESTIONS_WITHOUT_PHONE);
    let seen = phone.script.seen.lock().unwrap();
    assert!(seen.work.len() >= WORK_WITHOUT_PHONE, "{:?}", seen.work);
    let mut secrets = vec![PIN.to_owned(), PASSWORD.to_owned()];
    secrets.extend(seen.sms_given.iter().cloned());
    assert!(seen.sms_given.len() == 1, "{:?}", seen.sms_given.len());
    for (name, bytes) in open_files.into_iter().chain(store_files(&phone.store_path())) {
        for secret in &secrets {
            assert!(!contains_token(&bytes, secret.as_bytes()), "a secret is in {name}");
        }
    }
}

/// The SQLite files of the store at `path` (database, WAL, journal) that exist, with their bytes.
fn store_files(path: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-journal", "-shm"]
        .into_iter()
        .filter_map(|suffix| {
            let file = PathBuf::from(format!("{}{suffix}", path.display()));
            std::fs::read(&file).ok().map(|bytes| (file.display().to_string(), bytes))
        })
        .collect()
}

/// Whether `needle` occurs in `haystack` as a token of its own: not inside a longer run of base64 or
/// hex characters (where the certificates' PEM and DER would give false alarms for a 4-digit PIN).
fn contains_token(haystack: &[u8], needle: &[u8]) -> bool {
    let inside_run =
        |byte: Option<&u8>| byte.is_some_and(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b));
    haystack.windows(needle.len()).enumerate().any(|(at, window)| {
        window == needle
            && !inside_run(at.checked_sub(1).and_then(|i| haystack.get(i)))
            && !inside_run(haystack.get(at + needle.len()))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_keeps_the_step_and_the_next_good_answer_goes_on() {
    let server = TestServer::start().await;
    let operator = Operator::start(&server).await;
    let rejection = ReviewDecision::Reject { reason: "face not visible".into() };
    operator.selfie_decisions.lock().unwrap().push_back(rejection.clone());
    let phone = Phone::new(&server, false);
    let script = &phone.script;
    let iin = phone.iin().to_owned();
    let (stem, check) = iin.split_at(11);
    let wrong_check = format!("{stem}{}", (check.parse::<u8>().unwrap() + 1) % 10);
    let big = [support::JPEG, &vec![0; MAX_IMAGE_BYTES]].concat();
    let pair = |a: &str, b: &str| Answer::Pair(a.to_owned(), b.to_owned());
    script.queue(Question::Iin, Answer::Text("85050340012".into()));
    script.queue(Question::Iin, Answer::Text(wrong_check));
    script.queue(Question::Phone, Answer::Text("+7 701 123".into()));
    script.queue(Question::SmsCode, Answer::Text("12345".into()));
    script.queue(Question::SmsCode, Answer::WrongSmsCode);
    script.queue(Question::Selfie, Answer::Picture(big));
    script.queue(Question::ChoosePin, pair(PIN, "7396"));
    script.queue(Question::ChoosePin, pair("1234", "1234"));
    script.queue(Question::Email, Answer::Text("not an address".into()));
    script.queue(Question::Password, pair("short1", "short1"));
    script.queue(Question::Password, pair(PASSWORD, "Qoltanba!pass-2027"));

    let outcome = phone.run().await;

    assert_enrolled(&phone, &server, &outcome).await;
    let seen = script.seen.lock().unwrap();
    let refused: Vec<_> = seen.rejected.iter().map(|(error, step)| (error.clone(), step.unwrap())).collect();
    use StepKind as S;
    assert!(
        matches!(refused[0], (InputError::Iin(IinError::Length { got: 11 }), S::EnterIin)),
        "{refused:?}"
    );
    assert!(matches!(refused[1], (InputError::Iin(IinError::CheckDigit { .. }), S::EnterIin)), "{refused:?}");
    let expected = [
        (InputError::Phone, S::EnterPhone),
        (InputError::SmsCode, S::EnterSmsCode),
        (
            InputError::PictureTooLarge { size: MAX_IMAGE_BYTES + support::JPEG.len(), max: MAX_IMAGE_BYTES },
            S::TakeSelfie,
        ),
        (InputError::PinConfirmation, S::ChoosePin),
        (InputError::PinWeak, S::ChoosePin),
        (InputError::Email, S::ReviewPersonAndEmail),
        (InputError::PasswordWeak { min_chars: MIN_PASSWORD_CHARS }, S::ChoosePassword),
        (InputError::PasswordConfirmation, S::ChoosePassword),
    ];
    assert_eq!(refused[2..], expected);

    // Each refused answer is asked again; the wrong code comes back with two tries left; the selfie the
    // operator rejected is taken again, with the reason shown.
    let count = |question| seen.questions.iter().filter(|q| **q == question).count();
    assert_eq!(
        [
            Question::Iin,
            Question::Phone,
            Question::SmsCode,
            Question::Selfie,
            Question::ChoosePin,
            Question::Email,
            Question::Password
        ]
        .map(count),
        [3, 2, 3, 3, 3, 2, 3]
    );
    assert_eq!(seen.sms_tries, [3, 3, 2]);
    assert!(seen.views.iter().any(|v| v.notice == Some(Notice::CodeMismatch { tries_left: 2 })));
    assert!(
        seen.views.iter().any(|v| matches!(&v.step,
        Step::TakeSelfie { last_rejection: Some(reason), attempts_left: 4 } if reason == "face not visible"))
    );
    assert_eq!(*operator.decided.lock().unwrap(), [rejection, ReviewDecision::Approve]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_consent_fails_the_enrollment_with_no_keys_left() {
    let server = TestServer::start().await;
    let _operator = Operator::start(&server).await;
    let phone = Phone::new(&server, true);
    phone.script.queue(Question::Consent, Answer::Yes(false));

    let outcome = phone.run().await;

    let refused = FailReason::Server(FailureReason::ConsentRefused);
    assert!(matches!(outcome, Outcome::Failed { reason, .. } if reason == refused), "{outcome:?}");
    assert!(std::fs::read_dir(phone.key_dir()).map_or(true, |mut d| d.next().is_none()));
    assert!(server.certificates_of(phone.iin()).await.is_empty());
    let saved: Enrollment = Store::open(phone.store_path()).unwrap().snapshot().unwrap().unwrap();
    assert_eq!(saved.step().kind(), StepKind::Failed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_pin_at_consent_shows_the_tries_left_and_five_lock_it() {
    let server = TestServer::start().await;
    let _operator = Operator::start(&server).await;
    let phone = Phone::new(&server, true);
    for _ in 0..5 {
        phone.script.queue(Question::ConfirmPin, Answer::Text("8264".into()));
    }
    for _ in 0..5 {
        phone.script.queue(Question::Consent, Answer::Yes(true));
    }
    phone.script.queue(Question::Consent, Answer::Cancel);

    let outcome = phone.run().await;

    assert_eq!(outcome, Outcome::Paused);
    let seen = phone.script.seen.lock().unwrap();
    let wrong: Vec<_> = seen
        .views
        .iter()
        .filter_map(|v| match &v.notice {
            Some(Notice::WrongPin { tries_left, locked_until }) => {
                Some((*tries_left, locked_until.is_some()))
            }
            _ => None,
        })
        .collect();
    let mut shown = wrong.clone();
    shown.dedup();
    assert_eq!(shown, [(4, false), (3, false), (2, false), (1, false), (0, true)]);
    assert_eq!(seen.pin_tries, [0, 4, 3, 2, 1]);
    let saved: Enrollment = Store::open(phone.store_path()).unwrap().snapshot().unwrap().unwrap();
    assert_eq!(saved.step().kind(), StepKind::ConfirmPinAndConsent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resumes_after_a_pause_at_every_question() {
    let mut runs = tokio::task::JoinSet::new();
    for k in 1..=QUESTIONS_WITHOUT_PHONE.len() {
        runs.spawn(async move {
            let server = TestServer::start().await;
            let _operator = Operator::start(&server).await;
            let phone = Phone::new(&server, false);
            phone.script.cancel_at(k);

            assert_eq!(phone.run().await, Outcome::Paused, "pause at question {k}");
            let asked_before = phone.script.questions().len();
            let outcome = phone.run().await;

            assert_enrolled(&phone, &server, &outcome).await;
            let questions = phone.script.questions();
            let cancelled = questions[k - 1];
            let again = if cancelled == Question::ConfirmPin { Question::Consent } else { cancelled };
            assert_eq!(questions[asked_before], again, "the resumed run asks question {k} again");
        });
    }
    while let Some(run) = runs.join_next().await {
        run.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resumes_after_a_crash_at_every_command() {
    let mut runs = tokio::task::JoinSet::new();
    for n in 1..=WORK_WITHOUT_PHONE {
        runs.spawn(async move {
            let server = TestServer::start().await;
            let _operator = Operator::start(&server).await;
            let phone = Phone::new(&server, false);
            phone.script.crash_at_work(n);

            let mut driver = phone.driver();
            // Installing has no await point: a run that reaches it finishes in the same poll.
            let crashed = tokio::select! {
                biased;
                () = phone.script.crash.notified() => true,
                outcome = driver.run() => {
                    assert!(matches!(outcome, Ok(Outcome::Enrolled(_))), "{outcome:?}");
                    false
                }
            };
            drop(driver);
            let crashed_in = crashed.then(|| phone.script.seen.lock().unwrap().work[n - 1]);
            let outcome = phone.run().await;

            assert_enrolled(&phone, &server, &outcome).await;
            crashed_in
        });
    }
    let mut crashed_in = Vec::new();
    while let Some(run) = runs.join_next().await {
        crashed_in.extend(run.unwrap());
    }
    for work in [Work::Server, Work::Waiting, Work::GeneratingKeys] {
        assert!(crashed_in.contains(&work), "no crash while {work:?}: {crashed_in:?}");
    }
}

#[test]
fn the_secret_scan_finds_a_pin_on_its_own_but_not_inside_base64() {
    assert!(contains_token(br#"{"pin":"7395"}"#, b"7395"));
    assert!(contains_token(b"\x00\x017395\x02", b"7395"));
    assert!(!contains_token(b"MIIBx7395Qa==", b"7395"));
    assert!(!contains_token(b"nothing here", b"7395"));
}
