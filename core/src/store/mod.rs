//! The phone's local SQLite store (bundled SQLite): the enrollment state after every transition, the
//! certificates and where their keys are, the history of operations, the PIN's hash with its
//! failure counters, and this device's registration for signing requests (its device token).
//!
//! Crash safety: the database runs in WAL mode with `synchronous=FULL`, so every committed write
//! survives a power cut, and each operation is one transaction. The schema is versioned
//! ([`migrations`]); opening a database upgrades it and refuses one from a newer app.

mod certificates;
mod device;
mod error;
mod history;
pub mod migrations;
mod pin;
mod time_column;

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use certificates::CertificateRecord;
pub use device::DeviceRecord;
pub use error::StoreError;
pub use history::{HistoryEntry, MAX_DETAIL_LEN, OperationKind};
pub use pin::{MAX_FAILURES, PinCheck};

/// How the store is set up.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Argon2id cost of the PIN hash. The default (19 MiB, 2 passes, 1 lane: OWASP's recommendation)
    /// takes roughly 50–100 ms on a phone; tests may pass lighter parameters. Checking always uses the
    /// parameters the stored hash was made with.
    pub pin_hashing: argon2::Params,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self { pin_hashing: argon2::Params::DEFAULT }
    }
}

/// The open local store.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
    options: StoreOptions,
}

impl Store {
    /// Opens the database at `path` (creating it if needed) and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, StoreOptions::default())
    }

    /// [`Store::open`] with explicit options.
    pub fn open_with(path: impl AsRef<Path>, options: StoreOptions) -> Result<Self, StoreError> {
        let mut connection = Connection::open(path)?;
        connection.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(()))?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut connection)?;
        Ok(Self { connection, options })
    }

    /// The schema version of the open database (after migration: the latest).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrations::version(&self.connection)
    }

    /// Saves the enrollment state (replacing the previous one) in one atomic write. The state's type
    /// is the caller's; it must hold no secret (PIN, password, SMS code), as it is stored as JSON.
    pub fn save_snapshot<T: Serialize>(&mut self, state: &T) -> Result<(), StoreError> {
        let json = serde_json::to_string(state).map_err(StoreError::Encode)?;
        self.connection.execute(
            "INSERT INTO enrollment (id, state) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state",
            [json],
        )?;
        Ok(())
    }

    /// The last saved enrollment state, or `None` when there is none.
    pub fn snapshot<T: DeserializeOwned>(&self) -> Result<Option<T>, StoreError> {
        let json: Option<String> = self
            .connection
            .query_row("SELECT state FROM enrollment WHERE id = 1", [], |row| row.get(0))
            .optional()?;
        json.map(|json| serde_json::from_str(&json).map_err(StoreError::CorruptSnapshot)).transpose()
    }

    /// Forgets the enrollment state (enrollment finished or abandoned).
    pub fn clear_snapshot(&mut self) -> Result<(), StoreError> {
        self.connection.execute("DELETE FROM enrollment", [])?;
        Ok(())
    }
}
