//! `qoltanba-server ca init --ca-pkcs11 …` and `serve --ca-pkcs11 …` as processes, with the issuing
//! key inside SoftHSM2: one citizen enrolls over real HTTP (curl), and openssl checks what the token's
//! key signed: the two certificates, an OCSP answer from the running responder and the CRL. Its own
//! test binary, because `SOFTHSM2_CONF` must be set before anything loads the module. SoftHSM2 missing
//! is a failure naming the package (see the hsm crate's test support).

#[path = "ca_support/mod.rs"]
mod ca_support;
#[path = "../../hsm/tests/support/mod.rs"]
mod softhsm;

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use base64::Engine;
use ca_support::{csr, openssl, text, write};
use qoltanba_protocol::headers::OPERATOR_CSRF_HEADER;
use qoltanba_protocol::{IDEMPOTENCY_KEY_HEADER, paths};
use qoltanba_server::config::paths as ca_paths;
use serde_json::{Value, json};
use softhsm::{CA_TOKEN, PIN, SoftHsm, softhsm};
use uuid::Uuid;

const OPERATOR_PASSWORD: &str = "serve pkcs11 passphrase";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00];

/// `qoltanba-server` with the database and the issuing key on the token (PIN from the environment).
fn server(hsm: &SoftHsm, db: &str, public_url: &str) -> Command {
    let uri = format!(
        "pkcs11:token={};object=issuing-ca?module-path={}",
        CA_TOKEN.replace(' ', "%20"),
        hsm.module.display()
    );
    let mut command = Command::new(env!("CARGO_BIN_EXE_qoltanba-server"));
    command
        .env("QOLTANBA_DB", db)
        .env("QOLTANBA_CA_PKCS11", uri)
        .env("QOLTANBA_CA_PKCS11_PIN", PIN)
        .env("QOLTANBA_PUBLIC_URL", public_url)
        .env("QOLTANBA_OPERATOR_PASSWORD", OPERATOR_PASSWORD)
        .env("SOFTHSM2_CONF", &hsm.conf)
        .env("RUST_LOG", "warn");
    command
}

fn run(mut command: Command, args: &[&str]) -> Output {
    let out = command.args(args).output().expect("run qoltanba-server");
    assert!(out.status.success(), "qoltanba-server {args:?}: {}", text(&out));
    out
}

/// The `serve` process, killed when the test ends (also on failure).
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// An HTTP client over curl keeping one cookie jar (the operator's session).
struct Http {
    base: String,
    jar: String,
}

impl Http {
    /// `method path` with an optional body of `content_type`; returns the status and the body.
    fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, &[u8])>,
        headers: &[(&str, &str)],
    ) -> (u16, Vec<u8>) {
        let mut command = Command::new("curl");
        command.args(["-sS", "-X", method, "-b", &self.jar, "-c", &self.jar, "-w", "\n%{http_code}"]);
        for (name, value) in headers {
            command.arg("-H").arg(format!("{name}: {value}"));
        }
        if let Some((content_type, _)) = body {
            command.args(["-H", &format!("content-type: {content_type}"), "--data-binary", "@-"]);
            command.args(["-H", &format!("{IDEMPOTENCY_KEY_HEADER}: {}", Uuid::new_v4())]);
        }
        let mut child = command
            .arg(format!("{}{path}", self.base))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("curl is installed");
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(body.map_or(&[][..], |(_, bytes)| bytes)).unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "curl {method} {path}: {}", text(&out));
        let split = out.stdout.iter().rposition(|b| *b == b'\n').unwrap();
        let status = String::from_utf8_lossy(&out.stdout[split + 1..]).parse().unwrap();
        (status, out.stdout[..split].to_vec())
    }

    /// A JSON call that must answer 2xx.
    fn json(&self, method: &str, path: &str, body: Option<&Value>, headers: &[(&str, &str)]) -> Value {
        let bytes = body.map(|b| b.to_string().into_bytes());
        let (status, answer) =
            self.call(method, path, bytes.as_deref().map(|b| ("application/json", b)), headers);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&answer)
        );
        serde_json::from_slice(&answer).unwrap()
    }

    fn upload(&self, path: &str, bytes: &[u8]) -> Value {
        let (status, answer) = self.call("POST", path, Some(("image/jpeg", bytes)), &[]);
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&answer));
        serde_json::from_slice(&answer).unwrap()
    }

    fn wait_healthy(&self, served: &mut Served) {
        for _ in 0..100 {
            if let Ok(Some(status)) = served.0.try_wait() {
                panic!("qoltanba-server serve exited early: {status}");
            }
            let out = Command::new("curl").args(["-sf", &format!("{}/healthz", self.base)]).output().unwrap();
            if out.status.success() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("qoltanba-server serve did not become healthy");
    }
}

fn state(body: &Value) -> &str {
    body["state"]["state"].as_str().unwrap_or_default()
}

/// Walks one citizen with a registered phone to `issued`; returns the answer's certificates.
fn enroll(http: &Http, csrf: &str) -> Value {
    let (citizen, phone) = qoltanba_server::seed::demo_records()
        .into_iter()
        .find_map(|(c, p)| Some((c, p?.to_owned())))
        .unwrap();
    let device = json!({"platform": "android", "os_version": "14", "app_version": "0.1.0"});
    let started =
        http.json("POST", paths::ENROLLMENTS, Some(&json!({"iin": citizen.iin, "device": device})), &[]);
    let id: Uuid = serde_json::from_value(started["id"].clone()).unwrap();
    let sms = http.json("GET", &format!("{}?phone={}", paths::DEV_SMS, phone.replace('+', "%2B")), None, &[]);
    let text = sms.as_array().and_then(|m| m.last()).and_then(|m| m["text"].as_str()).unwrap();
    let code = text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).unwrap();
    http.json("POST", &paths::enrollment_sms_code(id), Some(&json!({"code": code})), &[]);
    assert_eq!(state(&http.upload(&paths::enrollment_selfie(id), JPEG)), "selfie_under_review");
    let reviews = http.json("GET", paths::OPERATOR_SELFIE_REVIEWS, None, &[]);
    let review = reviews.as_array().unwrap().iter().find(|r| r["session_id"] == id.to_string()).unwrap();
    let review: Uuid = serde_json::from_value(review["id"].clone()).unwrap();
    let decision = json!({"decision": "approve"});
    http.json(
        "POST",
        &paths::operator_selfie_review_decision(review),
        Some(&decision),
        &[(OPERATOR_CSRF_HEADER, csrf)],
    );
    assert_eq!(state(&http.upload(&paths::enrollment_id_card_photo(id), JPEG)), "expect_consent");
    http.json("POST", &paths::enrollment_consent(id), Some(&json!({"accepted": true})), &[]);
    http.json("POST", &paths::enrollment_email(id), Some(&json!({"email": "hsm@example.kz"})), &[]);
    let b64 = |der: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(der);
    let pair = json!({"auth": b64(csr("auth")), "sign": b64(csr("sign"))});
    let issued = http.json("POST", &paths::enrollment_csrs(id), Some(&pair), &[]);
    assert_eq!(state(&issued), "issued", "{issued}");
    issued["state"]["certificates"].clone()
}

/// `openssl args…` must succeed and print `expected`.
fn openssl_says(args: &[&str], expected: &str) {
    let out = openssl(args);
    let said = text(&out);
    assert!(out.status.success() && said.contains(expected), "openssl {args:?}: {said}");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn serve_with_the_key_on_the_token_issues_and_answers_ocsp_that_openssl_verifies() {
    let Some(hsm) = softhsm() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("qoltanba.db").display());
    let base = format!("http://127.0.0.1:{}", free_port());
    run(server(hsm, &db, &base), &["ca", "init"]);
    assert!(!dir.path().join("issuing-ca.key.pem").exists(), "the issuing key must stay on the token");
    let objects = hsm.pkcs11_tool(&["--token-label", CA_TOKEN, "--login", "--pin", PIN, "--list-objects"]);
    assert!(softhsm::text(&objects).contains("issuing-ca"), "{}", softhsm::text(&objects));
    run(server(hsm, &db, &base), &["seed"]);
    run(server(hsm, &db, &base), &["operator", "add", "aigerim"]);
    let listen = base.trim_start_matches("http://").to_owned();
    let child = server(hsm, &db, &base).args(["serve", "--listen", &listen, "--dev"]).spawn().unwrap();
    let mut served = Served(child);
    let http = Http { base, jar: dir.path().join("cookies").display().to_string() };
    http.wait_healthy(&mut served);
    let login = json!({"username": "aigerim", "password": OPERATOR_PASSWORD});
    let session = http.json("POST", paths::OPERATOR_SESSION, Some(&login), &[]);
    let certificates = enroll(&http, session["csrf_token"].as_str().unwrap());
    check_with_openssl(&http, dir.path(), &certificates);
}

/// The certificates verify against the chain the server returned, the responder says `good` in an answer
/// signed by the token's key, and the CRL verifies.
fn check_with_openssl(http: &Http, dir: &Path, certificates: &Value) {
    let pem = |name: &str| certificates[name].as_str().unwrap().as_bytes().to_vec();
    let chain = write(dir, "chain.pem", &pem("chain_pem"));
    let (status, served_chain) = http.call("GET", ca_paths::CHAIN_PEM, None, &[]);
    assert_eq!((status, served_chain), (200, pem("chain_pem")));
    let issuing = dir.join("issuing.pem").display().to_string();
    openssl_says(&["x509", "-in", &chain, "-out", &issuing], "");
    for name in ["auth_pem", "sign_pem"] {
        let leaf = write(dir, name, &pem(name));
        openssl_says(&["verify", "-CAfile", &chain, &leaf], ": OK");
        let url = format!("{}{}", http.base, ca_paths::OCSP);
        let args = ["ocsp", "-issuer", &issuing, "-cert", &leaf, "-url", &url, "-CAfile", &chain];
        openssl_says(&args, &format!("{leaf}: good"));
        openssl_says(&args, "Response verify OK");
    }
    let (status, crl) = http.call("GET", ca_paths::CRL, None, &[]);
    assert_eq!(status, 200);
    let crl = write(dir, "issuing.crl", &crl);
    openssl_says(&["crl", "-inform", "DER", "-in", &crl, "-CAfile", &chain, "-noout"], "verify OK");
}
