//! The operator's JSON API, for the demo and end-to-end tests: log in, list the pending phone
//! registrations and selfie reviews, decide them.

use qoltanba_protocol::headers::{OPERATOR_CSRF_HEADER, OPERATOR_SESSION_COOKIE};
use qoltanba_protocol::paths::{self, OPERATOR_SESSION};
use qoltanba_protocol::{
    OperatorLogin, OperatorSession, PhoneRegistrationTicket, ReviewDecision, SelfieReview, TicketDecision,
};
use reqwest::Method;
use reqwest::header::{COOKIE, HeaderMap, SET_COOKIE};
use time::OffsetDateTime;
use uuid::Uuid;
use zeroize::{Zeroize, Zeroizing};

use super::enrollment::Client;
use super::error::ClientError;
use super::transport::{Answer, Call};

/// An operator's logged-in session: the session cookie and the CSRF token go with every request. Its
/// `Debug` shows neither.
pub struct OperatorClient {
    client: Client,
    username: String,
    cookie: Zeroizing<String>,
    csrf_token: Zeroizing<String>,
    expires_at: OffsetDateTime,
}

impl std::fmt::Debug for OperatorClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorClient")
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl OperatorClient {
    /// Logs `username` in on the server of `client`. A wrong password is [`ClientError::Refused`]
    /// (`unauthorized`); a locked-out username [`ClientError::RateLimited`].
    pub async fn login(client: &Client, username: &str, password: &str) -> Result<Self, ClientError> {
        let mut login = OperatorLogin { username: username.to_owned(), password: password.to_owned() };
        let call = Call::new(Method::POST, OPERATOR_SESSION, OPERATOR_SESSION.to_owned()).json(&login);
        login.password.zeroize();
        let call = call?;
        let answer = client.transport.send(&call).await?;
        let cookie = session_cookie(&answer.headers).ok_or_else(|| ClientError::UnexpectedResponse {
            status: answer.status,
            detail: "the login set no session cookie".into(),
        })?;
        let logged_in: OperatorSession = answer.json()?;
        Ok(Self {
            client: client.clone(),
            username: logged_in.username,
            cookie,
            csrf_token: Zeroizing::new(logged_in.csrf_token),
            expires_at: logged_in.expires_at,
        })
    }

    /// The operator's login name.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// When the session ends.
    pub fn expires_at(&self) -> OffsetDateTime {
        self.expires_at
    }

    /// `GET /v1/operator/phone-registrations`: the pending tickets, oldest first.
    pub async fn phone_registrations(&self) -> Result<Vec<PhoneRegistrationTicket>, ClientError> {
        let path = paths::OPERATOR_PHONE_REGISTRATIONS;
        self.send(Call::new(Method::GET, path, path.to_owned())).await?.json()
    }

    /// `POST …/phone-registrations/{id}/decision`: approves (with the code the citizen read out) or
    /// rejects a ticket; answers the decided ticket.
    pub async fn decide_phone_registration(
        &self,
        ticket: Uuid,
        decision: &TicketDecision,
    ) -> Result<PhoneRegistrationTicket, ClientError> {
        let path = paths::operator_phone_registration_decision(ticket);
        let call =
            Call::new(Method::POST, paths::OPERATOR_PHONE_REGISTRATION_DECISION, path).json(decision)?;
        self.send_keyed(call).await?.json()
    }

    /// `GET /v1/operator/selfie-reviews`: the pending selfie reviews, oldest first.
    pub async fn selfie_reviews(&self) -> Result<Vec<SelfieReview>, ClientError> {
        let path = paths::OPERATOR_SELFIE_REVIEWS;
        self.send(Call::new(Method::GET, path, path.to_owned())).await?.json()
    }

    /// `POST …/selfie-reviews/{id}/decision`: accepts or rejects a selfie; answers the decided review.
    pub async fn decide_selfie_review(
        &self,
        review: Uuid,
        decision: &ReviewDecision,
    ) -> Result<SelfieReview, ClientError> {
        let path = paths::operator_selfie_review_decision(review);
        let call = Call::new(Method::POST, paths::OPERATOR_SELFIE_REVIEW_DECISION, path).json(decision)?;
        self.send_keyed(call).await?.json()
    }

    /// `DELETE /v1/operator/session`: logs out; the cookie stops working.
    pub async fn logout(self) -> Result<(), ClientError> {
        self.send(Call::new(Method::DELETE, OPERATOR_SESSION, OPERATOR_SESSION.to_owned())).await.map(drop)
    }

    /// Sends `call` with the session cookie and the CSRF token.
    async fn send(&self, mut call: Call<'_>) -> Result<Answer, ClientError> {
        call.headers.push((COOKIE.as_str(), self.cookie.as_str()));
        call.headers.push((OPERATOR_CSRF_HEADER, self.csrf_token.as_str()));
        self.client.transport.send(&call).await
    }

    /// Sends a state-changing `call` under a fresh idempotency key (kept across its retries).
    async fn send_keyed(&self, call: Call<'_>) -> Result<Answer, ClientError> {
        let key = Uuid::new_v4().to_string();
        self.send(call.keyed(&key)?).await
    }
}

/// `name=value` of the operator session cookie among the answer's `Set-Cookie` headers.
fn session_cookie(headers: &HeaderMap) -> Option<Zeroizing<String>> {
    let prefix = format!("{OPERATOR_SESSION_COOKIE}=");
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .map(str::trim)
        .find(|pair| pair.starts_with(&prefix) && pair.len() > prefix.len())
        .map(|pair| Zeroizing::new(pair.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn picks_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(SET_COOKIE, HeaderValue::from_static("other=1; Path=/"));
        headers.append(SET_COOKIE, HeaderValue::from_static("qoltanba_operator=tok; HttpOnly; Path=/"));
        assert_eq!(session_cookie(&headers).as_deref().map(String::as_str), Some("qoltanba_operator=tok"));
    }

    #[test]
    fn a_cleared_cookie_is_no_session() {
        let mut headers = HeaderMap::new();
        headers.append(SET_COOKIE, HeaderValue::from_static("qoltanba_operator=; Max-Age=0"));
        assert!(session_cookie(&headers).is_none());
    }
}
