//! [`Wallet`]: the enrolled citizen on this device — certificates, history, signing and verifying files,
//! QR login and the sign-request inbox. Each call opens the local store and runs core's code on the
//! crate's runtime; nothing is decided here.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use qoltanba_core::client::{Client, ClientConfig};
use qoltanba_core::documents;
use qoltanba_core::keystore::{KeyStorageKind, KeyStore, KeyStoreError, KeysOnUse, PasswordSource};
use qoltanba_core::login::{self, LoginPlatform};
use qoltanba_core::ports::{Clock, SystemClock};
use qoltanba_core::signing::{SignRequests, SigningPorts};
use qoltanba_core::store::Store;
use qoltanba_protocol::DeviceInfo;
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::documents::{SignedDocument, Verification};
use crate::flow::{DATABASE_FILE, Device, FlowConfig, KEY_DIRECTORY};
use crate::keystore::{ForeignKeyStore, PlatformKeyStore};
use crate::login::{LoginEnding, LoginPort, LoginScreens};
use crate::platform::{KeyPasswordPrompt, PinPort, PinPrompt};
use crate::records::{CertificateInfo, HistoryItem};
use crate::requests::{ApprovedRequest, SignRequest};
use crate::runtime::{self, spawn_local};
use crate::wallet_error::WalletError;

/// The citizen enrolled on this device (by [`crate::EnrollmentFlow`] with the same [`FlowConfig`]).
#[derive(uniffi::Object)]
pub struct Wallet {
    config: FlowConfig,
    pin: Arc<dyn PinPrompt>,
    passwords: Arc<dyn KeyPasswordPrompt>,
    hardware_keys: Option<Arc<dyn KeyStore>>,
}

#[uniffi::export]
impl Wallet {
    /// The wallet in `config.data_dir`, with the PIN prompt, the key files' password prompt and the
    /// hardware key store (where there is one) the enrollment used.
    #[uniffi::constructor]
    pub fn open(
        config: FlowConfig,
        pin: Arc<dyn PinPrompt>,
        passwords: Arc<dyn KeyPasswordPrompt>,
        key_store: Option<Arc<dyn PlatformKeyStore>>,
    ) -> Result<Arc<Self>, WalletError> {
        let wallet = Self {
            config,
            pin,
            passwords,
            hardware_keys: key_store.map(|store| Arc::new(ForeignKeyStore(store)) as Arc<dyn KeyStore>),
        };
        wallet.store()?;
        Ok(Arc::new(wallet))
    }

    /// The citizen's certificates, newest first.
    pub fn certificates(&self) -> Result<Vec<CertificateInfo>, WalletError> {
        Ok(self.store()?.certificates()?.into_iter().map(CertificateInfo::from).collect())
    }

    /// Up to `limit` operations, newest first, after skipping the `offset` newest.
    pub fn history(&self, offset: u32, limit: u32) -> Result<Vec<HistoryItem>, WalletError> {
        Ok(self.store()?.history(offset, limit)?.into_iter().map(HistoryItem::from).collect())
    }

    /// Signs `content` (the file `file_name`) with the SIGN key after the PIN (and, for key files, their
    /// password): a CAdES-BES CMS, attached unless `detached`. Recorded in the history.
    pub async fn sign_document(
        &self,
        content: Vec<u8>,
        file_name: String,
        detached: bool,
    ) -> Result<SignedDocument, WalletError> {
        let session = self.session()?;
        spawn_local(move || async move {
            let (mut store, ports) = session.open()?;
            Ok(documents::sign(&mut store, &ports, &content, &file_name, detached).await?.into())
        })
        .await
    }

    /// Verifies `signature` (DER, PEM or base64) over its own content, or over `content` when detached;
    /// the signers' certificates are checked against the CA chain saved at enrollment, now.
    pub fn verify_document(
        &self,
        signature: Vec<u8>,
        content: Option<Vec<u8>>,
    ) -> Result<Verification, WalletError> {
        let verified = documents::verify(&self.store()?, &signature, content.as_deref(), SystemClock.now())?;
        Ok(verified.into())
    }

    /// Approves (or declines) the login of the scanned `qr_text` with the AUTH key: `screens` shows who
    /// asks and takes the number, then the PIN (and, for key files, the password) is asked.
    pub async fn approve_login(
        &self,
        qr_text: String,
        screens: Arc<dyn LoginScreens>,
    ) -> Result<LoginEnding, WalletError> {
        let session = self.session()?;
        spawn_local(move || async move {
            let mut store = session.store()?;
            let platform = LoginPlatform {
                prompt: Arc::new(LoginPort { screens, passwords: session.passwords.clone() }),
                pin: Arc::new(PinPort(session.pin.clone())),
                clock: Arc::new(SystemClock),
                hardware_keys: session.hardware_keys.clone(),
                key_dir: session.key_dir(),
            };
            Ok(login::approve(&qr_text, &mut store, &session.client()?, &platform).await?.into())
        })
        .await
    }

    /// Registers this device for signing requests (again), signed with the AUTH key; `push_token` is the
    /// FCM or APNs token that wakes the app.
    pub async fn register_device(
        &self,
        device: Device,
        push_token: Option<String>,
    ) -> Result<(), WalletError> {
        let session = self.session()?;
        spawn_local(move || async move {
            let platform = DeviceInfo::from(device).platform;
            session.requests()?.register(Some(platform), push_token).await?;
            Ok(())
        })
        .await
    }

    /// The pending signing requests; with `wait_seconds` > 0 the server holds the answer until one
    /// arrives or the time is up (long-poll). Registers the device first when it has not.
    pub async fn sign_requests(&self, wait_seconds: u32) -> Result<Vec<SignRequest>, WalletError> {
        let session = self.session()?;
        let wait = (wait_seconds > 0).then(|| Duration::from_secs(u64::from(wait_seconds)));
        spawn_local(move || async move {
            let items = session.requests()?.inbox(wait).await?;
            Ok(items.into_iter().map(SignRequest::from).collect())
        })
        .await
    }

    /// Approves request `id`: checks it, asks the PIN (and the key password for key files), signs with
    /// the SIGN key and sends the signature. Recorded in the history.
    pub async fn approve_sign_request(&self, id: String) -> Result<ApprovedRequest, WalletError> {
        let session = self.session()?;
        let id = request_id(&id)?;
        spawn_local(move || async move { Ok(session.requests()?.approve(id).await?.into()) }).await
    }

    /// Refuses request `id`. Recorded in the history.
    pub async fn refuse_sign_request(&self, id: String) -> Result<(), WalletError> {
        let session = self.session()?;
        let id = request_id(&id)?;
        spawn_local(move || async move { Ok(session.requests()?.refuse(id).await?) }).await
    }
}

impl Wallet {
    fn store(&self) -> Result<Store, WalletError> {
        self.session()?.store()
    }

    fn session(&self) -> Result<Session, WalletError> {
        let data_dir = PathBuf::from(&self.config.data_dir);
        std::fs::create_dir_all(data_dir.join(KEY_DIRECTORY))
            .map_err(|e| WalletError::Store { reason: e.to_string() })?;
        Ok(Session {
            data_dir,
            server_url: self.config.server_url.clone(),
            platform: DeviceInfo::from(self.config.device.clone()).platform,
            pin: self.pin.clone(),
            passwords: self.passwords.clone(),
            hardware_keys: self.hardware_keys.clone(),
        })
    }
}

/// What one call needs, moved onto the runtime.
struct Session {
    data_dir: PathBuf,
    server_url: String,
    /// The device's platform, reported when the device registers for sign requests implicitly.
    platform: qoltanba_protocol::Platform,
    pin: Arc<dyn PinPrompt>,
    passwords: Arc<dyn KeyPasswordPrompt>,
    hardware_keys: Option<Arc<dyn KeyStore>>,
}

impl Session {
    fn store(&self) -> Result<Store, WalletError> {
        Ok(Store::open(self.data_dir.join(DATABASE_FILE))?)
    }

    fn key_dir(&self) -> PathBuf {
        self.data_dir.join(KEY_DIRECTORY)
    }

    fn client(&self) -> Result<Client, WalletError> {
        Client::new(&self.server_url, &ClientConfig::default())
            .map_err(|e| WalletError::Defect { reason: format!("the server address: {e}") })
    }

    /// The store, and the ports of signing: the keys where the enrollment put them, the key files
    /// opened with the password asked when a key is first used.
    fn open(&self) -> Result<(Store, SigningPorts), WalletError> {
        let store = self.store()?;
        let kind = match store.certificates()?.first() {
            Some(certificate) => certificate.storage,
            None if self.hardware_keys.is_some() => KeyStorageKind::Hardware,
            None => KeyStorageKind::File,
        };
        let keys =
            KeysOnUse::new(kind, self.hardware_keys.clone(), self.key_dir(), ask(self.passwords.clone()));
        let ports = SigningPorts {
            keys: Arc::new(keys),
            pin: Arc::new(PinPort(self.pin.clone())),
            clock: Arc::new(SystemClock),
        };
        Ok((store, ports))
    }

    fn requests(&self) -> Result<SignRequests, WalletError> {
        let (store, ports) = self.open()?;
        Ok(SignRequests::new(store, self.client()?, &self.server_url, ports).on(self.platform))
    }
}

/// The foreign password prompt as the synchronous source core's key store asks (from a thread of the
/// runtime's blocking pool, which may block while the prompt runs on the runtime).
fn ask(prompt: Arc<dyn KeyPasswordPrompt>) -> PasswordSource {
    Box::new(move || {
        let handle = runtime::handle().map_err(|e| KeyStoreError::Platform(format!("{e:?}")))?;
        let (answer, answered) = std::sync::mpsc::channel();
        let prompt = prompt.clone();
        handle.spawn(async move {
            let _ = answer.send(prompt.key_password(false).await);
        });
        match answered.recv() {
            Ok(Ok(password)) => Ok(Zeroizing::new(password)),
            Ok(Err(error)) => Err(error.into()),
            Err(_) => Err(KeyStoreError::Platform("the password prompt did not answer".into())),
        }
    })
}

/// A request id; anything that is not one names no pending request.
fn request_id(id: &str) -> Result<Uuid, WalletError> {
    id.trim().parse().map_err(|_| WalletError::RequestNotPending)
}
