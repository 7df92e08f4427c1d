//! The phone's QR-login calls: scan a frame, answer with the AUTH key's signature, or decline.

use qoltanba_protocol::paths;
use qoltanba_protocol::{
    LoginAccepted, LoginAnswer, LoginChallenge, LoginDecline, LoginRefusal, LoginScan, LoginStatus,
};
use reqwest::Method;
use uuid::Uuid;

use super::enrollment::Client;
use super::error::ClientError;
use super::transport::Call;

impl Client {
    /// `POST /v1/login/scans`: the QR text as read → what the phone shows. A stale or forged frame is
    /// refused ([`ClientError::login_refusal`] `stale_qr_code`), as is a session another phone claimed.
    pub async fn login_scan(&self, scan: &LoginScan, key: &str) -> Result<LoginChallenge, ClientError> {
        let call = Call::new(Method::POST, paths::LOGIN_SCANS, paths::LOGIN_SCANS.to_owned());
        self.transport.send(&call.json(scan)?.keyed(key)?).await?.json()
    }

    /// `POST /v1/login/sessions/{id}/answer`: the citizen approved; the browser is logged in.
    pub async fn login_answer(&self, answer: &LoginAnswer, key: &str) -> Result<LoginAccepted, ClientError> {
        let path = paths::login_session_answer(answer.session_id);
        let call = Call::new(Method::POST, paths::LOGIN_SESSION_ANSWER, path).json(answer)?.keyed(key)?;
        self.transport.send(&call).await?.json()
    }

    /// `POST /v1/login/sessions/{id}/refusal`: the citizen declined (it was not them).
    pub async fn login_decline(
        &self,
        session: Uuid,
        decline: &LoginDecline,
        key: &str,
    ) -> Result<LoginStatus, ClientError> {
        let path = paths::login_session_refusal(session);
        let call = Call::new(Method::POST, paths::LOGIN_SESSION_REFUSAL, path).json(decline)?.keyed(key)?;
        self.transport.send(&call).await?.json()
    }
}

impl ClientError {
    /// Why the server refused a login, when this error is such a refusal.
    pub fn login_refusal(&self) -> Option<LoginRefusal> {
        self.api_error().and_then(|api| api.refusal)
    }
}
