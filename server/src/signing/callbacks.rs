//! Callbacks to relying parties: when a request ends, its callback URL gets a `POST` of
//! [`SignRequestCallback`] signed with the relying party's callback secret
//! (`X-Qoltanba-Signature: sha256=<hex HMAC-SHA256(secret, body)>`), retried a few times in the
//! background. Delivery is best effort: the relying party can always poll.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use qoltanba_protocol::SignRequestCallback;
use qoltanba_protocol::sign_requests::CALLBACK_SIGNATURE_HEADER;
use sha2::Sha256;
use zeroize::Zeroizing;

/// Attempts per callback.
const ATTEMPTS: u32 = 3;
/// How long one attempt may take.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Pause after the first failed attempt; doubled after each further one.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// The value of [`CALLBACK_SIGNATURE_HEADER`] for `body` under `secret`: `sha256=<lower-case hex>`.
pub fn callback_signature(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail; an empty tag would never verify anyway.
    let tag = <Hmac<Sha256> as KeyInit>::new_from_slice(secret)
        .map(|mut mac| {
            mac.update(body);
            mac.finalize().into_bytes().to_vec()
        })
        .unwrap_or_default();
    format!("sha256={}", hex::encode(tag))
}

/// Posts callbacks.
#[derive(Debug, Clone)]
pub(crate) struct Callbacks {
    client: Option<reqwest::Client>,
}

impl Callbacks {
    pub(crate) fn new() -> Self {
        let client = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| tracing::error!(%error, "no HTTP client: callbacks are disabled"))
            .ok();
        Self { client }
    }

    /// Posts `outcome` to `url` in the background, retrying on failure.
    pub(crate) fn deliver(&self, url: String, secret: Zeroizing<String>, outcome: SignRequestCallback) {
        let Some(client) = self.client.clone() else { return };
        tokio::spawn(async move {
            let Ok(body) = serde_json::to_vec(&outcome) else { return };
            let signature = callback_signature(secret.as_bytes(), &body);
            let mut backoff = FIRST_BACKOFF;
            for attempt in 1..=ATTEMPTS {
                let sent = client
                    .post(&url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header(CALLBACK_SIGNATURE_HEADER, &signature)
                    .body(body.clone())
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status().is_success() => return,
                    Ok(response) => {
                        tracing::warn!(id = %outcome.id, status = %response.status(), attempt, "callback refused")
                    }
                    Err(error) => tracing::warn!(id = %outcome.id, %error, attempt, "callback failed"),
                }
                if attempt < ATTEMPTS {
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_matches_the_well_known_hmac_sha256_vector() {
        assert_eq!(
            callback_signature(b"key", b"The quick brown fox jumps over the lazy dog"),
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }
}
