//! The registration authority: enrollment sessions, identity proofing and policy.
//!
//! Every operation is one database transaction: read the session, check its state (and expiry), make
//! the change, compare-and-swap the session on its `version`, append to the audit log, and record the
//! answer under the request's idempotency key, all committed together. A retried request with the same
//! key gets the stored answer and changes nothing (certificates are never issued twice); the same key
//! with another request is a `conflict`.
//!
//! - [`clock`]: where time comes from ([`FakeClock`] in tests);
//! - [`face`]: the pluggable face check ([`OperatorReview`] by default);
//! - the steps: `start` (IIN, phone lookup, phone tickets), `sms` (codes), `proofing` (selfie, ID
//!   card, consent, e-mail) and `issuance` (CSRs to certificates);
//! - the operator's side: `queues` (what is pending, the pictures) and `revocation` (by the holder or an
//!   operator).

mod app_hash;
pub mod clock;
mod codes;
mod error;
pub mod face;
mod issuance;
mod proofing;
mod queues;
mod revocation;
mod session;
mod sms;
mod start;
pub(crate) mod transaction;
mod validate;

use std::sync::Arc;

use qoltanba_protocol::Session;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::ca::Authority;
use crate::storage::Storage;

pub use app_hash::{BadAppHash, SmsAppHash};
pub use clock::{Clock, FakeClock, SystemClock};
pub use codes::{CodeSource, RandomCodes, hash_code, mask_phone};
pub use error::RaError;
pub(crate) use error::api;
pub use face::{FaceVerdict, FaceVerifier, OperatorReview};
pub use queues::Picture;
pub use revocation::REVOCATION_MAX_SKEW;
pub(crate) use session::audit;
pub use transaction::Idempotency;

/// How long a session lives without any step: each change pushes its expiry this far ahead.
pub const SESSION_IDLE_TIMEOUT: Duration = Duration::minutes(30);

/// The registration authority.
#[derive(Clone)]
pub struct Ra {
    storage: Storage,
    authority: Arc<Authority>,
    clock: Arc<dyn Clock>,
    codes: Arc<dyn CodeSource>,
    face: Arc<dyn FaceVerifier>,
    sms_app_hash: Option<SmsAppHash>,
}

impl std::fmt::Debug for Ra {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ra").field("authority", &self.authority).finish_non_exhaustive()
    }
}

impl Ra {
    /// An RA on `storage` issuing with `authority`, with the system clock, random codes and operator
    /// review of selfies.
    pub fn new(storage: Storage, authority: Arc<Authority>) -> Self {
        Self {
            storage,
            authority,
            clock: Arc::new(SystemClock),
            codes: Arc::new(RandomCodes),
            face: Arc::new(OperatorReview),
            sms_app_hash: None,
        }
    }

    /// The same RA reading time from `clock`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The same RA making SMS codes with `codes`.
    pub fn with_codes(mut self, codes: Arc<dyn CodeSource>) -> Self {
        self.codes = codes;
        self
    }

    /// The same RA checking selfies with `face`.
    pub fn with_face_verifier(mut self, face: Arc<dyn FaceVerifier>) -> Self {
        self.face = face;
        self
    }

    /// The same RA ending every SMS code with the Android app's SMS Retriever `hash`.
    pub fn with_sms_app_hash(mut self, hash: Option<SmsAppHash>) -> Self {
        self.sms_app_hash = hash;
        self
    }

    /// The storage the RA works on.
    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// The current time, whole seconds (the precision the database keeps).
    fn now(&self) -> OffsetDateTime {
        let now = self.clock.now();
        now.replace_nanosecond(0).unwrap_or(now)
    }

    /// The session as it is now (`GET /v1/enrollments/{id}`): `not_found`, or `session_expired` for an
    /// unfinished session past its expiry.
    pub async fn session(&self, id: Uuid) -> Result<Session, RaError> {
        let mut conn = self.storage.acquire().await?;
        let loaded = session::load(&mut conn, id, self.now()).await?;
        Ok(loaded.data.wire(id))
    }
}
