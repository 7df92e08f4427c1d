//! The database: SQLite (a file, the embedded default) or PostgreSQL, chosen by URL; one migration set
//! per backend; every query written once against `sqlx::Any`.
//!
//! This is the only code that touches the database (Boulder's SA). Repository functions live in one module
//! per resource and take a `&mut AnyConnection`, so the caller decides whether a call runs alone
//! ([`Storage::acquire`]) or inside a transaction with others ([`Storage::begin`]) — for example an
//! idempotency record, a session's state change and the certificates issued, committed together.
//!
//! # Conventions shared by both backends
//! - Times are `BIGINT` unix seconds (UTC). The public API speaks [`time::OffsetDateTime`]; sub-second
//!   precision is dropped on the way in.
//! - UUIDs are lower-case hyphenated `TEXT`; bytes are `BLOB` (SQLite) / `BYTEA` (PostgreSQL), both read
//!   and written as `Vec<u8>` through `Any`; integers are `BIGINT` (`i64`); no booleans, no `NUMERIC`.
//! - Enumerations are `TEXT` with a `CHECK`; constraints carry PostgreSQL's default names on both
//!   backends, which is what [`StorageError::Conflict`] reports.
//! - SQL uses `$1` placeholders, which both SQLite and PostgreSQL accept.

mod connect;
mod error;
mod timestamp;

pub mod audit;
pub mod ca;
pub mod certificates;
pub mod devices;
pub mod idempotency;
pub mod operators;
pub mod phones;
pub mod registry;
pub mod relying_parties;
pub mod reviews;
pub mod sessions;
pub mod sign_requests;
pub mod sms;
pub mod uploads;

pub use connect::{Backend, Storage};
pub use error::{ALREADY_DECIDED, ConflictKind, FOREIGN_KEY, SESSION_VERSION, StorageError};
pub use sqlx::AnyConnection;
