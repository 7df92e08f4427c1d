//! The key-store work the machine asks for: generating both key pairs with their CSRs, installing the
//! issued certificates, and deleting keys that will never get one.

use std::sync::Arc;

use qoltanba_pki::csr::{self, SubjectName};
use qoltanba_pki::x509::Certificate;
use qoltanba_protocol::{CsrPair, IssuedCertificates, Person};

use crate::enrollment::{Event, Secret};
use crate::keystore::{CertificatePurpose, KeyId, KeyStorageKind, KeyStore, KeyStoreError};
use crate::store::CertificateRecord;

use super::Driver;

impl Driver {
    /// The store of `kind`; a software store is opened with `password`.
    fn key_store(
        &self,
        kind: KeyStorageKind,
        password: Option<&Secret>,
    ) -> Result<Arc<dyn KeyStore>, KeyStoreError> {
        crate::keystore::open(kind, self.platform.hardware_keys.as_ref(), &self.platform.key_dir, password)
    }

    /// `GenerateKeys`: two RSA-2048 pairs made on the device, each with its CSR (NCA subject layout). The
    /// future borrows nothing of the driver (whose store is not `Sync`), so that `run` stays `Send`.
    pub(super) fn generate_keys(
        &self,
        kind: KeyStorageKind,
        password: Option<&Secret>,
    ) -> impl Future<Output = Event> + Send + use<> {
        let prepared =
            self.key_store(kind, password).and_then(|store| Ok((store, subject(self.machine.person())?)));
        async move {
            let outcome = match prepared {
                Ok((store, subject)) => {
                    tokio::task::spawn_blocking(move || generate_pair(store.as_ref(), &subject))
                        .await
                        .map_err(|e| KeyStoreError::Platform(e.to_string()))
                        .and_then(|generated| generated)
                }
                Err(error) => Err(error),
            };
            match outcome {
                Ok((auth, sign, csrs)) => Event::KeysGenerated { auth, sign, csrs },
                Err(error) => Event::KeysFailed { detail: error.to_string() },
            }
        }
    }

    /// `InstallCertificates`: each certificate beside its key, then recorded in the local store.
    pub(super) fn install(
        &mut self,
        certificates: &IssuedCertificates,
        keys: [&KeyId; 2],
        kind: KeyStorageKind,
        password: Option<&Secret>,
    ) -> Event {
        match self.try_install(certificates, keys, kind, password) {
            Ok(()) => Event::CertificatesInstalled,
            Err(error) => Event::InstallFailed { detail: error.to_string() },
        }
    }

    fn try_install(
        &mut self,
        certificates: &IssuedCertificates,
        [auth, sign]: [&KeyId; 2],
        kind: KeyStorageKind,
        password: Option<&Secret>,
    ) -> Result<(), InstallError> {
        let store = self.key_store(kind, password)?;
        let chain = qoltanba_pki::certificate::parse_certificates(certificates.chain_pem.as_bytes())
            .map_err(|e| InstallError::Certificate(e.to_string()))?;
        for (id, pem) in [(auth, &certificates.auth_pem), (sign, &certificates.sign_pem)] {
            let certificate = qoltanba_pki::certificate::parse_certificate(pem.as_bytes())
                .map_err(|e| InstallError::Certificate(e.to_string()))?;
            let mut full: Vec<Certificate> = vec![certificate.clone()];
            full.extend(chain.iter().cloned());
            let installed = store.install(id, &full)?;
            let record = CertificateRecord::new(&certificate, installed, kind)?;
            self.store.save_certificate(&record)?;
        }
        Ok(())
    }

    /// `DeleteKeys`: both keys gone (absent keys are fine).
    pub(super) fn delete_keys(&self, keys: [&KeyId; 2], kind: KeyStorageKind) -> Event {
        if let Ok(store) = self.key_store(kind, None) {
            for id in keys {
                if let Err(error) = store.delete(id) {
                    tracing::warn!(%id, %error, "could not delete an unused key");
                }
            }
        }
        Event::KeysDeleted
    }
}

/// Why installing failed (reported to the machine as text; the machine decides what the citizen sees).
#[derive(Debug, thiserror::Error)]
enum InstallError {
    #[error("{0}")]
    KeyStore(#[from] KeyStoreError),
    #[error("certificate: {0}")]
    Certificate(String),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

/// Both keys and their CSRs, after discarding the keys of an interrupted generation.
fn generate_pair(
    store: &dyn KeyStore,
    subject: &SubjectName,
) -> Result<(KeyId, KeyId, CsrPair), KeyStoreError> {
    discard_uncertified(store)?;
    let auth = store.generate(CertificatePurpose::Auth)?;
    let sign = store.generate(CertificatePurpose::Sign)?;
    let csrs = CsrPair { auth: request(store, &auth.id, subject)?, sign: request(store, &sign.id, subject)? };
    Ok((auth.id, sign.id, csrs))
}

/// Deletes the keys still waiting for a certificate: when keys are generated the machine holds none, so
/// such keys come from a generation the app was killed in, and would otherwise stay on the device.
fn discard_uncertified(store: &dyn KeyStore) -> Result<(), KeyStoreError> {
    for key in store.list()?.into_iter().filter(|key| !key.installed) {
        tracing::info!(id = %key.id, "discarding a key of an interrupted generation");
        store.delete(&key.id)?;
    }
    Ok(())
}

fn request(store: &dyn KeyStore, id: &KeyId, subject: &SubjectName) -> Result<String, KeyStoreError> {
    let signer = store.signer(id)?;
    let request = csr::build(subject, signer.as_ref()).map_err(|e| KeyStoreError::Platform(e.to_string()))?;
    csr::to_pem(&request).map_err(|e| KeyStoreError::Platform(e.to_string()))
}

/// The CSR subject from the registry's person (the CA writes the real subject from the registry anyway).
fn subject(person: Option<&Person>) -> Result<SubjectName, KeyStoreError> {
    let p = person.ok_or_else(|| KeyStoreError::Platform("the registry data was not shown yet".into()))?;
    let name = SubjectName::new(p.surname.clone(), p.name.clone(), p.iin.clone());
    Ok(match &p.patronymic {
        Some(patronymic) => name.with_patronymic(patronymic.clone()),
        None => name,
    })
}
