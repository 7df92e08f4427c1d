//! Wire types of Qoltanba's HTTP API v1, shared by the phone core (the `reqwest` client) and the
//! reference issuance server (axum), and the OpenAPI 3.1 document derived from them.
//!
//! The enrollment is a server-side state machine: every step is a `POST` under
//! [`paths::ENROLLMENT`] that returns the whole [`Session`], whose [`EnrollmentState`] names what the
//! server waits for next. Every failure is one body type, [`ApiError`], whose [`ErrorCode`] fixes the HTTP
//! status. Every `POST` carries an [`IDEMPOTENCY_KEY_HEADER`]; see [`headers`] for its rules.
//!
//! Conventions on the wire: JSON with `snake_case` names; times are RFC 3339 strings
//! (`2025-03-01T10:15:00Z`); dates are `YYYY-MM-DD`; identifiers are UUID strings; certificate serials are
//! upper-case hexadecimal without separators; pictures are uploaded as the raw request body with
//! `Content-Type: image/jpeg` or `image/png` (see [`ImageType`]).
//!
//! ```
//! use qoltanba_protocol::{ApiError, EnrollmentState, ErrorCode, Session};
//!
//! let body = r#"{"id": "0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d",
//!                "state": {"state": "expect_selfie", "attempts_left": 5},
//!                "expires_at": "2025-03-01T10:45:00Z"}"#;
//! let session: Session = serde_json::from_str(body).unwrap();
//! assert!(matches!(session.state, EnrollmentState::ExpectSelfie { attempts_left: 5, .. }));
//!
//! let error: ApiError = serde_json::from_str(r#"{"code": "rate_limited", "detail": "", "retry_after_s": 42}"#).unwrap();
//! assert_eq!((error.code, error.http_status(), error.retry_after_s), (ErrorCode::RateLimited, 429, Some(42)));
//! ```
#![warn(missing_docs)]

pub mod certificates;
pub mod dev;
pub mod error;
pub mod headers;
pub mod limits;
pub mod login;
pub mod openapi;
pub mod operator;
pub mod paths;
pub mod person;
pub mod session;
pub mod sign_requests;
pub mod state;
pub mod steps;

pub use certificates::{
    CertificateItem, CertificatePurpose, CertificateStatus, CitizenRevocation, IssuedCertificates,
    OperatorRevocation, RevocationReason,
};
pub use dev::SmsMessage;
pub use error::{ApiError, ErrorCode};
pub use headers::IDEMPOTENCY_KEY_HEADER;
pub use login::{
    LoggedIn, LoginAccepted, LoginAnswer, LoginChallenge, LoginDecline, LoginQr, LoginRefusal, LoginScan,
    LoginStarted, LoginStatus, QrError, login_message,
};
pub use openapi::openapi;
pub use operator::{
    OperatorLogin, OperatorSession, PhoneRegistrationTicket, ReviewDecision, SelfieReview,
    SelfieReviewStatus, TicketDecision, TicketStatus,
};
pub use person::Person;
pub use session::Session;
pub use sign_requests::{
    CreateSignRequest, DeviceRegistered, DeviceRegistration, DeviceSignRequest, SignRequestApproval,
    SignRequestCallback, SignRequestCreated, SignRequestState, SignRequestStatus, SignatureFormat,
    verification_code,
};
pub use state::{EnrollmentState, FailureReason};
pub use steps::{
    Consent, CsrPair, DeviceInfo, EmailAddress, ImageType, PhoneNumber, Platform, SmsCode, StartEnrollment,
};
