//! Typed storage errors, with unique and foreign-key violations mapped to [`StorageError::Conflict`].

use sqlx::error::{DatabaseError, ErrorKind};

/// What went wrong in the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A write broke a constraint: a duplicate key, a reference to a row that does not exist, or a
    /// compare-and-swap that lost its race.
    #[error("conflict on {constraint} ({kind:?})")]
    Conflict {
        /// Which kind of constraint.
        kind: ConflictKind,
        /// The constraint's name, identical on both backends (PostgreSQL's default naming:
        /// `citizens_pkey`, `operators_username_key`). SQLite does not name the foreign key that failed,
        /// so foreign-key conflicts always say `foreign_key`.
        constraint: String,
    },
    /// A stored value could not be read back into its Rust type (a corrupted or foreign database).
    #[error("stored value of {column} is unreadable")]
    Corrupt {
        /// The column whose value is unreadable.
        column: &'static str,
    },
    /// The URL names neither `sqlite:` nor `postgres:`/`postgresql:`.
    #[error("unsupported database URL scheme (use sqlite://PATH or postgres://…)")]
    UnsupportedUrl,
    /// Applying the embedded migrations failed.
    #[error("migration failed")]
    Migration(#[source] sqlx::migrate::MigrateError),
    /// The database is busy: a lock or a free connection was not had in time (SQLite's busy timeout,
    /// PostgreSQL's serialization failure or deadlock, the pool's wait). Retrying is safe.
    #[error("database busy")]
    Busy(#[source] sqlx::Error),
    /// Any other database failure (connection, I/O, a trigger refusing a change, …).
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

/// The kind of constraint behind a [`StorageError::Conflict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConflictKind {
    /// A primary key or unique constraint: the row already exists.
    Unique,
    /// A foreign key: the referenced row does not exist.
    ForeignKey,
    /// A conditional write found the row no longer as the caller read it: a session's compare-and-swap
    /// lost its race (constraint [`SESSION_VERSION`]), or a ticket or review was already decided
    /// ([`ALREADY_DECIDED`]).
    Stale,
}

/// The constraint name reported when a session's compare-and-swap loses its race.
pub const SESSION_VERSION: &str = "enrollment_sessions_version";

/// The constraint name reported when deciding a ticket or review that is no longer pending.
pub const ALREADY_DECIDED: &str = "already_decided";

/// The constraint name reported for every foreign-key conflict.
pub const FOREIGN_KEY: &str = "foreign_key";

impl From<sqlx::Error> for StorageError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(db) => match conflict(db.as_ref()) {
                Some((kind, constraint)) => Self::Conflict { kind, constraint },
                None if is_busy(db.as_ref()) => Self::Busy(sqlx::Error::Database(db)),
                None => Self::Database(sqlx::Error::Database(db)),
            },
            sqlx::Error::PoolTimedOut => Self::Busy(sqlx::Error::PoolTimedOut),
            other => Self::Database(other),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StorageError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        Self::Migration(error)
    }
}

/// The conflict a database error stands for, if it is one.
fn conflict(error: &dyn DatabaseError) -> Option<(ConflictKind, String)> {
    match error.kind() {
        ErrorKind::UniqueViolation => Some((ConflictKind::Unique, unique_name(error))),
        ErrorKind::ForeignKeyViolation => Some((ConflictKind::ForeignKey, FOREIGN_KEY.to_owned())),
        _ => None,
    }
}

/// Whether `error` is a lock that was not had in time: SQLite's `SQLITE_BUSY` / `SQLITE_LOCKED` (and their
/// extended codes), PostgreSQL's `serialization_failure`, `deadlock_detected` and `lock_not_available`.
fn is_busy(error: &dyn DatabaseError) -> bool {
    const SQLITE_BUSY: i64 = 5;
    const SQLITE_LOCKED: i64 = 6;
    let Some(code) = error.code() else { return false };
    match code.parse::<i64>() {
        // SQLite reports its (extended) result code; the primary code is the low byte.
        Ok(sqlite) => matches!(sqlite & 0xff, SQLITE_BUSY | SQLITE_LOCKED),
        Err(_) => matches!(code.as_ref(), "40001" | "40P01" | "55P03"),
    }
}

/// PostgreSQL names the constraint; SQLite says `UNIQUE constraint failed: table.a, table.b`, from which
/// PostgreSQL's default name is rebuilt (`table_pkey` for a primary key, `table_a_b_key` otherwise).
fn unique_name(error: &dyn DatabaseError) -> String {
    if let Some(name) = error.constraint() {
        return name.to_owned();
    }
    let message = error.message();
    let columns = message.rsplit(": ").next().unwrap_or_default();
    let mut table = "";
    let mut names = Vec::new();
    for qualified in columns.split(", ") {
        let (t, column) = qualified.split_once('.').unwrap_or(("", qualified));
        table = t;
        names.push(column.trim());
    }
    // SQLITE_CONSTRAINT_PRIMARYKEY is the extended code 1555.
    if error.code().as_deref() == Some("1555") {
        format!("{table}_pkey")
    } else {
        format!("{table}_{}_key", names.join("_"))
    }
}
