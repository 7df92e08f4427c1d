//! The artifacts of the workspace's test build, found without building anything else.
//!
//! `cargo test --workspace --no-run` with the flags of `.ci/run` is fresh right after `cargo test
//! --workspace`, so asking it (as JSON messages) where the FFI library and the server binary are costs no
//! compilation. A build of its own (`cargo build -p …`) would resolve other features and compile much of
//! the graph a second time.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// What the Kotlin suite needs from the test build.
pub struct TestBuild {
    /// `libqoltanba_uniffi.so` (`.dylib` on macOS), built with the `dev-tools` feature the workspace's
    /// test build unifies in.
    pub ffi_library: PathBuf,
    /// The `qoltanba-server` executable.
    pub server: PathBuf,
}

/// Builds (or finds fresh) the workspace's tests and returns the artifacts the Kotlin suite runs against.
pub fn test_build(root: &Path) -> Result<TestBuild, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut child = Command::new(cargo)
        .current_dir(root)
        .args(["test", "--workspace", "--locked", "--no-run", "--message-format=json-render-diagnostics"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cargo: {e}"))?;
    let stdout = child.stdout.take().ok_or("cargo's output is not piped")?;
    let mut ffi_library = None;
    let mut server = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("cargo's output: {e}"))?;
        let Ok(message) = serde_json::from_str::<Value>(&line) else { continue };
        ffi_library = ffi_library.or_else(|| cdylib_of(&message, "qoltanba_uniffi"));
        server = server.or_else(|| executable_of(&message, "qoltanba-server"));
    }
    let status = child.wait().map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err(format!("cargo test --no-run failed ({status})"));
    }
    Ok(TestBuild {
        ffi_library: ffi_library.ok_or("the test build made no qoltanba_uniffi cdylib")?,
        server: server.ok_or("the test build made no qoltanba-server executable")?,
    })
}

/// A compiler-artifact message's shared library of the non-test build of lib target `name`.
fn cdylib_of(message: &Value, name: &str) -> Option<PathBuf> {
    let target = artifact(message, name)?;
    if !kinds(target).any(|kind| kind == "cdylib") {
        return None;
    }
    let files = message.get("filenames")?.as_array()?;
    files
        .iter()
        .filter_map(Value::as_str)
        .find(|file| file.ends_with(".so") || file.ends_with(".dylib"))
        .map(PathBuf::from)
}

/// A compiler-artifact message's executable of the non-test build of bin target `name`.
fn executable_of(message: &Value, name: &str) -> Option<PathBuf> {
    let target = artifact(message, name)?;
    if !kinds(target).any(|kind| kind == "bin") {
        return None;
    }
    message.get("executable")?.as_str().map(PathBuf::from)
}

/// The target of a compiler-artifact message for target `name` built normally (not as a test harness).
fn artifact<'a>(message: &'a Value, name: &str) -> Option<&'a Value> {
    let is_artifact = message.get("reason")?.as_str()? == "compiler-artifact";
    let is_test = message.get("profile")?.get("test")?.as_bool()?;
    let target = message.get("target")?;
    (is_artifact && !is_test && target.get("name")?.as_str()? == name).then_some(target)
}

fn kinds(target: &Value) -> impl Iterator<Item = &str> {
    target.get("kind").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
}
