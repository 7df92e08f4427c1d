//! The operator client's requests on the wire, checked against a stub (tests/driver.rs uses the client
//! against the reference server's operator routes): the session cookie and CSRF token go with every call
//! after login, a decision carries an idempotency key kept across retries, the login none.

mod support;

use std::sync::Arc;

use qoltanba_core::client::{Client, ClientError, OperatorClient};
use qoltanba_protocol::{PhoneRegistrationTicket, TicketDecision, TicketStatus};
use serde_json::json;
use support::stub::{Stub, json_reply, reply};
use support::{RecordingSleeper, fast_config};
use time::OffsetDateTime;
use uuid::Uuid;

fn login_reply() -> String {
    let body = json!({"username": "aigerim", "csrf_token": "csrf-1", "expires_at": "2030-01-01T00:00:00Z"});
    reply(
        "200 OK",
        &[
            ("Content-Type", "application/json"),
            ("Set-Cookie", "qoltanba_operator=token-1; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800"),
        ],
        &body.to_string(),
    )
}

fn ticket() -> PhoneRegistrationTicket {
    PhoneRegistrationTicket {
        id: Uuid::new_v4(),
        session_id: Uuid::new_v4(),
        iin: "900101300123".into(),
        phone: "+77015550101".into(),
        registry_photo_url: "/v1/operator/people/900101300123/photo".into(),
        created_at: OffsetDateTime::UNIX_EPOCH,
        status: TicketStatus::Approved,
        decided_at: Some(OffsetDateTime::UNIX_EPOCH),
        reason: None,
    }
}

#[tokio::test]
async fn decisions_carry_the_session_cookie_csrf_token_and_one_key() {
    let decided = ticket();
    let stub = Stub::scripted(vec![
        login_reply(),
        reply("503 Service Unavailable", &[], ""),
        json_reply("200 OK", &serde_json::to_value(&decided).unwrap()),
    ])
    .await;
    let client =
        Client::new(&stub.url, &fast_config()).unwrap().with_sleeper(Arc::new(RecordingSleeper::default()));
    let operator = OperatorClient::login(&client, "aigerim", "correct horse battery").await.unwrap();
    assert!(!format!("{operator:?}").contains("token-1") && !format!("{operator:?}").contains("csrf-1"));

    let approve = TicketDecision::Approve { sms_code: "482913".into() };
    let answer = operator.decide_phone_registration(decided.id, &approve).await.unwrap();

    assert_eq!(answer, decided);
    let received = stub.received();
    assert_eq!(received[0].request_line(), "POST /v1/operator/session HTTP/1.1");
    assert_eq!(received[0].header("idempotency-key"), None);
    let login: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(login, json!({"username": "aigerim", "password": "correct horse battery"}));
    let (first, retry) = (&received[1], &received[2]);
    assert_eq!(first, retry, "the retry is the same request");
    let path = format!("POST /v1/operator/phone-registrations/{}/decision HTTP/1.1", decided.id);
    assert_eq!(first.request_line(), path);
    assert_eq!(first.header("cookie").as_deref(), Some("qoltanba_operator=token-1"));
    assert_eq!(first.header("x-csrf-token").as_deref(), Some("csrf-1"));
    assert!(first.header("idempotency-key").is_some_and(|k| Uuid::parse_str(&k).is_ok()));
    let body: serde_json::Value = serde_json::from_slice(&first.body).unwrap();
    assert_eq!(body, json!({"decision": "approve", "sms_code": "482913"}));
}

#[tokio::test]
async fn a_login_without_session_cookie_is_unexpected() {
    let body = json!({"username": "aigerim", "csrf_token": "csrf-1", "expires_at": "2030-01-01T00:00:00Z"});
    let stub = Stub::scripted(vec![json_reply("200 OK", &body)]).await;
    let client = Client::new(&stub.url, &fast_config()).unwrap();

    let error = OperatorClient::login(&client, "aigerim", "correct horse battery").await.unwrap_err();

    assert!(matches!(error, ClientError::UnexpectedResponse { status: 200, .. }), "{error:?}");
}
