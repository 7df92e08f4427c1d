//! The citizen's certificates and where their private keys are.

use qoltanba_pki::certificate::{CertificateView, Purpose};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::Encode;
use rusqlite::Row;
use time::OffsetDateTime;

use super::time_column::{from_column, to_column};
use super::{Store, StoreError};
use crate::keystore::{CertificatePurpose, KeyId, KeyStorageKind};

/// A certificate of the citizen, with the reference to its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    /// The serial number, lowercase hex.
    pub serial: String,
    /// AUTH or SIGN.
    pub purpose: CertificatePurpose,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// The key's id in its store.
    pub key_id: KeyId,
    /// Which store holds the key.
    pub storage: KeyStorageKind,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// The holder's IIN, as the certificate says.
    pub subject_iin: Option<String>,
    /// The holder's common name ("SURNAME NAME").
    pub subject_name: Option<String>,
}

impl CertificateRecord {
    /// The record of an issued AUTH or SIGN certificate whose key is `key_id` in a `storage` store.
    pub fn new(
        certificate: &Certificate,
        key_id: KeyId,
        storage: KeyStorageKind,
    ) -> Result<Self, StoreError> {
        let view = CertificateView::from_certificate(certificate);
        let purpose = match view.purpose {
            Purpose::Auth => CertificatePurpose::Auth,
            Purpose::Sign => CertificatePurpose::Sign,
            Purpose::Other => return Err(StoreError::NotACitizenCertificate),
        };
        Ok(Self {
            serial: view.serial_hex,
            purpose,
            der: certificate.to_der().map_err(|_| StoreError::NotACitizenCertificate)?,
            key_id,
            storage,
            not_before: view.not_before,
            not_after: view.not_after,
            subject_iin: view.iin,
            subject_name: view.common_name,
        })
    }

    /// Whether the certificate is within its validity at `now` (both ends included, as in X.509).
    pub fn valid_at(&self, now: OffsetDateTime) -> bool {
        self.not_before <= now && now <= self.not_after
    }

    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        Ok(Self {
            serial: row.get(0)?,
            purpose: purpose_from(&row.get::<_, String>(1)?)?,
            der: row.get(2)?,
            key_id: KeyId(row.get(3)?),
            storage: storage_from(&row.get::<_, String>(4)?)?,
            not_before: from_column(row.get(5)?)?,
            not_after: from_column(row.get(6)?)?,
            subject_iin: row.get(7)?,
            subject_name: row.get(8)?,
        })
    }
}

impl Store {
    /// Saves a certificate record (replacing one with the same serial).
    pub fn save_certificate(&mut self, record: &CertificateRecord) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT OR REPLACE INTO certificate
             (serial, purpose, der, key_id, storage, not_before, not_after, subject_iin, subject_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                record.serial,
                purpose_column(record.purpose),
                record.der,
                record.key_id.0,
                storage_column(record.storage),
                to_column(record.not_before)?,
                to_column(record.not_after)?,
                record.subject_iin,
                record.subject_name,
            ],
        )?;
        Ok(())
    }

    /// The saved certificates, newest validity first.
    pub fn certificates(&self) -> Result<Vec<CertificateRecord>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT serial, purpose, der, key_id, storage, not_before, not_after, subject_iin, subject_name
             FROM certificate ORDER BY not_before DESC, serial",
        )?;
        let mut rows = statement.query([])?;
        let mut records = Vec::new();
        while let Some(row) = rows.next()? {
            records.push(CertificateRecord::from_row(row)?);
        }
        Ok(records)
    }

    /// Removes a certificate record (after revocation or key deletion); true when it existed.
    pub fn delete_certificate(&mut self, serial: &str) -> Result<bool, StoreError> {
        Ok(self.connection.execute("DELETE FROM certificate WHERE serial = ?1", [serial])? > 0)
    }
}

fn purpose_column(purpose: CertificatePurpose) -> &'static str {
    match purpose {
        CertificatePurpose::Auth => "auth",
        CertificatePurpose::Sign => "sign",
    }
}

fn purpose_from(column: &str) -> Result<CertificatePurpose, StoreError> {
    match column {
        "auth" => Ok(CertificatePurpose::Auth),
        "sign" => Ok(CertificatePurpose::Sign),
        _ => Err(StoreError::Corrupt("certificate purpose")),
    }
}

fn storage_column(storage: KeyStorageKind) -> &'static str {
    match storage {
        KeyStorageKind::Hardware => "hardware",
        KeyStorageKind::File => "file",
    }
}

fn storage_from(column: &str) -> Result<KeyStorageKind, StoreError> {
    match column {
        "hardware" => Ok(KeyStorageKind::Hardware),
        "file" => Ok(KeyStorageKind::File),
        _ => Err(StoreError::Corrupt("key storage kind")),
    }
}
