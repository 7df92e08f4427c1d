//! Times as INTEGER columns: nanoseconds since the Unix epoch (UTC), so that SQL orders them.

use time::OffsetDateTime;

use super::StoreError;

/// The column value of `at`.
pub fn to_column(at: OffsetDateTime) -> Result<i64, StoreError> {
    i64::try_from(at.unix_timestamp_nanos()).map_err(|_| StoreError::TimeOutOfRange(at))
}

/// The time a column value holds.
pub fn from_column(nanos: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos)).map_err(|_| StoreError::Corrupt("time"))
}
