//! Times as stored: `BIGINT` unix seconds.

use time::OffsetDateTime;

use super::StorageError;

/// The stored form of `at`.
pub(crate) fn to_db(at: OffsetDateTime) -> i64 {
    at.unix_timestamp()
}

/// Reads a stored time back; `column` names it in the error.
pub(crate) fn from_db(seconds: i64, column: &'static str) -> Result<OffsetDateTime, StorageError> {
    OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| StorageError::Corrupt { column })
}

/// Reads an optional stored time back.
pub(crate) fn from_db_opt(
    seconds: Option<i64>,
    column: &'static str,
) -> Result<Option<OffsetDateTime>, StorageError> {
    seconds.map(|s| from_db(s, column)).transpose()
}

/// Reads a stored UUID back.
pub(crate) fn uuid_from_db(text: &str, column: &'static str) -> Result<uuid::Uuid, StorageError> {
    uuid::Uuid::parse_str(text).map_err(|_| StorageError::Corrupt { column })
}
