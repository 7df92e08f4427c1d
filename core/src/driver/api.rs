//! Running the machine's API calls with the client, and turning the outcome into an event.

use qoltanba_protocol::SmsCode;

use crate::client::{Client, ClientError};
use crate::enrollment::{ApiCall, ApiRequest, Event};

/// Sends `call` and reports how it went: the session, the server's refusal, or a transport failure.
pub(super) async fn run(client: &Client, call: &ApiCall) -> Event {
    match send(client, call).await {
        Ok(session) => Event::ServerAnswered(session),
        Err(error) => match error.api_error() {
            Some(api) => Event::ServerRefused(api.clone()),
            None => {
                tracing::info!(%error, "enrollment call failed");
                Event::TransportFailed
            }
        },
    }
}

async fn send(client: &Client, call: &ApiCall) -> Result<qoltanba_protocol::Session, ClientError> {
    let key = call.idempotency_key.as_deref().unwrap_or_default();
    match &call.request {
        ApiRequest::Start(body) => client.start(body, key).await,
        ApiRequest::Fetch { session } => client.session(*session).await,
        ApiRequest::Phone { session, body } => client.phone(*session, body, key).await,
        ApiRequest::SmsCode { session, code } => {
            let body = SmsCode { code: code.expose().to_owned() };
            client.sms_code(*session, &body, key).await
        }
        ApiRequest::ResendSmsCode { session } => client.resend_sms_code(*session, key).await,
        ApiRequest::Selfie { session, picture } => {
            client.selfie(*session, picture.kind(), picture.bytes(), key).await
        }
        ApiRequest::IdCardPhoto { session, picture } => {
            client.id_card_photo(*session, picture.kind(), picture.bytes(), key).await
        }
        ApiRequest::Consent { session, body } => client.consent(*session, *body, key).await,
        ApiRequest::Email { session, body } => client.email(*session, body, key).await,
        ApiRequest::Csrs { session, body } => client.csrs(*session, body, key).await,
    }
}
