//! The history entry of a login the citizen saw ([`crate::store::OperationKind::Login`]).

use qoltanba_protocol::LoginRefusal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::stage::Ending;
use crate::store::{HistoryEntry, OperationKind, Store, StoreError};

/// How a login ended, as the history keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginOutcome {
    /// The citizen approved and the browser was logged in.
    Approved,
    /// The server refused the login (`reason` says why).
    Refused,
    /// The citizen declined.
    Declined,
    /// It did not finish (PIN locked, no network, key failure).
    Failed,
}

/// The detail of a [`OperationKind::Login`] history entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRecord {
    /// How it ended.
    pub outcome: LoginOutcome,
    /// Who asked.
    pub relying_party: String,
    /// The browser, as the server summarised it.
    pub browser: String,
    /// Why the server refused, for [`LoginOutcome::Refused`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<LoginRefusal>,
}

impl LoginRecord {
    /// The record of `ending`, for a login from `browser` to `relying_party`.
    pub fn new(ending: &Ending, relying_party: &str, browser: &str) -> Self {
        let (outcome, reason) = match ending {
            Ending::Approved { .. } => (LoginOutcome::Approved, None),
            Ending::Declined => (LoginOutcome::Declined, None),
            Ending::Refused { reason } => (LoginOutcome::Refused, Some(*reason)),
            Ending::PinLocked { .. } | Ending::Failed { .. } => (LoginOutcome::Failed, None),
        };
        Self { outcome, relying_party: relying_party.to_owned(), browser: browser.to_owned(), reason }
    }

    /// The login record an entry holds, if it is a login's.
    pub fn of(entry: &HistoryEntry) -> Option<Self> {
        (entry.kind == OperationKind::Login).then(|| serde_json::from_value(entry.detail.clone()).ok())?
    }

    /// Records it in `store` at `at`; returns the entry's id.
    pub fn save(&self, store: &mut Store, at: OffsetDateTime) -> Result<i64, StoreError> {
        let detail = serde_json::to_value(self).map_err(StoreError::Encode)?;
        store.record(at, OperationKind::Login, &detail)
    }
}
