//! The storage layer against SQLite and PostgreSQL: schema, every repository, constraint mapping,
//! compare-and-swap, idempotency, the append-only audit log, seed data and restart safety.

mod support;

use std::str::FromStr;

use qoltanba_pki::iin::Iin;
use qoltanba_protocol::{
    CertificatePurpose, CertificateStatus, RevocationReason, SelfieReviewStatus, TicketStatus,
};
use qoltanba_server::seed;
use qoltanba_server::storage::ca::{self, CaRole};
use qoltanba_server::storage::certificates::{self, CertificateRecord, Revocation};
use qoltanba_server::storage::idempotency::{self, Outcome, StoredResponse};
use qoltanba_server::storage::phones::{self, PhoneRecord};
use qoltanba_server::storage::registry::{self, Citizen};
use qoltanba_server::storage::reviews::{self, Decision, PhoneTicket, SelfieReviewRecord};
use qoltanba_server::storage::sessions::{self, SessionRecord};
use qoltanba_server::storage::uploads::{self, Upload, UploadKind};
use qoltanba_server::storage::{
    ALREADY_DECIDED, Backend, ConflictKind, FOREIGN_KEY, SESSION_VERSION, Storage, StorageError, audit,
    operators, sms,
};
use support::TestDb;
use time::macros::{date, datetime};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const IIN: &str = "850314300125";
const T0: OffsetDateTime = datetime!(2025-03-01 10:00:00 UTC);

fn citizen(iin: &str) -> Citizen {
    Citizen {
        iin: iin.to_owned(),
        surname: "ӘБІЛОВ".into(),
        name: "ҚАНАТ".into(),
        patronymic: Some("СЕРІКҰЛЫ".into()),
        birth_date: date!(1985 - 03 - 14),
        photo: vec![0x89, b'P', b'N', b'G', 0, 0xFF, 0x00, 0x7F],
        photo_content_type: "image/png".into(),
    }
}

fn session(iin: &str) -> SessionRecord {
    SessionRecord {
        id: Uuid::new_v4(),
        iin: iin.to_owned(),
        state: r#"{"state":"expect_sms_code"}"#.into(),
        version: 0,
        created_at: T0,
        updated_at: T0,
        expires_at: T0 + Duration::hours(1),
    }
}

fn certificate(serial: &str, session_id: Option<Uuid>, purpose: CertificatePurpose) -> CertificateRecord {
    CertificateRecord {
        serial: serial.to_owned(),
        iin: IIN.to_owned(),
        purpose,
        session_id,
        not_before: T0,
        not_after: T0 + Duration::days(365),
        der: vec![0x30, 0x82, 0x01, 0x00, 0x00, 0xFF],
        revocation: None,
        created_at: T0,
    }
}

fn assert_conflict<T: std::fmt::Debug>(
    result: Result<T, StorageError>,
    kind: ConflictKind,
    constraint: &str,
) {
    match result {
        Err(StorageError::Conflict { kind: k, constraint: c }) => {
            assert_eq!((k, c.as_str()), (kind, constraint));
        }
        other => panic!("expected a {kind:?} conflict on {constraint}, got {other:?}"),
    }
}

async fn with_session(storage: &Storage) -> SessionRecord {
    let mut conn = storage.acquire().await.unwrap();
    let record = session(IIN);
    sessions::insert(&mut conn, &record).await.unwrap();
    record
}

backend_tests!(
    migrations_create_every_table_empty,
    registry_round_trips_and_refuses_duplicates,
    phones_register_once_per_known_iin,
    sms_outbox_and_codes,
    sessions_compare_and_swap,
    uploads_keep_bytes_exactly,
    phone_tickets_are_decided_once,
    selfie_reviews_count_attempts_and_are_decided_once,
    idempotency_new_replay_mismatch_unfinished,
    idempotency_rolled_back_attempt_leaves_no_record,
    idempotency_concurrent_duplicate_replays,
    certificates_issue_once_per_session_and_revoke_once,
    ca_records_and_crl_numbers,
    operators_accounts_and_sessions,
    audit_log_appends_and_refuses_update_and_delete,
    seed_is_idempotent_with_valid_iins,
    data_survives_reopening,
    a_lock_not_had_in_time_is_busy,
    a_cancelled_begin_leaves_no_transaction_behind,
);

const TABLES: [&str; 19] = [
    "citizens",
    "mobile_phones",
    "sms_outbox",
    "enrollment_sessions",
    "sms_codes",
    "uploads",
    "selfie_reviews",
    "phone_tickets",
    "idempotency_records",
    "certificates",
    "ca_records",
    "crl_numbers",
    "operators",
    "operator_sessions",
    "audit_log",
    "relying_parties",
    "devices",
    "sign_requests",
    "_sqlx_migrations",
];

/// Migrations in each backend's set.
const MIGRATIONS: i64 = 2;

async fn migrations_create_every_table_empty(db: TestDb) {
    for table in TABLES {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(db.storage.pool())
            .await
            .unwrap_or_else(|e| panic!("{table}: {e}"));
        let expected = if table == "_sqlx_migrations" { MIGRATIONS } else { 0 };
        assert_eq!(count, expected, "{table}");
    }
    // Connecting again finds the schema current and changes nothing.
    let again = Storage::connect(&db.url).await.unwrap();
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(again.pool()).await.unwrap();
    assert_eq!(applied, MIGRATIONS);
    again.close().await;
}

async fn registry_round_trips_and_refuses_duplicates(db: TestDb) {
    let mut conn = db.storage.acquire().await.unwrap();
    let person = citizen(IIN);
    registry::insert(&mut conn, &person).await.unwrap();
    let mut without = citizen("010109600107");
    without.patronymic = None;
    registry::insert(&mut conn, &without).await.unwrap();

    assert_eq!(registry::find(&mut conn, IIN).await.unwrap(), Some(person.clone()));
    assert_eq!(registry::find(&mut conn, "010109600107").await.unwrap().unwrap().patronymic, None);
    assert_eq!(registry::find(&mut conn, "000000000000").await.unwrap(), None);
    assert_eq!(registry::count(&mut conn).await.unwrap(), 2);
    let wire = person.person();
    assert_eq!((wire.iin.as_str(), wire.birth_date), (IIN, date!(1985 - 03 - 14)));

    assert_conflict(registry::insert(&mut conn, &person).await, ConflictKind::Unique, "citizens_pkey");
}

async fn phones_register_once_per_known_iin(db: TestDb) {
    let mut conn = db.storage.acquire().await.unwrap();
    registry::insert(&mut conn, &citizen(IIN)).await.unwrap();
    let record = PhoneRecord {
        iin: IIN.into(),
        phone: "+77011234567".into(),
        registered_at: T0,
        registered_by: "operator:aliya".into(),
    };
    assert_eq!(phones::find(&mut conn, IIN).await.unwrap(), None);
    phones::register(&mut conn, &record).await.unwrap();
    assert_eq!(phones::find(&mut conn, IIN).await.unwrap(), Some(record.clone()));

    assert_conflict(phones::register(&mut conn, &record).await, ConflictKind::Unique, "mobile_phones_pkey");
    let unknown = PhoneRecord { iin: "990101300015".into(), ..record };
    assert_conflict(phones::register(&mut conn, &unknown).await, ConflictKind::ForeignKey, FOREIGN_KEY);
}

async fn sms_outbox_and_codes(db: TestDb) {
    let mut conn = db.storage.acquire().await.unwrap();
    let first = sms::send(&mut conn, "+77011234567", sms::SENDER_1414, "Код: 482913", T0).await.unwrap();
    let second = sms::send(&mut conn, "+77020000000", sms::SENDER_1414, "Код: 111111", T0).await.unwrap();
    let third = sms::send(&mut conn, "+77011234567", sms::SENDER_1414, "Код: 222222", T0 + Duration::SECOND)
        .await
        .unwrap();
    assert!(first < second && second < third);
    let mine = sms::outbox(&mut conn, Some("+77011234567")).await.unwrap();
    assert_eq!(mine.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["Код: 482913", "Код: 222222"]);
    assert_eq!(mine[0].wire().sent_at, T0);
    assert_eq!(mine[0].sender, "1414");
    assert_eq!(sms::outbox(&mut conn, None).await.unwrap().len(), 3);

    let session = session(IIN);
    sessions::insert(&mut conn, &session).await.unwrap();
    let code = sms::SmsCode {
        session_id: session.id,
        phone: "+77011234567".into(),
        code_hash: "hash-1".into(),
        sent_at: T0,
        expires_at: T0 + Duration::minutes(5),
        tries_left: 3,
    };
    sms::put_code(&mut conn, &code).await.unwrap();
    assert_eq!(sms::use_try(&mut conn, session.id).await.unwrap(), 2);
    let resent = sms::SmsCode { code_hash: "hash-2".into(), sent_at: T0 + Duration::MINUTE, ..code.clone() };
    sms::put_code(&mut conn, &resent).await.unwrap();
    assert_eq!(sms::code(&mut conn, session.id).await.unwrap(), Some(resent));
    for expected in [2, 1, 0, 0] {
        assert_eq!(sms::use_try(&mut conn, session.id).await.unwrap(), expected);
    }
    sms::delete_code(&mut conn, session.id).await.unwrap();
    assert_eq!(sms::code(&mut conn, session.id).await.unwrap(), None);
    assert!(matches!(sms::use_try(&mut conn, session.id).await, Err(StorageError::NotFound)));

    let orphan = sms::SmsCode { session_id: Uuid::new_v4(), ..code };
    assert_conflict(sms::put_code(&mut conn, &orphan).await, ConflictKind::ForeignKey, FOREIGN_KEY);
}

async fn sessions_compare_and_swap(db: TestDb) {
    let mut conn = db.storage.acquire().await.unwrap();
    let record = session(IIN);
    sessions::insert(&mut conn, &record).await.unwrap();
    let stored = sessions::find(&mut conn, record.id).await.unwrap().unwrap();
    assert_eq!(stored, SessionRecord { version: 1, ..record.clone() });

    let later = T0 + Duration::MINUTE;
    let v2 = sessions::update_state(
        &mut conn,
        record.id,
        1,
        r#"{"state":"expect_selfie"}"#,
        later,
        T0 + Duration::HOUR,
    )
    .await
    .unwrap();
    assert_eq!(v2, 2);
    // A second writer that also read version 1 loses the race.
    let lost = sessions::update_state(&mut conn, record.id, 1, r#"{"state":"failed"}"#, later, later).await;
    assert_conflict(lost, ConflictKind::Stale, SESSION_VERSION);
    let stored = sessions::find(&mut conn, record.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.state.as_str(), stored.version, stored.updated_at, stored.expires_at),
        (r#"{"state":"expect_selfie"}"#, 2, later, T0 + Duration::HOUR),
        "the update moves the expiry too"
    );

    let missing = sessions::update_state(&mut conn, Uuid::new_v4(), 1, "{}", later, later).await;
    assert!(matches!(missing, Err(StorageError::NotFound)), "{missing:?}");
    assert_eq!(sessions::find(&mut conn, Uuid::new_v4()).await.unwrap(), None);
    assert_conflict(
        sessions::insert(&mut conn, &record).await,
        ConflictKind::Unique,
        "enrollment_sessions_pkey",
    );

    let newer = SessionRecord { id: Uuid::new_v4(), created_at: later, ..record.clone() };
    sessions::insert(&mut conn, &newer).await.unwrap();
    let ids: Vec<Uuid> = sessions::by_iin(&mut conn, IIN).await.unwrap().iter().map(|s| s.id).collect();
    assert_eq!(ids, [newer.id, record.id]);
}

async fn uploads_keep_bytes_exactly(db: TestDb) {
    let session = with_session(&db.storage).await;
    let mut conn = db.storage.acquire().await.unwrap();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
    let selfie = Upload {
        id: Uuid::new_v4(),
        session_id: session.id,
        kind: UploadKind::Selfie,
        content_type: "image/jpeg".into(),
        bytes,
        created_at: T0,
    };
    uploads::insert(&mut conn, &selfie).await.unwrap();
    let card = Upload { id: Uuid::new_v4(), kind: UploadKind::IdCard, bytes: vec![0; 3], ..selfie.clone() };
    uploads::insert(&mut conn, &card).await.unwrap();

    assert_eq!(uploads::find(&mut conn, selfie.id).await.unwrap(), Some(selfie.clone()));
    let selfies = uploads::by_session(&mut conn, session.id, UploadKind::Selfie).await.unwrap();
    assert_eq!(selfies.iter().map(|u| u.id).collect::<Vec<_>>(), [selfie.id]);
    assert_eq!(uploads::by_session(&mut conn, session.id, UploadKind::IdCard).await.unwrap(), [card]);
    assert_eq!(uploads::find(&mut conn, Uuid::new_v4()).await.unwrap(), None);

    let orphan = Upload { id: Uuid::new_v4(), session_id: Uuid::new_v4(), ..selfie.clone() };
    assert_conflict(uploads::insert(&mut conn, &orphan).await, ConflictKind::ForeignKey, FOREIGN_KEY);
    assert_conflict(uploads::insert(&mut conn, &selfie).await, ConflictKind::Unique, "uploads_pkey");
}

async fn phone_tickets_are_decided_once(db: TestDb) {
    let session = with_session(&db.storage).await;
    let mut conn = db.storage.acquire().await.unwrap();
    let ticket = PhoneTicket {
        id: Uuid::new_v4(),
        session_id: session.id,
        iin: IIN.into(),
        phone: "+77019998877".into(),
        status: TicketStatus::Pending,
        operator: None,
        reason: None,
        created_at: T0,
        decided_at: None,
    };
    reviews::open_ticket(&mut conn, &ticket).await.unwrap();
    let other = PhoneTicket { id: Uuid::new_v4(), created_at: T0 + Duration::SECOND, ..ticket.clone() };
    reviews::open_ticket(&mut conn, &other).await.unwrap();
    let pending = reviews::tickets(&mut conn, TicketStatus::Pending).await.unwrap();
    assert_eq!(pending, [ticket.clone(), other.clone()]);

    let at = T0 + Duration::MINUTE;
    let reject = Decision {
        status: TicketStatus::Rejected,
        operator: "aliya",
        reason: Some("ID card unreadable"),
        at,
    };
    reviews::decide_ticket(&mut conn, other.id, &reject).await.unwrap();
    let approve = Decision { status: TicketStatus::Approved, operator: "aliya", reason: None, at };
    reviews::decide_ticket(&mut conn, ticket.id, &approve).await.unwrap();
    let decided = reviews::ticket(&mut conn, other.id).await.unwrap().unwrap();
    assert_eq!(
        (decided.status, decided.operator.as_deref(), decided.reason.as_deref(), decided.decided_at),
        (TicketStatus::Rejected, Some("aliya"), Some("ID card unreadable"), Some(at))
    );
    assert!(reviews::tickets(&mut conn, TicketStatus::Pending).await.unwrap().is_empty());
    assert_eq!(reviews::tickets(&mut conn, TicketStatus::Approved).await.unwrap().len(), 1);

    assert_conflict(
        reviews::decide_ticket(&mut conn, ticket.id, &reject).await,
        ConflictKind::Stale,
        ALREADY_DECIDED,
    );
    let missing = reviews::decide_ticket(&mut conn, Uuid::new_v4(), &approve).await;
    assert!(matches!(missing, Err(StorageError::NotFound)), "{missing:?}");
    let orphan = PhoneTicket { id: Uuid::new_v4(), session_id: Uuid::new_v4(), ..ticket };
    assert_conflict(reviews::open_ticket(&mut conn, &orphan).await, ConflictKind::ForeignKey, FOREIGN_KEY);
}

async fn selfie_reviews_count_attempts_and_are_decided_once(db: TestDb) {
    let session = with_session(&db.storage).await;
    let mut conn = db.storage.acquire().await.unwrap();
    let upload = Upload {
        id: Uuid::new_v4(),
        session_id: session.id,
        kind: UploadKind::Selfie,
        content_type: "image/png".into(),
        bytes: vec![1, 2, 3],
        created_at: T0,
    };
    uploads::insert(&mut conn, &upload).await.unwrap();
    let review = SelfieReviewRecord {
        id: Uuid::new_v4(),
        session_id: session.id,
        upload_id: upload.id,
        attempt: 1,
        status: SelfieReviewStatus::Pending,
        operator: None,
        reason: None,
        created_at: T0,
        decided_at: None,
    };
    assert_eq!(reviews::attempts(&mut conn, session.id).await.unwrap(), 0);
    reviews::submit_selfie(&mut conn, &review).await.unwrap();
    assert_eq!(reviews::attempts(&mut conn, session.id).await.unwrap(), 1);
    assert_eq!(reviews::review(&mut conn, review.id).await.unwrap(), Some(review.clone()));
    let same_attempt = SelfieReviewRecord { id: Uuid::new_v4(), ..review.clone() };
    assert_conflict(
        reviews::submit_selfie(&mut conn, &same_attempt).await,
        ConflictKind::Unique,
        "selfie_reviews_session_id_attempt_key",
    );
    let no_upload =
        SelfieReviewRecord { id: Uuid::new_v4(), attempt: 2, upload_id: Uuid::new_v4(), ..review.clone() };
    assert_conflict(
        reviews::submit_selfie(&mut conn, &no_upload).await,
        ConflictKind::ForeignKey,
        FOREIGN_KEY,
    );

    let at = T0 + Duration::MINUTE;
    let reject = Decision {
        status: SelfieReviewStatus::Rejected,
        operator: "aliya",
        reason: Some("face not visible"),
        at,
    };
    reviews::decide_review(&mut conn, review.id, &reject).await.unwrap();
    let accept = Decision { status: SelfieReviewStatus::Accepted, operator: "aliya", reason: None, at };
    assert_conflict(
        reviews::decide_review(&mut conn, review.id, &accept).await,
        ConflictKind::Stale,
        ALREADY_DECIDED,
    );
    let rejected = reviews::reviews(&mut conn, SelfieReviewStatus::Rejected).await.unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!((rejected[0].reason.as_deref(), rejected[0].decided_at), (Some("face not visible"), Some(at)));
    assert!(reviews::reviews(&mut conn, SelfieReviewStatus::Pending).await.unwrap().is_empty());
}

fn response(body: &str) -> StoredResponse {
    StoredResponse { status: 201, content_type: "application/json".into(), body: body.as_bytes().to_vec() }
}

async fn idempotency_new_replay_mismatch_unfinished(db: TestDb) {
    let mut conn = db.storage.acquire().await.unwrap();
    let route = "POST /v1/enrollments";
    assert_eq!(idempotency::begin(&mut conn, "k1", route, "h1", T0).await.unwrap(), Outcome::New);
    // Begun but not finished (outside a transaction): a retry is told so, not replayed.
    assert_eq!(idempotency::begin(&mut conn, "k1", route, "h1", T0).await.unwrap(), Outcome::Unfinished);
    idempotency::finish(&mut conn, "k1", &response(r#"{"id":1}"#), T0).await.unwrap();
    assert_eq!(
        idempotency::begin(&mut conn, "k1", route, "h1", T0).await.unwrap(),
        Outcome::Replay(response(r#"{"id":1}"#))
    );
    assert_eq!(
        idempotency::begin(&mut conn, "k1", route, "other body", T0).await.unwrap(),
        Outcome::Mismatch
    );
    assert_eq!(
        idempotency::begin(&mut conn, "k1", "POST /v1/other", "h1", T0).await.unwrap(),
        Outcome::Mismatch
    );

    assert_conflict(
        idempotency::finish(&mut conn, "k1", &response("again"), T0).await,
        ConflictKind::Stale,
        ALREADY_DECIDED,
    );
    let never = idempotency::finish(&mut conn, "never-begun", &response("x"), T0).await;
    assert!(matches!(never, Err(StorageError::NotFound)), "{never:?}");

    assert_eq!(
        idempotency::begin(&mut conn, "k2", route, "h2", T0 + Duration::DAY).await.unwrap(),
        Outcome::New
    );
    assert_eq!(idempotency::purge(&mut conn, T0 + Duration::HOUR).await.unwrap(), 1);
    assert_eq!(idempotency::begin(&mut conn, "k1", route, "h1", T0).await.unwrap(), Outcome::New);
}

async fn idempotency_rolled_back_attempt_leaves_no_record(db: TestDb) {
    let session = with_session(&db.storage).await;
    let mut tx = db.storage.begin().await.unwrap();
    assert_eq!(idempotency::begin(&mut tx, "k", "POST /x", "h", T0).await.unwrap(), Outcome::New);
    sessions::update_state(&mut tx, session.id, 1, r#"{"state":"failed"}"#, T0, T0).await.unwrap();
    idempotency::finish(&mut tx, "k", &response("done"), T0).await.unwrap();
    tx.rollback().await.unwrap();

    let mut conn = db.storage.acquire().await.unwrap();
    assert_eq!(sessions::find(&mut conn, session.id).await.unwrap().unwrap().version, 1);
    assert_eq!(idempotency::begin(&mut conn, "k", "POST /x", "h", T0).await.unwrap(), Outcome::New);
}

/// Two copies of one request race: the second waits for the first's transaction and replays its response,
/// so the session changes (and certificates are issued) once.
async fn idempotency_concurrent_duplicate_replays(db: TestDb) {
    let session = with_session(&db.storage).await;
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let storage = db.storage.clone();
    let first = tokio::spawn(async move {
        let mut tx = storage.begin().await.unwrap();
        let outcome = idempotency::begin(&mut tx, "k", "POST /csrs", "h", T0).await.unwrap();
        started_tx.send(()).unwrap();
        sessions::update_state(&mut tx, session.id, 1, r#"{"state":"issued"}"#, T0, T0).await.unwrap();
        certificates::insert(&mut tx, &certificate("0A", Some(session.id), CertificatePurpose::Auth))
            .await
            .unwrap();
        idempotency::finish(&mut tx, "k", &response("issued"), T0).await.unwrap();
        tx.commit().await.unwrap();
        outcome
    });
    started_rx.await.unwrap();
    let mut tx = db.storage.begin().await.unwrap();
    let second = idempotency::begin(&mut tx, "k", "POST /csrs", "h", T0).await.unwrap();
    tx.commit().await.unwrap();

    assert_eq!(first.await.unwrap(), Outcome::New);
    assert_eq!(second, Outcome::Replay(response("issued")));
    let mut conn = db.storage.acquire().await.unwrap();
    assert_eq!(certificates::by_session(&mut conn, session.id).await.unwrap().len(), 1);
}

async fn certificates_issue_once_per_session_and_revoke_once(db: TestDb) {
    let session = with_session(&db.storage).await;
    let mut conn = db.storage.acquire().await.unwrap();
    let auth = certificate("7F01", Some(session.id), CertificatePurpose::Auth);
    let sign = certificate("7F02", Some(session.id), CertificatePurpose::Sign);
    let loose = certificate("7F03", None, CertificatePurpose::Sign);
    for cert in [&auth, &sign, &loose] {
        certificates::insert(&mut conn, cert).await.unwrap();
    }
    assert_eq!(certificates::find(&mut conn, "7F01").await.unwrap(), Some(auth.clone()));
    assert_eq!(certificates::by_session(&mut conn, session.id).await.unwrap(), [auth.clone(), sign.clone()]);
    assert_eq!(certificates::by_iin(&mut conn, IIN).await.unwrap().len(), 3);
    assert_eq!(certificates::find(&mut conn, "FFFF").await.unwrap(), None);

    let same_serial = certificate("7F01", None, CertificatePurpose::Sign);
    assert_conflict(
        certificates::insert(&mut conn, &same_serial).await,
        ConflictKind::Unique,
        "certificates_pkey",
    );
    let second_auth = certificate("7F04", Some(session.id), CertificatePurpose::Auth);
    assert_conflict(
        certificates::insert(&mut conn, &second_auth).await,
        ConflictKind::Unique,
        "certificates_session_id_purpose_key",
    );
    let orphan = certificate("7F05", Some(Uuid::new_v4()), CertificatePurpose::Auth);
    assert_conflict(certificates::insert(&mut conn, &orphan).await, ConflictKind::ForeignKey, FOREIGN_KEY);

    let revocation = Revocation { at: T0 + Duration::DAY, reason: RevocationReason::KeyCompromise };
    certificates::revoke(&mut conn, "7F02", revocation).await.unwrap();
    assert_conflict(
        certificates::revoke(&mut conn, "7F02", revocation).await,
        ConflictKind::Stale,
        ALREADY_DECIDED,
    );
    let missing = certificates::revoke(&mut conn, "FFFF", revocation).await;
    assert!(matches!(missing, Err(StorageError::NotFound)), "{missing:?}");

    let revoked = certificates::revoked(&mut conn).await.unwrap();
    assert_eq!(revoked.len(), 1);
    let item = revoked[0].item(T0);
    assert_eq!(
        (item.serial.as_str(), item.status, item.revoked_at, item.revocation_reason),
        ("7F02", CertificateStatus::Revoked, Some(T0 + Duration::DAY), Some(RevocationReason::KeyCompromise))
    );
    assert_eq!(auth.status_at(T0 + Duration::days(366)), CertificateStatus::Expired);
    assert_eq!(auth.status_at(T0), CertificateStatus::Good);
}

async fn ca_records_and_crl_numbers(db: TestDb) {
    let mut conn = db.storage.acquire().await.unwrap();
    assert_eq!(ca::current(&mut conn, CaRole::Root).await.unwrap(), None);
    let root = ca::insert(&mut conn, CaRole::Root, &[0x30, 1, 0], "file:/var/lib/qoltanba/root.key", T0)
        .await
        .unwrap();
    let old = ca::insert(&mut conn, CaRole::Issuing, &[0x30, 1, 1], "pkcs11:token=old", T0).await.unwrap();
    let new =
        ca::insert(&mut conn, CaRole::Issuing, &[0x30, 1, 2], "pkcs11:token=qoltanba;object=issuing", T0)
            .await
            .unwrap();
    assert!(root < old && old < new);
    let issuing = ca::current(&mut conn, CaRole::Issuing).await.unwrap().unwrap();
    assert_eq!(
        (issuing.id, issuing.certificate_der.as_slice(), issuing.key_reference.as_str()),
        (new, &[0x30, 1, 2][..], "pkcs11:token=qoltanba;object=issuing")
    );
    assert_eq!(ca::current(&mut conn, CaRole::Root).await.unwrap().unwrap().id, root);
    assert_eq!(ca::all(&mut conn).await.unwrap().len(), 3);

    assert_eq!(ca::latest_crl(&mut conn).await.unwrap(), None);
    let first = ca::next_crl_number(&mut conn, T0).await.unwrap();
    // A number taken in a rolled-back transaction is not handed out again.
    let mut tx = db.storage.begin().await.unwrap();
    let abandoned = ca::next_crl_number(&mut tx, T0).await.unwrap();
    tx.rollback().await.unwrap();
    let second = ca::next_crl_number(&mut conn, T0).await.unwrap();
    assert!(first >= 1 && first < abandoned && abandoned <= second, "{first} {abandoned} {second}");
    ca::store_crl(&mut conn, first, b"crl-1").await.unwrap();
    ca::store_crl(&mut conn, second, b"crl-2").await.unwrap();
    let latest = ca::latest_crl(&mut conn).await.unwrap().unwrap();
    assert_eq!((latest.number, latest.der.as_slice()), (second, &b"crl-2"[..]));
    assert!(matches!(ca::store_crl(&mut conn, second + 100, b"x").await, Err(StorageError::NotFound)));
}

async fn operators_accounts_and_sessions(db: TestDb) {
    let mut conn = db.storage.acquire().await.unwrap();
    let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";
    let id = operators::create(&mut conn, "aliya", hash, T0).await.unwrap();
    operators::create(&mut conn, "bolat", hash, T0).await.unwrap();
    assert_conflict(
        operators::create(&mut conn, "aliya", hash, T0).await,
        ConflictKind::Unique,
        "operators_username_key",
    );
    let aliya = operators::by_username(&mut conn, "aliya").await.unwrap().unwrap();
    assert_eq!((aliya.id, aliya.password_hash.as_str()), (id, hash));
    assert!(!format!("{aliya:?}").contains("argon2"));
    assert_eq!(operators::all(&mut conn).await.unwrap().len(), 2);

    let login = operators::OperatorSession {
        token_hash: "token-hash".into(),
        operator_id: id,
        csrf_token: "csrf".into(),
        created_at: T0,
        expires_at: T0 + Duration::HOUR,
    };
    operators::open_session(&mut conn, &login).await.unwrap();
    let (found, who) = operators::session(&mut conn, "token-hash", T0).await.unwrap().unwrap();
    assert_eq!((found.csrf_token.as_str(), who.username.as_str()), ("csrf", "aliya"));
    assert!(operators::session(&mut conn, "token-hash", T0 + Duration::HOUR).await.unwrap().is_none());
    assert!(operators::session(&mut conn, "unknown", T0).await.unwrap().is_none());
    let orphan = operators::OperatorSession { token_hash: "t2".into(), operator_id: 9999, ..login.clone() };
    assert_conflict(operators::open_session(&mut conn, &orphan).await, ConflictKind::ForeignKey, FOREIGN_KEY);

    operators::set_password(&mut conn, "aliya", "$argon2id$new").await.unwrap();
    assert!(operators::session(&mut conn, "token-hash", T0).await.unwrap().is_none());
    assert!(matches!(operators::set_password(&mut conn, "nobody", "x").await, Err(StorageError::NotFound)));

    operators::open_session(&mut conn, &login).await.unwrap();
    operators::close_session(&mut conn, "token-hash").await.unwrap();
    assert!(operators::session(&mut conn, "token-hash", T0).await.unwrap().is_none());
    let expired = operators::OperatorSession { token_hash: "old".into(), expires_at: T0, ..login.clone() };
    operators::open_session(&mut conn, &expired).await.unwrap();
    assert_eq!(operators::purge_sessions(&mut conn, T0).await.unwrap(), 1);

    operators::open_session(&mut conn, &login).await.unwrap();
    operators::delete(&mut conn, "aliya").await.unwrap();
    assert!(operators::session(&mut conn, "token-hash", T0).await.unwrap().is_none());
    assert!(matches!(operators::delete(&mut conn, "aliya").await, Err(StorageError::NotFound)));
}

async fn audit_log_appends_and_refuses_update_and_delete(db: TestDb) {
    let mut conn = db.storage.acquire().await.unwrap();
    let details = serde_json::json!({"phone": "+77011234567", "ticket": 1});
    let entry = audit::NewAuditEntry {
        at: T0,
        actor: "operator:aliya",
        action: "phone_registration.approved",
        subject: IIN,
        details: &details,
    };
    let first = audit::append(&mut conn, &entry).await.unwrap();
    let other = audit::NewAuditEntry { subject: "7F01", action: "certificate.issued", ..entry.clone() };
    let second = audit::append(&mut conn, &other).await.unwrap();
    assert!(first < second);
    let about = audit::by_subject(&mut conn, IIN).await.unwrap();
    assert_eq!(about.len(), 1);
    assert_eq!((about[0].actor.as_str(), &about[0].details, about[0].at), ("operator:aliya", &details, T0));
    let recent = audit::recent(&mut conn, 1).await.unwrap();
    assert_eq!(recent.iter().map(|e| e.id).collect::<Vec<_>>(), [second]);

    let update = sqlx::query("UPDATE audit_log SET actor = 'mallory' WHERE id = $1")
        .bind(first)
        .execute(&mut *conn)
        .await;
    let delete = sqlx::query("DELETE FROM audit_log WHERE id = $1").bind(first).execute(&mut *conn).await;
    let delete_all = sqlx::query("DELETE FROM audit_log").execute(&mut *conn).await;
    for refused in [update, delete, delete_all] {
        let message = format!("{:?}", refused.expect_err("the audit log must refuse changes"));
        assert!(message.contains("append-only"), "{message}");
    }
    if db.backend == Backend::Postgres {
        let truncate = sqlx::query("TRUNCATE audit_log").execute(&mut *conn).await;
        assert!(format!("{truncate:?}").contains("append-only"), "{truncate:?}");
    }
    let all = audit::recent(&mut conn, 10).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|e| e.actor == "operator:aliya"));
}

async fn seed_is_idempotent_with_valid_iins(db: TestDb) {
    let first = seed::load(&db.storage).await.unwrap();
    assert_eq!(first, seed::SeedReport { citizens_added: 5, phones_added: 3 });
    let second = seed::load(&db.storage).await.unwrap();
    assert_eq!(second, seed::SeedReport::default());

    let mut conn = db.storage.acquire().await.unwrap();
    assert_eq!(registry::count(&mut conn).await.unwrap(), 5);
    let mut with_phone = 0;
    for (expected, phone) in seed::demo_records() {
        let stored = registry::find(&mut conn, &expected.iin).await.unwrap().expect("seeded");
        Iin::from_str(&stored.iin).unwrap_or_else(|e| panic!("{}: {e}", stored.iin));
        let birth = stored.birth_date;
        let yymmdd = format!("{:02}{:02}{:02}", birth.year() % 100, u8::from(birth.month()), birth.day());
        assert_eq!(&stored.iin[..6], yymmdd);
        let century = if birth.year() >= 2000 { ['5', '6'] } else { ['3', '4'] };
        assert!(century.contains(&stored.iin.chars().nth(6).unwrap()), "{}", stored.iin);
        assert!(stored.photo.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(stored.photo_content_type, "image/png");
        let registered = phones::find(&mut conn, &stored.iin).await.unwrap();
        assert_eq!(registered.as_ref().map(|r| r.phone.as_str()), phone);
        with_phone += usize::from(registered.is_some());
    }
    assert_eq!(with_phone, 3);
    let abilov = &seed::demo_records()[0].0;
    assert_eq!((abilov.surname.as_str(), abilov.name.as_str()), ("ӘБІЛОВ", "ҚАНАТ"));
}

async fn data_survives_reopening(db: TestDb) {
    let session = with_session(&db.storage).await;
    {
        let mut conn = db.storage.acquire().await.unwrap();
        registry::insert(&mut conn, &citizen(IIN)).await.unwrap();
        sessions::update_state(&mut conn, session.id, 1, r#"{"state":"expect_selfie"}"#, T0, T0)
            .await
            .unwrap();
        certificates::insert(&mut conn, &certificate("0B", Some(session.id), CertificatePurpose::Sign))
            .await
            .unwrap();
    }
    let reopened = db.reopen().await;
    let mut conn = reopened.acquire().await.unwrap();
    assert_eq!(registry::find(&mut conn, IIN).await.unwrap(), Some(citizen(IIN)));
    let stored = sessions::find(&mut conn, session.id).await.unwrap().unwrap();
    assert_eq!((stored.version, stored.state.as_str()), (2, r#"{"state":"expect_selfie"}"#));
    assert_eq!(certificates::find(&mut conn, "0B").await.unwrap().unwrap().purpose, CertificatePurpose::Sign);
    drop(conn);
    reopened.close().await;
}

/// A statement that cannot get its lock in time is [`StorageError::Busy`] (which the web layer answers with
/// `503 unavailable` and `Retry-After`), not a generic failure: on SQLite after the 5 s busy timeout behind
/// another writer, on PostgreSQL after `lock_timeout` behind a table lock.
async fn a_lock_not_had_in_time_is_busy(db: TestDb) {
    let mut holder = db.storage.begin().await.unwrap();
    let error = match db.backend {
        Backend::Sqlite => db.storage.begin().await.err(),
        Backend::Postgres => {
            sqlx::query("LOCK TABLE citizens IN ACCESS EXCLUSIVE MODE").execute(&mut *holder).await.unwrap();
            let mut waiter = db.storage.begin().await.unwrap();
            sqlx::query("SET LOCAL lock_timeout = '100ms'").execute(&mut *waiter).await.unwrap();
            let counted = sqlx::query("SELECT count(*) FROM citizens").fetch_one(&mut *waiter).await;
            counted.err().map(StorageError::from)
        }
    };
    assert!(matches!(error, Some(StorageError::Busy(_))), "{error:?}");
    holder.rollback().await.unwrap();
    assert!(db.storage.begin().await.is_ok(), "free again once the holder is done");
}

/// A `begin` dropped while it waits for the lock (a handler whose client went away) must not leave its
/// connection inside a transaction: once the holder is done, every later transaction gets the lock.
async fn a_cancelled_begin_leaves_no_transaction_behind(db: TestDb) {
    let holder = db.storage.begin().await.unwrap();
    let waiting = tokio::time::timeout(std::time::Duration::from_millis(300), db.storage.begin()).await;
    assert!(waiting.is_err() || db.backend == Backend::Postgres, "SQLite's second writer waits");
    drop(waiting);
    holder.rollback().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // Every pooled connection in turn (a leaked transaction either holds the lock or refuses a BEGIN).
    for _ in 0..8 {
        let tx = db.storage.begin().await.expect("the lock is free again");
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn sqlite_file_is_created_in_wal_mode_with_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let storage = Storage::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    assert!(path.exists());
    assert_eq!(storage.backend(), Backend::Sqlite);
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(storage.pool()).await.unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(storage.pool()).await.unwrap();
    assert_eq!(fk, 1);
    storage.close().await;
}

#[tokio::test]
async fn rejects_unsupported_database_urls() {
    for url in ["mysql://localhost/db", "file.db", ""] {
        assert!(matches!(Storage::connect(url).await, Err(StorageError::UnsupportedUrl)), "{url}");
    }
}

#[test]
fn test_database_url_replaces_only_the_name() {
    assert_eq!(
        support::with_database("postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable", "t1"),
        "postgres://u:p@127.0.0.1:5432/t1?sslmode=disable"
    );
    assert_eq!(support::with_database("postgres://u@h", "t2"), "postgres://u@h/t2");
}
