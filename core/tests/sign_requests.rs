//! Signing requests on the phone against the real server router: a relying party asks, the phone lists
//! the request with the code it computes itself, approves with the PIN and the SIGN key, or refuses; the
//! relying party's long-poll sees the outcome, and openssl verifies the CMS against the CA chain.

mod support;

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_core::signing::{SigningError, Verdict};
use qoltanba_core::store::OperationKind;
use qoltanba_pki::cms::DigestAlgorithm;
use qoltanba_protocol::sign_requests::verification_code;
use qoltanba_protocol::{CreateSignRequest, Platform, SignRequestStatus, SignatureFormat};
use support::signing::{FixedPin, PIN, Phone, relying_party};
use support::stub::{Stub, json_reply};
use support::{TestServer, key};

const IIN: &str = "900101300255";
const DOCUMENT: &[u8] = b"Loan agreement No. 42: 1 000 000 KZT over 24 months";

fn attached(iin: &str) -> CreateSignRequest {
    CreateSignRequest {
        iin: iin.to_owned(),
        data: Some(STANDARD.encode(DOCUMENT)),
        digest: None,
        format: SignatureFormat::Attached,
        display_text: "Loan agreement No. 42".into(),
        callback_url: None,
    }
}

fn digest_only(iin: &str) -> CreateSignRequest {
    CreateSignRequest {
        data: None,
        digest: Some(STANDARD.encode(DigestAlgorithm::Sha256.digest(DOCUMENT))),
        format: SignatureFormat::Detached,
        ..attached(iin)
    }
}

/// `openssl cms -verify` of `signature` (DER) against the CA chain (with `content` for a detached one);
/// returns what openssl printed as the content.
fn openssl_verify(signature: &[u8], chain_pem: &str, content: Option<&[u8]>) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let (sig, ca) = (write("sig.der", signature), write("ca.pem", chain_pem.as_bytes()));
    let mut args = vec!["cms", "-verify", "-binary", "-inform", "DER", "-in", &sig, "-CAfile", &ca];
    args.extend(["-purpose", "any"]);
    let data = content.map(|c| write("data.bin", c));
    if let Some(data) = &data {
        args.extend(["-content", data.as_str()]);
    }
    let out = std::process::Command::new("/usr/bin/openssl").args(&args).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[tokio::test]
async fn approved_request_reaches_the_relying_party_as_a_cms_openssl_verifies_against_the_ca() {
    let server = TestServer::start().await;
    let phone = Phone::enrolled(&server.storage, &support::authority(), IIN).await;
    let bank = relying_party(&server.storage, &server.url).await;
    let pin = FixedPin::new(PIN);
    let mut requests = phone.sign_requests(&server.url, pin.clone());
    let chain = support::authority().chain_pem().to_owned();
    for (request, detached) in [(attached(IIN), false), (digest_only(IIN), true)] {
        let created = bank.create(&request, &key()).await.unwrap();
        let inbox = requests.inbox(Some(Duration::from_secs(5))).await.unwrap();
        let item = inbox.iter().find(|item| item.id == created.id).expect("the request is listed");
        assert_eq!(item.verdict, Verdict::Open);
        assert_eq!(item.verification_code, created.verification_code);
        assert_eq!(item.relying_party, bank_name(&server).await);
        assert_eq!(item.display_text, "Loan agreement No. 42");
        assert_eq!(item.document.size, (!detached).then_some(DOCUMENT.len()));
        assert_eq!(item.document.digest_hex, hex::encode(DigestAlgorithm::Sha256.digest(DOCUMENT)));

        let approved = requests.approve(created.id).await.unwrap();
        let state = bank.state(created.id, Some(Duration::from_secs(5))).await.unwrap();
        assert_eq!(state.status, SignRequestStatus::Signed);
        let signature = STANDARD.decode(state.signature.unwrap()).unwrap();
        assert_eq!(signature, approved.signature);
        let content = openssl_verify(&signature, &chain, detached.then_some(DOCUMENT));
        assert_eq!(content, DOCUMENT, "detached={detached}");
        let signer =
            qoltanba_pki::certificate::parse_certificate(state.signer_certificate.unwrap().as_bytes());
        assert_eq!(signer.unwrap(), phone.sign);
    }
    assert_eq!(pin.times_asked(), 2);
    let history = requests.store().history(0, 10).unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(history.iter().all(|entry| entry.kind == OperationKind::Approved));
    assert_eq!(history[0].detail["relying_party"], bank_name(&server).await);
    assert_eq!(history[0].detail["format"], "detached");
    assert_eq!(history[1].detail["format"], "attached");
}

/// The relying party's name, as registered by [`relying_party`] ("Demo Bank <random>"; the server's own
/// demo bank is "Qoltanba Demo Bank").
async fn bank_name(server: &TestServer) -> String {
    let parties = qoltanba_server::signing::relying_parties::list(&server.storage).await.unwrap();
    parties.into_iter().map(|p| p.name).find(|name| name.starts_with("Demo Bank ")).unwrap()
}

#[tokio::test]
async fn refused_request_ends_refused_and_is_in_the_history() {
    let server = TestServer::start().await;
    let phone = Phone::enrolled(&server.storage, &support::authority(), IIN).await;
    let bank = relying_party(&server.storage, &server.url).await;
    let pin = FixedPin::new(PIN);
    let mut requests = phone.sign_requests(&server.url, pin.clone());
    let created = bank.create(&attached(IIN), &key()).await.unwrap();
    requests.refuse(created.id).await.unwrap();
    let state = bank.state(created.id, Some(Duration::from_secs(5))).await.unwrap();
    assert_eq!(state.status, SignRequestStatus::Refused);
    assert_eq!(state.signature, None);
    assert_eq!(pin.times_asked(), 0, "refusing asks no PIN");
    let history = requests.store().history(0, 10).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].kind, OperationKind::Refused);
    assert_eq!(history[0].detail["request"], created.id.to_string());
    assert_eq!(history[0].detail["verification_code"], created.verification_code);
    assert!(requests.inbox(None).await.unwrap().is_empty());
    let again = requests.refuse(created.id).await;
    assert!(matches!(again, Err(SigningError::NotPending(id)) if id == created.id), "{again:?}");
}

#[tokio::test]
async fn wrong_pin_signs_nothing_and_says_how_many_tries_are_left() {
    let server = TestServer::start().await;
    let phone = Phone::enrolled(&server.storage, &support::authority(), IIN).await;
    let bank = relying_party(&server.storage, &server.url).await;
    let created = bank.create(&attached(IIN), &key()).await.unwrap();
    let mut requests = phone.sign_requests(&server.url, FixedPin::new("0000"));
    let refused = requests.approve(created.id).await;
    assert!(matches!(refused, Err(SigningError::WrongPin { tries_left: 4 })), "{refused:?}");
    assert_eq!(bank.state(created.id, None).await.unwrap().status, SignRequestStatus::Pending);
    assert!(requests.store().history(0, 10).unwrap().is_empty());
    let mut requests = phone.sign_requests(&server.url, FixedPin::new(PIN));
    requests.approve(created.id).await.unwrap();
    assert_eq!(bank.state(created.id, None).await.unwrap().status, SignRequestStatus::Signed);
}

#[tokio::test]
async fn request_whose_announced_code_differs_from_the_digest_is_refused_on_the_phone_before_the_pin() {
    let server = TestServer::start().await;
    let phone = Phone::enrolled(&server.storage, &support::authority(), IIN).await;
    let digest = DigestAlgorithm::Sha256.digest(DOCUMENT);
    let right = verification_code(&digest);
    let wrong = if right == "1234" { "4321" } else { "1234" };
    let expires_at = (time::OffsetDateTime::now_utc() + time::Duration::minutes(2))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let listed = serde_json::json!([{
        "id": uuid::Uuid::new_v4(), "relying_party": "Evil Bank", "display_text": "Loan agreement No. 42",
        "verification_code": wrong, "digest": STANDARD.encode(&digest), "format": "detached",
        "expires_at": expires_at,
    }]);
    let registered = serde_json::json!({ "device_id": uuid::Uuid::new_v4(), "device_token": "t0ken" });
    let stub =
        Stub::scripted(vec![json_reply("201 Created", &registered), json_reply("200 OK", &listed)]).await;
    let pin = FixedPin::new(PIN);
    let mut requests = phone.sign_requests(&stub.url, pin.clone());
    let id = listed[0]["id"].as_str().unwrap().parse().unwrap();
    let refused = requests.approve(id).await;
    assert!(
        matches!(&refused, Err(SigningError::CodeMismatch { announced, computed })
            if announced == wrong && *computed == right),
        "{refused:?}"
    );
    assert_eq!(pin.times_asked(), 0);
    let lines: Vec<String> = stub.received().iter().map(|r| r.request_line().to_owned()).collect();
    assert_eq!(lines.len(), 2, "registration and the list, no approval: {lines:?}");
    assert!(
        lines[0].starts_with("POST /v1/devices ") && lines[1].starts_with("GET /v1/device/sign-requests")
    );
    drop(server);
}

#[tokio::test]
async fn device_registers_once_with_its_auth_key_and_keeps_the_token() {
    let server = TestServer::start().await;
    let phone = Phone::enrolled(&server.storage, &support::authority(), IIN).await;
    let mut requests = phone.sign_requests(&server.url, FixedPin::new(PIN));
    assert!(requests.store().device().unwrap().is_none());
    assert!(requests.inbox(None).await.unwrap().is_empty());
    let device = requests.store().device().unwrap().expect("registered on first use");
    assert_eq!(device.server, server.url);
    let mut reopened = phone.sign_requests(&server.url, FixedPin::new(PIN));
    reopened.inbox(None).await.unwrap();
    assert_eq!(reopened.store().device().unwrap(), Some(device), "the same registration is reused");
}

#[tokio::test]
async fn an_implicit_registration_reports_the_phone_s_platform() {
    let server = TestServer::start().await;
    let phone = Phone::enrolled(&server.storage, &support::authority(), IIN).await;
    let mut requests = phone.sign_requests(&server.url, FixedPin::new(PIN)).on(Platform::Android);
    requests.inbox(None).await.unwrap();
    let mut conn = server.storage.acquire().await.unwrap();
    let devices = qoltanba_server::storage::devices::by_iin(&mut conn, IIN).await.unwrap();
    assert_eq!(devices.iter().map(|d| d.platform).collect::<Vec<_>>(), [Some(Platform::Android)]);
}
