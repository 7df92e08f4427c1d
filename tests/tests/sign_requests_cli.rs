//! Issue 7 with the CLI as the phone: a relying party (registered with `qoltanba-server rp add`) asks a
//! citizen enrolled by `qoltanba enroll` to sign; `qoltanba inbox` shows the request with the code the
//! phone computes, `qoltanba approve` signs it with the SIGN key from the key file, and the relying
//! party's long-poll gets a CMS that `openssl cms -verify` and `qoltanba verify` accept against the CA
//! chain; `qoltanba refuse` ends a request `refused`.

mod support;

use std::process::Command;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_core::client::{Client, ClientConfig, RelyingPartyClient};
use qoltanba_protocol::{CreateSignRequest, SignRequestStatus, SignatureFormat};
use support::{EnrolledPhone, Server, binary, openssl, text};

const DOCUMENT: &[u8] = b"Loan agreement No. 7: 500 000 KZT over 12 months";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

fn request(iin: &str) -> CreateSignRequest {
    CreateSignRequest {
        iin: iin.to_owned(),
        data: Some(STANDARD.encode(DOCUMENT)),
        digest: None,
        format: SignatureFormat::Attached,
        display_text: "Loan agreement No. 7".into(),
        callback_url: None,
    }
}

fn bank(server: &Server) -> RelyingPartyClient {
    let api_key = server.add_relying_party("E2E Bank");
    RelyingPartyClient::new(Client::new(&server.url(), &ClientConfig::default()).unwrap(), &api_key)
}

#[test]
fn cli_approval_reaches_the_relying_party_as_a_cms_openssl_and_qoltanba_verify_against_the_ca() {
    let server = Server::start();
    let phone = EnrolledPhone::enroll(&server, 0);
    let bank = bank(&server);
    let rt = runtime();
    let created = rt.block_on(bank.create(&request(&phone.citizen.iin), "e2e-approve")).unwrap();

    let listed = phone.inbox(&server);
    assert_eq!(listed, [(created.id.to_string(), created.verification_code.clone())]);
    let out = phone.cli(&["approve", &created.id.to_string()]);
    assert!(out.status.success(), "qoltanba approve: {}", text(&out));

    let state = rt.block_on(bank.state(created.id, Some(Duration::from_secs(10)))).unwrap();
    assert_eq!(state.status, SignRequestStatus::Signed);
    let scratch = tempfile::tempdir().unwrap();
    let signature = scratch.path().join("signature.cms");
    std::fs::write(&signature, STANDARD.decode(state.signature.unwrap()).unwrap()).unwrap();
    let (sig, ca) = (signature.to_str().unwrap(), phone.ca.to_str().unwrap());
    let content = openssl(&[
        "cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-CAfile", ca, "-purpose", "any",
    ]);
    assert_eq!(content.as_bytes(), DOCUMENT);
    let verified =
        Command::new(binary("qoltanba")).args(["verify", "--json", "--trust", ca, sig]).output().unwrap();
    assert!(verified.status.success(), "qoltanba verify: {}", text(&verified));
    let report: serde_json::Value = serde_json::from_slice(&verified.stdout).unwrap();
    assert_eq!(report["signature"], "valid");
    assert_eq!(report["chain"], "trusted");
    assert_eq!(report["signers"][0]["iin"], phone.citizen.iin.as_str());
    assert!(phone.inbox(&server).is_empty(), "nothing is pending after the approval");
}

#[test]
fn cli_refusal_ends_the_request_refused() {
    let server = Server::start();
    let phone = EnrolledPhone::enroll(&server, 0);
    let bank = bank(&server);
    let rt = runtime();
    let created = rt.block_on(bank.create(&request(&phone.citizen.iin), "e2e-refuse")).unwrap();
    let out = phone.cli(&["refuse", &created.id.to_string(), "--server", &server.url()]);
    assert!(out.status.success(), "qoltanba refuse: {}", text(&out));
    let state = rt.block_on(bank.state(created.id, Some(Duration::from_secs(10)))).unwrap();
    assert_eq!(state.status, SignRequestStatus::Refused);
    let again = phone.cli(&["approve", &created.id.to_string()]);
    assert_eq!(again.status.code(), Some(2), "approving a refused request: {}", text(&again));
    assert!(String::from_utf8_lossy(&again.stderr).contains("no longer waiting"), "{}", text(&again));
}
