//! `qoltanba-server operator add|list` and `rp add|list` as a process, on a temporary SQLite database.

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

/// The value after `label` on its line of `text`.
fn printed<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines().find_map(|l| l.strip_prefix(label)).map(str::trim).expect(label)
}

#[tokio::test]
async fn rp_add_prints_a_key_that_authenticates_once_and_stores_only_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("qoltanba.db").display());
    let added = server(&db, &["rp", "add", "Demo Bank", "--callback-host", "bank.example.kz"], None);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let stdout = String::from_utf8_lossy(&added.stdout).into_owned();
    let api_key = printed(&stdout, "api key:");
    assert_eq!(api_key.len(), 43, "{stdout}");
    let again = server(&db, &["rp", "add", "Demo Bank"], None);
    assert!(!again.status.success());
    let listed = server(&db, &["rp", "list"], None);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(listed.contains("Demo Bank") && listed.contains("bank.example.kz") && !listed.contains(api_key));
    let storage = Storage::connect(&db).await.unwrap();
    let rp = qoltanba_server::signing::relying_parties::authenticate(&storage, api_key).await.unwrap();
    assert_eq!(rp.name, "Demo Bank");
    assert!(qoltanba_server::signing::relying_parties::authenticate(&storage, "x").await.is_err());
    let stored: Vec<String> = sqlx::query_scalar("SELECT api_key_hash FROM relying_parties")
        .fetch_all(storage.pool())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], api_key);
    storage.close().await;
}
