//! The certificate and history screens' records ([`crate::Wallet::certificates`],
//! [`crate::Wallet::history`]).

use std::time::SystemTime;

use qoltanba_core::store::{CertificateRecord, HistoryEntry, OperationKind};

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
    /// A short description as JSON (file name and digest, service, serials…), never a secret.
    pub detail_json: String,
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
