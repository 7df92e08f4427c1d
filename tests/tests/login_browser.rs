//! Issue 6 in a real browser: headless Chromium opens the `/login` page of a `qoltanba-server serve --dev`
//! process, the test screenshots the QR code (`#qr`) to a PNG, and `qoltanba login --qr-image` answers as
//! the phone of a citizen enrolled by `qoltanba enroll` against the same server. The page must log the
//! citizen in (name and IIN on `/login/welcome`) or show the refusal (`#refusal`).

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use qoltanba_core::keystore::CertificatePurpose;
use qoltanba_core::store::Store;
use support::browser::Browser;
use support::{Answers, Citizen, Operator, PASSWORD, PIN, Run, Server, binary, citizen, text};

/// How long a page may take to show what a test waits for (a guard against a hang, not a speed claim).
const PAGE_DEADLINE: Duration = Duration::from_secs(20);

/// Seed citizen with a registered phone.
const WITH_PHONE: usize = 0;

/// A server, an enrolled phone of it (the `--state` directory), and a headless Chromium.
struct Fixture {
    server: Server,
    _operator: Operator,
    state: tempfile::TempDir,
    who: Citizen,
    browser: Browser,
}

impl Fixture {
    fn new() -> Self {
        let server = Server::start();
        let operator = Operator::start(&server);
        let who = citizen(WITH_PHONE);
        let state = tempfile::tempdir().unwrap();
        let answers = Answers::for_citizen(&who).write(&state.path().join("answers"));
        Run::to_end(&server.url(), state.path(), &answers).enrolled();
        Self { server, _operator: operator, state, who, browser: Browser::start() }
    }

    /// Opens `/login` in English; returns the number the page shows once its QR code is drawn.
    fn open_login(&self) -> u8 {
        self.browser.open(&format!("{}/login?lang=en", self.server.url()));
        let number = self.browser.wait_text("number", PAGE_DEADLINE);
        self.browser.wait_for("the QR image", PAGE_DEADLINE, |b| {
            let qr = "document.getElementById('qr')";
            b.eval(&format!("{qr}.complete && {qr}.naturalWidth > 0 && !{qr}.hidden")).as_bool() == Some(true)
        });
        number.trim().parse().unwrap_or_else(|_| panic!("#number is {number:?}"))
    }

    /// The QR code as the page shows it now, as a PNG file.
    fn screenshot(&self) -> PathBuf {
        let path = self.state.path().join("qr.png");
        std::fs::write(&path, self.browser.screenshot("qr")).unwrap();
        path
    }

    /// `qoltanba login --qr-image SHOT --state … --pin … --password …` plus `args`.
    fn login(&self, shot: &Path, args: &[&str]) -> Command {
        let mut command = Command::new(binary("qoltanba"));
        command
            .arg("login")
            .arg("--qr-image")
            .arg(shot)
            .arg("--state")
            .arg(self.state.path())
            // No --server: the state directory remembers the server it enrolled with.
            .args(["--pin", PIN, "--password", PASSWORD, "--lang", "en"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Screenshots the QR code and runs `login` with `args` (a new screenshot if the picture caught the
    /// image between two frames and holds no readable code: nothing was sent then).
    fn answer(&self, args: &[&str]) -> Output {
        for _ in 0..3 {
            let out = self.login(&self.screenshot(), args).output().unwrap();
            if !String::from_utf8_lossy(&out.stderr).contains("QR code") || out.status.code() != Some(2) {
                return out;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        panic!("no screenshot of #qr held a readable QR code");
    }

    /// The refusal the page shows, once it shows one.
    fn refusal(&self) -> String {
        self.browser.wait_text("refusal", PAGE_DEADLINE)
    }
}

#[test]
fn the_phone_answering_the_screenshot_logs_the_page_in_as_the_citizen_and_only_that_browser() {
    let fixture = Fixture::new();
    let number = fixture.open_login();
    let session = fixture.browser.eval("sid").as_str().unwrap().to_owned();

    let out = fixture.answer(&["--number", &number.to_string()]);

    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("logged in to eGov"), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Log in to eGov") && stderr.contains(&format!("[{number}]")), "{stderr}");
    let name = fixture.browser.wait_text("citizen-name", PAGE_DEADLINE);
    let iin = fixture.browser.wait_text("citizen-iin", PAGE_DEADLINE);
    assert!(fixture.browser.url().contains("/login/welcome"), "{}", fixture.browser.url());
    assert_eq!(iin.trim(), fixture.who.iin);
    let upper = name.to_uppercase();
    assert!(upper.contains(&fixture.who.surname.to_uppercase()), "{name}");
    assert!(upper.contains(&fixture.who.name.to_uppercase()), "{name}");
    let (status, body) = complete_without_the_browser_cookie(&fixture.server.url(), &session);
    assert_eq!((status, body["refusal"].as_str()), (403, Some("other_browser")), "{body}");
}

/// Another browser (no cookie of the session) asks to complete the login of `session`.
fn complete_without_the_browser_cookie(url: &str, session: &str) -> (u16, serde_json::Value) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(format!("{url}/v1/login/sessions/{session}/completion"))
            .header("Idempotency-Key", uuid_like())
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap_or_default())
    })
}

/// A fresh idempotency key.
fn uuid_like() -> String {
    format!(
        "e2e-{:x}",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    )
}

/// Runs `login` reading the challenge's numbers from its stderr and typing one the page does not show.
fn answer_a_wrong_number(fixture: &Fixture, page_number: u8) -> Output {
    let mut child = fixture.login(&fixture.screenshot(), &[]).stdin(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let numbers: Vec<u8> = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no numbers shown:\n{seen}");
        seen.push_str(&line);
        let numbers: Vec<u8> = line
            .split(['[', ']', ' '])
            .filter(|w| !w.is_empty())
            .filter_map(|w| w.trim().parse().ok())
            .collect();
        if line.trim_start().starts_with('[') && numbers.len() == 3 {
            break numbers;
        }
    };
    assert!(numbers.contains(&page_number), "{numbers:?} offer the page's {page_number}");
    let wrong = numbers.into_iter().find(|n| *n != page_number).unwrap();
    writeln!(stdin, "{wrong}").unwrap();
    let mut out = child.wait_with_output().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    out.stderr = format!("{seen}{rest}").into_bytes();
    out
}

#[test]
fn a_wrong_number_and_a_decline_on_the_phone_are_each_shown_refused_on_the_page() {
    let fixture = Fixture::new();
    let number = fixture.open_login();
    let out = answer_a_wrong_number(&fixture, number);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrong number"), "{}", text(&out));
    assert_eq!(fixture.refusal(), "The wrong number was picked on the phone.");

    fixture.open_login();
    let out = fixture.answer(&["--decline"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("declined"), "{}", text(&out));
    assert_eq!(fixture.refusal(), "The login was declined on the phone.");
}

#[test]
fn a_sign_certificate_answering_the_login_is_refused_on_the_page() {
    let fixture = Fixture::new();
    // The phone's store made to take the SIGN certificate (and its key) for the AUTH one.
    let mut store = Store::open(fixture.state.path().join("qoltanba.db")).unwrap();
    let certificates = store.certificates().unwrap();
    let purpose = |p| certificates.iter().find(|c| c.purpose == p).unwrap().clone();
    let (auth, mut sign) = (purpose(CertificatePurpose::Auth), purpose(CertificatePurpose::Sign));
    store.delete_certificate(&auth.serial).unwrap();
    sign.purpose = CertificatePurpose::Auth;
    store.save_certificate(&sign).unwrap();
    drop(store);
    let number = fixture.open_login();

    let out = fixture.answer(&["--number", &number.to_string()]);

    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(fixture.refusal(), "A signing certificate was used instead of the AUTH certificate.");
}
