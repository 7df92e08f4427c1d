//! The OpenAPI document lists every path with its types and errors, and it is valid: checked by
//! `validate_openapi.py` (the `openapi-spec-validator` Python package) when python3 has it; the test
//! that needs it says so on stderr and skips otherwise (`pip install openapi-spec-validator`).

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use qoltanba_protocol::{ErrorCode, IDEMPOTENCY_KEY_HEADER, openapi, paths};
use serde_json::{Value, json};

fn document() -> Value {
    let text = openapi().to_json().expect("the document serialises");
    serde_json::from_str(&text).expect("the document is JSON")
}

/// (path, method, operation id, success status, request body content type) of every operation.
const OPERATIONS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    (paths::ENROLLMENTS, "post", "start_enrollment", "201", Some("application/json")),
    (paths::ENROLLMENT, "get", "session", "200", None),
    (paths::ENROLLMENT_PHONE, "post", "submit_phone", "200", Some("application/json")),
    (paths::ENROLLMENT_SMS_CODE, "post", "submit_sms_code", "200", Some("application/json")),
    (paths::ENROLLMENT_SMS_CODE_RESEND, "post", "resend_sms_code", "200", None),
    (paths::ENROLLMENT_SELFIE, "post", "upload_selfie", "200", Some("image/jpeg")),
    (paths::ENROLLMENT_ID_CARD_PHOTO, "post", "upload_id_card_photo", "200", Some("image/png")),
    (paths::ENROLLMENT_CONSENT, "post", "submit_consent", "200", Some("application/json")),
    (paths::ENROLLMENT_EMAIL, "post", "submit_email", "200", Some("application/json")),
    (paths::ENROLLMENT_CSRS, "post", "submit_csrs", "200", Some("application/json")),
    (paths::CERTIFICATE_REVOCATION, "post", "revoke_certificate", "200", Some("application/json")),
    (paths::OPERATOR_SESSION, "post", "operator_login", "200", Some("application/json")),
    (paths::OPERATOR_SESSION, "delete", "operator_logout", "204", None),
    (paths::OPERATOR_PHONE_REGISTRATIONS, "get", "phone_registrations", "200", None),
    (
        paths::OPERATOR_PHONE_REGISTRATION_DECISION,
        "post",
        "decide_phone_registration",
        "200",
        Some("application/json"),
    ),
    (paths::OPERATOR_SELFIE_REVIEWS, "get", "selfie_reviews", "200", None),
    (paths::OPERATOR_SELFIE_REVIEW_DECISION, "post", "decide_selfie_review", "200", Some("application/json")),
    (paths::OPERATOR_SELFIE_REVIEW_IMAGE, "get", "selfie_review_image", "200", None),
    (paths::OPERATOR_ID_CARD_PHOTO, "get", "id_card_photo", "200", None),
    (paths::OPERATOR_REGISTRY_PHOTO, "get", "registry_photo", "200", None),
    (paths::OPERATOR_CERTIFICATES, "get", "certificates", "200", None),
    (
        paths::OPERATOR_CERTIFICATE_REVOCATION,
        "post",
        "operator_revoke_certificate",
        "200",
        Some("application/json"),
    ),
    (paths::DEV_SMS, "get", "dev_sms", "200", None),
    (paths::SIGN_REQUESTS, "post", "create_sign_request", "201", Some("application/json")),
    (paths::SIGN_REQUEST, "get", "sign_request", "200", None),
    (paths::DEVICES, "post", "register_device", "201", Some("application/json")),
    (paths::DEVICE_SIGN_REQUESTS, "get", "device_sign_requests", "200", None),
    (paths::DEVICE_EVENTS, "get", "device_events", "200", None),
    (paths::DEVICE_SIGN_REQUEST_APPROVAL, "post", "approve_sign_request", "200", Some("application/json")),
    (paths::DEVICE_SIGN_REQUEST_REFUSAL, "post", "refuse_sign_request", "200", None),
    (paths::LOGIN_SESSIONS, "post", "start_login", "201", None),
    (paths::LOGIN_SESSION, "get", "login_status", "200", None),
    (paths::LOGIN_SESSION_QR, "get", "login_qr", "200", None),
    (paths::LOGIN_SESSION_EVENTS, "get", "login_events", "200", None),
    (paths::LOGIN_SESSION_COMPLETION, "post", "complete_login", "200", None),
    (paths::LOGIN_SCANS, "post", "scan_login_qr", "200", Some("application/json")),
    (paths::LOGIN_SESSION_ANSWER, "post", "answer_login", "200", Some("application/json")),
    (paths::LOGIN_SESSION_REFUSAL, "post", "decline_login", "200", Some("application/json")),
];

fn operations(doc: &Value) -> Vec<(&str, &str, &Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            all.push((path.as_str(), method.as_str(), operation));
        }
    }
    all
}

#[test]
fn is_openapi_3_1_with_exactly_the_listed_operations() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let found: BTreeSet<_> =
        operations(&doc).into_iter().map(|(p, m, _)| (p.to_owned(), m.to_owned())).collect();
    let listed: BTreeSet<_> = OPERATIONS.iter().map(|(p, m, ..)| (p.to_string(), m.to_string())).collect();
    assert_eq!(found, listed);
    for (path, method, id, status, body) in OPERATIONS {
        let operation = &doc["paths"][path][method];
        assert_eq!(operation["operationId"], *id);
        assert!(operation["responses"][status].is_object(), "{id} has no {status}");
        match body {
            Some(content_type) => {
                assert!(operation["requestBody"]["content"][content_type].is_object(), "{id}")
            }
            None => assert!(operation["requestBody"].is_null(), "{id}"),
        }
    }
}

#[test]
fn json_bodies_reference_their_schemas() {
    let doc = document();
    let start = &doc["paths"][paths::ENROLLMENTS]["post"];
    assert_eq!(
        start["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/StartEnrollment"
    );
    assert_eq!(
        start["responses"]["201"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Session"
    );
    let csrs = &doc["paths"][paths::ENROLLMENT_CSRS]["post"];
    assert_eq!(
        csrs["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/CsrPair"
    );
}

#[test]
fn every_post_requires_the_idempotency_key() {
    let doc = document();
    for (path, method, operation) in operations(&doc) {
        let header = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == IDEMPOTENCY_KEY_HEADER);
        match (method, header) {
            ("post", Some(h)) => {
                assert_eq!((&h["in"], &h["required"]), (&json!("header"), &json!(true)), "{path}")
            }
            ("post", None)
                if ["operator_login", "register_device"]
                    .contains(&operation["operationId"].as_str().unwrap_or_default()) => {}
            ("post", None) => panic!("POST {path} lacks {IDEMPOTENCY_KEY_HEADER}"),
            (_, h) => assert!(h.is_none(), "{method} {path} has {IDEMPOTENCY_KEY_HEADER}"),
        }
    }
}

/// The error codes named in a response's description.
fn codes_in(response: &Value) -> Vec<ErrorCode> {
    let text = response["description"].as_str().unwrap_or_default();
    ErrorCode::ALL.into_iter().filter(|c| text.contains(&format!("`{}`", c.name()))).collect()
}

#[test]
fn error_responses_are_api_errors_under_their_codes_status() {
    let doc = document();
    let mut seen = BTreeSet::new();
    for (path, method, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().expect("responses");
        for status in ["500", "503"] {
            assert!(responses.contains_key(status), "{method} {path} lacks {status}");
        }
        for (status, response) in responses.iter().filter(|(s, _)| !s.starts_with('2')) {
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/ApiError", "{method} {path} {status}");
            let codes = codes_in(response);
            assert!(!codes.is_empty(), "{method} {path} {status} names no code");
            for code in codes {
                assert_eq!(code.http_status().to_string(), *status, "{method} {path}: {code}");
                seen.insert(code.name());
            }
        }
    }
    let all: BTreeSet<_> = ErrorCode::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(seen, all, "every code is documented on some operation");
}

#[test]
fn step_errors_are_documented_where_they_happen() {
    let doc = document();
    let sms = &doc["paths"][paths::ENROLLMENT_SMS_CODE]["post"]["responses"];
    assert!(codes_in(&sms["422"]).contains(&ErrorCode::CodeMismatch));
    assert!(codes_in(&sms["403"]).contains(&ErrorCode::TooManyAttempts));
    assert!(codes_in(&sms["409"]).contains(&ErrorCode::WrongState));
    let selfie = &doc["paths"][paths::ENROLLMENT_SELFIE]["post"]["responses"];
    assert_eq!(codes_in(&selfie["413"]), [ErrorCode::PayloadTooLarge]);
    assert_eq!(codes_in(&selfie["415"]), [ErrorCode::UnsupportedMediaType]);
    let resend = &doc["paths"][paths::ENROLLMENT_SMS_CODE_RESEND]["post"]["responses"];
    assert_eq!(codes_in(&resend["429"]), [ErrorCode::RateLimited]);
    let decide = &doc["paths"][paths::OPERATOR_PHONE_REGISTRATION_DECISION]["post"];
    assert_eq!(codes_in(&decide["responses"]["401"]), [ErrorCode::Unauthorized]);
    assert_eq!(decide["security"][0]["operator_session"], json!([]));
}

#[test]
fn every_schema_has_a_pinned_example_and_every_example_a_schema() {
    let doc = document();
    let schemas: BTreeSet<String> =
        doc["components"]["schemas"].as_object().expect("schemas").keys().cloned().collect();
    let examples: BTreeSet<String> = common::cases().iter().map(|c| c.schema.to_owned()).collect();
    assert_eq!(schemas, examples);
}

#[test]
fn documented_limits_match_the_constants() {
    use qoltanba_protocol::limits::*;
    // The schema descriptions say "5 MiB" and "from 1 to 5".
    assert_eq!(MAX_IMAGE_BYTES, 5 * 1024 * 1024);
    assert_eq!(SELFIE_MAX_ATTEMPTS, 5);
    assert_eq!((SMS_CODE_LEN, SMS_CODE_TTL_S, SMS_RESEND_AFTER_S, SMS_MAX_TRIES), (6, 300, 60, 3));
}

/// Examples the schemas must refuse, so the peer check is seen to bite.
fn invalid_examples() -> Vec<Value> {
    vec![
        json!({"schema": "Session", "json": {"id": common::SESSION_ID, "state": {"state": "expect_fingerprint"},
               "expires_at": "2025-03-01T10:15:00Z"}, "valid": false}),
        json!({"schema": "Session", "json": {"id": "not-a-uuid", "state": {"state": "expect_csrs"},
               "expires_at": "2025-03-01T10:15:00Z"}, "valid": false}),
        json!({"schema": "EnrollmentState", "json": {"state": "expect_sms_code"}, "valid": false}),
        json!({"schema": "ApiError", "json": {"code": "teapot", "detail": ""}, "valid": false}),
        json!({"schema": "StartEnrollment", "json": {"iin": "12345", "device": {"platform": "android",
               "os_version": "14", "app_version": "0.1.0"}}, "valid": false}),
        json!({"schema": "Person", "json": {"iin": "900101300123", "surname": "A", "name": "B",
               "birth_date": "01.01.1990"}, "valid": false}),
    ]
}

#[test]
fn a_real_validator_accepts_the_document_and_the_examples() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/validate_openapi.py");
    let present = Command::new("python3").args(["-c", "import openapi_spec_validator"]).output();
    if !present.map(|o| o.status.success()).unwrap_or(false) {
        eprintln!(
            "SKIPPED: python3 with openapi-spec-validator is missing (pip install openapi-spec-validator)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let doc_path = dir.path().join("openapi.json");
    let examples_path = dir.path().join("examples.json");
    std::fs::write(&doc_path, openapi().to_pretty_json().expect("serialises")).expect("write doc");
    let mut examples: Vec<Value> = common::cases()
        .into_iter()
        .map(|c| json!({"schema": c.schema, "json": c.json, "valid": true}))
        .collect();
    examples.extend(invalid_examples());
    std::fs::write(&examples_path, serde_json::to_vec(&examples).expect("examples")).expect("write examples");
    let output = Command::new("python3")
        .arg(script)
        .arg(&doc_path)
        .arg(&examples_path)
        .output()
        .expect("python3 runs");
    let report =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{report}");
    assert!(report.contains(&format!("checked {} examples, 0 unexpected", examples.len())), "{report}");
}
