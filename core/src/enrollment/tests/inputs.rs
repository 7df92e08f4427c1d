//! Every bad input is refused with its typed error, and the flow stays where it was.

use qoltanba_pki::iin::IinError;
use qoltanba_protocol::limits::MAX_IMAGE_BYTES;

use super::support::*;
use crate::enrollment::input::{self, InputError};
use crate::enrollment::{Event, MachineError, Secret, StepKind};

/// `event` at `step` is refused with `expected`, changing nothing.
fn refused(step: StepKind, event: Event, expected: InputError) {
    let mut machine = at(step);
    let before = snapshot(&machine);
    let label = format!("{event:?}");
    assert_eq!(machine.handle(event), Err(MachineError::Input(expected)), "{label}");
    assert_eq!(snapshot(&machine), before, "{label}");
    assert!(!machine.view().busy);
}

#[test]
fn a_device_without_camera_or_network_stays_at_the_check() {
    let event = Event::DeviceChecked { camera_ok: false, network_ok: true };
    refused(StepKind::DeviceCheck, event, InputError::DeviceNotReady { camera_ok: false, network_ok: true });
    let event = Event::DeviceChecked { camera_ok: true, network_ok: false };
    refused(StepKind::DeviceCheck, event, InputError::DeviceNotReady { camera_ok: true, network_ok: false });
}

#[test]
fn malformed_iins_and_wrong_check_digits_are_told_apart() {
    let cases = [
        ("90010130001", InputError::Iin(IinError::Length { got: 11 })),
        ("9001013000171", InputError::Iin(IinError::Length { got: 13 })),
        ("90010130001x", InputError::Iin(IinError::NotADigit { position: 12 })),
        ("900101300018", InputError::Iin(IinError::CheckDigit { expected: 7, got: 8 })),
        ("", InputError::Iin(IinError::Length { got: 0 })),
    ];
    for (text, expected) in cases {
        refused(StepKind::EnterIin, Event::IinEntered(text.into()), expected);
    }
}

#[test]
fn phone_numbers_are_normalised_and_bad_ones_refused() {
    for text in ["+77011234567", "+7 701 123 45 67", "8 (701) 123-45-67", "87011234567", "77011234567"] {
        assert_eq!(input::phone(text).as_deref(), Ok("+77011234567"), "{text}");
    }
    for text in [
        "",
        "+7701123456",
        "+770112345678",
        "+1 701 123 45 67",
        "7011234567",
        "+7701123456a",
        "9 701 123 45 67",
    ] {
        refused(StepKind::EnterPhone, Event::PhoneEntered(text.into()), InputError::Phone);
    }
}

#[test]
fn sms_codes_are_six_digits() {
    for code in ["", "12345", "1234567", "12345a", "１２３４５６"] {
        refused(StepKind::EnterSmsCode, Event::SmsCodeEntered(Secret::from(code)), InputError::SmsCode);
    }
}

#[test]
fn pictures_must_be_jpeg_or_png_and_small_enough() {
    for step in [StepKind::TakeSelfie, StepKind::TakeIdCardPhoto] {
        let event = |bytes: Vec<u8>| match step {
            StepKind::TakeSelfie => Event::SelfieTaken(bytes),
            _ => Event::IdCardPhotoTaken(bytes),
        };
        refused(step, event(b"GIF89a....".to_vec()), InputError::PictureType);
        refused(step, event(Vec::new()), InputError::PictureType);
        let mut large = jpeg();
        large.resize(MAX_IMAGE_BYTES + 1, 0);
        let expected = InputError::PictureTooLarge { size: MAX_IMAGE_BYTES + 1, max: MAX_IMAGE_BYTES };
        refused(step, event(large), expected);
    }
    let mut largest = png();
    largest.resize(MAX_IMAGE_BYTES, 0);
    assert!(input::picture(largest).is_ok());
}

#[test]
fn weak_malformed_or_mismatched_pins_are_refused() {
    let chosen = |pin: &str, confirmation: &str| Event::PinChosen {
        pin: Secret::from(pin),
        confirmation: Secret::from(confirmation),
    };
    for pin in ["123", "12345", "12a4", "", "١٢٣٤"] {
        refused(StepKind::ChoosePin, chosen(pin, pin), InputError::PinShape);
    }
    for pin in ["0000", "7777", "1234", "6789", "7890", "9876", "3210", "1098", "0123"] {
        refused(StepKind::ChoosePin, chosen(pin, pin), InputError::PinWeak);
    }
    refused(StepKind::ChoosePin, chosen("2580", "2581"), InputError::PinConfirmation);
    for pin in ["2580", "1357", "1122", "9021"] {
        assert_eq!(input::new_pin(&Secret::from(pin), &Secret::from(pin)), Ok(()), "{pin}");
    }
    let consent = Event::ConsentGiven { pin: Secret::from("25801") };
    refused(StepKind::ConfirmPinAndConsent, consent, InputError::PinShape);
}

#[test]
fn email_addresses_need_a_local_part_and_a_dotted_domain() {
    for text in [
        "",
        "ivan",
        "@example.kz",
        "ivan@",
        "ivan@kz",
        "ivan@example..kz",
        "iv an@example.kz",
        "ivan@-x.kz",
        "a@b@c.kz",
    ] {
        refused(StepKind::ReviewPersonAndEmail, Event::EmailEntered(text.into()), InputError::Email);
    }
    refused(
        StepKind::ReviewPersonAndEmail,
        Event::EmailEntered(format!("{}@x.kz", "a".repeat(260))),
        InputError::Email,
    );
    for text in ["ivan@example.kz", "i.v+tag@mail.example.kz", "асель@пример.қаз"] {
        assert!(input::email(text).is_ok(), "{text}");
    }
}

#[test]
fn weak_or_mismatched_passwords_are_refused() {
    let chosen = |password: &str, confirmation: &str| Event::PasswordChosen {
        password: Secret::from(password),
        confirmation: Secret::from(confirmation),
    };
    let weak = InputError::PasswordWeak { min_chars: input::MIN_PASSWORD_CHARS };
    for password in ["", "abc123", "abcdefgh", "12345678", "Ab1Ab1A"] {
        refused(StepKind::ChoosePassword, chosen(password, password), weak.clone());
    }
    refused(StepKind::ChoosePassword, chosen(PASSWORD, "Qazaq2025stam"), InputError::PasswordConfirmation);
    assert_eq!(input::new_password(&Secret::from("Құпия5сөз"), &Secret::from("Құпия5сөз")), Ok(()));
}

#[test]
fn an_empty_password_cannot_unlock_the_keys() {
    let mut machine = at(StepKind::Installing);
    machine.handle(Event::InstallFailed { detail: "wrong password".into() }).unwrap();
    let before = snapshot(&machine);
    let outcome = machine.handle(Event::PasswordEntered(Secret::from("")));
    assert_eq!(outcome, Err(MachineError::Input(InputError::PasswordEmpty)));
    assert_eq!(snapshot(&machine), before);
}

#[test]
fn error_messages_never_repeat_the_input() {
    let errors = [
        input::sms_code(&Secret::from("48291")).unwrap_err(),
        input::new_pin(&Secret::from("2580"), &Secret::from("2581")).unwrap_err(),
        input::new_password(&Secret::from("short1"), &Secret::from("short1")).unwrap_err(),
    ];
    for error in errors {
        let text = format!("{error} {error:?}");
        assert!(!text.contains("48291") && !text.contains("2581") && !text.contains("short1"), "{text}");
    }
}
