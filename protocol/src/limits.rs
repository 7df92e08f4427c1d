//! Numbers of the enrollment policy that both sides need: the server enforces them, the phone shows them
//! and validates input before sending it.

/// Length of the SMS confirmation code sent from 1414 (decimal digits).
pub const SMS_CODE_LEN: usize = 6;

/// Lifetime of one SMS code, in seconds (5 minutes).
pub const SMS_CODE_TTL_S: u32 = 300;

/// Seconds after sending a code before another one may be asked for (`POST …/sms-code/resend`).
pub const SMS_RESEND_AFTER_S: u32 = 60;

/// Wrong codes allowed per session; the last wrong one ends the session
/// ([`crate::FailureReason::TooManyCodeAttempts`]).
pub const SMS_MAX_TRIES: u8 = 3;

/// Selfies a session may upload (accepted or not) before it fails
/// ([`crate::FailureReason::SelfieAttemptsExhausted`]).
pub const SELFIE_MAX_ATTEMPTS: u8 = 5;

/// Largest picture (selfie or ID-card photo) the server accepts, in bytes; larger ones get
/// [`crate::ErrorCode::PayloadTooLarge`].
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// Largest CSR (PEM or base64 DER) the server accepts, in characters.
pub const MAX_CSR_CHARS: usize = 16 * 1024;

/// Longest idempotency key accepted, in bytes.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;
