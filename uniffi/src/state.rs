//! The enrollment's observable state as the UI renders it: records and enums mirroring core's
//! [`View`], [`Step`] and [`Notice`], with failure reasons and tries left. Conversions only.

use std::time::SystemTime;

use qoltanba_core::enrollment::{self as core, InputError};
use qoltanba_core::keystore::KeyStorageKind;
use qoltanba_core::ports::Work;
use qoltanba_pki::iin::IinError;
use qoltanba_protocol::{ErrorCode, FailureReason};

/// What the UI shows now.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EnrollmentState {
    /// The current screen.
    pub step: Step,
    /// An action is in flight: show progress; input is refused meanwhile.
    pub busy: bool,
    /// The action in flight failed for a passing reason (network, busy server): offer a retry.
    pub stalled: bool,
    /// The last thing that went wrong, shown beside the step.
    pub notice: Option<Notice>,
    /// When the server session ends if unfinished.
    pub expires_at: Option<SystemTime>,
}

/// A screen of the enrollment flow (core's `Step`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
#[allow(missing_docs)] // each mirrors the core variant of the same name
pub enum Step {
    DeviceCheck,
    EnterIin,
    StartingSession,
    EnterPhone,
    AwaitingOperator { phone_masked: String },
    EnterSmsCode { phone_masked: String, expires_at: SystemTime, resend_after: SystemTime, tries_left: u8 },
    TakeSelfie { attempts_left: u8, last_rejection: Option<String> },
    SelfieUnderReview,
    ChoosePin,
    TakeIdCardPhoto,
    ConfirmPinAndConsent,
    ReviewPersonAndEmail { person: Person },
    ChooseKeyStorage,
    ChoosePassword,
    GeneratingKeys,
    Issuing,
    Installing,
    UnlockKeys,
    Done { certificates: IssuedCertificates },
    Failed { reason: FailReason, detail: Option<String> },
}

/// The citizen as the population registry knows them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Person {
    /// Individual identification number (12 digits).
    pub iin: String,
    /// Surname.
    pub surname: String,
    /// Given name.
    pub name: String,
    /// Patronymic, for those who have one.
    pub patronymic: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    pub birth_date: String,
}

/// The two certificates the CA issued, PEM.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IssuedCertificates {
    /// Authentication (egov login).
    pub auth_pem: String,
    /// Signing.
    pub sign_pem: String,
    /// The CA chain, issuing CA first.
    pub chain_pem: String,
    /// Serial of the AUTH certificate (hex).
    pub auth_serial: String,
    /// Serial of the SIGN certificate (hex).
    pub sign_serial: String,
}

/// Why an enrollment ended without certificates.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum FailReason {
    /// The operator rejected the phone registration.
    PhoneRegistrationRejected,
    /// Too many wrong SMS codes.
    TooManyCodeAttempts,
    /// Every selfie attempt was used.
    SelfieAttemptsExhausted,
    /// The citizen refused consent.
    ConsentRefused,
    /// The registry has no usable record for the IIN.
    PersonNotFound,
    /// The CA refused to issue.
    IssuanceRefused,
    /// An operator ended the session.
    CancelledByOperator,
    /// The session expired before the flow finished.
    SessionExpired,
    /// The server no longer knows the session.
    SessionNotFound,
    /// The server refused in a way the flow cannot go on from; `code` is the API error code.
    Refused {
        /// The API error code (`snake_case`, as on the wire).
        code: String,
    },
    /// Certificates were issued but this device no longer holds their keys.
    KeysLost,
}

/// What went wrong last, shown beside the step.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Notice {
    /// The SMS code was wrong.
    CodeMismatch {
        /// Wrong codes still allowed.
        tries_left: u8,
    },
    /// The SMS code expired; a new one is asked for.
    CodeExpired,
    /// Too soon; wait.
    RateLimited {
        /// Seconds to wait, when the server said.
        retry_after_s: Option<u32>,
    },
    /// The server failed; retrying is safe.
    ServerUnavailable {
        /// Seconds to wait, when the server said.
        retry_after_s: Option<u32>,
    },
    /// The server could not be reached.
    Network,
    /// The server refused this input.
    Refused {
        /// The API error code (`snake_case`).
        code: String,
    },
    /// The confirming PIN is not the chosen one.
    WrongPin {
        /// Tries left before the PIN locks.
        tries_left: u8,
        /// Until when the PIN is locked, if it is.
        locked_until: Option<SystemTime>,
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
    /// The app was interrupted while a secret or picture was in use; give it again.
    Interrupted,
}

/// Why the citizen's last input was refused (the step stays and is asked again).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum InputProblem {
    /// The flow needs a camera and a network.
    DeviceNotReady {
        /// A usable camera was found.
        camera_ok: bool,
        /// The network is reachable.
        network_ok: bool,
    },
    /// The IIN is not 12 characters.
    IinLength {
        /// Characters typed.
        got: u64,
    },
    /// The IIN has a character that is not a digit.
    IinNotADigit {
        /// 1-based position of the first one.
        position: u64,
    },
    /// The IIN's check digit is wrong.
    IinCheckDigit,
    /// Not a Kazakh mobile number.
    Phone,
    /// The SMS code is not six digits.
    SmsCode,
    /// The picture is neither JPEG nor PNG.
    PictureType,
    /// The picture is too large.
    PictureTooLarge {
        /// Its size in bytes.
        size: u64,
        /// The largest accepted.
        max: u64,
    },
    /// The PIN is not four digits.
    PinShape,
    /// The PIN is too easy to guess.
    PinWeak,
    /// The PIN and its confirmation differ.
    PinConfirmation,
    /// Not an e-mail address.
    Email,
    /// The password is too short or lacks letters or digits.
    PasswordWeak {
        /// The fewest characters accepted.
        min_chars: u64,
    },
    /// The password and its confirmation differ.
    PasswordConfirmation,
    /// The password is empty.
    PasswordEmpty,
}

/// Where the keys live (step 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeyStorage {
    /// The platform's hardware-backed key store (the [`crate::PlatformKeyStore`] given to the flow).
    Hardware,
    /// Password-protected PKCS#12 files, NCA-compatible.
    File,
}

/// Long work in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
#[allow(missing_docs)] // mirrors core's `Work`
pub enum Progress {
    Server,
    GeneratingKeys,
    Installing,
    Waiting,
}

impl From<core::View> for EnrollmentState {
    fn from(view: core::View) -> Self {
        Self {
            step: view.step.into(),
            busy: view.busy,
            stalled: view.stalled,
            notice: view.notice.map(Notice::from),
            expires_at: view.expires_at.map(SystemTime::from),
        }
    }
}

impl From<core::Step> for Step {
    fn from(step: core::Step) -> Self {
        use core::Step as S;
        match step {
            S::DeviceCheck => Self::DeviceCheck,
            S::EnterIin => Self::EnterIin,
            S::StartingSession => Self::StartingSession,
            S::EnterPhone => Self::EnterPhone,
            S::AwaitingOperator { phone_masked, .. } => Self::AwaitingOperator { phone_masked },
            S::EnterSmsCode { phone_masked, expires_at, resend_after, tries_left } => Self::EnterSmsCode {
                phone_masked,
                expires_at: expires_at.into(),
                resend_after: resend_after.into(),
                tries_left,
            },
            S::TakeSelfie { attempts_left, last_rejection } => {
                Self::TakeSelfie { attempts_left, last_rejection }
            }
            S::SelfieUnderReview => Self::SelfieUnderReview,
            S::ChoosePin => Self::ChoosePin,
            S::TakeIdCardPhoto => Self::TakeIdCardPhoto,
            S::ConfirmPinAndConsent => Self::ConfirmPinAndConsent,
            S::ReviewPersonAndEmail { person } => Self::ReviewPersonAndEmail { person: person.into() },
            S::ChooseKeyStorage => Self::ChooseKeyStorage,
            S::ChoosePassword => Self::ChoosePassword,
            S::GeneratingKeys => Self::GeneratingKeys,
            S::Issuing => Self::Issuing,
            S::Installing => Self::Installing,
            S::UnlockKeys => Self::UnlockKeys,
            S::Done { certificates } => Self::Done { certificates: certificates.into() },
            S::Failed { reason, detail } => Self::Failed { reason: reason.into(), detail },
        }
    }
}

impl From<qoltanba_protocol::Person> for Person {
    fn from(person: qoltanba_protocol::Person) -> Self {
        Self {
            iin: person.iin,
            surname: person.surname,
            name: person.name,
            patronymic: person.patronymic,
            birth_date: person.birth_date.to_string(),
        }
    }
}

impl From<qoltanba_protocol::IssuedCertificates> for IssuedCertificates {
    fn from(issued: qoltanba_protocol::IssuedCertificates) -> Self {
        Self {
            auth_pem: issued.auth_pem,
            sign_pem: issued.sign_pem,
            chain_pem: issued.chain_pem,
            auth_serial: issued.auth_serial,
            sign_serial: issued.sign_serial,
        }
    }
}

impl From<core::FailReason> for FailReason {
    fn from(reason: core::FailReason) -> Self {
        use core::FailReason as F;
        match reason {
            F::Server(reason) => match reason {
                FailureReason::PhoneRegistrationRejected => Self::PhoneRegistrationRejected,
                FailureReason::TooManyCodeAttempts => Self::TooManyCodeAttempts,
                FailureReason::SelfieAttemptsExhausted => Self::SelfieAttemptsExhausted,
                FailureReason::ConsentRefused => Self::ConsentRefused,
                FailureReason::PersonNotFound => Self::PersonNotFound,
                FailureReason::IssuanceRefused => Self::IssuanceRefused,
                FailureReason::CancelledByOperator => Self::CancelledByOperator,
            },
            F::SessionExpired => Self::SessionExpired,
            F::SessionNotFound => Self::SessionNotFound,
            F::Refused(code) => Self::Refused { code: code_name(code) },
            F::KeysLost => Self::KeysLost,
        }
    }
}

impl From<core::Notice> for Notice {
    fn from(notice: core::Notice) -> Self {
        use core::Notice as N;
        match notice {
            N::CodeMismatch { tries_left } => Self::CodeMismatch { tries_left },
            N::CodeExpired => Self::CodeExpired,
            N::RateLimited { retry_after_s } => Self::RateLimited { retry_after_s },
            N::ServerUnavailable { retry_after_s } => Self::ServerUnavailable { retry_after_s },
            N::Network => Self::Network,
            N::Refused { code } => Self::Refused { code: code_name(code) },
            N::WrongPin { tries_left, locked_until } => {
                Self::WrongPin { tries_left, locked_until: locked_until.map(SystemTime::from) }
            }
            N::KeysFailed { detail } => Self::KeysFailed { detail },
            N::InstallFailed { detail } => Self::InstallFailed { detail },
            N::Interrupted => Self::Interrupted,
        }
    }
}

impl From<&InputError> for InputProblem {
    fn from(error: &InputError) -> Self {
        use InputError as I;
        match *error {
            I::DeviceNotReady { camera_ok, network_ok } => Self::DeviceNotReady { camera_ok, network_ok },
            I::Iin(IinError::Length { got }) => Self::IinLength { got: got as u64 },
            I::Iin(IinError::NotADigit { position }) => Self::IinNotADigit { position: position as u64 },
            I::Iin(_) => Self::IinCheckDigit,
            I::Phone => Self::Phone,
            I::SmsCode => Self::SmsCode,
            I::PictureType => Self::PictureType,
            I::PictureTooLarge { size, max } => Self::PictureTooLarge { size: size as u64, max: max as u64 },
            I::PinShape => Self::PinShape,
            I::PinWeak => Self::PinWeak,
            I::PinConfirmation => Self::PinConfirmation,
            I::Email => Self::Email,
            I::PasswordWeak { min_chars } => Self::PasswordWeak { min_chars: min_chars as u64 },
            I::PasswordConfirmation => Self::PasswordConfirmation,
            I::PasswordEmpty => Self::PasswordEmpty,
        }
    }
}

impl From<KeyStorage> for KeyStorageKind {
    fn from(storage: KeyStorage) -> Self {
        match storage {
            KeyStorage::Hardware => Self::Hardware,
            KeyStorage::File => Self::File,
        }
    }
}

impl From<KeyStorageKind> for KeyStorage {
    fn from(kind: KeyStorageKind) -> Self {
        match kind {
            KeyStorageKind::Hardware => Self::Hardware,
            KeyStorageKind::File => Self::File,
        }
    }
}

impl From<Work> for Progress {
    fn from(work: Work) -> Self {
        match work {
            Work::Server => Self::Server,
            Work::GeneratingKeys => Self::GeneratingKeys,
            Work::Installing => Self::Installing,
            Work::Waiting => Self::Waiting,
        }
    }
}

/// The API error code's wire name (`invalid_input`, …).
pub(crate) fn code_name(code: ErrorCode) -> String {
    match serde_json::to_value(code) {
        Ok(serde_json::Value::String(name)) => name,
        _ => format!("{code:?}"),
    }
}
