//! Workspace tasks, run as `cargo xtask <task>` (alias in `.cargo/config.toml`).
//!
//! `kotlin-test`: takes the FFI library and `qoltanba-server` from the workspace's test build (`cargo
//! test --workspace --no-run`, fresh after `cargo test --workspace`: nothing is compiled twice), generates
//! the Kotlin bindings from the library (library mode, UniFFI's generator linked in), fetches the Kotlin compiler if it is not cached (npm package `kotlin-compiler`, under
//! `~/.cache/qoltanba/kotlin`), compiles the Kotlin library module `android/qoltanba` and its tests with
//! warnings as errors (JNA from Debian `libjna-java`, JUnit 4 from Debian `junit4`), and runs the tests
//! on the JVM against the host library. Prints `kotlin: N passed, M failed, K skipped`; exits non-zero
//! on any failure.
//!
//! `swift-api [--bless] [--library PATH]`: generates the Swift bindings from the same FFI library and
//! fails when their public API drifts from `ios/Qoltanba/api/QoltanbaFFI.api` (`--bless` rewrites it), and
//! when the Swift API `QoltanbaKit` names a type the bindings no longer have (see [`swift`]).

mod artifacts;
mod kotlin;
mod swift;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("kotlin-test") => kotlin::test(),
        Some("swift-api") => swift::api(&args[1..]),
        _ => Err("usage: cargo xtask kotlin-test | swift-api [--bless] [--library PATH]".to_owned()),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
