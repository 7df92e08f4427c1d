//! HTTP header names of the API, and the rules of idempotent retries.
//!
//! # Idempotency
//!
//! Every `POST` of API v1 requires the header [`IDEMPOTENCY_KEY_HEADER`]: a client-chosen string of 1 to
//! [`MAX_IDEMPOTENCY_KEY_LEN`] visible ASCII characters, unique per attempted action (a random UUID v4 is
//! the recommended choice). The client keeps the key with the action and re-sends it on every retry of that
//! action, also after a crash or a restart of either side.
//!
//! The server stores each key with the request's method, path and a digest of its body, and the response it
//! gave, for at least 24 hours:
//! - same key, same method, path and body: the stored response is replayed (same status and body), and
//!   nothing is done twice (in particular, certificates are never issued twice);
//! - same key with another method, path or body: `409` [`ErrorCode::Conflict`](crate::ErrorCode::Conflict);
//! - no key, or a malformed one: `400`
//!   [`ErrorCode::MissingIdempotencyKey`](crate::ErrorCode::MissingIdempotencyKey).
//!
//! Errors that depend on time rather than on the request (`429`, `500`, `503`) are not stored, so the retry
//! runs again.

use crate::limits::MAX_IDEMPOTENCY_KEY_LEN;

/// Name of the request header carrying the idempotency key of a `POST` (see the module documentation).
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// Name of the cookie carrying an operator's console session (the `/v1/operator` API uses it too).
pub const OPERATOR_SESSION_COOKIE: &str = "qoltanba_operator";

/// Name of the request header that carries the operator session's CSRF token on every state-changing
/// `/v1/operator` request (`POST`, `DELETE`); the token comes with the session ([`crate::OperatorSession`]).
pub const OPERATOR_CSRF_HEADER: &str = "X-CSRF-Token";

/// Whether `key` is an acceptable value of [`IDEMPOTENCY_KEY_HEADER`]: 1 to 255 visible ASCII characters
/// (`!` to `~`).
pub fn is_valid_idempotency_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_IDEMPOTENCY_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_uuid_keys() {
        assert!(is_valid_idempotency_key("0b6d1b5e-4f7a-4c55-9d55-3f0a1f2b3c4d"));
    }

    #[test]
    fn rejects_empty_long_and_spaced_keys() {
        assert!(!is_valid_idempotency_key(""));
        assert!(!is_valid_idempotency_key(&"a".repeat(MAX_IDEMPOTENCY_KEY_LEN + 1)));
        assert!(!is_valid_idempotency_key("two words"));
        assert!(!is_valid_idempotency_key("ключ"));
    }
}
