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

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli.command) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            eprintln!("qoltanba: {error}");
            ExitCode::from(2)
        }
    }
}
