//! Push-approved signing requests on the phone (issue 7): the device registers with the citizen's AUTH
//! key, pulls (or long-polls) what services ask it to sign, shows each request with the verification
//! code it computes itself ([`inbox`], no I/O), and approves (PIN, then a CAdES-BES CMS made with the
//! SIGN key) or refuses; both go into the history.
//!
//! [`SignRequests`] is the I/O edge: the client, the local store, the key store, the PIN prompt and the
//! clock. Push wake-ups and the server-sent event stream are the app's business: on a wake-up (or when
//! the app opens) it calls [`SignRequests::inbox`].

pub mod inbox;

mod error;
mod registration;

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_pki::cms::{self, SignOptions};
use qoltanba_pki::x509::Certificate;
use qoltanba_protocol::{ErrorCode, Platform, SignRequestApproval};
use serde_json::json;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::client::{Client, ClientError};
use crate::keystore::{CertificatePurpose, KeyStore};
use crate::ports::{Clock, PinPrompt, PinPurpose, PortError};
use crate::store::{CertificateRecord, DeviceRecord, OperationKind, PinCheck, Store};

pub use error::SigningError;
pub use inbox::{DocumentSummary, InboxItem, Malformed, ToSign, Verdict};
pub use registration::registration;

/// An approved request: the signature the server accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    /// The request.
    pub id: Uuid,
    /// The CMS SignedData, DER.
    pub signature: Vec<u8>,
    /// The SIGN certificate's serial (lowercase hex).
    pub signer_serial: String,
}

/// What the platform gives the signing screens.
#[derive(Clone)]
pub struct SigningPorts {
    /// The key store holding the citizen's keys (the software store is opened with the key password).
    pub keys: Arc<dyn KeyStore>,
    /// The PIN prompt.
    pub pin: Arc<dyn PinPrompt>,
    /// The time.
    pub clock: Arc<dyn Clock>,
}

/// The phone's signing requests against one server.
pub struct SignRequests {
    client: Client,
    server: String,
    store: Store,
    ports: SigningPorts,
    platform: Platform,
}

impl SignRequests {
    /// Signing requests of the citizen enrolled in `store`, on the server at `server` (the base URL
    /// `client` talks to).
    pub fn new(store: Store, client: Client, server: &str, ports: SigningPorts) -> Self {
        Self { client, server: server.to_owned(), store, ports, platform: Platform::Desktop }
    }

    /// The same, on a device of `platform` (what an implicit registration reports; the default is
    /// `Desktop`).
    pub fn on(mut self, platform: Platform) -> Self {
        self.platform = platform;
        self
    }

    /// The local store (history, registration).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Registers this device (again) with the AUTH key, keeping the token in the store.
    pub async fn register(
        &mut self,
        platform: Option<Platform>,
        push_token: Option<String>,
    ) -> Result<DeviceRecord, SigningError> {
        let auth = certificate(&self.store, &self.ports, CertificatePurpose::Auth)?;
        let now = self.ports.clock.now();
        let request = registration(&auth, self.ports.keys.as_ref(), now, platform, push_token)?;
        let registered = self.client.register_device(&request).await?;
        let record = DeviceRecord {
            server: self.server.clone(),
            device_id: registered.device_id,
            token: Zeroizing::new(registered.device_token),
            auth_serial: auth.serial,
            registered_at: request.registered_at,
        };
        self.store.save_device(&record)?;
        tracing::info!(device = %record.device_id, "device registered for signing requests");
        Ok(record)
    }

    /// The device token for this server, registering first when there is none (or one for another
    /// server).
    async fn token(&mut self) -> Result<Zeroizing<String>, SigningError> {
        match self.store.device()? {
            Some(device) if device.server == self.server => Ok(device.token),
            _ => Ok(self.register(Some(self.platform), None).await?.token),
        }
    }

    /// The pending requests, newest first as the server lists them; with `wait`, the server holds the
    /// answer until one arrives (long-poll). A token the server no longer accepts (its AUTH certificate
    /// renewed) is replaced by registering again, once.
    pub async fn inbox(&mut self, wait: Option<Duration>) -> Result<Vec<InboxItem>, SigningError> {
        let token = self.token().await?;
        let requests = match self.client.device_sign_requests(&token, wait).await {
            Err(error) if is_unauthorized(&error) => {
                self.store.forget_device()?;
                let token = self.token().await?;
                self.client.device_sign_requests(&token, wait).await?
            }
            other => other?,
        };
        let now = self.ports.clock.now();
        Ok(requests.iter().map(|request| InboxItem::new(request, now)).collect())
    }

    /// The pending request `id`, as the inbox shows it.
    async fn item(&mut self, id: Uuid) -> Result<InboxItem, SigningError> {
        let items = self.inbox(None).await?;
        items.into_iter().find(|item| item.id == id).ok_or(SigningError::NotPending(id))
    }

    /// Approves request `id`: checks it (code, document, expiry), asks the PIN and checks it, signs with
    /// the SIGN key, sends the signature and records it in the history.
    pub async fn approve(&mut self, id: Uuid) -> Result<Approved, SigningError> {
        let item = self.item(id).await?;
        let to_sign = match (&item.verdict, item.to_sign()) {
            (Verdict::Open, Some(to_sign)) => to_sign.clone(),
            (verdict, _) => return Err(refusal_reason(verdict, &item)),
        };
        unlock(&mut self.store, &self.ports).await?;
        let sign = certificate(&self.store, &self.ports, CertificatePurpose::Sign)?;
        let signature = signature(&self.ports, &sign, &to_sign)?;
        let approval = SignRequestApproval { signature: STANDARD.encode(&signature) };
        let token = self.token().await?;
        let key = format!("approve-{id}-{}", Uuid::new_v4());
        self.client
            .approve_sign_request(&token, id, &approval, &key)
            .await
            .map_err(|e| not_pending(e, id))?;
        self.remember(OperationKind::Approved, &item, Some(&sign.serial))?;
        Ok(Approved { id, signature, signer_serial: sign.serial })
    }

    /// Refuses request `id` and records it in the history.
    pub async fn refuse(&mut self, id: Uuid) -> Result<(), SigningError> {
        let item = self.item(id).await?;
        if !item.can_refuse() {
            return Err(SigningError::Expired);
        }
        let token = self.token().await?;
        let key = format!("refuse-{id}");
        self.client.refuse_sign_request(&token, id, &key).await.map_err(|e| not_pending(e, id))?;
        self.remember(OperationKind::Refused, &item, None)?;
        Ok(())
    }

    fn remember(
        &mut self,
        kind: OperationKind,
        item: &InboxItem,
        signer_serial: Option<&str>,
    ) -> Result<(), SigningError> {
        let detail = json!({
            "request": item.id,
            "relying_party": item.relying_party,
            "display_text": item.display_text,
            "verification_code": item.verification_code,
            "digest": item.document.digest_hex,
            "format": item.document.format.name(),
            "signer_serial": signer_serial,
        });
        self.store.record(self.ports.clock.now(), kind, &detail)?;
        Ok(())
    }
}

/// Asks the PIN once and checks it against the hash in `store`.
pub(crate) async fn unlock(store: &mut Store, ports: &SigningPorts) -> Result<(), SigningError> {
    let pin = match ports.pin.pin(PinPurpose::Unlock, 0).await {
        Ok(pin) => pin,
        Err(PortError::Cancelled) => return Err(SigningError::Cancelled),
        Err(error) => return Err(SigningError::Prompt(error)),
    };
    match store.check_pin(&pin, ports.clock.now())? {
        PinCheck::Correct => Ok(()),
        PinCheck::Wrong { tries_left } => Err(SigningError::WrongPin { tries_left }),
        PinCheck::Locked { until } => Err(SigningError::PinLocked { until }),
    }
}

/// The CMS over `to_sign` made with the key of `sign`.
pub(crate) fn signature(
    ports: &SigningPorts,
    sign: &CertificateRecord,
    to_sign: &ToSign,
) -> Result<Vec<u8>, SigningError> {
    use qoltanba_pki::x509::der::Decode;
    let certificate = Certificate::from_der(&sign.der)
        .map_err(|e| SigningError::Signature(format!("the SIGN certificate: {e}")))?;
    let signer = ports.keys.signer(&sign.key_id)?;
    let at = ports.clock.now();
    let made = match to_sign {
        ToSign::Document { data, detached } => {
            let options = SignOptions { detached: *detached, signing_time: at };
            cms::sign(data, signer.as_ref(), &certificate, &[], &options)
        }
        ToSign::Digest(digest) => cms::sign_digest(digest, signer.as_ref(), &certificate, &[], at),
    };
    made.map_err(|e| SigningError::Signature(e.to_string()))
}

/// The newest certificate in `store` for `purpose` that is valid now.
pub(crate) fn certificate(
    store: &Store,
    ports: &SigningPorts,
    purpose: CertificatePurpose,
) -> Result<CertificateRecord, SigningError> {
    let now = ports.clock.now();
    let name = match purpose {
        CertificatePurpose::Auth => "AUTH",
        CertificatePurpose::Sign => "SIGN",
    };
    store
        .certificates()?
        .into_iter()
        .find(|c| c.purpose == purpose && c.valid_at(now))
        .ok_or(SigningError::NotEnrolled(name))
}

/// Why a request that is not open cannot be approved.
fn refusal_reason(verdict: &Verdict, item: &InboxItem) -> SigningError {
    match verdict {
        Verdict::CodeMismatch { announced } => SigningError::CodeMismatch {
            announced: announced.clone(),
            computed: item.verification_code.clone(),
        },
        Verdict::Expired => SigningError::Expired,
        Verdict::Malformed(malformed) => SigningError::Malformed(*malformed),
        Verdict::Open => SigningError::Signature("nothing to sign".into()),
    }
}

/// `wrong_state`, `not_found` and `session_expired` mean the request ended meanwhile.
fn not_pending(error: ClientError, id: Uuid) -> SigningError {
    match error.api_error().map(|api| api.code) {
        Some(ErrorCode::WrongState | ErrorCode::NotFound) => SigningError::NotPending(id),
        Some(ErrorCode::SessionExpired) => SigningError::Expired,
        _ => SigningError::Server(error),
    }
}

fn is_unauthorized(error: &ClientError) -> bool {
    error.api_error().is_some_and(|api| api.code == ErrorCode::Unauthorized)
}
