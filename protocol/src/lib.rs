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
#![warn(missing_docs)]

pub mod certificates;
pub mod dev;
pub mod error;
pub mod headers;
pub mod limits;
pub mod openapi;
pub mod operator;
pub mod paths;
pub mod person;
pub mod session;
pub mod state;
pub mod steps;

pub use certificates::{
    CertificateItem, CertificatePurpose, CertificateStatus, CitizenRevocation, IssuedCertificates,
    OperatorRevocation, RevocationReason,
};
pub use dev::SmsMessage;
pub use error::{ApiError, ErrorCode};
pub use headers::IDEMPOTENCY_KEY_HEADER;
pub use openapi::openapi;
pub use operator::{
    PhoneRegistrationTicket, ReviewDecision, SelfieReview, SelfieReviewStatus, TicketDecision, TicketStatus,
};
pub use person::Person;
pub use session::Session;
pub use state::{EnrollmentState, FailureReason};
pub use steps::{
    Consent, CsrPair, DeviceInfo, EmailAddress, ImageType, PhoneNumber, Platform, SmsCode, StartEnrollment,
};
