//! Qoltanba's reference issuance service: the registration authority (RA) and certification authority
//! (CA) that stand in for egov's remote issuance service and the National Certification Center.
//!
//! Split as Let's Encrypt's Boulder splits it:
//! - [`storage`]: the only code that touches the database (SQLite by default, PostgreSQL by URL);
//! - [`ca`]: signs certificates, CRLs and OCSP answers; knows nothing of HTTP or of enrollment;
//! - [`ra`]: enrollment sessions, identity proofing, policy;
//! - [`signing`]: push-approved signing requests of relying parties, and citizens' devices;
//! - [`login`]: QR-code login of a browser with the citizen's phone;
//! - [`web`]: HTTP and pages.
//!
//! What it does not do (yet): talk to the real government systems; their embedded stand-ins live in
//! our own database.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod accounts;
pub mod app;
pub mod bootstrap;
pub mod ca;
pub mod config;
pub mod login;
pub mod ra;
pub mod seed;
pub mod signing;
pub mod storage;
pub mod telemetry;
pub mod web;
