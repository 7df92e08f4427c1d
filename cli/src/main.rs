//! `qoltanba`: the desktop front end of Qoltanba.
//!
//! Exit codes: 0 success (a valid signature), 1 a definite negative answer (an invalid signature, an
//! untrusted chain), 2 an error (unreadable input, wrong password, bad arguments). Every failure prints
//! one line on stderr.
#![forbid(unsafe_code)]

mod args;
mod commands;
mod error;
mod output;
mod password;
mod phone;
mod progress;

use clap::Parser;
use std::process::ExitCode;

/// Environment variable that turns on diagnostic tracing to stderr (an `EnvFilter`, e.g. `info`).
const LOG_VAR: &str = "QOLTANBA_LOG";

fn main() -> ExitCode {
    init_tracing();
    let cli = args::Cli::parse();
    match commands::run(cli.command) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            eprintln!("qoltanba: {error}");
            ExitCode::from(2)
        }
    }
}

/// Tracing to stderr, only when `QOLTANBA_LOG` is set (then filtered by it).
fn init_tracing() {
    let Ok(filter) = std::env::var(LOG_VAR) else { return };
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).init();
}
