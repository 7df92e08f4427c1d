//! The schema, as versioned steps. `PRAGMA user_version` holds how many steps a database has had;
//! opening applies the missing ones in order, each in its own transaction with its version bump.
//! Steps are never edited once released: a change is a new step.

use rusqlite::Connection;

use super::StoreError;

/// The schema steps in order: step `i` brings `user_version` from `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: the enrollment state and the history.
    "CREATE TABLE enrollment (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         state TEXT NOT NULL
     );
     CREATE TABLE history (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         at INTEGER NOT NULL,
         kind TEXT NOT NULL,
         detail TEXT NOT NULL
     );
     CREATE INDEX history_by_time ON history (at DESC, id DESC);",
    // 2: the certificates and where their keys are.
    "CREATE TABLE certificate (
         serial TEXT PRIMARY KEY,
         purpose TEXT NOT NULL CHECK (purpose IN ('auth', 'sign')),
         der BLOB NOT NULL,
         key_id TEXT NOT NULL,
         storage TEXT NOT NULL CHECK (storage IN ('hardware', 'file')),
         not_before INTEGER NOT NULL,
         not_after INTEGER NOT NULL,
         subject_iin TEXT,
         subject_name TEXT
     );",
    // 3: the PIN hash and its failure counters.
    "CREATE TABLE pin (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         hash TEXT NOT NULL,
         failures INTEGER NOT NULL DEFAULT 0,
         lockouts INTEGER NOT NULL DEFAULT 0,
         locked_until INTEGER
     );",
    // 4: this device's registration for signing requests.
    "CREATE TABLE device (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         server TEXT NOT NULL,
         device_id TEXT NOT NULL,
         token TEXT NOT NULL,
         auth_serial TEXT NOT NULL,
         registered_at INTEGER NOT NULL
     );",
];

/// The schema version this code writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// The database's schema version.
pub fn version(connection: &Connection) -> Result<i64, StoreError> {
    Ok(connection.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies the steps the database has not had yet.
pub fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let found = version(connection)?;
    if found > latest() {
        return Err(StoreError::NewerSchema { found, supported: latest() });
    }
    for (done, step) in MIGRATIONS.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        let transaction = connection.transaction()?;
        transaction.execute_batch(step)?;
        transaction.pragma_update(None, "user_version", done as i64 + 1)?;
        transaction.commit()?;
    }
    Ok(())
}
