//! The API's paths, shared by the server's router and the client.
//!
//! The constants are route templates with `{name}` parameters, the syntax of both OpenAPI and axum 0.8,
//! so the server mounts them as they are. The functions fill them in for the client (a path, to join to
//! the server's base URL). Serials are put in upper-case; UUIDs in their hyphenated lower-case form.

use uuid::Uuid;

/// `POST`: start an enrollment ([`crate::StartEnrollment`] → `201` [`crate::Session`]).
pub const ENROLLMENTS: &str = "/v1/enrollments";
/// `GET`: the session (polling while an operator decides).
pub const ENROLLMENT: &str = "/v1/enrollments/{id}";
/// `POST` [`crate::PhoneNumber`] in `expect_phone_number`.
pub const ENROLLMENT_PHONE: &str = "/v1/enrollments/{id}/phone";
/// `POST` [`crate::SmsCode`] in `expect_sms_code`.
pub const ENROLLMENT_SMS_CODE: &str = "/v1/enrollments/{id}/sms-code";
/// `POST` (empty body) in `expect_sms_code`, after `resend_after`: send a new code.
pub const ENROLLMENT_SMS_CODE_RESEND: &str = "/v1/enrollments/{id}/sms-code/resend";
/// `POST` raw `image/jpeg` or `image/png` in `expect_selfie`.
pub const ENROLLMENT_SELFIE: &str = "/v1/enrollments/{id}/selfie";
/// `POST` raw `image/jpeg` or `image/png` in `expect_id_card_photo`.
pub const ENROLLMENT_ID_CARD_PHOTO: &str = "/v1/enrollments/{id}/id-card-photo";
/// `POST` [`crate::Consent`] in `expect_consent`.
pub const ENROLLMENT_CONSENT: &str = "/v1/enrollments/{id}/consent";
/// `POST` [`crate::EmailAddress`] in `expect_email`.
pub const ENROLLMENT_EMAIL: &str = "/v1/enrollments/{id}/email";
/// `POST` [`crate::CsrPair`] in `expect_csrs`.
pub const ENROLLMENT_CSRS: &str = "/v1/enrollments/{id}/csrs";
/// `POST` [`crate::CitizenRevocation`]: the holder revokes a certificate.
pub const CERTIFICATE_REVOCATION: &str = "/v1/certificates/{serial}/revocation";
/// `POST` [`crate::OperatorLogin`] → [`crate::OperatorSession`] (sets the session cookie); `DELETE` (with the
/// CSRF header) logs out.
pub const OPERATOR_SESSION: &str = "/v1/operator/session";
/// `GET`: pending phone-registration tickets.
pub const OPERATOR_PHONE_REGISTRATIONS: &str = "/v1/operator/phone-registrations";
/// `POST` [`crate::TicketDecision`].
pub const OPERATOR_PHONE_REGISTRATION_DECISION: &str = "/v1/operator/phone-registrations/{id}/decision";
/// `GET`: pending selfie reviews.
pub const OPERATOR_SELFIE_REVIEWS: &str = "/v1/operator/selfie-reviews";
/// `POST` [`crate::ReviewDecision`].
pub const OPERATOR_SELFIE_REVIEW_DECISION: &str = "/v1/operator/selfie-reviews/{id}/decision";
/// `GET`: the uploaded selfie of a review (its image type as `Content-Type`).
pub const OPERATOR_SELFIE_REVIEW_IMAGE: &str = "/v1/operator/selfie-reviews/{id}/selfie";
/// `GET`: the ID-card photo an enrollment session uploaded (its image type as `Content-Type`).
pub const OPERATOR_ID_CARD_PHOTO: &str = "/v1/operator/enrollments/{id}/id-card-photo";
/// `GET`: the population registry's photo of a person.
pub const OPERATOR_REGISTRY_PHOTO: &str = "/v1/operator/people/{iin}/photo";
/// `GET ?iin=`: the certificates issued for an IIN ([`crate::CertificateItem`]s).
pub const OPERATOR_CERTIFICATES: &str = "/v1/operator/certificates";
/// `POST` [`crate::OperatorRevocation`].
pub const OPERATOR_CERTIFICATE_REVOCATION: &str = "/v1/operator/certificates/{serial}/revocation";
/// `POST` [`crate::CreateSignRequest`] → `201` [`crate::SignRequestCreated`] (relying party's API key).
pub const SIGN_REQUESTS: &str = "/v1/sign-requests";
/// `GET ?timeoutMs=` → [`crate::SignRequestState`] (relying party's API key; long-poll).
pub const SIGN_REQUEST: &str = "/v1/sign-requests/{id}";
/// `POST` [`crate::DeviceRegistration`] → `201` [`crate::DeviceRegistered`].
pub const DEVICES: &str = "/v1/devices";
/// `GET ?waitMs=` → the pending [`crate::DeviceSignRequest`]s (device token).
pub const DEVICE_SIGN_REQUESTS: &str = "/v1/device/sign-requests";
/// `POST` [`crate::SignRequestApproval`] → [`crate::SignRequestCallback`] (device token).
pub const DEVICE_SIGN_REQUEST_APPROVAL: &str = "/v1/device/sign-requests/{id}/approval";
/// `POST` (empty body) → [`crate::SignRequestCallback`] (device token).
pub const DEVICE_SIGN_REQUEST_REFUSAL: &str = "/v1/device/sign-requests/{id}/refusal";
/// `GET`: the device's server-sent events (device token).
pub const DEVICE_EVENTS: &str = "/v1/device/events";
/// `POST` (empty body) → `201` [`crate::LoginStarted`]: a browser starts a QR login (sets the browser
/// cookie).
pub const LOGIN_SESSIONS: &str = "/v1/login/sessions";
/// `GET ?waitMs=&seen=` → [`crate::LoginStatus`] (browser cookie; long-poll).
pub const LOGIN_SESSION: &str = "/v1/login/sessions/{id}";
/// `GET` → `image/svg+xml`: the current QR frame (browser cookie).
pub const LOGIN_SESSION_QR: &str = "/v1/login/sessions/{id}/qr";
/// `GET`: server-sent [`crate::LoginStatus`] events (browser cookie).
pub const LOGIN_SESSION_EVENTS: &str = "/v1/login/sessions/{id}/events";
/// `POST` (empty body) → [`crate::LoggedIn`] once approved (browser cookie; sets the citizen's cookie).
pub const LOGIN_SESSION_COMPLETION: &str = "/v1/login/sessions/{id}/completion";
/// `POST` [`crate::LoginScan`] → [`crate::LoginChallenge`] (the phone).
pub const LOGIN_SCANS: &str = "/v1/login/scans";
/// `POST` [`crate::LoginAnswer`] → [`crate::LoginAccepted`] (the phone).
pub const LOGIN_SESSION_ANSWER: &str = "/v1/login/sessions/{id}/answer";
/// `POST` [`crate::LoginDecline`] → [`crate::LoginStatus`] (the phone).
pub const LOGIN_SESSION_REFUSAL: &str = "/v1/login/sessions/{id}/refusal";
/// `GET ?phone=`: the embedded SMS gateway's outbox; only with `--dev`.
pub const DEV_SMS: &str = "/v1/dev/sms";
/// `GET`: this API's OpenAPI document ([`crate::openapi()`]).
pub const OPENAPI_JSON: &str = "/openapi.json";

fn with_id(template: &str, id: Uuid) -> String {
    template.replace("{id}", &id.hyphenated().to_string())
}

fn with_serial(template: &str, serial: &str) -> String {
    template.replace("{serial}", &serial.to_ascii_uppercase())
}

/// [`ENROLLMENT`] for a session.
pub fn enrollment(id: Uuid) -> String {
    with_id(ENROLLMENT, id)
}
/// [`ENROLLMENT_PHONE`] for a session.
pub fn enrollment_phone(id: Uuid) -> String {
    with_id(ENROLLMENT_PHONE, id)
}
/// [`ENROLLMENT_SMS_CODE`] for a session.
pub fn enrollment_sms_code(id: Uuid) -> String {
    with_id(ENROLLMENT_SMS_CODE, id)
}
/// [`ENROLLMENT_SMS_CODE_RESEND`] for a session.
pub fn enrollment_sms_code_resend(id: Uuid) -> String {
    with_id(ENROLLMENT_SMS_CODE_RESEND, id)
}
/// [`ENROLLMENT_SELFIE`] for a session.
pub fn enrollment_selfie(id: Uuid) -> String {
    with_id(ENROLLMENT_SELFIE, id)
}
/// [`ENROLLMENT_ID_CARD_PHOTO`] for a session.
pub fn enrollment_id_card_photo(id: Uuid) -> String {
    with_id(ENROLLMENT_ID_CARD_PHOTO, id)
}
/// [`ENROLLMENT_CONSENT`] for a session.
pub fn enrollment_consent(id: Uuid) -> String {
    with_id(ENROLLMENT_CONSENT, id)
}
/// [`ENROLLMENT_EMAIL`] for a session.
pub fn enrollment_email(id: Uuid) -> String {
    with_id(ENROLLMENT_EMAIL, id)
}
/// [`ENROLLMENT_CSRS`] for a session.
pub fn enrollment_csrs(id: Uuid) -> String {
    with_id(ENROLLMENT_CSRS, id)
}
/// [`CERTIFICATE_REVOCATION`] for a serial (hex).
pub fn certificate_revocation(serial: &str) -> String {
    with_serial(CERTIFICATE_REVOCATION, serial)
}
/// [`SIGN_REQUEST`] for a request.
pub fn sign_request(id: Uuid) -> String {
    with_id(SIGN_REQUEST, id)
}
/// [`DEVICE_SIGN_REQUEST_APPROVAL`] for a request.
pub fn device_sign_request_approval(id: Uuid) -> String {
    with_id(DEVICE_SIGN_REQUEST_APPROVAL, id)
}
/// [`DEVICE_SIGN_REQUEST_REFUSAL`] for a request.
pub fn device_sign_request_refusal(id: Uuid) -> String {
    with_id(DEVICE_SIGN_REQUEST_REFUSAL, id)
}
/// [`LOGIN_SESSION`] for a login session.
pub fn login_session(id: Uuid) -> String {
    with_id(LOGIN_SESSION, id)
}
/// [`LOGIN_SESSION_QR`] for a login session.
pub fn login_session_qr(id: Uuid) -> String {
    with_id(LOGIN_SESSION_QR, id)
}
/// [`LOGIN_SESSION_EVENTS`] for a login session.
pub fn login_session_events(id: Uuid) -> String {
    with_id(LOGIN_SESSION_EVENTS, id)
}
/// [`LOGIN_SESSION_COMPLETION`] for a login session.
pub fn login_session_completion(id: Uuid) -> String {
    with_id(LOGIN_SESSION_COMPLETION, id)
}
/// [`LOGIN_SESSION_ANSWER`] for a login session.
pub fn login_session_answer(id: Uuid) -> String {
    with_id(LOGIN_SESSION_ANSWER, id)
}
/// [`LOGIN_SESSION_REFUSAL`] for a login session.
pub fn login_session_refusal(id: Uuid) -> String {
    with_id(LOGIN_SESSION_REFUSAL, id)
}
/// [`OPERATOR_PHONE_REGISTRATION_DECISION`] for a ticket.
pub fn operator_phone_registration_decision(ticket: Uuid) -> String {
    with_id(OPERATOR_PHONE_REGISTRATION_DECISION, ticket)
}
/// [`OPERATOR_SELFIE_REVIEW_DECISION`] for a review.
pub fn operator_selfie_review_decision(review: Uuid) -> String {
    with_id(OPERATOR_SELFIE_REVIEW_DECISION, review)
}
/// [`OPERATOR_SELFIE_REVIEW_IMAGE`] for a review.
pub fn operator_selfie_review_image(review: Uuid) -> String {
    with_id(OPERATOR_SELFIE_REVIEW_IMAGE, review)
}
/// [`OPERATOR_ID_CARD_PHOTO`] for a session.
pub fn operator_id_card_photo(session: Uuid) -> String {
    with_id(OPERATOR_ID_CARD_PHOTO, session)
}
/// [`OPERATOR_REGISTRY_PHOTO`] for an IIN (12 digits; anything else is the server's `404`).
pub fn operator_registry_photo(iin: &str) -> String {
    OPERATOR_REGISTRY_PHOTO.replace("{iin}", iin)
}
/// [`OPERATOR_CERTIFICATE_REVOCATION`] for a serial (hex).
pub fn operator_certificate_revocation(serial: &str) -> String {
    with_serial(OPERATOR_CERTIFICATE_REVOCATION, serial)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: Uuid = Uuid::from_u128(0x0b6d1b5e_4f7a_4c55_9d55_3f0a1f2b3c4d);

    #[test]
    fn fills_session_paths() {
        assert_eq!(enrollment(ID), "/v1/enrollments/0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d");
        assert_eq!(
            enrollment_sms_code_resend(ID),
            "/v1/enrollments/0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d/sms-code/resend"
        );
        assert_eq!(enrollment_csrs(ID), "/v1/enrollments/0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d/csrs");
    }

    #[test]
    fn upper_cases_serials() {
        assert_eq!(certificate_revocation("0a1bff"), "/v1/certificates/0A1BFF/revocation");
        assert_eq!(operator_certificate_revocation("ab"), "/v1/operator/certificates/AB/revocation");
    }

    #[test]
    fn filled_paths_leave_no_template_parameter() {
        let filled = [
            enrollment(ID),
            enrollment_phone(ID),
            enrollment_sms_code(ID),
            enrollment_sms_code_resend(ID),
            enrollment_selfie(ID),
            enrollment_id_card_photo(ID),
            enrollment_consent(ID),
            enrollment_email(ID),
            enrollment_csrs(ID),
            certificate_revocation("01"),
            operator_phone_registration_decision(ID),
            operator_selfie_review_decision(ID),
            operator_selfie_review_image(ID),
            operator_id_card_photo(ID),
            operator_registry_photo("900101300123"),
            operator_certificate_revocation("01"),
            sign_request(ID),
            device_sign_request_approval(ID),
            device_sign_request_refusal(ID),
            login_session(ID),
            login_session_qr(ID),
            login_session_events(ID),
            login_session_completion(ID),
            login_session_answer(ID),
            login_session_refusal(ID),
        ];
        for path in filled {
            assert!(path.starts_with("/v1/") && !path.contains('{'), "{path}");
        }
    }
}
