//! The device's side of signing requests (see [`qoltanba_protocol::sign_requests`]): registering with the
//! AUTH key, the pending requests (pulled, or long-polled), approval and refusal. Every call after
//! registration carries the device token as `Authorization: Bearer`.

use std::time::Duration;

use qoltanba_protocol::sign_requests::LONG_POLL_MS;
use qoltanba_protocol::{
    DeviceRegistered, DeviceRegistration, DeviceSignRequest, SignRequestApproval, SignRequestCallback, paths,
};
use reqwest::Method;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::enrollment::Client;
use super::error::ClientError;
use super::transport::Call;

/// How much longer than a long-poll's wait the client gives the answer to arrive.
const LONG_POLL_SLACK: Duration = Duration::from_secs(10);

/// `Bearer <token>`, wiped when dropped.
fn bearer(token: &str) -> Zeroizing<String> {
    Zeroizing::new(format!("Bearer {token}"))
}

impl Client {
    /// `POST /v1/devices`: registers this device for the citizen's signing requests; the registration is
    /// signed with the citizen's AUTH key ([`DeviceRegistration::message`]). The token is answered once.
    pub async fn register_device(
        &self,
        registration: &DeviceRegistration,
    ) -> Result<DeviceRegistered, ClientError> {
        let call = Call::new(Method::POST, paths::DEVICES, paths::DEVICES.to_owned()).json(registration)?;
        self.transport.send(&call).await?.json()
    }

    /// `GET /v1/device/sign-requests`: the citizen's pending requests; with `wait` (clamped to 1 s to 120 s)
    /// the server holds the answer until one arrives or the wait ends.
    pub async fn device_sign_requests(
        &self,
        token: &str,
        wait: Option<Duration>,
    ) -> Result<Vec<DeviceSignRequest>, ClientError> {
        let authorization = bearer(token);
        let wait_ms = wait.map(|wait| {
            let ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
            ms.clamp(*LONG_POLL_MS.start(), *LONG_POLL_MS.end())
        });
        let wait_text = wait_ms.map(|ms| ms.to_string());
        let path = paths::DEVICE_SIGN_REQUESTS.to_owned();
        let mut call = Call::new(Method::GET, paths::DEVICE_SIGN_REQUESTS, path);
        call.headers.push(("authorization", authorization.as_str()));
        if let (Some(ms), Some(text)) = (wait_ms, wait_text.as_deref()) {
            call.query.push(("waitMs", text));
            call.timeout = Some(Duration::from_millis(ms) + LONG_POLL_SLACK);
        }
        self.transport.send(&call).await?.json()
    }

    /// `POST …/{id}/approval`: the citizen's CMS signature (base64 DER) for request `id`.
    pub async fn approve_sign_request(
        &self,
        token: &str,
        id: Uuid,
        approval: &SignRequestApproval,
        key: &str,
    ) -> Result<SignRequestCallback, ClientError> {
        let authorization = bearer(token);
        let path = paths::device_sign_request_approval(id);
        let mut call =
            Call::new(Method::POST, paths::DEVICE_SIGN_REQUEST_APPROVAL, path).json(approval)?.keyed(key)?;
        call.headers.push(("authorization", authorization.as_str()));
        self.transport.send(&call).await?.json()
    }

    /// `POST …/{id}/refusal`: the citizen refuses request `id`.
    pub async fn refuse_sign_request(
        &self,
        token: &str,
        id: Uuid,
        key: &str,
    ) -> Result<SignRequestCallback, ClientError> {
        let authorization = bearer(token);
        let path = paths::device_sign_request_refusal(id);
        let mut call = Call::new(Method::POST, paths::DEVICE_SIGN_REQUEST_REFUSAL, path).keyed(key)?;
        call.headers.push(("authorization", authorization.as_str()));
        self.transport.send(&call).await?.json()
    }
}
