//! The API's operations described for utoipa, on empty functions: the server's handlers will carry these
//! annotations later. Error responses and the `Idempotency-Key` header are added by
//! [`super::openapi`] from [`ERRORS`], so they are never out of step with [`ErrorCode::http_status`].
#![allow(dead_code)]

use crate::ErrorCode::{self, *};
use crate::certificates::CertificateQuery;
use crate::dev::SmsQuery;
use crate::login::LoginPoll;
use crate::paths;
use crate::sign_requests::{DevicePoll, SignRequestPoll};
use crate::{
    CertificateItem, CitizenRevocation, Consent, CsrPair, EmailAddress, OperatorLogin, OperatorRevocation,
    OperatorSession, PhoneNumber, PhoneRegistrationTicket, ReviewDecision, SelfieReview, Session, SmsCode,
    SmsMessage, StartEnrollment, TicketDecision,
};
use crate::{
    CreateSignRequest, DeviceRegistered, DeviceRegistration, DeviceSignRequest, SignRequestApproval,
    SignRequestCallback, SignRequestCreated, SignRequestState,
};
use crate::{
    LoggedIn, LoginAccepted, LoginAnswer, LoginChallenge, LoginDecline, LoginScan, LoginStarted, LoginStatus,
};

/// Errors every operation may answer, besides its own in [`ERRORS`].
pub(super) const COMMON_ERRORS: &[ErrorCode] = &[Internal, Unavailable];
/// Errors every `POST` may answer.
pub(super) const POST_ERRORS: &[ErrorCode] = &[MalformedRequest, MissingIdempotencyKey, Conflict];
/// Errors of every operation on one enrollment session.
const SESSION: &[ErrorCode] = &[MalformedRequest, NotFound, SessionExpired];
/// Errors of every enrollment step.
const STEP: &[ErrorCode] = &[MalformedRequest, NotFound, SessionExpired, WrongState];
/// `POST`s that take no `Idempotency-Key` (logging in is not an action to replay).
/// Registering a device takes none either: its answer holds a secret (the device token) that must not be
/// stored for replay; a retry registers another device.
pub(super) const WITHOUT_IDEMPOTENCY_KEY: &[&str] = &["operator_login", "register_device"];
/// Errors of every operator operation.
const OPERATOR: &[ErrorCode] = &[Unauthorized, Forbidden];

/// Each operation's own errors, by operation id; groups from the constants above.
pub(super) const ERRORS: &[(&str, &[&[ErrorCode]])] = &[
    ("start_enrollment", &[&[InvalidIin, InvalidInput, RateLimited]]),
    ("session", &[SESSION]),
    ("submit_phone", &[STEP, &[InvalidInput, RateLimited]]),
    ("submit_sms_code", &[STEP, &[CodeMismatch, CodeExpired, TooManyAttempts, InvalidInput]]),
    ("resend_sms_code", &[STEP, &[RateLimited]]),
    ("upload_selfie", &[STEP, &[PayloadTooLarge, UnsupportedMediaType]]),
    ("upload_id_card_photo", &[STEP, &[PayloadTooLarge, UnsupportedMediaType]]),
    ("submit_consent", &[STEP]),
    ("submit_email", &[STEP, &[InvalidInput]]),
    ("submit_csrs", &[STEP, &[InvalidCsr]]),
    ("revoke_certificate", &[&[NotFound, Unauthorized, Forbidden, InvalidInput]]),
    ("operator_login", &[&[MalformedRequest, Unauthorized, RateLimited]]),
    ("operator_logout", &[OPERATOR]),
    ("phone_registrations", &[OPERATOR]),
    (
        "decide_phone_registration",
        &[OPERATOR, &[NotFound, CodeMismatch, CodeExpired, TooManyAttempts, InvalidInput, SessionExpired]],
    ),
    ("selfie_reviews", &[OPERATOR]),
    ("decide_selfie_review", &[OPERATOR, &[NotFound, InvalidInput, SessionExpired]]),
    ("selfie_review_image", &[OPERATOR, &[NotFound]]),
    ("id_card_photo", &[OPERATOR, &[NotFound]]),
    ("registry_photo", &[OPERATOR, &[NotFound]]),
    ("certificates", &[OPERATOR, &[InvalidIin]]),
    ("operator_revoke_certificate", &[OPERATOR, &[NotFound, InvalidInput]]),
    ("dev_sms", &[&[NotFound]]),
    (
        "create_sign_request",
        &[&[Unauthorized, InvalidIin, InvalidInput, NotFound, PayloadTooLarge, RateLimited]],
    ),
    ("sign_request", &[&[Unauthorized, NotFound, InvalidInput]]),
    ("register_device", &[&[MalformedRequest, Unauthorized, Forbidden, InvalidInput]]),
    ("device_sign_requests", &[&[Unauthorized, InvalidInput]]),
    ("device_events", &[&[Unauthorized]]),
    (
        "approve_sign_request",
        &[&[Unauthorized, NotFound, WrongState, SessionExpired, InvalidInput, Forbidden]],
    ),
    ("refuse_sign_request", &[&[Unauthorized, NotFound, WrongState, SessionExpired]]),
    ("start_login", &[&[RateLimited]]),
    ("login_status", &[&[NotFound, Forbidden, InvalidInput, MalformedRequest]]),
    ("login_qr", &[&[NotFound, Forbidden, SessionExpired, WrongState]]),
    ("login_events", &[&[NotFound, Forbidden]]),
    ("complete_login", &[&[NotFound, Forbidden, SessionExpired, WrongState]]),
    ("scan_login_qr", &[&[InvalidInput, NotFound, Forbidden, SessionExpired]]),
    ("answer_login", &[&[NotFound, Forbidden, SessionExpired, WrongState]]),
    ("decline_login", &[&[NotFound]]),
];

/// Start an enrollment: checks the IIN, looks the phone up, and answers with the first state
/// (`expect_sms_code`, or `expect_phone_number` when no phone is registered).
#[utoipa::path(post, path = paths::ENROLLMENTS, tag = "enrollment", request_body = StartEnrollment,
    responses((status = 201, description = "Session created", body = Session)))]
fn start_enrollment() {}

/// The session as it is now; poll it in `expect_phone_registration` and `selfie_under_review`.
#[utoipa::path(get, path = paths::ENROLLMENT, tag = "enrollment",
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "The session", body = Session)))]
fn session() {}

/// Give the phone number to register (`expect_phone_number`); opens an operator ticket and sends an SMS
/// code to that phone.
#[utoipa::path(post, path = paths::ENROLLMENT_PHONE, tag = "enrollment", request_body = PhoneNumber,
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Now `expect_phone_registration`", body = Session)))]
fn submit_phone() {}

/// Send the SMS code (`expect_sms_code`).
#[utoipa::path(post, path = paths::ENROLLMENT_SMS_CODE, tag = "enrollment", request_body = SmsCode,
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Now `expect_selfie`", body = Session)))]
fn submit_sms_code() {}

/// Ask for a new SMS code (`expect_sms_code`, after `resend_after`); no body. The old code stops working.
#[utoipa::path(post, path = paths::ENROLLMENT_SMS_CODE_RESEND, tag = "enrollment",
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Still `expect_sms_code`, with new times", body = Session)))]
fn resend_sms_code() {}

/// Upload the selfie (`expect_selfie`): the raw picture as the body, `Content-Type: image/jpeg` or
/// `image/png`, at most 5 MiB.
#[utoipa::path(post, path = paths::ENROLLMENT_SELFIE, tag = "enrollment",
    request_body(description = "The picture's bytes", content(("image/jpeg"), ("image/png"))),
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Now `selfie_under_review` (or `expect_id_card_photo`)", body = Session)))]
fn upload_selfie() {}

/// Upload the ID card's photo (`expect_id_card_photo`): raw `image/jpeg` or `image/png`, at most 5 MiB.
#[utoipa::path(post, path = paths::ENROLLMENT_ID_CARD_PHOTO, tag = "enrollment",
    request_body(description = "The picture's bytes", content(("image/jpeg"), ("image/png"))),
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Now `expect_consent`", body = Session)))]
fn upload_id_card_photo() {}

/// Give or refuse consent to the NCA (`expect_consent`).
#[utoipa::path(post, path = paths::ENROLLMENT_CONSENT, tag = "enrollment", request_body = Consent,
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Now `expect_email { person }`, or `failed`", body = Session)))]
fn submit_consent() {}

/// Give the e-mail address (`expect_email`).
#[utoipa::path(post, path = paths::ENROLLMENT_EMAIL, tag = "enrollment", request_body = EmailAddress,
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Now `expect_csrs`", body = Session)))]
fn submit_email() {}

/// Send the AUTH and SIGN CSRs (`expect_csrs`); both certificates are issued.
#[utoipa::path(post, path = paths::ENROLLMENT_CSRS, tag = "enrollment", request_body = CsrPair,
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "Now `issued { certificates }`", body = Session)))]
fn submit_csrs() {}

/// The holder revokes a certificate, signing with the key of a good AUTH certificate of the same IIN
/// (`unauthorized` if the signature does not verify, `forbidden` for another IIN's or a revoked AUTH
/// certificate, `invalid_input` for a `requested_at` more than 5 minutes off). Revoking a revoked
/// certificate answers the same item again.
#[utoipa::path(post, path = paths::CERTIFICATE_REVOCATION, tag = "certificates",
    request_body = CitizenRevocation,
    params(("serial" = String, Path, description = "Serial, upper-case hex")),
    responses((status = 200, description = "Revoked", body = CertificateItem)))]
fn revoke_certificate() {}

/// An operator logs in: the session cookie comes in `Set-Cookie` (`HttpOnly`, `SameSite=Strict`), the
/// CSRF token in the body. Five failed logins within 15 minutes lock the username (`rate_limited`).
#[utoipa::path(post, path = paths::OPERATOR_SESSION, tag = "operator", request_body = OperatorLogin,
    responses((status = 200, description = "Logged in", body = OperatorSession)))]
fn operator_login() {}

/// The operator logs out; the session cookie stops working.
#[utoipa::path(delete, path = paths::OPERATOR_SESSION, tag = "operator",
    security(("operator_session" = [])),
    responses((status = 204, description = "Logged out")))]
fn operator_logout() {}

/// Pending phone-registration tickets, oldest first.
#[utoipa::path(get, path = paths::OPERATOR_PHONE_REGISTRATIONS, tag = "operator",
    security(("operator_session" = [])),
    responses((status = 200, description = "Pending tickets", body = Vec<PhoneRegistrationTicket>)))]
fn phone_registrations() {}

/// Approve (with the code the citizen read out) or reject a phone registration. A wrong code uses up one
/// of the citizen's tries (`code_mismatch` with `tries_left`); the last one rejects the ticket and fails
/// the session (`too_many_attempts`).
#[utoipa::path(post, path = paths::OPERATOR_PHONE_REGISTRATION_DECISION, tag = "operator",
    request_body = TicketDecision, security(("operator_session" = [])),
    params(("id" = Uuid, Path, description = "Ticket id")),
    responses((status = 200, description = "The decided ticket", body = PhoneRegistrationTicket)))]
fn decide_phone_registration() {}

/// Pending selfie reviews, oldest first.
#[utoipa::path(get, path = paths::OPERATOR_SELFIE_REVIEWS, tag = "operator",
    security(("operator_session" = [])),
    responses((status = 200, description = "Pending reviews", body = Vec<SelfieReview>)))]
fn selfie_reviews() {}

/// Accept or reject a selfie.
#[utoipa::path(post, path = paths::OPERATOR_SELFIE_REVIEW_DECISION, tag = "operator",
    request_body = ReviewDecision, security(("operator_session" = [])),
    params(("id" = Uuid, Path, description = "Review id")),
    responses((status = 200, description = "The decided review", body = SelfieReview)))]
fn decide_selfie_review() {}

/// The selfie of a review, as uploaded.
#[utoipa::path(get, path = paths::OPERATOR_SELFIE_REVIEW_IMAGE, tag = "operator",
    security(("operator_session" = [])),
    params(("id" = Uuid, Path, description = "Review id")),
    responses((status = 200, description = "The picture", content(("image/jpeg"), ("image/png")))))]
fn selfie_review_image() {}

/// The ID-card photo an enrollment session uploaded.
#[utoipa::path(get, path = paths::OPERATOR_ID_CARD_PHOTO, tag = "operator",
    security(("operator_session" = [])),
    params(("id" = Uuid, Path, description = "Session id")),
    responses((status = 200, description = "The picture", content(("image/jpeg"), ("image/png")))))]
fn id_card_photo() {}

/// The population registry's photo of a person.
#[utoipa::path(get, path = paths::OPERATOR_REGISTRY_PHOTO, tag = "operator",
    security(("operator_session" = [])),
    params(("iin" = String, Path, description = "IIN, 12 digits")),
    responses((status = 200, description = "The picture", content(("image/jpeg"), ("image/png")))))]
fn registry_photo() {}

/// Certificates issued for an IIN, newest first.
#[utoipa::path(get, path = paths::OPERATOR_CERTIFICATES, tag = "operator",
    security(("operator_session" = [])), params(CertificateQuery),
    responses((status = 200, description = "The certificates", body = Vec<CertificateItem>)))]
fn certificates() {}

/// An operator revokes a certificate (a comment is required); revoking a revoked certificate answers the
/// same item again.
#[utoipa::path(post, path = paths::OPERATOR_CERTIFICATE_REVOCATION, tag = "operator",
    request_body = OperatorRevocation, security(("operator_session" = [])),
    params(("serial" = String, Path, description = "Serial, upper-case hex")),
    responses((status = 200, description = "Revoked", body = CertificateItem)))]
fn operator_revoke_certificate() {}

/// The embedded SMS gateway's outbox, in the order sent (the newest last); `404` unless the server runs with `--dev`.
#[utoipa::path(get, path = paths::DEV_SMS, tag = "dev", params(SmsQuery),
    responses((status = 200, description = "Sent messages", body = Vec<SmsMessage>)))]
fn dev_sms() {}

/// A relying party asks a citizen to sign. The citizen must hold a good SIGN certificate (`not_found`
/// otherwise). A newer request cancels the citizen's pending one; requests expire after 2 minutes.
/// Limited per relying party and per citizen (`rate_limited`, with `Retry-After`).
#[utoipa::path(post, path = paths::SIGN_REQUESTS, tag = "sign-requests", request_body = CreateSignRequest,
    security(("relying_party" = [])),
    responses((status = 201, description = "Created; show the verification code", body = SignRequestCreated)))]
fn create_sign_request() {}

/// The request's status; with `timeoutMs`, waits while it is `pending`. Only the relying party's own
/// requests (`not_found` otherwise).
#[utoipa::path(get, path = paths::SIGN_REQUEST, tag = "sign-requests", security(("relying_party" = [])),
    params(("id" = Uuid, Path, description = "Request id"), SignRequestPoll),
    responses((status = 200, description = "The request", body = SignRequestState)))]
fn sign_request() {}

/// A phone registers for its citizen's requests with a message signed by a good AUTH key issued by this
/// CA (`forbidden` for another certificate, a revoked or expired one; `unauthorized` for a bad
/// signature; `invalid_input` for a `registered_at` more than 5 minutes off).
#[utoipa::path(post, path = paths::DEVICES, tag = "devices", request_body = DeviceRegistration,
    responses((status = 201, description = "Registered; keep the token", body = DeviceRegistered)))]
fn register_device() {}

/// The citizen's pending requests; with `waitMs`, waits while there is none.
#[utoipa::path(get, path = paths::DEVICE_SIGN_REQUESTS, tag = "devices", security(("device" = [])),
    params(DevicePoll),
    responses((status = 200, description = "Pending requests", body = Vec<DeviceSignRequest>)))]
fn device_sign_requests() {}

/// Server-sent events: `sign_request` (a `DeviceSignRequest`: the pending ones at once, then each new
/// one), `sign_request_ended` (a `SignRequestCallback`), and keep-alive comments.
#[utoipa::path(get, path = paths::DEVICE_EVENTS, tag = "devices", security(("device" = [])),
    responses((status = 200, description = "An event stream", content_type = "text/event-stream", body = String)))]
fn device_events() {}

/// Approve with the CMS SignedData: signed by a good SIGN certificate of the citizen issued by this CA
/// (`forbidden` otherwise), over exactly the request's document or digest (`invalid_input` otherwise).
#[utoipa::path(post, path = paths::DEVICE_SIGN_REQUEST_APPROVAL, tag = "devices", request_body = SignRequestApproval,
    security(("device" = [])), params(("id" = Uuid, Path, description = "Request id")),
    responses((status = 200, description = "Signed", body = SignRequestCallback)))]
fn approve_sign_request() {}

/// Refuse the request.
#[utoipa::path(post, path = paths::DEVICE_SIGN_REQUEST_REFUSAL, tag = "devices",
    security(("device" = [])), params(("id" = Uuid, Path, description = "Request id")),
    responses((status = 200, description = "Refused", body = SignRequestCallback)))]
fn refuse_sign_request() {}

/// A browser starts a QR login (anonymous; rate-limited per client address). Sets the HttpOnly
/// `qoltanba_login_browser` cookie (path: the session) that the session's other browser calls need.
#[utoipa::path(post, path = paths::LOGIN_SESSIONS, tag = "login",
    responses((status = 201, description = "Started; show the number and the QR frames", body = LoginStarted)))]
fn start_login() {}

/// The session's status (browser cookie; `forbidden` with refusal `other_browser` without it); with
/// `waitMs`, waits while it is still `seen`.
#[utoipa::path(get, path = paths::LOGIN_SESSION, tag = "login",
    params(("id" = Uuid, Path, description = "Login session id"), LoginPoll),
    responses((status = 200, description = "The status", body = LoginStatus)))]
fn login_status() {}

/// The current QR frame as an SVG image (browser cookie), its text also in the `X-Login-Qr` header;
/// fetch it again every `frame_interval_ms` while `waiting`.
#[utoipa::path(get, path = paths::LOGIN_SESSION_QR, tag = "login",
    params(("id" = Uuid, Path, description = "Login session id")),
    responses((status = 200, description = "The QR code", content_type = "image/svg+xml", body = String)))]
fn login_qr() {}

/// Server-sent `login_status` events (a `LoginStatus`: the current one at once, then each change, the
/// stream ending after a final one), and keep-alive comments (browser cookie).
#[utoipa::path(get, path = paths::LOGIN_SESSION_EVENTS, tag = "login",
    params(("id" = Uuid, Path, description = "Login session id")),
    responses((status = 200, description = "An event stream", content_type = "text/event-stream", body = String)))]
fn login_events() {}

/// Completes an approved login, once, for the browser that started it (`forbidden` with refusal
/// `other_browser` for any other): sets the citizen's HttpOnly, SameSite=Strict `qoltanba_citizen` cookie.
#[utoipa::path(post, path = paths::LOGIN_SESSION_COMPLETION, tag = "login",
    params(("id" = Uuid, Path, description = "Login session id")),
    responses((status = 200, description = "Logged in", body = LoggedIn)))]
fn complete_login() {}

/// The phone read a QR frame: the first scan of a current frame claims the session and gets the
/// challenge (`forbidden` with refusal `stale_qr_code`, `conflict` with `already_scanned`,
/// `session_expired` with `expired`; `invalid_input` for a text that is not a login QR code).
#[utoipa::path(post, path = paths::LOGIN_SCANS, tag = "login", request_body = LoginScan,
    responses((status = 200, description = "The challenge to show and sign", body = LoginChallenge)))]
fn scan_login_qr() {}

/// The phone's approval, signed with the AUTH key over `login_message`. Refusals carry `refusal`:
/// `wrong_number`, `bad_signature`, `other_session`, `certificate_revoked` (OCSP), `certificate_expired`,
/// `not_an_auth_certificate`, `untrusted_certificate` (`forbidden`), `replayed` (`conflict`), `expired`
/// (`session_expired`).
#[utoipa::path(post, path = paths::LOGIN_SESSION_ANSWER, tag = "login", request_body = LoginAnswer,
    params(("id" = Uuid, Path, description = "Login session id")),
    responses((status = 200, description = "Accepted; the browser is being logged in", body = LoginAccepted)))]
fn answer_login() {}

/// The citizen declined on the phone (`not_found` without the challenge's nonce).
#[utoipa::path(post, path = paths::LOGIN_SESSION_REFUSAL, tag = "login", request_body = LoginDecline,
    params(("id" = Uuid, Path, description = "Login session id")),
    responses((status = 200, description = "The session's status now", body = LoginStatus)))]
fn decline_login() {}
