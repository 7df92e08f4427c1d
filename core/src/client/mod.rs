//! The HTTP client of API v1, as the phone (and the CLI acting as one) uses it.
//!
//! - [`Client`]: every enrollment call and the citizen's certificate revocation. Each `POST` carries the
//!   idempotency key the caller gives (the enrollment machine derives them); the client never invents one.
//! - [`ClientConfig`] and [`RetryPolicy`]: timeouts, and which failures are retried how: network failures,
//!   timeouts, `500`/`502`/`503`/`504` and `429` are sent again, unchanged and with the same key, after a
//!   jittered exponential backoff (or the server's `Retry-After`, when it is short enough); other answers
//!   are never retried.
//! - [`ClientError`]: what went wrong, typed for a UI to localise (tries left, retry-after, the state the
//!   server is in, …), the server's [`qoltanba_protocol::ApiError`] kept for the caller that maps it.
//! - the device's calls for signing requests ([`Client::register_device`], [`Client::device_sign_requests`],
//!   [`Client::approve_sign_request`], [`Client::refuse_sign_request`]), with the device token as a bearer
//!   credential; [`RelyingPartyClient`]: a relying party's side, for demos, tests and the bench;
//! - QR login ([`Client::login_scan`], [`Client::login_answer`], [`Client::login_decline`]).
//! - [`OperatorClient`]: the operator's JSON API (log in, decide tickets and selfie reviews), for the demo
//!   and tests; [`Client::dev_sms`]: the SMS code in a `--dev` server's outbox.
//!
//! Nothing here logs secrets: SMS codes and passwords never reach `tracing`, and error messages carry
//! neither them nor URLs (which hold the session id).

mod config;
mod dev;
mod devices;
mod enrollment;
mod error;
mod login;
mod operator;
mod relying_party;
mod sleep;
mod transport;

pub use config::{ClientConfig, RetryPolicy};
pub use enrollment::Client;
pub use error::ClientError;
pub use operator::OperatorClient;
pub use relying_party::RelyingPartyClient;
pub use sleep::{Sleeper, TokioSleeper};
