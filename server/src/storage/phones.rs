//! The mobile-citizens database (embedded stand-in): which phone is registered to an IIN.

use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;

use super::StorageError;
use super::timestamp::{from_db, to_db};

/// A phone registered to an IIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneRecord {
    /// The citizen's IIN.
    pub iin: String,
    /// The phone, E.164 (`+77011234567`).
    pub phone: String,
    /// When it was registered.
    pub registered_at: OffsetDateTime,
    /// Who registered it (`seed`, `operator:<username>`, …).
    pub registered_by: String,
}

/// Registers a phone. `Conflict` `mobile_phones_pkey` if the IIN already has one, `foreign_key` if the
/// registry does not know the IIN.
pub async fn register(conn: &mut AnyConnection, record: &PhoneRecord) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO mobile_phones (iin, phone, registered_at, registered_by) VALUES ($1, $2, $3, $4)",
    )
    .bind(&record.iin)
    .bind(&record.phone)
    .bind(to_db(record.registered_at))
    .bind(&record.registered_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The phone registered to `iin`, if any.
pub async fn find(conn: &mut AnyConnection, iin: &str) -> Result<Option<PhoneRecord>, StorageError> {
    let row =
        sqlx::query("SELECT iin, phone, registered_at, registered_by FROM mobile_phones WHERE iin = $1")
            .bind(iin)
            .fetch_optional(conn)
            .await?;
    row.map(|r| {
        Ok(PhoneRecord {
            iin: r.try_get("iin")?,
            phone: r.try_get("phone")?,
            registered_at: from_db(r.try_get("registered_at")?, "registered_at")?,
            registered_by: r.try_get("registered_by")?,
        })
    })
    .transpose()
}
