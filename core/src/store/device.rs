//! This device's registration for signing requests: which server, its device id and token. The token is
//! a bearer credential: kept in the app's private database like the key references, wiped from memory
//! when dropped, never in `Debug` output.

use rusqlite::OptionalExtension;
use time::OffsetDateTime;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::time_column::{from_column, to_column};
use super::{Store, StoreError};

/// The device's registration, as the server answered it.
#[derive(Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    /// The server's base URL.
    pub server: String,
    /// The device's id on that server.
    pub device_id: Uuid,
    /// `Authorization: Bearer <token>` for the `/v1/device/…` calls.
    pub token: Zeroizing<String>,
    /// The AUTH certificate (serial, lowercase hex) the registration was signed with; the token dies with it.
    pub auth_serial: String,
    /// When the device registered.
    pub registered_at: OffsetDateTime,
}

impl std::fmt::Debug for DeviceRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceRecord")
            .field("server", &self.server)
            .field("device_id", &self.device_id)
            .field("auth_serial", &self.auth_serial)
            .field("registered_at", &self.registered_at)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Saves the device's registration (replacing an earlier one).
    pub fn save_device(&mut self, record: &DeviceRecord) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT INTO device (id, server, device_id, token, auth_serial, registered_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET server = excluded.server, device_id = excluded.device_id,
                 token = excluded.token, auth_serial = excluded.auth_serial,
                 registered_at = excluded.registered_at",
            rusqlite::params![
                record.server,
                record.device_id.to_string(),
                record.token.as_str(),
                record.auth_serial,
                to_column(record.registered_at)?,
            ],
        )?;
        Ok(())
    }

    /// The device's registration, if it registered.
    pub fn device(&self) -> Result<Option<DeviceRecord>, StoreError> {
        let row = self
            .connection
            .query_row(
                "SELECT server, device_id, token, auth_serial, registered_at FROM device WHERE id = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        Zeroizing::new(row.get::<_, String>(2)?),
                        row.get::<_, String>(3)?,
                        row.get::<_, i64>(4)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(server, device_id, token, auth_serial, at)| {
            Ok(DeviceRecord {
                server,
                device_id: device_id.parse().map_err(|_| StoreError::Corrupt("device id"))?,
                token,
                auth_serial,
                registered_at: from_column(at)?,
            })
        })
        .transpose()
    }

    /// Forgets the registration (its token was refused, or the certificates are gone).
    pub fn forget_device(&mut self) -> Result<(), StoreError> {
        self.connection.execute("DELETE FROM device", [])?;
        Ok(())
    }
}
