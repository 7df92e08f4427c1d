//! Opening the database: the backend chosen by URL, SQLite's file and pragmas, the embedded migrations.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{Any, AnyPool, ConnectOptions, Connection, Executor, Transaction};

use super::StorageError;

/// How long an SQLite connection waits for a lock held by another before giving up (also sqlx's default,
/// which the pool's connections get).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// `FULL`: every commit is on disk before the answer leaves. A CA must never forget a certificate it
/// issued (it could not revoke it), so the embedded default pays one fsync per transaction; `NORMAL`
/// under WAL would be faster but an operating-system crash or power loss could lose the last commits.
const SQLITE_SYNCHRONOUS: &str = "PRAGMA synchronous = FULL";

/// Which database engine a [`Storage`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (WAL journal, foreign keys enforced).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn from_url(url: &str) -> Result<Self, StorageError> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StorageError::UnsupportedUrl)
        }
    }
}

/// A pool of connections to a migrated database. Cheap to clone (the pool is shared).
#[derive(Debug, Clone)]
pub struct Storage {
    pool: AnyPool,
    backend: Backend,
}

impl Storage {
    /// Opens the database at `url` and brings its schema up to date.
    ///
    /// `sqlite://PATH` (or `sqlite:PATH`) creates the file if it is missing and switches it to WAL; every
    /// connection runs `synchronous = FULL` (see `SQLITE_SYNCHRONOUS`), enforces foreign keys and
    /// waits up to 5 s for locks (sqlx's SQLite defaults, which the
    /// `Any` driver applies to every connection it opens). `postgres://…` connects to an
    /// existing database.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        if backend == Backend::Sqlite {
            prepare_sqlite_file(url).await?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(SQLITE_SYNCHRONOUS).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        let storage = Self { pool, backend };
        storage.migrate().await?;
        Ok(storage)
    }

    async fn migrate(&self) -> Result<(), StorageError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&self.pool).await?,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&self.pool).await?,
        }
        Ok(())
    }

    /// The engine behind this storage.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for code that runs several repository calls on one connection. Outside this
    /// module it serves tests that check what the schema itself refuses.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for repository calls that need no transaction.
    pub async fn acquire(&self) -> Result<PoolConnection<Any>, StorageError> {
        Ok(self.pool.acquire().await?)
    }

    /// Starts a transaction; pass `&mut tx` to repository functions and `tx.commit()` at the end.
    ///
    /// On SQLite the transaction takes the write lock at once (`BEGIN IMMEDIATE`), so two concurrent
    /// read-then-write transactions queue instead of failing halfway. Cancelling the returned future is
    /// safe: the transaction is begun in a task of its own and rolled back if nobody takes it.
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, StorageError> {
        let statement = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        // A `begin` cancelled while it waits for the lock (a handler dropped when its client went away)
        // would leave its connection inside a transaction nobody holds to roll back, and the database
        // locked for good. In a task of its own, `begin` always finishes; a transaction nobody awaits any
        // more is dropped there, and dropping it rolls it back.
        let pool = self.pool.clone();
        let begun = tokio::spawn(async move { pool.begin_with(statement).await })
            .await
            .map_err(|_| StorageError::Database(sqlx::Error::WorkerCrashed))?;
        Ok(begun?)
    }

    /// Closes every connection (waits for those in use to be returned).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the SQLite file if it is missing and switches it to WAL (a property of the file).
async fn prepare_sqlite_file(url: &str) -> Result<(), StorageError> {
    let mut conn = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .connect()
        .await?;
    conn.ping().await?;
    conn.close().await?;
    Ok(())
}
