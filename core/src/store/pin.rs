//! The PIN: an Argon2id hash (PHC string) and failure counters, never the digits.
//!
//! Every check counts as a failure *before* the hash is compared and is cleared only after a match, so
//! killing the app mid-check cannot win a free try. After [`MAX_FAILURES`] wrong PINs in a row the PIN
//! is locked for a time that grows with each lockout (1 min, 5 min, 15 min, 1 h, then 24 h); a
//! correct PIN resets everything. The lock follows the clock the caller passes.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rusqlite::OptionalExtension;
use time::{Duration, OffsetDateTime};

use super::time_column::{from_column, to_column};
use super::{Store, StoreError};

/// Wrong PINs in a row before a lockout.
pub const MAX_FAILURES: u32 = 5;

/// The lock after the first, second, … lockout (the last repeats).
const LOCK_DURATIONS: [Duration; 5] = [
    Duration::minutes(1),
    Duration::minutes(5),
    Duration::minutes(15),
    Duration::hours(1),
    Duration::hours(24),
];

/// The outcome of [`Store::check_pin`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinCheck {
    /// The PIN is right.
    Correct,
    /// The PIN is wrong; `tries_left` more wrong PINs lock it.
    Wrong {
        /// Wrong PINs left before the lock.
        tries_left: u32,
    },
    /// Too many wrong PINs: no PIN is checked before `until`.
    Locked {
        /// When checking resumes.
        until: OffsetDateTime,
    },
}

struct PinRow {
    hash: String,
    failures: u32,
    lockouts: u32,
    locked_until: Option<i64>,
}

impl Store {
    /// Whether a PIN has been set.
    pub fn has_pin(&self) -> Result<bool, StoreError> {
        Ok(self.pin_row()?.is_some())
    }

    /// Sets (or replaces) the PIN: 4 to 12 ASCII digits. Clears the failure counters.
    pub fn set_pin(&mut self, pin: &str) -> Result<(), StoreError> {
        if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StoreError::InvalidPin);
        }
        let hasher = Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            self.options.pin_hashing.clone(),
        );
        let hash = hasher.hash_password(pin.as_bytes()).map_err(|_| StoreError::PinHash)?.to_string();
        self.connection.execute(
            "INSERT INTO pin (id, hash, failures, lockouts, locked_until) VALUES (1, ?1, 0, 0, NULL)
             ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, failures = 0, lockouts = 0, locked_until = NULL",
            [hash],
        )?;
        Ok(())
    }

    /// Checks `pin` at time `now`, counting failures and locking after [`MAX_FAILURES`] in a row.
    pub fn check_pin(&mut self, pin: &str, now: OffsetDateTime) -> Result<PinCheck, StoreError> {
        let row = self.pin_row()?.ok_or(StoreError::NoPin)?;
        if let Some(until) = row.locked_until.map(from_column).transpose()?.filter(|until| *until > now) {
            return Ok(PinCheck::Locked { until });
        }
        self.connection
            .execute("UPDATE pin SET failures = failures + 1, locked_until = NULL WHERE id = 1", [])?;
        match Argon2::default().verify_password(pin.as_bytes(), row.hash.as_str()) {
            Ok(()) => {
                self.connection.execute(
                    "UPDATE pin SET failures = 0, lockouts = 0, locked_until = NULL WHERE id = 1",
                    [],
                )?;
                Ok(PinCheck::Correct)
            }
            Err(argon2::password_hash::Error::PasswordInvalid) => self.count_failure(&row, now),
            Err(_) => Err(StoreError::PinHash),
        }
    }

    fn count_failure(&mut self, row: &PinRow, now: OffsetDateTime) -> Result<PinCheck, StoreError> {
        let failures = row.failures.saturating_add(1);
        if failures < MAX_FAILURES {
            return Ok(PinCheck::Wrong { tries_left: MAX_FAILURES - failures });
        }
        let step = usize::try_from(row.lockouts).unwrap_or(usize::MAX).min(LOCK_DURATIONS.len() - 1);
        let until = now + LOCK_DURATIONS.get(step).copied().unwrap_or(Duration::hours(24));
        self.connection.execute(
            "UPDATE pin SET failures = 0, lockouts = lockouts + 1, locked_until = ?1 WHERE id = 1",
            [to_column(until)?],
        )?;
        Ok(PinCheck::Locked { until })
    }

    fn pin_row(&self) -> Result<Option<PinRow>, StoreError> {
        Ok(self
            .connection
            .query_row("SELECT hash, failures, lockouts, locked_until FROM pin WHERE id = 1", [], |row| {
                Ok(PinRow {
                    hash: row.get(0)?,
                    failures: row.get(1)?,
                    lockouts: row.get(2)?,
                    locked_until: row.get(3)?,
                })
            })
            .optional()?)
    }
}
