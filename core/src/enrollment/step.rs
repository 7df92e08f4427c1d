//! What the citizen sees now: one [`Step`] per screen of the flow, the [`Notice`] about the last thing
//! that went wrong, and the [`View`] the UI (and later the FFI layer) renders.

use qoltanba_protocol::{ErrorCode, FailureReason, IssuedCertificates, Person};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// A screen of the enrollment flow, client side (the server's states plus the phone's own steps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// 1. Check the camera and the network.
    DeviceCheck,
    /// 2. Type the IIN.
    EnterIin,
    /// 3. The server is asked to start a session (and looks the phone up).
    StartingSession,
    /// 4a. No phone is registered to the IIN: type one.
    EnterPhone,
    /// 4b. The operator registers the phone on a video call; the machine polls.
    AwaitingOperator {
        /// The operator's ticket.
        ticket: Uuid,
        /// The phone being registered, masked.
        phone_masked: String,
    },
    /// 5. Type (or auto-read) the code from 1414.
    EnterSmsCode {
        /// The phone the code went to, masked.
        phone_masked: String,
        /// When the code stops being accepted.
        #[serde(with = "time::serde::rfc3339")]
        expires_at: OffsetDateTime,
        /// From when a new code may be asked for.
        #[serde(with = "time::serde::rfc3339")]
        resend_after: OffsetDateTime,
        /// Wrong codes still allowed.
        tries_left: u8,
    },
    /// 6. Take a selfie for the Digital ID check.
    TakeSelfie {
        /// Uploads still allowed.
        attempts_left: u8,
        /// Why the previous selfie was rejected.
        last_rejection: Option<String>,
    },
    /// 6b. The selfie waits for face verification; the machine polls.
    SelfieUnderReview,
    /// 7. Choose a 4-digit PIN (twice).
    ChoosePin,
    /// 8. Photograph the ID card.
    TakeIdCardPhoto,
    /// 9. Type the PIN again and consent to the NCA processing the data.
    ConfirmPinAndConsent,
    /// 9b–10. The registry's data is shown; type an e-mail address.
    ReviewPersonAndEmail {
        /// The citizen as the population registry knows them.
        person: Person,
    },
    /// 10b. Choose where the keys live.
    ChooseKeyStorage,
    /// 11. File storage: choose the key files' password (twice).
    ChoosePassword,
    /// 11b. The key pairs and their CSRs are made on the device.
    GeneratingKeys,
    /// 11c. The CSRs are sent; the CA issues.
    Issuing,
    /// 11d. The certificates are installed beside their keys.
    Installing,
    /// File storage after an interruption (or a refused password): type the key files' password again
    /// to install the certificates.
    UnlockKeys,
    /// Enrolled.
    Done {
        /// The two certificates and the CA chain.
        certificates: IssuedCertificates,
    },
    /// The enrollment ended without certificates; a new one may start.
    Failed {
        /// Why.
        reason: FailReason,
        /// Human-readable detail from the server (an operator's reason), for display.
        detail: Option<String>,
    },
}

/// Why an enrollment ended without certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailReason {
    /// The server ended the session (operator rejection, too many codes or selfies, refused consent, …).
    Server(FailureReason),
    /// The session expired before the flow finished.
    SessionExpired,
    /// The server does not know the session (any more).
    SessionNotFound,
    /// The server refused in a way the flow cannot go on from (a defect on one side).
    Refused(ErrorCode),
    /// The server issued certificates but this device no longer holds their keys.
    KeysLost,
}

/// What went wrong last, for the UI to show beside the step; cleared by the next accepted input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// The SMS code was wrong.
    CodeMismatch {
        /// Wrong codes still allowed.
        tries_left: u8,
    },
    /// The SMS code expired: ask for a new one.
    CodeExpired,
    /// Too soon: wait, then retry (or do something else on this step).
    RateLimited {
        /// Seconds to wait, when the server said.
        retry_after_s: Option<u32>,
    },
    /// The server or a system behind it failed; retrying is safe.
    ServerUnavailable {
        /// Seconds to wait, when the server said.
        retry_after_s: Option<u32>,
    },
    /// The server could not be reached; retrying is safe.
    Network,
    /// The server refused this input (it disagrees with the phone's checks).
    Refused {
        /// The server's reason.
        code: ErrorCode,
    },
    /// The PIN typed again is not the chosen one.
    WrongPin {
        /// Tries left before the PIN locks.
        tries_left: u8,
        /// Until when the PIN is locked, if it is.
        #[serde(with = "time::serde::rfc3339::option")]
        locked_until: Option<OffsetDateTime>,
    },
    /// The key store could not make the keys; choose again.
    KeysFailed {
        /// The key store's explanation.
        detail: String,
    },
    /// The certificates could not be installed.
    InstallFailed {
        /// The key store's explanation.
        detail: String,
    },
    /// The app was interrupted while a secret or a picture was in use; give it again.
    Interrupted,
}

/// What the UI renders: the step, whether the machine waits for something, and the last notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    /// The current screen.
    pub step: Step,
    /// Whether an action is in flight (show progress; user input is refused meanwhile).
    pub busy: bool,
    /// Whether the in-flight action failed for a reason that may pass (network, server busy): offer
    /// "retry"; input for the step is accepted again.
    pub stalled: bool,
    /// The last thing that went wrong.
    pub notice: Option<Notice>,
    /// When the server session ends if unfinished.
    pub expires_at: Option<OffsetDateTime>,
}

/// The name of a [`Step`], without its data (for errors and tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // one per `Step` variant, documented there
pub enum StepKind {
    DeviceCheck,
    EnterIin,
    StartingSession,
    EnterPhone,
    AwaitingOperator,
    EnterSmsCode,
    TakeSelfie,
    SelfieUnderReview,
    ChoosePin,
    TakeIdCardPhoto,
    ConfirmPinAndConsent,
    ReviewPersonAndEmail,
    ChooseKeyStorage,
    ChoosePassword,
    GeneratingKeys,
    Issuing,
    Installing,
    UnlockKeys,
    Done,
    Failed,
}

impl Step {
    /// The step's name.
    pub fn kind(&self) -> StepKind {
        match self {
            Self::DeviceCheck => StepKind::DeviceCheck,
            Self::EnterIin => StepKind::EnterIin,
            Self::StartingSession => StepKind::StartingSession,
            Self::EnterPhone => StepKind::EnterPhone,
            Self::AwaitingOperator { .. } => StepKind::AwaitingOperator,
            Self::EnterSmsCode { .. } => StepKind::EnterSmsCode,
            Self::TakeSelfie { .. } => StepKind::TakeSelfie,
            Self::SelfieUnderReview => StepKind::SelfieUnderReview,
            Self::ChoosePin => StepKind::ChoosePin,
            Self::TakeIdCardPhoto => StepKind::TakeIdCardPhoto,
            Self::ConfirmPinAndConsent => StepKind::ConfirmPinAndConsent,
            Self::ReviewPersonAndEmail { .. } => StepKind::ReviewPersonAndEmail,
            Self::ChooseKeyStorage => StepKind::ChooseKeyStorage,
            Self::ChoosePassword => StepKind::ChoosePassword,
            Self::GeneratingKeys => StepKind::GeneratingKeys,
            Self::Issuing => StepKind::Issuing,
            Self::Installing => StepKind::Installing,
            Self::UnlockKeys => StepKind::UnlockKeys,
            Self::Done { .. } => StepKind::Done,
            Self::Failed { .. } => StepKind::Failed,
        }
    }

    /// Whether the flow has ended (done or failed).
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Done { .. } | Self::Failed { .. })
    }
}
