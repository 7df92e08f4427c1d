//! The phone's brain, shared by the Android and iOS apps and by the desktop CLI acting as a phone.
//!
//! - [`enrollment`]: the sans-IO state machine of the remote issuance flow (events in, next state and
//!   requests out; no I/O, clock or randomness inside).
//! - [`client`]: the HTTP client of API v1 (`reqwest` + rustls) with timeouts, retries and idempotency keys.
//! - [`keystore`]: where private keys live (software PKCS#12 files; Android Keystore; Apple Keychain).
//! - [`login`]: QR login to a relying party's page with the AUTH key (the approval machine and its driver).
//! - [`store`]: the local SQLite store (enrollment state, certificates, history, PIN hash).
//! - [`ports`]: what the platform implements (forms, camera, SMS code, PIN prompt, clock).
//! - [`text`]: what the citizen reads (refused input, notices, failure reasons) in kk, ru and en.
//! - [`driver`]: runs the machine against the server, the ports, the key stores and the store.
//! - [`documents`]: signing a file with the SIGN key, verifying a signature against the enrolled CA.
//! - [`signing`]: signing requests from services: device registration, the inbox, approve and refuse.
#![warn(missing_docs)]

pub mod client;
pub mod documents;
pub mod driver;
pub mod enrollment;
pub mod keystore;
pub mod login;
pub mod ports;
pub mod signing;
pub mod store;
pub mod text;
