//! Key store passwords: from `--password` / `QOLTANBA_PASSWORD`, or asked for on the terminal without echo.

use crate::error::CliError;
use std::io::IsTerminal;
use zeroize::Zeroizing;

/// The password given, or one typed at a prompt when stdin is a terminal.
pub fn resolve(given: Option<String>, what: &str) -> Result<Zeroizing<String>, CliError> {
    if let Some(password) = given {
        return Ok(Zeroizing::new(password));
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "{what} needs a password: give --password or set QOLTANBA_PASSWORD"
        )));
    }
    rpassword::prompt_password(format!("Password for {what}: "))
        .map(Zeroizing::new)
        .map_err(|e| CliError::Usage(format!("cannot read the password: {e}")))
}
