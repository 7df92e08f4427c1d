//! The history of everything done with the citizen's keys, newest first.

use rusqlite::Row;
use time::OffsetDateTime;

use super::time_column::{from_column, to_column};
use super::{Store, StoreError};

/// The largest history detail, in bytes of JSON.
pub const MAX_DETAIL_LEN: usize = 4096;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// The certificates were issued and installed.
    Enrolled,
    /// A document was signed.
    Signed,
    /// The citizen logged in to a service (QR login).
    Login,
    /// A signing request from a service was approved.
    Approved,
    /// A signing request from a service was refused.
    Refused,
    /// The certificates were revoked.
    Revoked,
    /// The certificates were renewed.
    Renewed,
    /// The PIN was changed.
    PinChanged,
}

impl OperationKind {
    const ALL: [Self; 8] = [
        Self::Enrolled,
        Self::Signed,
        Self::Login,
        Self::Approved,
        Self::Refused,
        Self::Revoked,
        Self::Renewed,
        Self::PinChanged,
    ];

    /// The kind's stable name (stored, and usable as a translation key).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enrolled => "enrolled",
            Self::Signed => "signed",
            Self::Login => "login",
            Self::Approved => "approved",
            Self::Refused => "refused",
            Self::Revoked => "revoked",
            Self::Renewed => "renewed",
            Self::PinChanged => "pin_changed",
        }
    }

    fn from_column(column: &str) -> Result<Self, StoreError> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == column).ok_or(StoreError::Corrupt("history kind"))
    }
}

/// One line of the history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// Increasing with every record.
    pub id: i64,
    /// When it happened.
    pub at: OffsetDateTime,
    /// What happened.
    pub kind: OperationKind,
    /// A short description (document name, service, serials…), never a secret.
    pub detail: serde_json::Value,
}

impl HistoryEntry {
    fn from_row(row: &Row<'_>) -> Result<Self, StoreError> {
        let detail: String = row.get(3)?;
        Ok(Self {
            id: row.get(0)?,
            at: from_column(row.get(1)?)?,
            kind: OperationKind::from_column(&row.get::<_, String>(2)?)?,
            detail: serde_json::from_str(&detail).map_err(|_| StoreError::Corrupt("history detail"))?,
        })
    }
}

impl Store {
    /// Records an operation; returns its id.
    pub fn record(
        &mut self,
        at: OffsetDateTime,
        kind: OperationKind,
        detail: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        let detail = serde_json::to_string(detail).map_err(StoreError::Encode)?;
        if detail.len() > MAX_DETAIL_LEN {
            return Err(StoreError::DetailTooLarge);
        }
        self.connection.execute(
            "INSERT INTO history (at, kind, detail) VALUES (?1, ?2, ?3)",
            rusqlite::params![to_column(at)?, kind.as_str(), detail],
        )?;
        Ok(self.connection.last_insert_rowid())
    }

    /// Up to `limit` operations, newest first, skipping the `offset` newest.
    pub fn history(&self, offset: u32, limit: u32) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT id, at, kind, detail FROM history ORDER BY at DESC, id DESC LIMIT ?1 OFFSET ?2",
        )?;
        let mut rows = statement.query([limit, offset])?;
        let mut entries = Vec::new();
        while let Some(row) = rows.next()? {
            entries.push(HistoryEntry::from_row(row)?);
        }
        Ok(entries)
    }
}
