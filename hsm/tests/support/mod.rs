//! A throw-away SoftHSM2 for the test binary: its own softhsm2.conf and token directory in a temp dir,
//! two tokens initialised with `softhsm2-util`, and `SOFTHSM2_CONF` set before the module is loaded.
//!
//! SoftHSM2 missing is a failure with the install hint (CI installs it); `QOLTANBA_SKIP_SOFTHSM=1` skips
//! instead, for developers without it. `QOLTANBA_SOFTHSM_MODULE` names the module where it is not in
//! Debian's places.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use qoltanba_hsm::Pkcs11Config;
use zeroize::Zeroizing;

/// The token the CA key lives on.
pub const CA_TOKEN: &str = "Qoltanba CA";
/// A token only the wrong-PIN test logs in to (login state is per process and token).
pub const LOGIN_TOKEN: &str = "Login Test";
pub const PIN: &str = "1234-user";
pub const SO_PIN: &str = "5678-so";

const MODULES: [&str; 2] =
    ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"];
const INSTALL: &str = "apt-get install -y softhsm2 opensc";

pub struct SoftHsm {
    _dir: tempfile::TempDir,
    pub conf: PathBuf,
    pub module: PathBuf,
}

impl SoftHsm {
    pub fn config(&self, token: &str, key: &str, pin: &str) -> Pkcs11Config {
        Pkcs11Config {
            module: self.module.clone(),
            token_label: token.into(),
            key_label: key.into(),
            pin: Zeroizing::new(pin.into()),
        }
    }

    /// Runs `pkcs11-tool --module <module> args…` against this SoftHSM.
    pub fn pkcs11_tool(&self, args: &[&str]) -> Output {
        Command::new("pkcs11-tool")
            .env("SOFTHSM2_CONF", &self.conf)
            .arg("--module")
            .arg(&self.module)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("pkcs11-tool could not run ({e}); install it: {INSTALL}"))
    }
}

/// The SoftHSM of this test binary, or `None` when `QOLTANBA_SKIP_SOFTHSM=1`.
pub fn softhsm() -> Option<&'static SoftHsm> {
    if std::env::var("QOLTANBA_SKIP_SOFTHSM").is_ok_and(|v| v == "1") {
        eprintln!("QOLTANBA_SKIP_SOFTHSM=1: skipping a SoftHSM2 test");
        return None;
    }
    static HSM: OnceLock<SoftHsm> = OnceLock::new();
    Some(HSM.get_or_init(set_up))
}

fn set_up() -> SoftHsm {
    let candidates: Vec<PathBuf> = match std::env::var_os("QOLTANBA_SOFTHSM_MODULE") {
        Some(module) => vec![module.into()],
        None => MODULES.iter().map(PathBuf::from).collect(),
    };
    let module = candidates.iter().find(|m| m.exists()).cloned().unwrap_or_else(|| {
        panic!("SoftHSM2 is not installed (no libsofthsm2.so in {candidates:?}): run `{INSTALL}`, or set QOLTANBA_SKIP_SOFTHSM=1 to skip these tests")
    });
    let dir = tempfile::tempdir().unwrap();
    let tokens = dir.path().join("tokens");
    std::fs::create_dir(&tokens).unwrap();
    let conf = dir.path().join("softhsm2.conf");
    let text = format!(
        "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
        tokens.display()
    );
    std::fs::write(&conf, text).unwrap();
    for label in [CA_TOKEN, LOGIN_TOKEN] {
        init_token(&conf, label);
    }
    // SAFETY: called once, inside the OnceLock initialiser every test goes through before it touches
    // PKCS#11; no other thread of this binary reads the environment concurrently here, and SoftHSM reads
    // SOFTHSM2_CONF when the module is initialised, which happens after this.
    unsafe { std::env::set_var("SOFTHSM2_CONF", &conf) };
    SoftHsm { _dir: dir, conf, module }
}

fn init_token(conf: &Path, label: &str) {
    let out = Command::new("softhsm2-util")
        .env("SOFTHSM2_CONF", conf)
        .args(["--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN])
        .output()
        .unwrap_or_else(|e| {
            panic!("softhsm2-util could not run ({e}): run `{INSTALL}`, or set QOLTANBA_SKIP_SOFTHSM=1")
        });
    assert!(out.status.success(), "softhsm2-util --init-token failed: {}", text(&out));
}

/// Runs `openssl args…`.
pub fn openssl(args: &[&str]) -> Output {
    Command::new("openssl").args(args).output().expect("openssl is installed")
}

/// stdout + stderr of a command, for assertions and failure messages.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}
