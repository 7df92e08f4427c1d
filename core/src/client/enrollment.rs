//! The citizen's calls: every enrollment step of API v1 and the revocation of a certificate.

use std::sync::Arc;

use qoltanba_protocol::paths;
use qoltanba_protocol::{
    CertificateItem, CitizenRevocation, Consent, CsrPair, EmailAddress, ImageType, PhoneNumber, Session,
    SmsCode, StartEnrollment,
};
use reqwest::Method;
use uuid::Uuid;

use super::config::ClientConfig;
use super::error::ClientError;
use super::sleep::Sleeper;
use super::transport::{Call, Payload, Transport};

/// The client of API v1 for one server. Every `POST` takes the caller's idempotency key (1 to 255
/// visible ASCII characters, else [`ClientError::InvalidIdempotencyKey`] before anything is sent) and
/// re-sends it on each retry; every enrollment step answers with the whole [`Session`].
#[derive(Debug, Clone)]
pub struct Client {
    pub(super) transport: Transport,
}

impl Client {
    /// A client of the server at `base_url` (`http(s)://host[:port]`, optionally with a path prefix).
    ///
    /// # Errors
    /// [`ClientError::Setup`] for a base URL that is not `http(s)`, or an HTTP stack that cannot start.
    pub fn new(base_url: &str, config: &ClientConfig) -> Result<Self, ClientError> {
        Ok(Self { transport: Transport::new(base_url, config)? })
    }

    /// The same client waiting between attempts with `sleeper` (tests: one that does not wait).
    pub fn with_sleeper(self, sleeper: Arc<dyn Sleeper>) -> Self {
        Self { transport: self.transport.with_sleeper(sleeper) }
    }

    /// `POST /v1/enrollments`: starts an enrollment (`201`); the session tells whether a phone is
    /// registered (`expect_sms_code`) or not (`expect_phone_number`).
    pub async fn start(&self, request: &StartEnrollment, key: &str) -> Result<Session, ClientError> {
        let call = Call::new(Method::POST, paths::ENROLLMENTS, paths::ENROLLMENTS.to_owned());
        self.session_from(call.json(request)?.keyed(key)?).await
    }

    /// `GET /v1/enrollments/{id}`: the session as it is now (to poll while an operator decides).
    pub async fn session(&self, id: Uuid) -> Result<Session, ClientError> {
        self.session_from(Call::new(Method::GET, paths::ENROLLMENT, paths::enrollment(id))).await
    }

    /// `POST …/phone`: the phone number to register (in `expect_phone_number`).
    pub async fn phone(&self, id: Uuid, phone: &PhoneNumber, key: &str) -> Result<Session, ClientError> {
        let call = Call::new(Method::POST, paths::ENROLLMENT_PHONE, paths::enrollment_phone(id));
        self.session_from(call.json(phone)?.keyed(key)?).await
    }

    /// `POST …/sms-code`: the code from 1414 (in `expect_sms_code`).
    pub async fn sms_code(&self, id: Uuid, code: &SmsCode, key: &str) -> Result<Session, ClientError> {
        let call = Call::new(Method::POST, paths::ENROLLMENT_SMS_CODE, paths::enrollment_sms_code(id));
        self.session_from(call.json(code)?.keyed(key)?).await
    }

    /// `POST …/sms-code/resend`: asks for a new code, once its `resend_after` has passed (else
    /// [`ClientError::RateLimited`]).
    pub async fn resend_sms_code(&self, id: Uuid, key: &str) -> Result<Session, ClientError> {
        let path = paths::enrollment_sms_code_resend(id);
        self.session_from(Call::new(Method::POST, paths::ENROLLMENT_SMS_CODE_RESEND, path).keyed(key)?).await
    }

    /// `POST …/selfie`: the selfie as the raw body (in `expect_selfie`).
    pub async fn selfie(
        &self,
        id: Uuid,
        image: ImageType,
        bytes: &[u8],
        key: &str,
    ) -> Result<Session, ClientError> {
        let mut call = Call::new(Method::POST, paths::ENROLLMENT_SELFIE, paths::enrollment_selfie(id));
        call.payload = Payload::Image(image, bytes);
        self.session_from(call.keyed(key)?).await
    }

    /// `POST …/id-card-photo`: the photo of the ID card as the raw body (in `expect_id_card_photo`).
    pub async fn id_card_photo(
        &self,
        id: Uuid,
        image: ImageType,
        bytes: &[u8],
        key: &str,
    ) -> Result<Session, ClientError> {
        let path = paths::enrollment_id_card_photo(id);
        let mut call = Call::new(Method::POST, paths::ENROLLMENT_ID_CARD_PHOTO, path);
        call.payload = Payload::Image(image, bytes);
        self.session_from(call.keyed(key)?).await
    }

    /// `POST …/consent`: the citizen's answer (in `expect_consent`); refusing fails the session.
    pub async fn consent(&self, id: Uuid, consent: Consent, key: &str) -> Result<Session, ClientError> {
        let call = Call::new(Method::POST, paths::ENROLLMENT_CONSENT, paths::enrollment_consent(id));
        self.session_from(call.json(&consent)?.keyed(key)?).await
    }

    /// `POST …/email`: the citizen's e-mail address (in `expect_email`).
    pub async fn email(&self, id: Uuid, email: &EmailAddress, key: &str) -> Result<Session, ClientError> {
        let call = Call::new(Method::POST, paths::ENROLLMENT_EMAIL, paths::enrollment_email(id));
        self.session_from(call.json(email)?.keyed(key)?).await
    }

    /// `POST …/csrs`: the two CSRs (in `expect_csrs`); the answer is `issued { certificates }`.
    pub async fn csrs(&self, id: Uuid, csrs: &CsrPair, key: &str) -> Result<Session, ClientError> {
        let call = Call::new(Method::POST, paths::ENROLLMENT_CSRS, paths::enrollment_csrs(id));
        self.session_from(call.json(csrs)?.keyed(key)?).await
    }

    /// `POST /v1/certificates/{serial}/revocation`: the holder revokes a certificate, the request signed
    /// with the key of their AUTH certificate ([`CitizenRevocation::message`]).
    pub async fn revoke_certificate(
        &self,
        serial: &str,
        revocation: &CitizenRevocation,
        key: &str,
    ) -> Result<CertificateItem, ClientError> {
        let path = paths::certificate_revocation(serial);
        let call =
            Call::new(Method::POST, paths::CERTIFICATE_REVOCATION, path).json(revocation)?.keyed(key)?;
        self.transport.send(&call).await?.json()
    }

    async fn session_from(&self, call: Call<'_>) -> Result<Session, ClientError> {
        self.transport.send(&call).await?.json()
    }
}
