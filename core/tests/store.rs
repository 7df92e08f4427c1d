//! The local store against a real SQLite file: snapshots survive reopening, damage is a typed error,
//! the PIN lockout survives reopening and the PIN never reaches the file, the history pages newest
//! first, and a version-1 database upgrades with its data.

use qoltanba_core::keystore::{CertificatePurpose, KeyId, KeyStorageKind};
use qoltanba_core::store::migrations::MIGRATIONS;
use qoltanba_core::store::{CertificateRecord, OperationKind, PinCheck, Store, StoreError, StoreOptions};
use qoltanba_pki::csr::SubjectName;
use qoltanba_pki::issue::{self, CaIdentity, CaUrls, Profile};
use qoltanba_pki::key;
use qoltanba_pki::signer::{Signer, SoftwareSigner};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::name::Name;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::str::FromStr;
use time::{Duration, OffsetDateTime, macros::datetime};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../pki/tests/data/issue/");

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Enrollment {
    SmsCode { iin: String, tries_left: u8 },
    Done,
}

/// Light Argon2id parameters so that tests are quick (the phone default is 19 MiB, 2 passes).
fn open(path: &std::path::Path) -> Store {
    let options = StoreOptions { pin_hashing: argon2::Params::new(64, 1, 1, None).unwrap() };
    Store::open_with(path, options).unwrap()
}

fn scratch() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("core.sqlite");
    (dir, path)
}

#[test]
fn reopening_after_drop_returns_the_same_snapshot() {
    let (_dir, path) = scratch();
    let mut store = open(&path);
    assert_eq!(store.snapshot::<Enrollment>().unwrap(), None);
    store.save_snapshot(&Enrollment::SmsCode { iin: "123456789011".into(), tries_left: 3 }).unwrap();
    store.save_snapshot(&Enrollment::SmsCode { iin: "123456789011".into(), tries_left: 2 }).unwrap();
    drop(store);
    let mut store = open(&path);
    let expected = Enrollment::SmsCode { iin: "123456789011".into(), tries_left: 2 };
    assert_eq!(store.snapshot::<Enrollment>().unwrap(), Some(expected));
    store.clear_snapshot().unwrap();
    assert_eq!(store.snapshot::<Enrollment>().unwrap(), None);
}

#[test]
fn a_corrupted_or_foreign_snapshot_is_a_typed_error() {
    let (_dir, path) = scratch();
    let mut store = open(&path);
    store.save_snapshot(&json!({"unknown": "shape"})).unwrap();
    assert!(matches!(store.snapshot::<Enrollment>(), Err(StoreError::CorruptSnapshot(_))));
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("UPDATE enrollment SET state = '{\"SmsCode\": {\"iin\": ' WHERE id = 1", []).unwrap();
    drop(raw);
    let store = open(&path);
    assert!(matches!(store.snapshot::<Enrollment>(), Err(StoreError::CorruptSnapshot(_))));
}

#[test]
fn pin_lockout_survives_reopening_and_grows() {
    let (_dir, path) = scratch();
    let now = datetime!(2025-03-01 10:00 UTC);
    let mut store = open(&path);
    store.set_pin("2580").unwrap();
    for tries_left in [4, 3] {
        assert_eq!(store.check_pin("1111", now).unwrap(), PinCheck::Wrong { tries_left });
    }
    drop(store);
    let mut store = open(&path);
    for tries_left in [2, 1] {
        assert_eq!(store.check_pin("1111", now).unwrap(), PinCheck::Wrong { tries_left });
    }
    let until = now + Duration::minutes(1);
    assert_eq!(store.check_pin("1111", now).unwrap(), PinCheck::Locked { until });
    drop(store);

    let mut store = open(&path);
    let soon = now + Duration::seconds(30);
    assert_eq!(store.check_pin("2580", soon).unwrap(), PinCheck::Locked { until }, "even the right PIN");
    let later = until + Duration::seconds(1);
    for tries_left in [4, 3, 2, 1] {
        assert_eq!(store.check_pin("0000", later).unwrap(), PinCheck::Wrong { tries_left });
    }
    let until = later + Duration::minutes(5);
    assert_eq!(
        store.check_pin("0000", later).unwrap(),
        PinCheck::Locked { until },
        "the second lock is longer"
    );

    let after = until + Duration::seconds(1);
    assert_eq!(store.check_pin("2580", after).unwrap(), PinCheck::Correct);
    assert_eq!(store.check_pin("0000", after).unwrap(), PinCheck::Wrong { tries_left: 4 }, "counters reset");
}

#[test]
fn the_database_never_holds_the_pin_digits() {
    let (dir, path) = scratch();
    let mut store = open(&path);
    store.set_pin("7395").unwrap();
    assert_eq!(
        store.check_pin("8162", OffsetDateTime::now_utc()).unwrap(),
        PinCheck::Wrong { tries_left: 4 }
    );
    assert_eq!(store.check_pin("7395", OffsetDateTime::now_utc()).unwrap(), PinCheck::Correct);
    drop(store);

    let raw = rusqlite::Connection::open(&path).unwrap();
    let hash: String = raw.query_row("SELECT hash FROM pin", [], |row| row.get(0)).unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{hash}");
    drop(raw);
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        for pin in [b"7395", b"8162"] {
            assert!(!bytes.windows(4).any(|w| w == pin), "PIN digits found in the database files");
        }
    }
}

#[test]
fn pin_must_be_set_and_be_digits() {
    let (_dir, path) = scratch();
    let mut store = open(&path);
    assert!(!store.has_pin().unwrap());
    assert!(matches!(store.check_pin("1234", OffsetDateTime::now_utc()), Err(StoreError::NoPin)));
    for bad in ["123", "12a4", "1234567890123", "١٢٣٤"] {
        assert!(matches!(store.set_pin(bad), Err(StoreError::InvalidPin)), "{bad}");
    }
    store.set_pin("1234").unwrap();
    assert!(store.has_pin().unwrap());
}

#[test]
fn history_lists_newest_first_in_pages() {
    let (_dir, path) = scratch();
    let mut store = open(&path);
    let t0 = datetime!(2025-03-01 10:00 UTC);
    let times = [t0, t0 + Duration::hours(2), t0 + Duration::hours(1), t0 + Duration::hours(2), t0];
    let mut ids = Vec::new();
    for (i, at) in times.iter().enumerate() {
        ids.push(
            store.record(*at, OperationKind::Signed, &json!({ "document": format!("doc{i}.pdf") })).unwrap(),
        );
    }
    drop(store);
    let store = open(&path);
    let mut seen = Vec::new();
    for offset in [0, 2, 4] {
        let page = store.history(offset, 2).unwrap();
        assert!(page.len() <= 2);
        seen.extend(page);
    }
    let order: Vec<i64> = seen.iter().map(|entry| entry.id).collect();
    assert_eq!(
        order,
        [ids[3], ids[1], ids[2], ids[4], ids[0]],
        "newest first; same time: last recorded first"
    );
    assert_eq!(seen[0].at, t0 + Duration::hours(2));
    assert_eq!(seen[0].detail, json!({ "document": "doc3.pdf" }));
    assert!(store.history(5, 2).unwrap().is_empty());
}

#[test]
fn refuses_an_oversized_history_detail() {
    let (_dir, path) = scratch();
    let mut store = open(&path);
    let detail = json!({ "document": "x".repeat(5000) });
    let err = store.record(OffsetDateTime::now_utc(), OperationKind::Login, &detail).unwrap_err();
    assert!(matches!(err, StoreError::DetailTooLarge));
}

#[test]
fn upgrades_a_version_1_database_and_keeps_its_data() {
    let (_dir, path) = scratch();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(MIGRATIONS[0]).unwrap();
    raw.pragma_update(None, "user_version", 1).unwrap();
    raw.execute("INSERT INTO enrollment (id, state) VALUES (1, '\"Done\"')", []).unwrap();
    raw.execute("INSERT INTO history (at, kind, detail) VALUES (0, 'enrolled', '{}')", []).unwrap();
    drop(raw);

    let mut store = open(&path);
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    assert_eq!(store.snapshot::<Enrollment>().unwrap(), Some(Enrollment::Done));
    let history = store.history(0, 10).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].kind, history[0].at), (OperationKind::Enrolled, OffsetDateTime::UNIX_EPOCH));
    store.set_pin("1234").unwrap();
    assert!(store.certificates().unwrap().is_empty());
}

#[test]
fn refuses_a_database_from_a_newer_app() {
    let (_dir, path) = scratch();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", 99).unwrap();
    drop(raw);
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, supported } if supported == MIGRATIONS.len() as i64)
    );
}

#[test]
fn keeps_certificates_and_their_key_references() {
    let (_dir, path) = scratch();
    let certificate = auth_certificate();
    let key = KeyId("AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d".into());
    let record = CertificateRecord::new(&certificate, key, KeyStorageKind::File).unwrap();
    assert_eq!(record.purpose, CertificatePurpose::Auth);
    assert_eq!(record.subject_iin.as_deref(), Some("123456789011"));
    assert_eq!(record.subject_name.as_deref(), Some("ТЕСТОВ ТЕСТ"));

    let mut store = open(&path);
    store.save_certificate(&record).unwrap();
    drop(store);
    let mut store = open(&path);
    assert_eq!(store.certificates().unwrap(), vec![record.clone()]);
    assert!(store.delete_certificate(&record.serial).unwrap());
    assert!(store.certificates().unwrap().is_empty());
}

/// An AUTH certificate for the pki crate's fixture user key, from a root made of its fixture root key.
fn auth_certificate() -> Certificate {
    let signer = |name: &str| {
        let pem = std::fs::read_to_string(format!("{FIXTURES}{name}.key.pem")).unwrap();
        SoftwareSigner::new(key::private_key_from_pem(&pem, None).unwrap()).unwrap()
    };
    let now = OffsetDateTime::now_utc();
    let root_signer = signer("root");
    let root_name = Name::from_str("CN=Qoltanba Test Root,C=KZ").unwrap();
    let root =
        issue::root(root_name, &root_signer, now - Duration::days(1), now + Duration::days(30)).unwrap();
    let ca = CaIdentity { certificate: &root, signer: &root_signer, urls: CaUrls::default() };
    let subject = SubjectName::new("ТЕСТОВ", "ТЕСТ", "123456789011").to_name().unwrap();
    let user = signer("user").public_key().unwrap();
    issue::issue(&ca, subject, user, Profile::Auth, now - Duration::days(1), now + Duration::days(30))
        .unwrap()
}
