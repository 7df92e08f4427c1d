//! What can go wrong in the local store, typed so that a UI can react.

use time::OffsetDateTime;

/// Why a store operation failed. Never carries the PIN.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite failed (disk full, file locked, not a database, …).
    #[error("the local database failed: {0}")]
    Database(#[from] rusqlite::Error),
    /// The database was written by a newer version of the app; this one cannot read it.
    #[error("the database has schema version {found}; this app knows up to {supported}")]
    NewerSchema {
        /// The schema version found in the file.
        found: i64,
        /// The latest version this code knows.
        supported: i64,
    },
    /// The saved enrollment state cannot be read back as the expected type (damaged, or written by an
    /// incompatible version).
    #[error("the saved enrollment state is unreadable: {0}")]
    CorruptSnapshot(serde_json::Error),
    /// A stored row holds a value this code does not understand.
    #[error("the local database holds an unreadable {0}")]
    Corrupt(&'static str),
    /// A value could not be encoded as JSON.
    #[error("the value could not be saved as JSON: {0}")]
    Encode(serde_json::Error),
    /// A history detail is larger than [`super::MAX_DETAIL_LEN`] bytes.
    #[error("the history detail is too large")]
    DetailTooLarge,
    /// A time is outside what the store can keep (before 1677 or after 2262).
    #[error("the time {0} is out of range")]
    TimeOutOfRange(OffsetDateTime),
    /// The certificate is not an individual's AUTH or SIGN certificate.
    #[error("not an AUTH or SIGN certificate")]
    NotACitizenCertificate,
    /// No PIN has been set yet.
    #[error("no PIN has been set")]
    NoPin,
    /// The new PIN is not 4 to 12 digits.
    #[error("a PIN is 4 to 12 digits")]
    InvalidPin,
    /// Hashing or checking the PIN failed (not a wrong PIN: see [`super::PinCheck`]).
    #[error("the PIN could not be hashed or checked")]
    PinHash,
}
