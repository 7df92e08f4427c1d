//! The client against the real reference server (in-process on a loopback port, seeded SQLite, `--dev`):
//! the enrollment walked step by step, typed refusals, and a retried request that the server sees once.

mod support;

use qoltanba_core::client::{ClientError, OperatorClient};
use qoltanba_protocol::{
    Consent, EmailAddress, EnrollmentState, ErrorCode, ImageType, PhoneNumber, SelfieReviewStatus, SmsCode,
};
use qoltanba_server::storage::reviews;
use support::stub::Stub;
use support::{
    JPEG, PNG, TestServer, citizen_with_phone, citizen_without_phone, client_of, fixture_csrs, key,
    start_request,
};
use uuid::Uuid;

/// A wrong code that differs from `code` in its last digit.
fn wrong(code: &SmsCode) -> SmsCode {
    let mut digits = code.code.clone();
    let last = if digits.ends_with('0') { '1' } else { '0' };
    digits.pop();
    digits.push(last);
    SmsCode { code: digits }
}

async fn pending_review(server: &TestServer, session: Uuid) -> Uuid {
    let mut conn = server.storage.acquire().await.unwrap();
    let pending = reviews::reviews(&mut conn, SelfieReviewStatus::Pending).await.unwrap();
    pending.into_iter().find(|r| r.session_id == session).expect("a pending review").id
}

#[tokio::test]
async fn walks_a_registered_phone_enrollment_to_issued_certificates() {
    let server = TestServer::start().await;
    let client = server.client();
    let (citizen, phone) = citizen_with_phone();

    let session = client.start(&start_request(&citizen.iin), &key()).await.unwrap();
    assert!(matches!(session.state, EnrollmentState::ExpectSmsCode { tries_left: 3, .. }), "{session:?}");
    let code = client.dev_sms(&phone).await.unwrap();
    assert!(code.is_well_formed());

    let refused = client.sms_code(session.id, &wrong(&code), &key()).await.unwrap_err();
    assert!(matches!(refused, ClientError::WrongCode { tries_left: Some(2), .. }), "{refused:?}");
    assert_eq!(refused.api_error().map(|e| e.code), Some(ErrorCode::CodeMismatch));

    let session = client.sms_code(session.id, &code, &key()).await.unwrap();
    assert!(matches!(session.state, EnrollmentState::ExpectSelfie { attempts_left: 5, .. }), "{session:?}");
    let session = client.selfie(session.id, ImageType::Jpeg, JPEG, &key()).await.unwrap();
    assert_eq!(session.state, EnrollmentState::SelfieUnderReview);
    assert_eq!(client.session(session.id).await.unwrap().state, EnrollmentState::SelfieUnderReview);

    // The operator accepts through the RA (tests/driver.rs takes the operator's part over HTTP).
    let accept = qoltanba_protocol::ReviewDecision::Approve;
    server
        .ra
        .decide_selfie("aigerim", pending_review(&server, session.id).await, &accept, None)
        .await
        .unwrap();
    assert_eq!(client.session(session.id).await.unwrap().state, EnrollmentState::ExpectIdCardPhoto);

    let session = client.id_card_photo(session.id, ImageType::Png, PNG, &key()).await.unwrap();
    assert_eq!(session.state, EnrollmentState::ExpectConsent);
    let session = client.consent(session.id, Consent { accepted: true }, &key()).await.unwrap();
    let EnrollmentState::ExpectEmail { person } = &session.state else { panic!("{session:?}") };
    assert_eq!(
        (person.iin.as_str(), person.surname.as_str()),
        (citizen.iin.as_str(), citizen.surname.as_str())
    );
    let email = EmailAddress { email: "qanat@example.kz".into() };
    let session = client.email(session.id, &email, &key()).await.unwrap();
    assert_eq!(session.state, EnrollmentState::ExpectCsrs);

    let csrs = fixture_csrs();
    let csrs_key = key();
    let issued = client.csrs(session.id, &csrs, &csrs_key).await.unwrap();
    let EnrollmentState::Issued { certificates } = &issued.state else { panic!("{issued:?}") };
    assert!(certificates.auth_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    assert_ne!(certificates.auth_serial, certificates.sign_serial);
    let replayed = client.csrs(session.id, &csrs, &csrs_key).await.unwrap();
    assert_eq!(replayed, issued, "the retried step answers the same certificates");
}

#[tokio::test]
async fn unregistered_phone_waits_for_the_operator_ticket() {
    let server = TestServer::start().await;
    let client = server.client();
    let citizen = citizen_without_phone();
    let session = client.start(&start_request(&citizen.iin), &key()).await.unwrap();
    assert_eq!(session.state, EnrollmentState::ExpectPhoneNumber);

    let bad = client.phone(session.id, &PhoneNumber { phone: "8 701".into() }, &key()).await.unwrap_err();
    assert!(matches!(&bad, ClientError::InvalidInput(api) if api.code == ErrorCode::InvalidInput), "{bad:?}");
    let phone = PhoneNumber { phone: "+77015550101".into() };
    let session = client.phone(session.id, &phone, &key()).await.unwrap();
    assert!(matches!(session.state, EnrollmentState::ExpectPhoneRegistration { .. }), "{session:?}");
    assert!(client.dev_sms(&phone.phone).await.unwrap().is_well_formed());
}

#[tokio::test]
async fn a_post_retried_after_a_lost_answer_is_done_once() {
    let server = TestServer::start().await;
    let proxy = Stub::losing_first_answer(&server.url).await;
    let (citizen, phone) = citizen_with_phone();
    let start_key = key();

    let session = client_of(&proxy.url).start(&start_request(&citizen.iin), &start_key).await.unwrap();

    let sent = proxy.received();
    assert_eq!(sent.len(), 2, "the lost answer made the client send again");
    assert_eq!(sent[0], sent[1], "the same request, idempotency key included");
    assert_eq!(sent[1].header("idempotency-key").as_deref(), Some(start_key.as_str()));
    let client = server.client();
    assert_eq!(client.dev_outbox(&phone).await.unwrap().len(), 1, "one enrollment started, one SMS sent");
    let again = client.start(&start_request(&citizen.iin), &start_key).await.unwrap();
    assert_eq!(again.id, session.id);
}

#[tokio::test]
async fn early_resend_is_rate_limited_with_its_retry_after() {
    let server = TestServer::start().await;
    let client = server.client();
    let (citizen, phone) = citizen_with_phone();
    let session = client.start(&start_request(&citizen.iin), &key()).await.unwrap();

    let error = client.resend_sms_code(session.id, &key()).await.unwrap_err();

    let ClientError::RateLimited { retry_after: Some(wait), api: Some(api) } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code, ErrorCode::RateLimited);
    assert!(wait.as_secs() > 50 && wait.as_secs() <= 60, "{wait:?}");
    assert_eq!(client.dev_outbox(&phone).await.unwrap().len(), 1, "no second code was sent");
}

#[tokio::test]
async fn third_wrong_code_is_too_many_attempts() {
    let server = TestServer::start().await;
    let client = server.client();
    let (citizen, phone) = citizen_with_phone();
    let session = client.start(&start_request(&citizen.iin), &key()).await.unwrap();
    let wrong_code = wrong(&client.dev_sms(&phone).await.unwrap());
    let mut left = Vec::new();
    for _ in 0..2 {
        match client.sms_code(session.id, &wrong_code, &key()).await {
            Err(ClientError::WrongCode { tries_left, .. }) => left.push(tries_left),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(left, [Some(2), Some(1)]);
    let error = client.sms_code(session.id, &wrong_code, &key()).await.unwrap_err();
    assert!(matches!(error, ClientError::TooManyAttempts(_)), "{error:?}");
}

#[tokio::test]
async fn out_of_order_step_names_the_state_the_session_is_in() {
    let server = TestServer::start().await;
    let client = server.client();
    let (citizen, _) = citizen_with_phone();
    let session = client.start(&start_request(&citizen.iin), &key()).await.unwrap();

    let error = client.consent(session.id, Consent { accepted: true }, &key()).await.unwrap_err();

    let ClientError::WrongState { expected_state, .. } = &error else { panic!("{error:?}") };
    assert_eq!(expected_state.as_deref(), Some("expect_sms_code"));
}

#[tokio::test]
async fn typed_refusals_for_bad_iin_unknown_session_and_reused_key() {
    let server = TestServer::start().await;
    let client = server.client();
    let bad_iin = client.start(&start_request("123456789012"), &key()).await.unwrap_err();
    assert!(
        matches!(&bad_iin, ClientError::InvalidInput(api) if api.code == ErrorCode::InvalidIin),
        "{bad_iin:?}"
    );
    let unknown = client.session(Uuid::new_v4()).await.unwrap_err();
    assert!(matches!(&unknown, ClientError::Refused(api) if api.code == ErrorCode::NotFound), "{unknown:?}");

    let (citizen, _) = citizen_with_phone();
    let reused = key();
    client.start(&start_request(&citizen.iin), &reused).await.unwrap();
    let other = citizen_without_phone();
    let clash = client.start(&start_request(&other.iin), &reused).await.unwrap_err();
    assert!(matches!(&clash, ClientError::Refused(api) if api.code == ErrorCode::Conflict), "{clash:?}");
}

#[tokio::test]
async fn operator_logs_in_and_a_wrong_password_is_refused() {
    let server = TestServer::start().await;
    server.add_operator("aigerim", "correct horse battery").await;
    let client = server.client();

    let refused = OperatorClient::login(&client, "aigerim", "wrong horse battery").await.unwrap_err();
    assert!(
        matches!(&refused, ClientError::Refused(api) if api.code == ErrorCode::Unauthorized),
        "{refused:?}"
    );
    assert!(!format!("{refused:?}{refused}").contains("horse"));

    let operator = OperatorClient::login(&client, "aigerim", "correct horse battery").await.unwrap();
    assert_eq!(operator.username(), "aigerim");
    assert!(operator.expires_at() > time::OffsetDateTime::now_utc());
    operator.logout().await.unwrap();
}
