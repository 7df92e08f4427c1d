//! The wire format is pinned: every API type serialises to exactly the JSON in `common/mod.rs` and that
//! JSON parses back to the same value.

mod common;

use qoltanba_protocol::certificates::CertificateQuery;
use qoltanba_protocol::dev::SmsQuery;
use qoltanba_protocol::{ApiError, EnrollmentState, ErrorCode, Session};
use serde_json::json;

#[test]
fn every_type_serialises_to_its_pinned_json() {
    for case in common::cases() {
        assert_eq!(case.serialized, case.json, "{}", case.schema);
    }
}

#[test]
fn every_pinned_json_parses_back_to_its_value() {
    for case in common::cases() {
        assert_eq!(case.parses_back, Ok(true), "{}: {}", case.schema, case.json);
    }
}

#[test]
fn state_names_are_the_wire_tags() {
    for case in common::cases().into_iter().filter(|c| c.schema == "EnrollmentState") {
        let state: EnrollmentState = serde_json::from_value(case.json.clone()).unwrap();
        assert_eq!(case.json["state"], state.name());
    }
}

#[test]
fn every_state_has_a_pinned_example() {
    let mut names: Vec<&str> = common::cases()
        .into_iter()
        .filter(|c| c.schema == "EnrollmentState")
        .map(|c| serde_json::from_value::<EnrollmentState>(c.json).unwrap().name())
        .collect();
    names.dedup();
    assert_eq!(names.len(), 11, "{names:?}");
}

#[test]
fn rejects_an_unknown_state() {
    let json = json!({"id": common::SESSION_ID, "state": {"state": "expect_fingerprint"},
                      "expires_at": "2025-03-01T10:15:00Z"});
    assert!(serde_json::from_value::<Session>(json).is_err());
}

#[test]
fn rejects_times_that_are_not_rfc3339() {
    for at in ["2025-03-01 10:15:00", "1740824100", "2025-03-01T10:15:00"] {
        let json = json!({"id": common::SESSION_ID, "state": {"state": "expect_csrs"}, "expires_at": at});
        assert!(serde_json::from_value::<Session>(json).is_err(), "{at}");
    }
}

#[test]
fn rejects_dates_that_are_not_iso() {
    let mut person = serde_json::to_value(common::person()).unwrap();
    person["birth_date"] = json!("01.01.1990");
    assert!(serde_json::from_value::<qoltanba_protocol::Person>(person).is_err());
}

#[test]
fn rejects_a_state_missing_its_fields() {
    let json = json!({"state": "expect_sms_code", "phone_masked": "+7 701 *** ** 67"});
    assert!(serde_json::from_value::<EnrollmentState>(json).is_err());
}

#[test]
fn api_error_ignores_absent_optionals_and_keeps_its_status() {
    let error: ApiError =
        serde_json::from_value(json!({"code": "not_found", "detail": "no session"})).unwrap();
    assert_eq!(error, ApiError::new(ErrorCode::NotFound, "no session"));
    assert_eq!(error.http_status(), 404);
    assert_eq!(error.to_string(), "not_found (404): no session");
}

#[test]
fn queries_round_trip() {
    let query = CertificateQuery { iin: "900101300123".into() };
    assert_eq!(serde_json::to_value(&query).unwrap(), json!({"iin": "900101300123"}));
    let all: SmsQuery = serde_json::from_value(json!({})).unwrap();
    assert_eq!(all, SmsQuery { phone: None });
    let one: SmsQuery = serde_json::from_value(json!({"phone": "+77011234567"})).unwrap();
    assert_eq!(one.phone.as_deref(), Some("+77011234567"));
}
