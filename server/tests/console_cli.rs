//! `qoltanba-server operator add|list` as a process, on a temporary SQLite database.

use std::process::Command;

use qoltanba_server::accounts;
use qoltanba_server::storage::Storage;
use time::OffsetDateTime;
use zeroize::Zeroizing;

const PASSWORD: &str = "a long enough passphrase";

fn server(db: &str, args: &[&str], password: Option<&str>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qoltanba-server"));
    command.arg("--db").arg(db).args(args).env_remove("QOLTANBA_OPERATOR_PASSWORD");
    if let Some(password) = password {
        command.env("QOLTANBA_OPERATOR_PASSWORD", password);
    }
    command.output().expect("run qoltanba-server")
}

#[tokio::test]
async fn operator_add_creates_an_account_that_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("qoltanba.db").display());
    let added = server(&db, &["operator", "add", "aigerim"], Some(PASSWORD));
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let listed = server(&db, &["operator", "list"], None);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("aigerim"));
    let short = server(&db, &["operator", "add", "nurlan"], Some("short"));
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"));
    let storage = Storage::connect(&db).await.unwrap();
    let now = OffsetDateTime::now_utc();
    accounts::login(&storage, "aigerim", Zeroizing::new(PASSWORD.into()), now).await.expect("log in");
    let wrong = accounts::login(&storage, "aigerim", Zeroizing::new("not the password".into()), now).await;
    assert!(matches!(wrong, Err(accounts::AccountError::InvalidCredentials)));
    storage.close().await;
}
