//! A relying party's side of signing requests (`Authorization: Bearer <API key>`): asking a citizen to
//! sign and long-polling the outcome. The apps never need it; the demos, the tests and the bench do.

use std::time::Duration;

use qoltanba_protocol::sign_requests::LONG_POLL_MS;
use qoltanba_protocol::{CreateSignRequest, SignRequestCreated, SignRequestState, paths};
use reqwest::Method;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::enrollment::Client;
use super::error::ClientError;
use super::transport::Call;

/// A relying party's client: a [`Client`] and the API key `qoltanba-server rp add` printed.
#[derive(Clone)]
pub struct RelyingPartyClient {
    client: Client,
    authorization: Zeroizing<String>,
}

impl std::fmt::Debug for RelyingPartyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingPartyClient").finish_non_exhaustive()
    }
}

impl RelyingPartyClient {
    /// The relying party with `api_key`, talking through `client`.
    pub fn new(client: Client, api_key: &str) -> Self {
        Self { client, authorization: Zeroizing::new(format!("Bearer {api_key}")) }
    }

    /// `POST /v1/sign-requests`: asks a citizen to sign; the answer holds the verification code.
    pub async fn create(
        &self,
        request: &CreateSignRequest,
        key: &str,
    ) -> Result<SignRequestCreated, ClientError> {
        let path = paths::SIGN_REQUESTS.to_owned();
        let mut call = Call::new(Method::POST, paths::SIGN_REQUESTS, path).json(request)?.keyed(key)?;
        call.headers.push(("authorization", self.authorization.as_str()));
        self.client.transport.send(&call).await?.json()
    }

    /// `GET /v1/sign-requests/{id}`: the request now, or, with `wait` (clamped to 1 s to 120 s), once it
    /// ends or the wait is over.
    pub async fn state(&self, id: Uuid, wait: Option<Duration>) -> Result<SignRequestState, ClientError> {
        let timeout_ms = wait.map(|wait| {
            u64::try_from(wait.as_millis())
                .unwrap_or(u64::MAX)
                .clamp(*LONG_POLL_MS.start(), *LONG_POLL_MS.end())
        });
        let timeout_text = timeout_ms.map(|ms| ms.to_string());
        let mut call = Call::new(Method::GET, paths::SIGN_REQUEST, paths::sign_request(id));
        call.headers.push(("authorization", self.authorization.as_str()));
        if let (Some(ms), Some(text)) = (timeout_ms, timeout_text.as_deref()) {
            call.query.push(("timeoutMs", text));
            call.timeout = Some(Duration::from_millis(ms) + Duration::from_secs(10));
        }
        self.client.transport.send(&call).await?.json()
    }
}
