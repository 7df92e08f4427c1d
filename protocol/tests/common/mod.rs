//! The pinned wire examples: every schema type of the API, as a Rust value and the exact JSON it must be.
//! `wire.rs` checks serde against them; `openapi.rs` checks them against the OpenAPI schemas.
#![allow(dead_code)]

use std::fmt::Debug;

use qoltanba_protocol::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use time::macros::{date, datetime};
use uuid::Uuid;

/// One example: the schema it belongs to, the pinned JSON, what serde made of the value, and whether the
/// pinned JSON parses back to the value.
pub struct Case {
    pub schema: &'static str,
    pub json: Value,
    pub serialized: Value,
    pub parses_back: Result<bool, String>,
}

impl Case {
    fn new<T: Serialize + DeserializeOwned + PartialEq + Debug>(
        schema: &'static str,
        value: T,
        json: Value,
    ) -> Self {
        let serialized =
            serde_json::to_value(&value).unwrap_or_else(|e| json!({ "serialize error": e.to_string() }));
        let parses_back =
            serde_json::from_value::<T>(json.clone()).map(|v| v == value).map_err(|e| e.to_string());
        Case { schema, json, serialized, parses_back }
    }
}

macro_rules! case {
    ($ty:ident, $value:expr, $($json:tt)+) => {
        Case::new::<$ty>(stringify!($ty), $value, json!($($json)+))
    };
}

pub const SESSION_ID: Uuid = Uuid::from_u128(0x0b6d1b5e_4f7a_4c55_9d55_3f0a1f2b3c4d);
pub const TICKET_ID: Uuid = Uuid::from_u128(0x5c3e7a10_2b4d_4e6f_8a9b_0c1d2e3f4a5b);
const SID: &str = "0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d";
const TID: &str = "5c3e7a10-2b4d-4e6f-8a9b-0c1d2e3f4a5b";

pub fn person() -> Person {
    Person {
        iin: "900101300123".into(),
        surname: "ИВАНОВ".into(),
        name: "ИВАН".into(),
        patronymic: Some("ИВАНОВИЧ".into()),
        birth_date: date!(1990 - 01 - 01),
    }
}

fn person_json() -> Value {
    json!({"iin": "900101300123", "surname": "ИВАНОВ", "name": "ИВАН", "patronymic": "ИВАНОВИЧ",
           "birth_date": "1990-01-01"})
}

pub fn issued() -> IssuedCertificates {
    IssuedCertificates {
        auth_pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".into(),
        sign_pem: "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n".into(),
        chain_pem: "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n".into(),
        auth_serial: "0A1B".into(),
        sign_serial: "0C2D".into(),
    }
}

fn issued_json() -> Value {
    json!({
        "auth_pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "sign_pem": "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n",
        "chain_pem": "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n",
        "auth_serial": "0A1B", "sign_serial": "0C2D"
    })
}

fn states() -> Vec<Case> {
    use EnrollmentState as S;
    vec![
        case!(EnrollmentState, S::ExpectPhoneNumber, {"state": "expect_phone_number"}),
        case!(EnrollmentState,
            S::ExpectPhoneRegistration { ticket_id: TICKET_ID, phone_masked: "+7 701 *** ** 67".into() },
            {"state": "expect_phone_registration", "ticket_id": TID, "phone_masked": "+7 701 *** ** 67"}),
        case!(EnrollmentState,
            S::ExpectSmsCode {
                phone_masked: "+7 701 *** ** 67".into(),
                expires_at: datetime!(2025-03-01 10:20:00 UTC),
                resend_after: datetime!(2025-03-01 10:16:00 UTC),
                tries_left: 3,
            },
            {"state": "expect_sms_code", "phone_masked": "+7 701 *** ** 67",
             "expires_at": "2025-03-01T10:20:00Z", "resend_after": "2025-03-01T10:16:00Z", "tries_left": 3}),
        case!(EnrollmentState, S::ExpectSelfie { attempts_left: 5, last_rejection: None },
            {"state": "expect_selfie", "attempts_left": 5}),
        case!(EnrollmentState,
            S::ExpectSelfie { attempts_left: 4, last_rejection: Some("face not visible".into()) },
            {"state": "expect_selfie", "attempts_left": 4, "last_rejection": "face not visible"}),
        case!(EnrollmentState, S::SelfieUnderReview, {"state": "selfie_under_review"}),
        case!(EnrollmentState, S::ExpectIdCardPhoto, {"state": "expect_id_card_photo"}),
        case!(EnrollmentState, S::ExpectConsent, {"state": "expect_consent"}),
        case!(EnrollmentState, S::ExpectEmail { person: person() },
            {"state": "expect_email", "person": person_json()}),
        case!(EnrollmentState, S::ExpectCsrs, {"state": "expect_csrs"}),
        case!(EnrollmentState, S::Issued { certificates: issued() },
            {"state": "issued", "certificates": issued_json()}),
        case!(EnrollmentState, S::Failed { reason: FailureReason::ConsentRefused, detail: None },
            {"state": "failed", "reason": "consent_refused"}),
        case!(EnrollmentState,
            S::Failed { reason: FailureReason::PhoneRegistrationRejected, detail: Some("ID card unreadable".into()) },
            {"state": "failed", "reason": "phone_registration_rejected", "detail": "ID card unreadable"}),
    ]
}

fn enrollment() -> Vec<Case> {
    vec![
        case!(Session,
            Session {
                id: SESSION_ID,
                state: EnrollmentState::ExpectSelfie { attempts_left: 5, last_rejection: None },
                expires_at: datetime!(2025-03-01 13:15:00.5 +03:00),
            },
            {"id": SID, "state": {"state": "expect_selfie", "attempts_left": 5},
             "expires_at": "2025-03-01T13:15:00.5+03:00"}),
        case!(StartEnrollment,
            StartEnrollment {
                iin: "900101300123".into(),
                device: DeviceInfo {
                    platform: Platform::Android,
                    os_version: "14".into(),
                    app_version: "0.1.0".into(),
                    model: Some("Pixel 8".into()),
                },
            },
            {"iin": "900101300123",
             "device": {"platform": "android", "os_version": "14", "app_version": "0.1.0", "model": "Pixel 8"}}),
        case!(DeviceInfo,
            DeviceInfo { platform: Platform::Desktop, os_version: "Debian 13".into(), app_version: "0.1.0".into(), model: None },
            {"platform": "desktop", "os_version": "Debian 13", "app_version": "0.1.0"}),
        case!(Platform, Platform::Ios, "ios"),
        case!(PhoneNumber, PhoneNumber { phone: "+77011234567".into() }, {"phone": "+77011234567"}),
        case!(SmsCode, SmsCode { code: "012345".into() }, {"code": "012345"}),
        case!(Consent, Consent { accepted: false }, {"accepted": false}),
        case!(EmailAddress, EmailAddress { email: "ivan@example.kz".into() }, {"email": "ivan@example.kz"}),
        case!(CsrPair,
            CsrPair { auth: "-----BEGIN CERTIFICATE REQUEST-----\nMIIA\n-----END CERTIFICATE REQUEST-----\n".into(), sign: "MIIBCgKCAQEA".into() },
            {"auth": "-----BEGIN CERTIFICATE REQUEST-----\nMIIA\n-----END CERTIFICATE REQUEST-----\n", "sign": "MIIBCgKCAQEA"}),
        case!(Person, person(), person_json()),
        case!(Person, Person { patronymic: None, ..person() },
            {"iin": "900101300123", "surname": "ИВАНОВ", "name": "ИВАН", "birth_date": "1990-01-01"}),
        case!(FailureReason, FailureReason::TooManyCodeAttempts, "too_many_code_attempts"),
        case!(FailureReason, FailureReason::SelfieAttemptsExhausted, "selfie_attempts_exhausted"),
    ]
}

fn certificates() -> Vec<Case> {
    vec![
        case!(IssuedCertificates, issued(), issued_json()),
        case!(CertificateItem,
            CertificateItem {
                serial: "0A1B".into(), iin: "900101300123".into(), purpose: CertificatePurpose::Auth,
                status: CertificateStatus::Good,
                not_before: datetime!(2025-03-01 10:30:00 UTC), not_after: datetime!(2026-03-01 10:30:00 UTC),
                revoked_at: None, revocation_reason: None,
            },
            {"serial": "0A1B", "iin": "900101300123", "purpose": "auth", "status": "good",
             "not_before": "2025-03-01T10:30:00Z", "not_after": "2026-03-01T10:30:00Z"}),
        case!(CertificateItem,
            CertificateItem {
                serial: "0C2D".into(), iin: "900101300123".into(), purpose: CertificatePurpose::Sign,
                status: CertificateStatus::Revoked,
                not_before: datetime!(2025-03-01 10:30:00 UTC), not_after: datetime!(2026-03-01 10:30:00 UTC),
                revoked_at: Some(datetime!(2025-06-01 08:00:00 UTC)),
                revocation_reason: Some(RevocationReason::KeyCompromise),
            },
            {"serial": "0C2D", "iin": "900101300123", "purpose": "sign", "status": "revoked",
             "not_before": "2025-03-01T10:30:00Z", "not_after": "2026-03-01T10:30:00Z",
             "revoked_at": "2025-06-01T08:00:00Z", "revocation_reason": "key_compromise"}),
        case!(CertificatePurpose, CertificatePurpose::Sign, "sign"),
        case!(CertificateStatus, CertificateStatus::Expired, "expired"),
        case!(RevocationReason, RevocationReason::CessationOfOperation, "cessation_of_operation"),
        case!(CitizenRevocation,
            CitizenRevocation {
                reason: RevocationReason::KeyCompromise, requested_at: datetime!(2025-06-01 08:00:00 UTC),
                auth_serial: "0A1B".into(), signature: "c2lnbmF0dXJl".into(),
            },
            {"reason": "key_compromise", "requested_at": "2025-06-01T08:00:00Z", "auth_serial": "0A1B",
             "signature": "c2lnbmF0dXJl"}),
        case!(OperatorRevocation,
            OperatorRevocation { reason: RevocationReason::Superseded, comment: "renewed, call #42".into() },
            {"reason": "superseded", "comment": "renewed, call #42"}),
    ]
}

fn operator() -> Vec<Case> {
    vec![
        case!(PhoneRegistrationTicket,
            PhoneRegistrationTicket {
                id: TICKET_ID, session_id: SESSION_ID, iin: "900101300123".into(), phone: "+77011234567".into(),
                registry_photo_url: "/v1/operator/people/900101300123/photo".into(),
                created_at: datetime!(2025-03-01 10:16:00 UTC), status: TicketStatus::Pending,
                decided_at: None, reason: None,
            },
            {"id": TID, "session_id": SID, "iin": "900101300123", "phone": "+77011234567",
             "registry_photo_url": "/v1/operator/people/900101300123/photo",
             "created_at": "2025-03-01T10:16:00Z", "status": "pending"}),
        case!(TicketStatus, TicketStatus::Rejected, "rejected"),
        case!(TicketDecision, TicketDecision::Approve { sms_code: "482913".into() },
            {"decision": "approve", "sms_code": "482913"}),
        case!(TicketDecision, TicketDecision::Reject { reason: "not the card's holder".into() },
            {"decision": "reject", "reason": "not the card's holder"}),
        case!(SelfieReview,
            SelfieReview {
                id: TICKET_ID, session_id: SESSION_ID, iin: "900101300123".into(), attempt: 2,
                selfie_url: format!("/v1/operator/selfie-reviews/{TID}/selfie"),
                registry_photo_url: "/v1/operator/people/900101300123/photo".into(),
                id_card_photo_url: None,
                submitted_at: datetime!(2025-03-01 10:18:00 UTC), status: SelfieReviewStatus::Rejected,
                reason: Some("face not visible".into()),
            },
            {"id": TID, "session_id": SID, "iin": "900101300123", "attempt": 2,
             "selfie_url": format!("/v1/operator/selfie-reviews/{TID}/selfie"),
             "registry_photo_url": "/v1/operator/people/900101300123/photo",
             "submitted_at": "2025-03-01T10:18:00Z", "status": "rejected", "reason": "face not visible"}),
        case!(SelfieReviewStatus, SelfieReviewStatus::Accepted, "accepted"),
        case!(OperatorLogin,
            OperatorLogin { username: "aigerim".into(), password: "correct horse battery".into() },
            {"username": "aigerim", "password": "correct horse battery"}),
        case!(OperatorSession,
            OperatorSession { username: "aigerim".into(), csrf_token: "q1w2e3r4t5y6".into(),
                expires_at: datetime!(2025-03-01 18:15:00 UTC) },
            {"username": "aigerim", "csrf_token": "q1w2e3r4t5y6", "expires_at": "2025-03-01T18:15:00Z"}),
        case!(ReviewDecision, ReviewDecision::Approve, {"decision": "approve"}),
        case!(ReviewDecision, ReviewDecision::Reject { reason: "a photo of a photo".into() },
            {"decision": "reject", "reason": "a photo of a photo"}),
        case!(SmsMessage,
            SmsMessage { phone: "+77011234567".into(), sender: "1414".into(),
                text: "Код: 482913".into(), sent_at: datetime!(2025-03-01 10:15:00 UTC) },
            {"phone": "+77011234567", "sender": "1414", "text": "Код: 482913", "sent_at": "2025-03-01T10:15:00Z"}),
    ]
}

fn errors() -> Vec<Case> {
    vec![
        case!(ApiError, ApiError::code_mismatch(2),
            {"code": "code_mismatch", "detail": "the code does not match", "tries_left": 2}),
        case!(ApiError, ApiError::rate_limited(42),
            {"code": "rate_limited", "detail": "retry after 42 s", "retry_after_s": 42}),
        case!(ApiError, ApiError::wrong_state(&EnrollmentState::ExpectConsent),
            {"code": "wrong_state", "detail": "the session is in state expect_consent",
             "expected_state": "expect_consent"}),
        case!(ApiError, ApiError::new(ErrorCode::InvalidIin, "bad check digit"),
            {"code": "invalid_iin", "detail": "bad check digit"}),
        case!(ApiError, ApiError::login_refused(LoginRefusal::WrongNumber),
            {"code": "forbidden", "detail": "login refused: wrong_number", "refusal": "wrong_number"}),
        case!(ErrorCode, ErrorCode::SessionExpired, "session_expired"),
        case!(LoginRefusal, LoginRefusal::CertificateRevoked, "certificate_revoked"),
    ]
}

const RID: &str = "7d1f0c2e-9a3b-4c5d-8e6f-1a2b3c4d5e6f";
const REQUEST_ID: Uuid = Uuid::from_u128(0x7d1f0c2e_9a3b_4c5d_8e6f_1a2b3c4d5e6f);
const DIGEST: &str = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";

fn sign_requests() -> Vec<Case> {
    let expires_at = datetime!(2025-03-01 10:17:00 UTC);
    vec![
        case!(CreateSignRequest,
            CreateSignRequest { iin: "900101300255".into(), data: None, digest: Some(DIGEST.into()),
                format: SignatureFormat::Detached, display_text: "Loan agreement No. 42".into(),
                callback_url: Some("https://bank.example.kz/qoltanba/callback".into()) },
            {"iin": "900101300255", "digest": DIGEST, "format": "detached",
             "display_text": "Loan agreement No. 42", "callback_url": "https://bank.example.kz/qoltanba/callback"}),
        case!(SignatureFormat, SignatureFormat::Attached, "attached"),
        case!(SignRequestCreated,
            SignRequestCreated { id: REQUEST_ID, verification_code: "7180".into(), expires_at },
            {"id": RID, "verification_code": "7180", "expires_at": "2025-03-01T10:17:00Z"}),
        case!(SignRequestState,
            SignRequestState { id: REQUEST_ID, status: SignRequestStatus::Signed, verification_code: "7180".into(),
                expires_at, signature: Some("MIIG".into()),
                signer_certificate: Some("-----BEGIN CERTIFICATE-----\n".into()) },
            {"id": RID, "status": "signed", "verification_code": "7180", "expires_at": "2025-03-01T10:17:00Z",
             "signature": "MIIG", "signer_certificate": "-----BEGIN CERTIFICATE-----\n"}),
        case!(SignRequestStatus, SignRequestStatus::Cancelled, "cancelled"),
        case!(SignRequestCallback, SignRequestCallback { id: REQUEST_ID, status: SignRequestStatus::Refused },
            {"id": RID, "status": "refused"}),
        case!(DeviceRegistration,
            DeviceRegistration { auth_certificate: "MIIF".into(),
                registered_at: datetime!(2025-03-01 10:15:00 UTC), platform: Some(Platform::Android),
                push_token: Some("fcm-token".into()), signature: "c2ln".into() },
            {"auth_certificate": "MIIF", "registered_at": "2025-03-01T10:15:00Z", "platform": "android",
             "push_token": "fcm-token", "signature": "c2ln"}),
        case!(DeviceRegistered, DeviceRegistered { device_id: SESSION_ID, device_token: "dGVzdA".into() },
            {"device_id": SID, "device_token": "dGVzdA"}),
        case!(DeviceSignRequest,
            DeviceSignRequest { id: REQUEST_ID, relying_party: "Demo Bank".into(),
                display_text: "Loan agreement No. 42".into(), verification_code: "7180".into(),
                digest: DIGEST.into(), format: SignatureFormat::Attached, data: Some("aGVsbG8=".into()), expires_at },
            {"id": RID, "relying_party": "Demo Bank", "display_text": "Loan agreement No. 42",
             "verification_code": "7180", "digest": DIGEST, "format": "attached", "data": "aGVsbG8=",
             "expires_at": "2025-03-01T10:17:00Z"}),
        case!(SignRequestApproval, SignRequestApproval { signature: "MIIG".into() }, {"signature": "MIIG"}),
    ]
}

fn login() -> Vec<Case> {
    let at = datetime!(2025-03-01 10:15:00 UTC);
    let until = datetime!(2025-03-01 10:16:00 UTC);
    vec![
        case!(LoginStarted, LoginStarted { session_id: SESSION_ID, number: 42, expires_at: until, frame_interval_ms: 1000 },
            {"session_id": SID, "number": 42, "expires_at": "2025-03-01T10:16:00Z", "frame_interval_ms": 1000}),
        case!(LoginScan, LoginScan { qr: "qoltanba-login:AbCdEfGhIjKlMnOp-_0123.3.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8".into() },
            {"qr": "qoltanba-login:AbCdEfGhIjKlMnOp-_0123.3.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"}),
        case!(LoginChallenge,
            LoginChallenge { session_id: SESSION_ID, relying_party: "eGov".into(), browser: "Firefox 128 on Linux".into(),
                browser_address: "192.0.2.10".into(), browser_place: Some("Astana, Kazakhstan".into()), started_at: at,
                numbers: [17, 42, 86], nonce: "bm9uY2U".into(), address_differs: true, expires_at: until },
            {"session_id": SID, "relying_party": "eGov", "browser": "Firefox 128 on Linux",
             "browser_address": "192.0.2.10", "browser_place": "Astana, Kazakhstan", "started_at": "2025-03-01T10:15:00Z",
             "numbers": [17, 42, 86], "nonce": "bm9uY2U", "address_differs": true, "expires_at": "2025-03-01T10:16:00Z"}),
        case!(LoginAnswer,
            LoginAnswer { session_id: SESSION_ID, nonce: "bm9uY2U".into(), number: 42, auth_certificate: "MIIF".into(),
                signature: "c2ln".into() },
            {"session_id": SID, "nonce": "bm9uY2U", "number": 42, "auth_certificate": "MIIF", "signature": "c2ln"}),
        case!(LoginAccepted, LoginAccepted { session_id: SESSION_ID, relying_party: "eGov".into() },
            {"session_id": SID, "relying_party": "eGov"}),
        case!(LoginDecline, LoginDecline { nonce: "bm9uY2U".into() }, {"nonce": "bm9uY2U"}),
        case!(LoggedIn, LoggedIn { iin: "900101300255".into(), name: "ҚҰНАНБАЕВ АБАЙ".into() },
            {"iin": "900101300255", "name": "ҚҰНАНБАЕВ АБАЙ"}),
        case!(LoginStatus, LoginStatus::Refused { reason: LoginRefusal::WrongNumber },
            {"status": "refused", "reason": "wrong_number"}),
        case!(LoginStatus, LoginStatus::Scanned, {"status": "scanned"}),
    ]
}

/// Every example, for every schema type of the API.
pub fn cases() -> Vec<Case> {
    [states(), enrollment(), certificates(), operator(), errors(), sign_requests(), login()]
        .into_iter()
        .flatten()
        .collect()
}
