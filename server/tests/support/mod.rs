//! Shared harness of the server's integration tests: every test runs against a fresh SQLite file and, when
//! `QOLTANBA_TEST_POSTGRES_URL` is set (always in CI), against a fresh PostgreSQL database.
//!
//! Write a test as `async fn name(db: TestDb)` and list it in [`backend_tests!`], which makes one
//! `#[tokio::test]` per backend (`sqlite::name`, `postgres::name`). The PostgreSQL URL names a role
//! allowed to `CREATE DATABASE`; each test gets `qoltanba_test_<random>`, dropped afterwards (also when
//! the test fails).
#![allow(dead_code)]

use std::future::Future;

use qoltanba_server::storage::{Backend, Storage};
use sqlx::{Connection, Executor, PgConnection};

/// Environment variable with the PostgreSQL URL of the tests.
pub const POSTGRES_URL_VAR: &str = "QOLTANBA_TEST_POSTGRES_URL";

/// A fresh, migrated database for one test.
#[derive(Debug, Clone)]
pub struct TestDb {
    /// Connected storage.
    pub storage: Storage,
    /// Its URL, to reconnect (restart tests) or to start a server on it.
    pub url: String,
    /// Which backend.
    pub backend: Backend,
}

impl TestDb {
    /// Closes the storage and opens the same database again, as a restarted server would.
    pub async fn reopen(&self) -> Storage {
        self.storage.close().await;
        Storage::connect(&self.url).await.expect("reopen the test database")
    }
}

/// Runs `test` against a fresh database of `backend`; skips PostgreSQL (with a note) when
/// [`POSTGRES_URL_VAR`] is unset. A failing test still has its database removed.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match backend {
        Backend::Sqlite => run_sqlite(test).await,
        Backend::Postgres => match std::env::var(POSTGRES_URL_VAR) {
            Ok(admin_url) => run_postgres(&admin_url, test).await,
            Err(_) => eprintln!("skipped: {POSTGRES_URL_VAR} is not set"),
        },
    }
}

async fn run_sqlite<F, Fut>(test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("qoltanba.db").display());
    let storage = Storage::connect(&url).await.expect("connect to a fresh SQLite file");
    let db = TestDb { storage: storage.clone(), url, backend: Backend::Sqlite };
    let outcome = tokio::spawn(test(db)).await;
    storage.close().await;
    drop(dir);
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

async fn run_postgres<F, Fut>(admin_url: &str, test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let name = format!("qoltanba_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(admin_url).await.expect("connect to PostgreSQL as the test role");
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create the test database");
    let url = with_database(admin_url, &name);
    let storage = Storage::connect(&url).await.expect("connect to the fresh PostgreSQL database");
    let db = TestDb { storage: storage.clone(), url, backend: Backend::Postgres };
    let outcome = tokio::spawn(test(db)).await;
    storage.close().await;
    drop_database(&mut admin, &name).await;
    let _ = admin.close().await;
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// Drops the test database, terminating what still uses it. A connection still starting up (a server task
/// of the test racing its end) can make one attempt fail: tried a few times, then the last error panics.
async fn drop_database(admin: &mut PgConnection, name: &str) {
    let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    let mut attempts = 0;
    while let Err(error) = admin.execute(statement.as_str()).await {
        attempts += 1;
        assert!(attempts < 5, "drop the test database {name}: {error}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// `url` with its database name replaced by `database` (query parameters kept).
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let prefix = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{prefix}/{database}?{query}"),
        None => format!("{prefix}/{database}"),
    }
}

/// Makes one `#[tokio::test]` per backend for each `async fn name(db: TestDb)` listed:
/// `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::run(qoltanba_server::storage::Backend::Sqlite, super::$name).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::support::run(qoltanba_server::storage::Backend::Postgres, super::$name).await;
                }
            )*
        }
    };
}
