//! The client against servers that fail: a closed port, one that never answers, one that answers
//! something other than the API, and scripted failures to check what is retried, how, and what is not.

mod support;

use std::sync::Arc;
use std::time::Duration;

use qoltanba_core::client::{Client, ClientConfig, ClientError, RetryPolicy};
use qoltanba_protocol::{ApiError, EnrollmentState, ErrorCode, ImageType, Session, SmsCode};
use serde_json::json;
use support::stub::{Stub, closed_port, json_reply, reply};
use support::{JPEG, RecordingSleeper, fast_config, key, start_request};
use time::OffsetDateTime;
use uuid::Uuid;

const IIN: &str = "900101300123";

fn client(url: &str, config: &ClientConfig) -> (Client, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::default());
    (Client::new(url, config).unwrap().with_sleeper(sleeper.clone()), sleeper)
}

fn session() -> Session {
    Session {
        id: Uuid::new_v4(),
        state: EnrollmentState::ExpectSelfie { attempts_left: 5, last_rejection: None },
        expires_at: OffsetDateTime::now_utc().replace_nanosecond(0).unwrap(),
    }
}

fn session_reply(status: &str, session: &Session) -> String {
    json_reply(status, &serde_json::to_value(session).unwrap())
}

fn error_reply(status: &str, error: &ApiError) -> String {
    json_reply(status, &serde_json::to_value(error).unwrap())
}

#[tokio::test]
async fn closed_port_is_network_down_after_the_configured_retries() {
    let (client, sleeper) = client(&closed_port().await, &fast_config());

    let error = client.start(&start_request(IIN), &key()).await.unwrap_err();

    assert!(matches!(error, ClientError::NetworkDown { .. }), "{error:?}");
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 2, "3 attempts, 2 waits between them");
    assert!((Duration::from_millis(5)..=Duration::from_millis(10)).contains(&waits[0]), "{waits:?}");
    assert!((Duration::from_millis(10)..=Duration::from_millis(20)).contains(&waits[1]), "{waits:?}");
}

#[tokio::test]
async fn silent_server_times_out_on_every_attempt() {
    let stub = Stub::silent().await;
    let config = ClientConfig { request_timeout: Duration::from_millis(300), ..fast_config() };
    let config = ClientConfig { retry: RetryPolicy { attempts: 2, ..config.retry }, ..config };
    let (client, sleeper) = client(&stub.url, &config);
    let start_key = key();

    let error = client.start(&start_request(IIN), &start_key).await.unwrap_err();

    assert_eq!(error, ClientError::Timeout);
    let received = stub.received();
    assert_eq!(received.len(), 2);
    assert!(received.iter().all(|r| r.header("idempotency-key").as_deref() == Some(start_key.as_str())));
    assert_eq!(sleeper.waits().len(), 1);
}

#[tokio::test]
async fn answers_that_are_not_the_api_are_unexpected_and_not_retried() {
    let cases = [
        (reply("200 OK", &[("Content-Type", "text/plain")], "hello"), 200),
        (reply("404 Not Found", &[("Content-Type", "text/html")], "<h1>nginx</h1>"), 404),
        (json_reply("200 OK", &json!({"id": "not a session"})), 200),
        (reply("302 Found", &[("Location", "http://127.0.0.1:1/")], ""), 302),
        (reply("200 OK", &[], &"x".repeat(2 * 1024 * 1024)), 200),
    ];
    for (answer, status) in cases {
        let stub = Stub::scripted(vec![answer]).await;
        let (client, sleeper) = client(&stub.url, &fast_config());

        let error = client.session(Uuid::new_v4()).await.unwrap_err();

        assert!(
            matches!(error, ClientError::UnexpectedResponse { status: s, .. } if s == status),
            "{error:?}"
        );
        assert_eq!((stub.received().len(), sleeper.waits().len()), (1, 0), "{error:?}");
    }
}

#[tokio::test]
async fn server_failures_are_retried_with_the_same_request_and_key() {
    let expected = session();
    let stub = Stub::scripted(vec![
        error_reply("503 Service Unavailable", &ApiError::new(ErrorCode::Unavailable, "registry down")),
        reply("502 Bad Gateway", &[], ""),
        session_reply("201 Created", &expected),
    ])
    .await;
    let (client, sleeper) = client(&stub.url, &fast_config());
    let start_key = key();

    let started = client.start(&start_request(IIN), &start_key).await.unwrap();

    assert_eq!(started, expected);
    let received = stub.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| *r == received[0]), "every attempt is the same request");
    assert_eq!(received[0].request_line(), "POST /v1/enrollments HTTP/1.1");
    assert_eq!(received[0].header("idempotency-key").as_deref(), Some(start_key.as_str()));
    let body: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(body["iin"], IIN);
    assert_eq!(sleeper.waits().len(), 2);
}

#[tokio::test]
async fn persistent_unavailability_keeps_the_servers_error() {
    let stub = Stub::scripted(vec![error_reply(
        "503 Service Unavailable",
        &ApiError::new(ErrorCode::Unavailable, "CA down"),
    )])
    .await;
    let (client, _) = client(&stub.url, &fast_config());

    let error = client.session(Uuid::new_v4()).await.unwrap_err();

    let ClientError::ServerUnavailable { api: Some(api), .. } = &error else { panic!("{error:?}") };
    assert_eq!(api.detail, "CA down");
    assert_eq!(stub.received().len(), 3);
}

#[tokio::test]
async fn short_retry_after_is_waited_out_exactly() {
    let expected = session();
    let stub = Stub::scripted(vec![
        error_reply("429 Too Many Requests", &ApiError::rate_limited(2)),
        session_reply("200 OK", &expected),
    ])
    .await;
    let (client, sleeper) = client(&stub.url, &fast_config());

    let session = client.resend_sms_code(expected.id, &key()).await.unwrap();

    assert_eq!(session, expected);
    assert_eq!(sleeper.waits(), [Duration::from_secs(2)]);
    let received = stub.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("idempotency-key"), received[1].header("idempotency-key"));
}

#[tokio::test]
async fn long_retry_after_is_returned_at_once() {
    let stub = Stub::scripted(vec![reply("429 Too Many Requests", &[("Retry-After", "120")], "")]).await;
    let (client, sleeper) = client(&stub.url, &fast_config());

    let error = client.resend_sms_code(Uuid::new_v4(), &key()).await.unwrap_err();

    assert_eq!(error, ClientError::RateLimited { retry_after: Some(Duration::from_secs(120)), api: None });
    assert_eq!((stub.received().len(), sleeper.waits().len()), (1, 0));
}

#[tokio::test]
async fn refusals_are_not_retried() {
    let stub =
        Stub::scripted(vec![error_reply("422 Unprocessable Entity", &ApiError::code_mismatch(1))]).await;
    let (client, sleeper) = client(&stub.url, &fast_config());

    let code = SmsCode { code: "123456".into() };
    let error = client.sms_code(Uuid::new_v4(), &code, &key()).await.unwrap_err();

    assert!(matches!(error, ClientError::WrongCode { tries_left: Some(1), .. }), "{error:?}");
    assert_eq!((stub.received().len(), sleeper.waits().len()), (1, 0));
    assert!(!format!("{error:?}{error}").contains("123456"));
}

#[tokio::test]
async fn pictures_go_as_the_raw_body_with_their_type() {
    let expected = session();
    let stub = Stub::scripted(vec![session_reply("200 OK", &expected)]).await;
    let (client, _) = client(&stub.url, &fast_config());

    client.selfie(expected.id, ImageType::Jpeg, JPEG, "selfie-1").await.unwrap();

    let received = stub.received();
    assert_eq!(received[0].request_line(), format!("POST /v1/enrollments/{}/selfie HTTP/1.1", expected.id));
    assert_eq!(received[0].header("content-type").as_deref(), Some("image/jpeg"));
    assert_eq!(received[0].body, JPEG);
}

#[tokio::test]
async fn a_malformed_idempotency_key_sends_nothing() {
    let stub = Stub::scripted(vec![session_reply("200 OK", &session())]).await;
    let (client, _) = client(&stub.url, &fast_config());

    for bad in ["", "two words", "ключ"] {
        let error = client.resend_sms_code(Uuid::new_v4(), bad).await.unwrap_err();
        assert_eq!(error, ClientError::InvalidIdempotencyKey);
    }
    assert!(stub.received().is_empty());
}

#[test]
fn base_url_must_be_http() {
    for bad in ["ftp://example.kz", "not a url", "http://example.kz/?a=b"] {
        assert!(matches!(Client::new(bad, &fast_config()), Err(ClientError::Setup(_))), "{bad}");
    }
}
