//! Test support: the two binaries, a `qoltanba-server` process with its operator, the citizen's answers
//! file, the CLI run as a phone, openssl; `browser`: headless Chromium.
#![allow(dead_code)]

pub mod browser;
pub mod proxy;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::Duration;

use qoltanba_core::client::{Client, ClientConfig, OperatorClient};
use qoltanba_protocol::{ReviewDecision, TicketDecision};
use serde_json::Value;

const OPERATOR: &str = "e2e-operator";
const OPERATOR_PASSWORD: &str = "e2e operator passphrase";
/// The PIN every test citizen chooses.
pub const PIN: &str = "4827";
/// The key files' password every test citizen chooses.
pub const PASSWORD: &str = "Qoltanba2026e2e";

/// A binary built beside this test executable (`target/debug/NAME`).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let dir = exe.parent().and_then(Path::parent).expect("target/debug/deps/<test>");
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo test --workspace` (it builds `qoltanba` and `qoltanba-server`)",
        path.display()
    );
    path
}

/// stdout and stderr of a finished process, for failure messages.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// A seeded database with an operator account and a CA, made once per test binary and copied for each
/// server (making a CA generates RSA keys).
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<tempfile::TempDir> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let db = format!("sqlite://{}", dir.path().join("server.db").display());
            for args in [&["seed"][..], &["operator", "add", OPERATOR], &["ca", "init"]] {
                let out = Command::new(binary("qoltanba-server"))
                    .arg("--db")
                    .arg(&db)
                    .args(args)
                    .env("QOLTANBA_OPERATOR_PASSWORD", OPERATOR_PASSWORD)
                    .env("RUST_LOG", "warn")
                    .output()
                    .unwrap();
                assert!(out.status.success(), "qoltanba-server {args:?}: {}", text(&out));
            }
            dir
        })
        .path()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `qoltanba-server serve --dev` on a copy of the template database; killed when dropped.
pub struct Server {
    dir: tempfile::TempDir,
    child: Child,
    /// Where it listens.
    pub address: SocketAddr,
}

impl Server {
    /// Starts a server and waits until `/healthz` answers.
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(template(), dir.path());
        let address = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let child = Command::new(binary("qoltanba-server"))
            .arg("--db")
            .arg(format!("sqlite://{}", dir.path().join("server.db").display()))
            .args(["serve", "--dev", "--listen", &address.to_string()])
            .env("QOLTANBA_PUBLIC_URL", format!("http://{address}"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Self { dir, child, address };
        server.wait_healthy();
        server
    }

    /// The base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn wait_healthy(&mut self) {
        for _ in 0..200 {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("qoltanba-server serve exited early: {status}");
            }
            if healthy(self.address) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("qoltanba-server serve did not become healthy");
    }

    /// `qoltanba-server certs --iin IIN --json`: what was issued for the IIN.
    pub fn certs(&self, iin: &str) -> Vec<Value> {
        let out = Command::new(binary("qoltanba-server"))
            .arg("--db")
            .arg(format!("sqlite://{}", self.dir.path().join("server.db").display()))
            .args(["certs", "--iin", iin, "--json"])
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(out.status.success(), "qoltanba-server certs: {}", text(&out));
        serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
    }

    /// `qoltanba-server rp add NAME`: registers a relying party; returns its API key.
    pub fn add_relying_party(&self, name: &str) -> String {
        let out = Command::new(binary("qoltanba-server"))
            .arg("--db")
            .arg(format!("sqlite://{}", self.dir.path().join("server.db").display()))
            .args(["rp", "add", name])
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(out.status.success(), "qoltanba-server rp add: {}", text(&out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let key = stdout.lines().find_map(|line| line.strip_prefix("api key:")).map(str::trim);
        key.unwrap_or_else(|| panic!("no API key in: {stdout}")).to_owned()
    }

    /// How many SMS the dev outbox holds for `phone`.
    pub fn sms_sent(&self, phone: &str) -> usize {
        let client = Client::new(&self.url(), &ClientConfig::default()).unwrap();
        runtime().block_on(client.dev_outbox(phone)).unwrap().len()
    }

    /// The latest SMS code sent to `phone`.
    pub fn latest_code(&self, phone: &str) -> String {
        let client = Client::new(&self.url(), &ClientConfig::default()).unwrap();
        runtime().block_on(client.dev_sms(phone)).unwrap().code
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn healthy(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect(address) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream.write_all(b"GET /healthz HTTP/1.0\r\nhost: e2e\r\n\r\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The operator's part in a background thread: every phone registration approved (with the code the
/// citizen "says" on the video call, read from the dev outbox) and every selfie approved.
pub struct Operator {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Operator {
    /// Logs in and starts approving.
    pub fn start(server: &Server) -> Self {
        let url = server.url();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || runtime().block_on(operate(&url, &stopped)));
        Self { stop, thread: Some(thread) }
    }
}

impl Drop for Operator {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn operate(url: &str, stop: &AtomicBool) {
    let client = Client::new(url, &ClientConfig::default()).unwrap();
    let operator = OperatorClient::login(&client, OPERATOR, OPERATOR_PASSWORD).await.unwrap();
    while !stop.load(Ordering::Relaxed) {
        for ticket in operator.phone_registrations().await.unwrap() {
            let heard = client.dev_sms(&ticket.phone).await.unwrap();
            let decision = TicketDecision::Approve { sms_code: heard.code };
            operator.decide_phone_registration(ticket.id, &decision).await.unwrap();
        }
        for review in operator.selfie_reviews().await.unwrap() {
            operator.decide_selfie_review(review.id, &ReviewDecision::Approve).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A seed citizen: IIN, registry names, the phone the flow uses, the registry photo.
#[derive(Clone)]
pub struct Citizen {
    /// IIN.
    pub iin: String,
    /// Registry surname.
    pub surname: String,
    /// Registry given name.
    pub name: String,
    /// The registered phone, or the one the operator registers.
    pub phone: String,
    /// Whether the phone is already in the mobile-citizens database.
    pub phone_registered: bool,
    photo: Vec<u8>,
}

/// The seed citizen number `index` (`qoltanba_server::seed::demo_records`).
pub fn citizen(index: usize) -> Citizen {
    let (record, phone) = qoltanba_server::seed::demo_records().swap_remove(index);
    Citizen {
        iin: record.iin,
        surname: record.surname,
        name: record.name,
        phone: phone.unwrap_or("+77079876543").to_owned(),
        phone_registered: phone.is_some(),
        photo: record.photo,
    }
}

/// An answers file's fields (TOML values as written); `Answers::for_citizen` fills in good ones.
#[derive(Clone)]
pub struct Answers {
    /// `iin`.
    pub iin: String,
    /// `phone`.
    pub phone: String,
    /// `sms_code`.
    pub sms_code: String,
    /// `selfie`: the picture's bytes.
    pub selfie: Vec<u8>,
    /// `id_card`: the picture's bytes.
    pub id_card: Vec<u8>,
    /// `pin`.
    pub pin: String,
    /// `password`.
    pub password: String,
}

impl Answers {
    /// Answers that walk `citizen` through the whole flow.
    pub fn for_citizen(citizen: &Citizen) -> Self {
        Self {
            iin: citizen.iin.clone(),
            phone: citizen.phone.clone(),
            sms_code: "dev-outbox".into(),
            selfie: citizen.photo.clone(),
            id_card: citizen.photo.clone(),
            pin: PIN.into(),
            password: PASSWORD.into(),
        }
    }

    /// Writes `answers.toml` and its pictures into `dir`; returns the file's path.
    pub fn write(&self, dir: &Path) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("selfie.png"), &self.selfie).unwrap();
        std::fs::write(dir.join("id-card.png"), &self.id_card).unwrap();
        let toml = format!(
            "iin = {:?}\nphone = {:?}\nsms_code = {:?}\nselfie = \"selfie.png\"\nid_card = \"id-card.png\"\n\
             pin = {:?}\nconsent = true\nemail = \"citizen@example.kz\"\nkey_storage = \"file\"\n\
             password = {:?}\n",
            self.iin, self.phone, self.sms_code, self.pin, self.password
        );
        let path = dir.join("answers.toml");
        std::fs::write(&path, toml).unwrap();
        path
    }
}

/// `qoltanba enroll --server URL --state STATE --answers ANSWERS --lang en`, with the step tracing on,
/// no terminal on stdin, stdout and stderr piped.
pub fn enroll_command(server: &str, state: &Path, answers: &Path) -> Command {
    let mut command = Command::new(binary("qoltanba"));
    command
        .args(["enroll", "--server", server, "--lang", "en", "--state"])
        .arg(state)
        .arg("--answers")
        .arg(answers)
        .env("QOLTANBA_LOG", "qoltanba_core::driver=info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// A finished `qoltanba enroll`.
pub struct Run {
    /// The exit code (`None` when killed).
    pub code: Option<i32>,
    /// stdout.
    pub stdout: String,
    /// stderr.
    pub stderr: String,
}

impl Run {
    /// Runs `enroll` to its end.
    pub fn to_end(server: &str, state: &Path, answers: &Path) -> Self {
        let out = enroll_command(server, state, answers).output().unwrap();
        Self {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The step the flow was at when this run opened it (`enrollment opened` line).
    pub fn opened_at(&self) -> Option<String> {
        self.stderr.lines().find_map(|line| traced_step(line, "enrollment opened"))
    }

    /// The steps this run moved through, in order (`enrollment step` lines).
    pub fn steps(&self) -> Vec<String> {
        self.stderr.lines().filter_map(|line| traced_step(line, "enrollment step")).collect()
    }

    /// The step this run stopped at: the last one it moved to, else where it opened.
    pub fn stopped_at(&self) -> Option<String> {
        self.steps().pop().or_else(|| self.opened_at())
    }

    /// The installed files by purpose: `(auth p12, sign p12, ca.pem)`; panics unless enrolled.
    pub fn enrolled(&self) -> Enrolled {
        assert_eq!(self.code, Some(0), "enroll did not end enrolled:\n{}{}", self.stdout, self.stderr);
        let field = |purpose: &str| {
            self.stdout
                .lines()
                .find_map(|line| line.strip_prefix(&format!("{purpose}\t")))
                .and_then(|rest| rest.split('\t').nth(1))
                .map(PathBuf::from)
                .unwrap_or_else(|| panic!("no {purpose} line in:\n{}", self.stdout))
        };
        Enrolled { auth: field("auth"), sign: field("sign"), ca: field("CA") }
    }
}

/// The step named on a tracing line with `message`, e.g. `… enrollment step step=EnterIin`.
pub fn traced_step(line: &str, message: &str) -> Option<String> {
    if !line.contains(message) {
        return None;
    }
    let rest = &line[line.find("step=")? + "step=".len()..];
    Some(rest.split_whitespace().next()?.to_owned())
}

/// What an enrollment left behind.
pub struct Enrolled {
    /// `AUTH_RSA256_<SKI>.p12`.
    pub auth: PathBuf,
    /// `RSA256_<SKI>.p12`.
    pub sign: PathBuf,
    /// The CA chain.
    pub ca: PathBuf,
}

/// `openssl ARGS…`, which must succeed; its stdout.
pub fn openssl(args: &[&str]) -> String {
    let out = Command::new("/usr/bin/openssl").args(args).output().expect("openssl is installed");
    assert!(out.status.success(), "openssl {args:?}: {}", text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Checks with openssl a key file of `citizen`: it opens with the password, its key belongs to its
/// certificate, the certificate verifies against `ca.pem` and names the citizen. Returns the
/// certificate's PEM path (written beside the scratch dir).
pub fn check_key_file(p12: &Path, ca: &Path, citizen: &Citizen, scratch: &Path) -> PathBuf {
    let pass = format!("pass:{PASSWORD}");
    let p12 = p12.to_str().unwrap();
    let stem = Path::new(p12).file_stem().unwrap().to_str().unwrap();
    let cert = scratch.join(format!("{stem}.pem"));
    let cert_s = cert.to_str().unwrap();
    openssl(&["pkcs12", "-in", p12, "-passin", &pass, "-nokeys", "-clcerts", "-out", cert_s]);
    let key = scratch.join(format!("{stem}.key.pem"));
    let key_s = key.to_str().unwrap();
    openssl(&["pkcs12", "-in", p12, "-passin", &pass, "-nocerts", "-noenc", "-out", key_s]);
    let key_public = openssl(&["pkey", "-in", key_s, "-pubout"]);
    let cert_public = openssl(&["x509", "-in", cert_s, "-noout", "-pubkey"]);
    assert_eq!(key_public, cert_public, "{p12}: the key is not the certificate's");
    let verified = openssl(&["verify", "-CAfile", ca.to_str().unwrap(), cert_s]);
    assert!(verified.trim_end().ends_with(": OK"), "{p12}: {verified}");
    let subject = openssl(&["x509", "-in", cert_s, "-noout", "-subject", "-nameopt", "utf8,sep_multiline"]);
    for part in [&citizen.surname, &citizen.name, &citizen.iin] {
        assert!(subject.contains(part.as_str()), "{p12}: subject lacks {part}: {subject}");
    }
    cert
}

/// `qoltanba inspect --json FILE --password …`: the certificate's purpose as the CLI classifies it.
pub fn inspected_purpose(p12: &Path) -> String {
    let out = Command::new(binary("qoltanba"))
        .args(["inspect", "--json", "--password", PASSWORD])
        .arg(p12)
        .output()
        .unwrap();
    assert!(out.status.success(), "qoltanba inspect: {}", text(&out));
    let view: Value = serde_json::from_slice(&out.stdout).unwrap();
    let entries = view["entries"].as_array().cloned().unwrap_or_default();
    let keyed: Vec<&Value> = entries.iter().filter(|e| e["has_private_key"] == true).collect();
    assert_eq!(keyed.len(), 1, "one key entry expected: {view}");
    keyed[0]["certificate"]["purpose"].as_str().unwrap_or_default().to_owned()
}

/// A phone enrolled by `qoltanba enroll` against `server`: its state directory, the answers file (which
/// also holds the PIN and the key password `approve` needs), the citizen and the CA chain.
pub struct EnrolledPhone {
    /// The state directory (and the scratch directory around it).
    pub state: tempfile::TempDir,
    /// The answers file.
    pub answers: PathBuf,
    /// The citizen.
    pub citizen: Citizen,
    /// `ca.pem`, the CA chain.
    pub ca: PathBuf,
}

impl EnrolledPhone {
    /// Enrolls seed citizen `index` (the operator's part must be running when no phone is registered).
    pub fn enroll(server: &Server, index: usize) -> Self {
        let _operator = Operator::start(server);
        let citizen = citizen(index);
        let state = tempfile::tempdir().unwrap();
        let answers = Answers::for_citizen(&citizen).write(&state.path().join("answers"));
        let run = Run::to_end(&server.url(), state.path(), &answers);
        let ca = run.enrolled().ca;
        Self { state, answers, citizen, ca }
    }

    /// `qoltanba ARGS… --state STATE --answers ANSWERS --lang en`, run to its end without a terminal.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(binary("qoltanba"))
            .args(args)
            .arg("--state")
            .arg(self.state.path())
            .arg("--answers")
            .arg(&self.answers)
            .args(["--lang", "en"])
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// `qoltanba inbox --server URL`: the pending requests as `(id, code)` pairs, the code computed by
    /// the phone.
    pub fn inbox(&self, server: &Server) -> Vec<(String, String)> {
        let out = self.cli(&["inbox", "--server", &server.url()]);
        assert!(out.status.success(), "qoltanba inbox: {}", text(&out));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        stdout
            .lines()
            .filter(|line| !line.starts_with(' '))
            .filter_map(|line| {
                let mut fields = line.split('\t');
                Some((fields.next()?.to_owned(), fields.next()?.to_owned()))
            })
            .collect()
    }
}
