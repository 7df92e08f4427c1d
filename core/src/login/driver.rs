//! Runs an [`Approval`] against the server, the prompts, the PIN check and the AUTH key; records the
//! history entry at the end.

use std::path::PathBuf;
use std::sync::Arc;

use qoltanba_protocol::LoginQr;
use time::OffsetDateTime;
use uuid::Uuid;

use super::command::Command;
use super::error::{ApprovalError, LoginError};
use super::event::{Event, SignFailure, Signed};
use super::history::LoginRecord;
use super::machine::Approval;
use super::ports::{Choice, LoginPrompt};
use super::stage::{Ending, Stage};
use crate::client::Client;
use crate::enrollment::Secret;
use crate::keystore::{CertificatePurpose, KeyStore, KeyStoreError};
use crate::ports::{Clock, PinPrompt, PinPurpose, PortError};
use crate::store::{CertificateRecord, Store};

/// What the platform gives a login.
#[derive(Clone)]
pub struct LoginPlatform {
    /// The login screens (challenge and number, key password).
    pub prompt: Arc<dyn LoginPrompt>,
    /// The secure PIN prompt.
    pub pin: Arc<dyn PinPrompt>,
    /// The time (PIN lockout, picking a valid certificate, the history).
    pub clock: Arc<dyn Clock>,
    /// The hardware-backed key store, where the platform has one.
    pub hardware_keys: Option<Arc<dyn KeyStore>>,
    /// Where the software key store keeps its PKCS#12 files.
    pub key_dir: PathBuf,
}

/// Approves (or declines) the login of the scanned `qr_text` with the AUTH key enrolled in `store`, to
/// its [`Ending`]; a login the citizen saw is recorded in the history.
///
/// # Errors
/// A [`LoginError`] when the login cannot start (not a login QR code, not enrolled, no PIN) or a
/// prompt or the local store fails.
pub async fn approve(
    qr_text: &str,
    store: &mut Store,
    client: &Client,
    platform: &LoginPlatform,
) -> Result<Ending, LoginError> {
    let qr = LoginQr::parse(qr_text.trim())?;
    if !store.has_pin()? {
        return Err(LoginError::NoPin);
    }
    let certificate = auth_certificate(store, platform.clock.now())?;
    let (mut machine, mut queue) = Approval::start(&qr, certificate.storage, Uuid::new_v4());
    let mut seen = None;
    let mut again = false;
    loop {
        while let Some(command) = queue.pop() {
            let event = execute(command, store, client, platform, &certificate).await?;
            queue.extend(machine.handle(event)?);
        }
        if let Stage::Choosing { challenge } = machine.stage() {
            seen = Some((challenge.relying_party.clone(), challenge.browser.clone()));
        }
        let event = match ask(machine.stage(), platform, again).await {
            Ok(Some(event)) => event,
            Ok(None) => break,
            Err(PortError::Cancelled) => Event::Declined,
            Err(error) => return Err(LoginError::Port(error)),
        };
        again = false;
        match machine.handle(event) {
            Ok(commands) => queue.extend(commands),
            Err(ApprovalError::NotOffered { .. }) => again = true,
            Err(error) => return Err(error.into()),
        }
    }
    let Stage::Ended(ending) = machine.stage() else {
        return Err(LoginError::Stuck(machine.stage().kind()));
    };
    tracing::info!(?ending, "login ended");
    if let Some((relying_party, browser)) = seen {
        LoginRecord::new(ending, &relying_party, &browser).save(store, platform.clock.now())?;
    }
    Ok(ending.clone())
}

/// The newest AUTH certificate valid at `now`, else the newest one (the server then says it expired).
fn auth_certificate(store: &Store, now: OffsetDateTime) -> Result<CertificateRecord, LoginError> {
    let mut auth: Vec<_> =
        store.certificates()?.into_iter().filter(|c| c.purpose == CertificatePurpose::Auth).collect();
    let valid = auth.iter().position(|c| c.valid_at(now));
    match valid {
        Some(index) => Ok(auth.swap_remove(index)),
        None => auth.into_iter().next().ok_or(LoginError::NotEnrolled),
    }
}

/// The citizen's input the stage waits for (`None`: the approval ended).
async fn ask(stage: &Stage, platform: &LoginPlatform, again: bool) -> Result<Option<Event>, PortError> {
    Ok(Some(match stage {
        Stage::Choosing { challenge } => match platform.prompt.choose(challenge, again).await? {
            Choice::Number(number) => Event::NumberChosen(number),
            Choice::Decline => Event::Declined,
        },
        Stage::EnteringPin { tries_left, .. } => {
            let pin = platform.pin.pin(PinPurpose::Unlock, tries_left.unwrap_or(0)).await?;
            Event::PinEntered(Secret::from(pin))
        }
        Stage::EnteringPassword { wrong, .. } => {
            Event::PasswordEntered(Secret::from(platform.prompt.key_password(*wrong).await?))
        }
        _ => return Ok(None),
    }))
}

async fn execute(
    command: Command,
    store: &mut Store,
    client: &Client,
    platform: &LoginPlatform,
    certificate: &CertificateRecord,
) -> Result<Event, LoginError> {
    Ok(match command {
        Command::Scan { scan, key } => Event::Scanned(client.login_scan(&scan, &key).await),
        Command::CheckPin(pin) => Event::PinChecked(store.check_pin(pin.expose(), platform.clock.now())?),
        Command::Sign { message, password } => {
            let keys = crate::keystore::open(
                certificate.storage,
                platform.hardware_keys.as_ref(),
                &platform.key_dir,
                password.as_ref(),
            );
            let key_id = certificate.key_id.clone();
            let der = certificate.der.clone();
            let signed = tokio::task::spawn_blocking(move || {
                let signature = keys?
                    .signer(&key_id)?
                    .sign(&message)
                    .map_err(|e| KeyStoreError::Platform(e.to_string()))?;
                Ok::<_, KeyStoreError>(Signed { auth_certificate: der, signature })
            })
            .await
            .map_err(|e| KeyStoreError::Platform(e.to_string()))
            .and_then(|signed| signed);
            Event::Signed(signed.map_err(sign_failure))
        }
        Command::SendAnswer { answer, key } => Event::Answered(client.login_answer(&answer, &key).await),
        Command::SendDecline { session_id, decline, key } => {
            Event::DeclineSent(client.login_decline(session_id, &decline, &key).await)
        }
    })
}

fn sign_failure(error: KeyStoreError) -> SignFailure {
    match error {
        KeyStoreError::WrongPassword | KeyStoreError::UnusablePassword => SignFailure::WrongPassword,
        KeyStoreError::Cancelled => SignFailure::Cancelled,
        other => SignFailure::Key { detail: other.to_string() },
    }
}
