//! A phone enrolled without running the flow, for the signing-request tests and `bench/sign-requests`
//! (`core/examples/bench_sign_requests.rs` includes this file): certificates issued by a CA from the
//! fixture keys (`server/tests/data/ca`, so no RSA key is generated), recorded in the server's database
//! and in the phone's store with a PIN; a key store holding the fixture keys; a relying party.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use qoltanba_core::client::{Client, ClientConfig, RelyingPartyClient};
use qoltanba_core::keystore::{
    CertificatePurpose, GeneratedKey, KeyId, KeyStorageKind, KeyStore, KeyStoreError, StoredKey,
};
use qoltanba_core::ports::{PinPrompt, PinPurpose, PortError, SystemClock};
use qoltanba_core::signing::{SignRequests, SigningPorts};
use qoltanba_core::store::{CertificateRecord, Store, StoreOptions};
use qoltanba_pki::signer::{Signer, SoftwareSigner};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::spki::SubjectPublicKeyInfoOwned;
use qoltanba_server::ca::{Authority, SubjectRecord};
use qoltanba_server::storage::Storage;
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// The PIN of every fixture phone.
pub const PIN: &str = "7395";

/// The fixture key of `purpose`'s PEM path.
fn key_path(purpose: CertificatePurpose) -> PathBuf {
    let name = match purpose {
        CertificatePurpose::Auth => "auth",
        CertificatePurpose::Sign => "sign",
    };
    PathBuf::from(format!("{}/../server/tests/data/ca/{name}-key.pem", env!("CARGO_MANIFEST_DIR")))
}

/// The two fixture keys, by id `auth` / `sign`; a store that cannot generate.
#[derive(Debug, Default)]
pub struct FixtureKeys;

impl FixtureKeys {
    fn software(id: &KeyId) -> Result<SoftwareSigner, KeyStoreError> {
        let purpose = match id.0.as_str() {
            "auth" => CertificatePurpose::Auth,
            "sign" => CertificatePurpose::Sign,
            _ => return Err(KeyStoreError::NotFound(id.clone())),
        };
        let pem = std::fs::read_to_string(key_path(purpose))?;
        let key = qoltanba_pki::key::private_key_from_pem(&pem, None)
            .map_err(|_| KeyStoreError::Corrupt(id.clone()))?;
        SoftwareSigner::new(key).map_err(|_| KeyStoreError::Corrupt(id.clone()))
    }
}

impl KeyStore for FixtureKeys {
    fn kind(&self) -> KeyStorageKind {
        KeyStorageKind::File
    }
    fn generate(&self, _: CertificatePurpose) -> Result<GeneratedKey, KeyStoreError> {
        Err(KeyStoreError::Generation)
    }
    fn signer(&self, id: &KeyId) -> Result<Box<dyn Signer>, KeyStoreError> {
        Ok(Box::new(Self::software(id)?))
    }
    fn public_key(&self, id: &KeyId) -> Result<SubjectPublicKeyInfoOwned, KeyStoreError> {
        Self::software(id)?.public_key().map_err(|_| KeyStoreError::Corrupt(id.clone()))
    }
    fn install(&self, id: &KeyId, _: &[Certificate]) -> Result<KeyId, KeyStoreError> {
        Ok(id.clone())
    }
    fn delete(&self, id: &KeyId) -> Result<(), KeyStoreError> {
        Err(KeyStoreError::NotFound(id.clone()))
    }
    fn list(&self) -> Result<Vec<StoredKey>, KeyStoreError> {
        Ok(vec![])
    }
}

/// A PIN prompt answering `pin` and counting how often it was asked.
#[derive(Debug)]
pub struct FixedPin {
    pin: String,
    /// How many times the PIN was asked for.
    pub asked: Mutex<u32>,
}

impl FixedPin {
    /// Answers `pin`.
    pub fn new(pin: &str) -> Arc<Self> {
        Arc::new(Self { pin: pin.to_owned(), asked: Mutex::new(0) })
    }

    /// How many times the PIN was asked for.
    pub fn times_asked(&self) -> u32 {
        *self.asked.lock().expect("not poisoned")
    }
}

#[async_trait]
impl PinPrompt for FixedPin {
    async fn choose_pin(&self) -> Result<(Zeroizing<String>, Zeroizing<String>), PortError> {
        Err(PortError::Cancelled)
    }
    async fn pin(&self, _: PinPurpose, _: u8) -> Result<Zeroizing<String>, PortError> {
        *self.asked.lock().expect("not poisoned") += 1;
        Ok(Zeroizing::new(self.pin.clone()))
    }
}

/// An enrolled phone: its directory (store `phone.db`), its citizen, its certificates.
pub struct Phone {
    /// The phone's directory.
    pub dir: tempfile::TempDir,
    /// The citizen's IIN.
    pub iin: String,
    /// The SIGN certificate.
    pub sign: Certificate,
}

impl Phone {
    /// Issues AUTH + SIGN certificates for `iin` with the fixture keys by `authority`, records them in the
    /// server's `storage` and in a new phone store with [`PIN`].
    pub async fn enrolled(storage: &Storage, authority: &Authority, iin: &str) -> Self {
        let der = |id: &str| {
            use qoltanba_pki::x509::der::Encode;
            let signer = FixtureKeys::software(&KeyId(id.into())).expect("the fixture key");
            let name = qoltanba_pki::csr::SubjectName::new("TEST", "TEST", iin);
            qoltanba_pki::csr::build(&name, &signer).expect("a CSR").to_der().expect("DER")
        };
        let subject = SubjectRecord {
            surname: "ТЕСТОВ".into(),
            name: "ТЕСТ".into(),
            patronymic: None,
            iin: iin.to_owned(),
            email: None,
        };
        let now = OffsetDateTime::now_utc();
        let pair = authority.issue_pair(&subject, &der("auth"), &der("sign"), now).expect("issued");
        let dir = tempfile::tempdir().expect("temp dir");
        let options = StoreOptions { pin_hashing: argon2::Params::new(1024, 1, 1, None).expect("params") };
        let mut store = Store::open_with(dir.path().join("phone.db"), options).expect("a store");
        store.set_pin(PIN).expect("the PIN");
        for (issued, purpose, id) in
            [(&pair.auth, CertificatePurpose::Auth, "auth"), (&pair.sign, CertificatePurpose::Sign, "sign")]
        {
            record_on_server(storage, iin, issued, purpose, now).await;
            let record = CertificateRecord::new(&issued.certificate, KeyId(id.into()), KeyStorageKind::File)
                .expect("a citizen certificate");
            store.save_certificate(&record).expect("saved");
        }
        Self { dir, iin: iin.to_owned(), sign: pair.sign.certificate }
    }

    /// The phone's signing requests against the server at `url`, with `pin` typed at the prompt.
    pub fn sign_requests(&self, url: &str, pin: Arc<FixedPin>) -> SignRequests {
        let options = StoreOptions { pin_hashing: argon2::Params::new(1024, 1, 1, None).expect("params") };
        let store = Store::open_with(self.dir.path().join("phone.db"), options).expect("the store");
        let ports = SigningPorts { keys: Arc::new(FixtureKeys), pin, clock: Arc::new(SystemClock) };
        let client = Client::new(url, &ClientConfig::default()).expect("a client");
        SignRequests::new(store, client, url, ports)
    }
}

async fn record_on_server(
    storage: &Storage,
    iin: &str,
    issued: &qoltanba_server::ca::IssuedCertificate,
    purpose: CertificatePurpose,
    now: OffsetDateTime,
) {
    use qoltanba_server::storage::certificates::{CertificateRecord, insert};
    let view = qoltanba_pki::certificate::CertificateView::from_certificate(&issued.certificate);
    let record = CertificateRecord {
        serial: hex::encode_upper(&issued.serial),
        iin: iin.to_owned(),
        purpose,
        session_id: None,
        not_before: view.not_before,
        not_after: view.not_after,
        der: issued.der.clone(),
        revocation: None,
        created_at: now,
    };
    let mut conn = storage.acquire().await.expect("a connection");
    insert(&mut conn, &record).await.expect("the certificate recorded");
}

/// A relying party registered in `storage` ("Demo Bank …"), as its client of the server at `url`.
pub async fn relying_party(storage: &Storage, url: &str) -> RelyingPartyClient {
    let now = OffsetDateTime::now_utc();
    let name = format!("Demo Bank {}", uuid::Uuid::new_v4().simple());
    let added = qoltanba_server::signing::relying_parties::add(storage, &name, &[], now)
        .await
        .expect("the relying party");
    let client = Client::new(url, &ClientConfig::default()).expect("a client");
    RelyingPartyClient::new(client, &added.api_key)
}
