use super::*;

const TOKEN: &str = "AbCdEfGhIjKlMnOp-_0123";
const CODE: &str = "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8";
const ID: Uuid = Uuid::from_u128(0x0b6d1b5e_4f7a_4c55_9d55_3f0a1f2b3c4d);

fn qr(rest: &str) -> String {
    format!("{QR_SCHEME}{rest}")
}

#[test]
fn parses_a_frame_and_writes_it_back_unchanged() {
    let text = qr(&format!("{TOKEN}.17.{CODE}"));
    let frame = LoginQr::parse(&text).unwrap();
    assert_eq!((frame.token(), frame.t(), frame.code()), (TOKEN, 17, CODE));
    assert_eq!(frame.to_string(), text);
    assert_eq!(text.parse::<LoginQr>().unwrap(), frame);
}

#[test]
fn parses_time_zero_and_the_largest_time() {
    assert_eq!(LoginQr::parse(&qr(&format!("{TOKEN}.0.{CODE}"))).unwrap().t(), 0);
    assert_eq!(LoginQr::parse(&qr(&format!("{TOKEN}.4294967295.{CODE}"))).unwrap().t(), u32::MAX);
}

#[test]
fn rejects_another_scheme() {
    for text in [
        format!("{TOKEN}.1.{CODE}"),
        format!("bankid.{TOKEN}.1.{CODE}"),
        format!("QOLTANBA-LOGIN:{TOKEN}.1.{CODE}"),
        format!(" qoltanba-login:{TOKEN}.1.{CODE}"),
    ] {
        assert_eq!(LoginQr::parse(&text), Err(QrError::WrongScheme), "{text}");
    }
}

#[test]
fn rejects_a_wrong_number_of_fields() {
    for rest in [
        String::new(),
        TOKEN.to_owned(),
        format!("{TOKEN}.1"),
        format!("{TOKEN}.1.{CODE}."),
        format!("{TOKEN}.1.{CODE}.x"),
    ] {
        assert_eq!(LoginQr::parse(&qr(&rest)), Err(QrError::WrongShape), "{rest}");
    }
}

#[test]
fn rejects_malformed_tokens() {
    let short = &TOKEN[1..];
    for token in [short, "AbCdEfGhIjKlMnOp-_01234", "AbCdEfGhIjKlMnOp+/0123", "AbCdEfGhIjKlMnOp=_0123", ""] {
        assert_eq!(LoginQr::parse(&qr(&format!("{token}.1.{CODE}"))), Err(QrError::BadToken), "{token}");
    }
}

#[test]
fn rejects_malformed_times() {
    for t in ["", "01", "+1", "-1", "1.5", "4294967296", "99999999999", "1 ", "١"] {
        let text = qr(&format!("{TOKEN}.{t}.{CODE}"));
        let expected = if t == "1.5" { QrError::WrongShape } else { QrError::BadTime };
        assert_eq!(LoginQr::parse(&text), Err(expected), "{t}");
    }
}

#[test]
fn rejects_malformed_codes() {
    let upper = CODE.to_ascii_uppercase();
    let short = &CODE[1..];
    let long = format!("{CODE}0");
    let not_hex = format!("g{short}");
    for code in [upper.as_str(), short, long.as_str(), not_hex.as_str(), ""] {
        assert_eq!(LoginQr::parse(&qr(&format!("{TOKEN}.1.{code}"))), Err(QrError::BadCode), "{code}");
    }
}

#[test]
fn new_checks_its_parts() {
    assert_eq!(LoginQr::new("x", 0, CODE), Err(QrError::BadToken));
    assert_eq!(LoginQr::new(TOKEN, 0, "ab"), Err(QrError::BadCode));
    assert_eq!(LoginQr::new(TOKEN, 5, CODE).unwrap().to_string(), qr(&format!("{TOKEN}.5.{CODE}")));
}

#[test]
fn message_has_the_documented_layout() {
    let message = login_message(ID, "Электрондық үкімет", 7, "abc");
    let expected = "qoltanba/v1/login\nsession_id=36:0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d\n\
                    relying_party=35:Электрондық үкімет\nnumber=1:7\nnonce=3:abc\n";
    assert_eq!(String::from_utf8(message).unwrap(), expected);
}

#[test]
fn message_binds_every_field() {
    let base = login_message(ID, "eGov", 42, "nonce");
    assert_ne!(base, login_message(Uuid::from_u128(1), "eGov", 42, "nonce"));
    assert_ne!(base, login_message(ID, "eGov2", 42, "nonce"));
    assert_ne!(base, login_message(ID, "eGov", 43, "nonce"));
    assert_ne!(base, login_message(ID, "eGov", 42, "nonce2"));
}

#[test]
fn message_cannot_be_shifted_between_fields() {
    let honest = login_message(ID, "a\nnumber=2:42", 11, "n");
    let shifted = login_message(ID, "a", 11, "n");
    assert_ne!(honest, shifted);
    assert!(String::from_utf8(honest).unwrap().contains("relying_party=13:a\nnumber=2:42\nnumber=2:11\n"));
}

#[test]
fn challenge_message_uses_the_challenge_fields() {
    let at = time::macros::datetime!(2025-03-01 10:15 UTC);
    let challenge = LoginChallenge {
        session_id: ID,
        relying_party: "eGov".into(),
        browser: "Firefox 128 on Linux".into(),
        browser_address: "10.0.0.1".into(),
        browser_place: None,
        started_at: at,
        numbers: [12, 42, 77],
        nonce: "n".into(),
        address_differs: false,
        expires_at: at + time::Duration::seconds(60),
    };
    assert_eq!(challenge.message(42), login_message(ID, "eGov", 42, "n"));
    let json = serde_json::to_value(&challenge).unwrap();
    assert_eq!(json["numbers"], serde_json::json!([12, 42, 77]));
    assert_eq!(json["started_at"], "2025-03-01T10:15:00Z");
    assert!(json.get("browser_place").is_none());
    assert_eq!(serde_json::from_value::<LoginChallenge>(json).unwrap(), challenge);
}

#[test]
fn status_is_tagged_by_status() {
    let refused = LoginStatus::Refused { reason: LoginRefusal::WrongNumber };
    assert_eq!(
        serde_json::to_value(refused).unwrap(),
        serde_json::json!({"status": "refused", "reason": "wrong_number"})
    );
    assert_eq!(serde_json::to_value(LoginStatus::Waiting).unwrap(), serde_json::json!({"status": "waiting"}));
    let parsed: LoginStatus = serde_json::from_str(r#"{"status": "approved"}"#).unwrap();
    assert_eq!(parsed, LoginStatus::Approved);
    assert!(serde_json::from_str::<LoginStatus>(r#"{"status": "refused"}"#).is_err());
}

#[test]
fn only_waiting_and_scanned_are_not_final() {
    assert!(!LoginStatus::Waiting.is_final() && !LoginStatus::Scanned.is_final());
    assert!(LoginStatus::Approved.is_final() && LoginStatus::Expired.is_final());
    assert!(LoginStatus::Refused { reason: LoginRefusal::Declined }.is_final());
}

#[test]
fn refusal_names_match_serde_and_round_trip() {
    for reason in LoginRefusal::ALL {
        let json = serde_json::to_value(reason).unwrap();
        assert_eq!(json, reason.name());
        assert_eq!(LoginRefusal::from_name(reason.name()), Some(reason));
        assert_eq!(serde_json::from_value::<LoginRefusal>(json).unwrap(), reason);
    }
    assert_eq!(LoginRefusal::from_name("teapot"), None);
}

#[test]
fn refused_login_error_carries_its_reason() {
    let error = crate::ApiError::login_refused(LoginRefusal::CertificateRevoked);
    assert_eq!((error.code, error.http_status()), (ErrorCode::Forbidden, 403));
    let json = serde_json::to_value(&error).unwrap();
    assert_eq!(json["refusal"], "certificate_revoked");
    assert_eq!(serde_json::from_value::<crate::ApiError>(json).unwrap(), error);
    assert_eq!(crate::ApiError::login_refused(LoginRefusal::Expired).http_status(), 410);
    assert_eq!(crate::ApiError::login_refused(LoginRefusal::Replayed).http_status(), 409);
    let plain = serde_json::to_value(crate::ApiError::new(ErrorCode::NotFound, "x")).unwrap();
    assert!(plain.get("refusal").is_none());
}
