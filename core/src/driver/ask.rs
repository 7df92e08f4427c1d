//! The citizen's part of each step, asked through the platform ports.

use crate::enrollment::{Event, Notice, Secret, Step};
use crate::ports::{PictureKind, PinPurpose, PortError};

use super::Platform;

impl Platform {
    /// The event that answers `step`, asked of the citizen (`None`: the step waits for no one). A method
    /// of the platform, not of the driver: the driver's store is not `Sync`, and a future holding a shared
    /// borrow of it would not be `Send`.
    pub(super) async fn ask(&self, step: &Step, notice: Option<&Notice>) -> Result<Option<Event>, PortError> {
        let ports = self;
        let event = match step {
            Step::DeviceCheck => {
                let check = ports.citizen.device_check().await?;
                Event::DeviceChecked { camera_ok: check.camera, network_ok: check.network }
            }
            Step::EnterIin => Event::IinEntered(ports.citizen.iin().await?),
            Step::EnterPhone => Event::PhoneEntered(ports.citizen.phone_number().await?),
            Step::EnterSmsCode { .. } if matches!(notice, Some(Notice::CodeExpired)) => {
                self.wait_for_resend(step).await;
                Event::ResendRequested
            }
            Step::EnterSmsCode { phone_masked, tries_left, .. } => {
                Event::SmsCodeEntered(secret(ports.sms.code(phone_masked, *tries_left).await?))
            }
            Step::TakeSelfie { .. } => Event::SelfieTaken(ports.camera.capture(PictureKind::Selfie).await?),
            Step::ChoosePin => {
                let (pin, confirmation) = ports.pin.choose_pin().await?;
                Event::PinChosen { pin: secret(pin), confirmation: secret(confirmation) }
            }
            Step::TakeIdCardPhoto => {
                Event::IdCardPhotoTaken(ports.camera.capture(PictureKind::IdCard).await?)
            }
            Step::ConfirmPinAndConsent => {
                if !ports.citizen.consent().await? {
                    Event::ConsentRefused
                } else {
                    let tries_left = match notice {
                        Some(Notice::WrongPin { tries_left, .. }) => *tries_left,
                        _ => 0,
                    };
                    Event::ConsentGiven { pin: secret(ports.pin.pin(PinPurpose::Confirm, tries_left).await?) }
                }
            }
            Step::ReviewPersonAndEmail { person } => Event::EmailEntered(ports.citizen.email(person).await?),
            Step::ChooseKeyStorage => {
                let hardware = ports.hardware_keys.is_some();
                Event::KeyStorageChosen(ports.citizen.key_storage(hardware).await?)
            }
            Step::ChoosePassword => {
                let (password, confirmation) = ports.citizen.password().await?;
                Event::PasswordChosen { password: secret(password), confirmation: secret(confirmation) }
            }
            Step::UnlockKeys => Event::PasswordEntered(secret(ports.citizen.password().await?.0)),
            Step::StartingSession
            | Step::AwaitingOperator { .. }
            | Step::SelfieUnderReview
            | Step::GeneratingKeys
            | Step::Issuing
            | Step::Installing
            | Step::Done { .. }
            | Step::Failed { .. } => return Ok(None),
        };
        Ok(Some(event))
    }

    /// Sleeps until a new SMS code may be asked for.
    async fn wait_for_resend(&self, step: &Step) {
        if let Step::EnterSmsCode { resend_after, .. } = step {
            let wait = *resend_after - self.clock.now();
            if wait.is_positive() {
                tokio::time::sleep(wait.unsigned_abs()).await;
            }
        }
    }
}

fn secret(value: zeroize::Zeroizing<String>) -> Secret {
    Secret::from(value)
}
