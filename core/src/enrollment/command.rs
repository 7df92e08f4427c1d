//! What the machine asks the edge to do: API calls, waits, PIN and key-store work.

use std::time::Duration;

use qoltanba_protocol::{Consent, CsrPair, EmailAddress, IssuedCertificates, PhoneNumber, StartEnrollment};
use uuid::Uuid;

use super::secret::{Picture, Secret};
use crate::keystore::{KeyId, KeyStorageKind};

/// An output of [`super::Enrollment::handle`] and [`super::Enrollment::resume`]: the edge runs it and
/// reports the result as an [`super::Event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Call the API; answer with `ServerAnswered`, `ServerRefused` or `TransportFailed`.
    Api(ApiCall),
    /// Wait, then send `PollDue`.
    PollAfter(Duration),
    /// Store the PIN's hash; answer `PinStored`.
    StorePin(Secret),
    /// Check the PIN against the stored hash; answer `PinChecked`.
    CheckPin(Secret),
    /// Make the AUTH and SIGN key pairs and their CSRs; answer `KeysGenerated` or `KeysFailed`.
    GenerateKeys {
        /// Where the keys live.
        storage: KeyStorageKind,
        /// The key files' password (file storage only).
        password: Option<Secret>,
        /// A name unique to this attempt (the same when re-issued after a restart), so a key store can
        /// replace what an interrupted attempt left.
        label: String,
    },
    /// Install the issued certificates beside their keys; answer `CertificatesInstalled` or
    /// `InstallFailed`.
    InstallCertificates {
        /// The certificates and the CA chain.
        certificates: IssuedCertificates,
        /// The authentication key.
        auth: KeyId,
        /// The signing key.
        sign: KeyId,
        /// Where the keys live.
        storage: KeyStorageKind,
        /// The key files' password (file storage only).
        password: Option<Secret>,
    },
    /// Delete keys that will never get certificates; answer `KeysDeleted` (deleting absent keys is
    /// not an error).
    DeleteKeys {
        /// The authentication key.
        auth: KeyId,
        /// The signing key.
        sign: KeyId,
        /// Where the keys live.
        storage: KeyStorageKind,
    },
}

/// One API v1 call and the idempotency key to send it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCall {
    /// The call.
    pub request: ApiRequest,
    /// The `Idempotency-Key` header of a `POST` (the same on every re-send of this action, also after a
    /// restart); `None` for the `GET`.
    pub idempotency_key: Option<String>,
}

/// The enrollment calls of API v1 with their bodies (paths in `qoltanba_protocol::paths`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiRequest {
    /// `POST /v1/enrollments`.
    Start(StartEnrollment),
    /// `GET /v1/enrollments/{id}`.
    Fetch {
        /// The session.
        session: Uuid,
    },
    /// `POST …/phone`.
    Phone {
        /// The session.
        session: Uuid,
        /// The body.
        body: PhoneNumber,
    },
    /// `POST …/sms-code` with body `SmsCode { code }`.
    SmsCode {
        /// The session.
        session: Uuid,
        /// The code.
        code: Secret,
    },
    /// `POST …/sms-code/resend` (empty body).
    ResendSmsCode {
        /// The session.
        session: Uuid,
    },
    /// `POST …/selfie` (raw picture body).
    Selfie {
        /// The session.
        session: Uuid,
        /// The selfie.
        picture: Picture,
    },
    /// `POST …/id-card-photo` (raw picture body).
    IdCardPhoto {
        /// The session.
        session: Uuid,
        /// The photo.
        picture: Picture,
    },
    /// `POST …/consent`.
    Consent {
        /// The session.
        session: Uuid,
        /// The body.
        body: Consent,
    },
    /// `POST …/email`.
    Email {
        /// The session.
        session: Uuid,
        /// The body.
        body: EmailAddress,
    },
    /// `POST …/csrs`.
    Csrs {
        /// The session.
        session: Uuid,
        /// The body.
        body: CsrPair,
    },
}
