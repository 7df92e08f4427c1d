//! [`LocalStore`]: the citizen's certificates and the history of operations, read from the local
//! database the flow writes.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use qoltanba_core::store::{CertificateRecord, HistoryEntry, OperationKind, Store};

use crate::error::FlowError;
use crate::flow::DATABASE_FILE;
use crate::keystore::KeyPurpose;
use crate::state::KeyStorage;

/// A certificate of the citizen, and where its key is.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CertificateInfo {
    /// Serial number, lowercase hex.
    pub serial: String,
    /// AUTH or SIGN.
    pub purpose: KeyPurpose,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// The key's id in its store.
    pub key_id: String,
    /// Which store holds the key.
    pub storage: KeyStorage,
    /// Start of validity.
    pub not_before: SystemTime,
    /// End of validity.
    pub not_after: SystemTime,
    /// The holder's IIN.
    pub subject_iin: Option<String>,
    /// The holder's name ("SURNAME NAME").
    pub subject_name: Option<String>,
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
#[allow(missing_docs)] // mirrors core's `OperationKind`
pub enum Operation {
    Enrolled,
    Signed,
    Login,
    Approved,
    Refused,
    Revoked,
    Renewed,
    PinChanged,
}

/// One line of the history.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HistoryItem {
    /// Increasing with every record.
    pub id: i64,
    /// When it happened.
    pub at: SystemTime,
    /// What happened.
    pub operation: Operation,
    /// A short description as JSON (document, service, serials…), never a secret.
    pub detail_json: String,
}

/// The local database, for the certificate and history screens.
#[derive(uniffi::Object)]
pub struct LocalStore {
    store: Mutex<Store>,
}

#[uniffi::export]
impl LocalStore {
    /// Opens the database in `data_dir` (the flow's [`crate::FlowConfig::data_dir`]).
    #[uniffi::constructor]
    pub fn open(data_dir: String) -> Result<Arc<Self>, FlowError> {
        let store = Store::open(PathBuf::from(data_dir).join(DATABASE_FILE))?;
        Ok(Arc::new(Self { store: Mutex::new(store) }))
    }

    /// The citizen's certificates, newest first.
    pub fn certificates(&self) -> Result<Vec<CertificateInfo>, FlowError> {
        Ok(self.locked()?.certificates()?.into_iter().map(CertificateInfo::from).collect())
    }

    /// Up to `limit` operations, newest first, after skipping the `offset` newest.
    pub fn history(&self, offset: u32, limit: u32) -> Result<Vec<HistoryItem>, FlowError> {
        Ok(self.locked()?.history(offset, limit)?.into_iter().map(HistoryItem::from).collect())
    }
}

impl LocalStore {
    fn locked(&self) -> Result<std::sync::MutexGuard<'_, Store>, FlowError> {
        self.store
            .lock()
            .map_err(|_| FlowError::Defect { reason: "the local store's lock is poisoned".into() })
    }
}

impl From<CertificateRecord> for CertificateInfo {
    fn from(record: CertificateRecord) -> Self {
        Self {
            serial: record.serial,
            purpose: record.purpose.into(),
            der: record.der,
            key_id: record.key_id.0,
            storage: record.storage.into(),
            not_before: record.not_before.into(),
            not_after: record.not_after.into(),
            subject_iin: record.subject_iin,
            subject_name: record.subject_name,
        }
    }
}

impl From<HistoryEntry> for HistoryItem {
    fn from(entry: HistoryEntry) -> Self {
        let operation = match entry.kind {
            OperationKind::Enrolled => Operation::Enrolled,
            OperationKind::Signed => Operation::Signed,
            OperationKind::Login => Operation::Login,
            OperationKind::Approved => Operation::Approved,
            OperationKind::Refused => Operation::Refused,
            OperationKind::Revoked => Operation::Revoked,
            OperationKind::Renewed => Operation::Renewed,
            OperationKind::PinChanged => Operation::PinChanged,
        };
        Self { id: entry.id, at: entry.at.into(), operation, detail_json: entry.detail.to_string() }
    }
}
