//! [`DevTools`] (feature `dev-tools`): what the JVM tests and demos do in the operator's place against
//! a `--dev` server. Never in an app build.

use std::sync::Arc;

use qoltanba_core::client::{Client, ClientConfig, ClientError, OperatorClient};
use qoltanba_protocol::{ReviewDecision, SelfieReviewStatus};

use crate::error::FlowError;
use crate::runtime::spawn;

/// The operator's side of a `--dev` server, for tests.
#[derive(uniffi::Object)]
pub struct DevTools {
    client: Client,
}

#[uniffi::export]
impl DevTools {
    /// Tools for the server at `server_url`.
    #[uniffi::constructor]
    pub fn new(server_url: String) -> Result<Arc<Self>, FlowError> {
        let client = Client::new(&server_url, &ClientConfig::default())
            .map_err(|e| FlowError::InvalidServer { reason: e.to_string() })?;
        Ok(Arc::new(Self { client }))
    }

    /// Logs in as the operator `username` and approves every pending selfie review of `iin`; answers how
    /// many were approved.
    pub async fn approve_selfies(
        &self,
        username: String,
        password: String,
        iin: String,
    ) -> Result<u32, FlowError> {
        let client = self.client.clone();
        spawn(async move {
            let operator = OperatorClient::login(&client, &username, &password).await.map_err(server)?;
            let mut approved = 0;
            for review in operator.selfie_reviews().await.map_err(server)? {
                if review.iin == iin && review.status == SelfieReviewStatus::Pending {
                    operator
                        .decide_selfie_review(review.id, &ReviewDecision::Approve)
                        .await
                        .map_err(server)?;
                    approved += 1;
                }
            }
            Ok(approved)
        })
        .await
    }
}

fn server(error: ClientError) -> FlowError {
    FlowError::Server { reason: error.to_string() }
}
