//! The CLI as a phone: `qoltanba enroll` (the remote issuance flow in a terminal), `qoltanba demo` (the
//! whole flow against an in-process reference server), `inbox` / `approve` / `refuse` (signing requests
//! from services) and `qoltanba login` (the phone's side of a QR login).

pub mod answers;
pub mod demo;
pub mod enroll;
pub mod login;
pub mod observer;
pub mod ports;
pub mod qr_image;
pub mod signing;
pub mod text;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use qoltanba_core::client::Client;
use qoltanba_core::driver::Platform;
use qoltanba_core::ports::{PortError, SystemClock};
use qoltanba_protocol::{DeviceInfo, Platform as DevicePlatform};
use zeroize::Zeroizing;

use crate::error::CliError;
use observer::Progress;
use ports::{DevOutbox, Terminal};

/// The file of a state directory that remembers the server it enrolled with.
const SERVER_FILE: &str = "server.url";

/// Remembers `server` as the server of the state directory `state` (for `login`, `inbox`, … later).
pub fn remember_server(state: &Path, server: &str) -> Result<(), CliError> {
    let path = state.join(SERVER_FILE);
    std::fs::write(&path, format!("{}\n", server.trim())).map_err(CliError::io(&path))
}

/// The server `given` on the command line, else the one the state directory enrolled with.
pub fn server_of(state: &Path, given: Option<String>) -> Option<String> {
    given.or_else(|| {
        let saved = std::fs::read_to_string(state.join(SERVER_FILE)).ok()?;
        Some(saved.trim().to_owned()).filter(|server| !server.is_empty())
    })
}

/// The reference server's `--dev` outbox, read for one phone.
struct ServerOutbox {
    client: Client,
    phone: Option<String>,
}

#[async_trait]
impl DevOutbox for ServerOutbox {
    async fn latest_code(&self) -> Result<Zeroizing<String>, PortError> {
        let phone = self.phone.as_deref().ok_or_else(|| PortError::Unavailable {
            reason: "sms_code = \"dev-outbox\" needs the phone number in the answers (phone = \"+7…\")"
                .into(),
        })?;
        let code =
            self.client.dev_sms(phone).await.map_err(|e| PortError::Unavailable { reason: e.to_string() })?;
        Ok(Zeroizing::new(code.code))
    }
}

/// The terminal phone's platform: its ports, the system clock, software keys in `key_dir`.
fn platform(terminal: Arc<Terminal>, key_dir: &Path) -> Platform {
    Platform {
        citizen: terminal.clone(),
        camera: terminal.clone(),
        sms: terminal.clone(),
        pin: terminal.clone(),
        clock: Arc::new(SystemClock),
        observer: Arc::new(Progress::new(terminal)),
        hardware_keys: None,
        key_dir: key_dir.to_owned(),
    }
}

/// This desktop, as the device that enrolls.
fn device() -> DeviceInfo {
    DeviceInfo {
        platform: DevicePlatform::Desktop,
        os_version: std::env::consts::OS.to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        model: None,
    }
}
