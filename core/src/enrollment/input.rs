//! Checks of what the citizen typed or photographed, before anything is sent. A failed check leaves the
//! flow where it was and gives an [`InputError`] the UI can localise.

use qoltanba_pki::iin::{Iin, IinError};
use qoltanba_protocol::ImageType;
use qoltanba_protocol::limits::{MAX_IMAGE_BYTES, SMS_CODE_LEN};

use super::secret::{Picture, Secret};

/// Digits of a PIN.
pub const PIN_LEN: usize = 4;
/// Shortest password accepted for a key file (characters).
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest e-mail address accepted (RFC 5321 path limit minus the brackets).
const MAX_EMAIL_LEN: usize = 254;

/// Why an input was refused. Messages never contain the input itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// The device check failed: the flow needs a camera and a network.
    #[error("the device is not ready (camera: {camera_ok}, network: {network_ok})")]
    DeviceNotReady {
        /// Whether a usable camera was found.
        camera_ok: bool,
        /// Whether the network is reachable.
        network_ok: bool,
    },
    /// The IIN is malformed ([`IinError::Length`], [`IinError::NotADigit`]) or its check digit is wrong
    /// ([`IinError::CheckDigit`], [`IinError::NoCheckDigit`]).
    #[error("IIN: {0}")]
    Iin(#[from] IinError),
    /// Not a Kazakh mobile number (`+7` or `8`, then ten digits; spaces, dashes and brackets allowed).
    #[error("a phone number is +7 and ten digits")]
    Phone,
    /// The SMS code is not six digits.
    #[error("the SMS code has {SMS_CODE_LEN} digits")]
    SmsCode,
    /// The picture is neither JPEG nor PNG (or is empty).
    #[error("the picture is neither JPEG nor PNG")]
    PictureType,
    /// The picture is larger than the server accepts.
    #[error("the picture has {size} bytes, more than {max}")]
    PictureTooLarge {
        /// Its size in bytes.
        size: usize,
        /// The largest size accepted.
        max: usize,
    },
    /// The PIN is not four digits.
    #[error("a PIN has {PIN_LEN} digits")]
    PinShape,
    /// The PIN is too easy to guess (one digit repeated, or a straight run such as 1234 or 9876).
    #[error("this PIN is too easy to guess")]
    PinWeak,
    /// The PIN and its confirmation differ.
    #[error("the PIN and its confirmation differ")]
    PinConfirmation,
    /// Not an e-mail address (`local@domain.tld`).
    #[error("not an e-mail address")]
    Email,
    /// The password is too short or lacks letters or digits.
    #[error("a password has at least {min_chars} characters, with letters and digits")]
    PasswordWeak {
        /// The fewest characters accepted.
        min_chars: usize,
    },
    /// The password and its confirmation differ.
    #[error("the password and its confirmation differ")]
    PasswordConfirmation,
    /// The password is empty.
    #[error("the password is empty")]
    PasswordEmpty,
}

/// The device check (step 1): both a camera and a network are needed.
pub fn device(camera_ok: bool, network_ok: bool) -> Result<(), InputError> {
    if camera_ok && network_ok { Ok(()) } else { Err(InputError::DeviceNotReady { camera_ok, network_ok }) }
}

/// A typed IIN: 12 digits with a valid check digit (surrounding spaces allowed).
pub fn iin(text: &str) -> Result<Iin, InputError> {
    Ok(text.parse::<Iin>()?)
}

/// A typed phone number, normalised to E.164 (`+77011234567`). Accepts `+7 701 123 45 67`,
/// `8 (701) 123-45-67` and `77011234567`.
pub fn phone(text: &str) -> Result<String, InputError> {
    let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let national = compact
        .strip_prefix("+7")
        .or_else(|| (compact.len() == 11).then(|| compact.strip_prefix('8').or(compact.strip_prefix('7')))?)
        .ok_or(InputError::Phone)?;
    if national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit()) {
        Ok(format!("+7{national}"))
    } else {
        Err(InputError::Phone)
    }
}

/// An SMS code: six ASCII digits (surrounding spaces trimmed).
pub fn sms_code(code: &Secret) -> Result<Secret, InputError> {
    let trimmed = code.expose().trim();
    if trimmed.len() == SMS_CODE_LEN && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Secret::from(trimmed))
    } else {
        Err(InputError::SmsCode)
    }
}

/// A picture: JPEG or PNG by its first bytes, at most [`MAX_IMAGE_BYTES`].
pub fn picture(bytes: Vec<u8>) -> Result<Picture, InputError> {
    let kind: ImageType = ImageType::sniff(&bytes).ok_or(InputError::PictureType)?;
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(InputError::PictureTooLarge { size: bytes.len(), max: MAX_IMAGE_BYTES });
    }
    Ok(Picture { kind, bytes })
}

/// A PIN's shape: exactly four ASCII digits.
pub fn pin(pin: &Secret) -> Result<(), InputError> {
    let text = pin.expose();
    if text.len() == PIN_LEN && text.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(InputError::PinShape)
    }
}

/// A new PIN: four digits, not trivially weak, equal to its confirmation.
pub fn new_pin(chosen: &Secret, confirmation: &Secret) -> Result<(), InputError> {
    pin(chosen)?;
    if is_weak_pin(chosen.expose().as_bytes()) {
        return Err(InputError::PinWeak);
    }
    if chosen != confirmation {
        return Err(InputError::PinConfirmation);
    }
    Ok(())
}

/// One digit repeated, or every next digit one up or one down (wrapping: 7890, 1098).
fn is_weak_pin(digits: &[u8]) -> bool {
    let steps: Vec<u8> = digits.windows(2).map(|w| (10 + w[1] - w[0]) % 10).collect();
    [0, 1, 9].iter().any(|&step| steps.iter().all(|&s| s == step))
}

/// An e-mail address of the shape `local@label.label` (trimmed); labels are letters, digits and inner
/// hyphens (internationalised letters allowed).
pub fn email(text: &str) -> Result<String, InputError> {
    let address = text.trim();
    let (local, domain) = address.split_once('@').ok_or(InputError::Email)?;
    let local_ok =
        !local.is_empty() && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok && address.len() <= MAX_EMAIL_LEN {
        Ok(address.to_owned())
    } else {
        Err(InputError::Email)
    }
}

/// A new key-file password: at least [`MIN_PASSWORD_CHARS`] characters with letters and digits, equal to
/// its confirmation.
pub fn new_password(chosen: &Secret, confirmation: &Secret) -> Result<(), InputError> {
    let text = chosen.expose();
    let strong = text.chars().count() >= MIN_PASSWORD_CHARS
        && text.chars().any(char::is_alphabetic)
        && text.chars().any(|c| c.is_numeric());
    if !strong {
        return Err(InputError::PasswordWeak { min_chars: MIN_PASSWORD_CHARS });
    }
    if chosen != confirmation {
        return Err(InputError::PasswordConfirmation);
    }
    Ok(())
}

/// The password of existing key files, typed again: only non-empty (the key store judges it).
pub fn password(entered: &Secret) -> Result<(), InputError> {
    if entered.expose().is_empty() { Err(InputError::PasswordEmpty) } else { Ok(()) }
}
