//! The whole service as one router, for `qoltanba-server serve` and for running it in-process (the
//! `qoltanba demo`, end-to-end tests).

use std::sync::Arc;

use axum::Router;
use time::OffsetDateTime;

use crate::bootstrap::{self, BootstrapError};
use crate::config::CaConfig;
use crate::login::Login;
use crate::ra::{Ra, SmsAppHash};
use crate::signing::Signing;
use crate::storage::Storage;
use crate::web;

/// The relying party the `/login` page logs in to (shown on the phone and part of what it signs).
pub const LOGIN_RELYING_PARTY: &str = "eGov";

/// How the server runs, beyond its storage and CA.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Development mode: the SMS outbox and the demo relying party are served.
    pub dev: bool,
    /// Appended to every SMS code so that the Android app reads it (SMS Retriever).
    pub sms_app_hash: Option<SmsAppHash>,
}

/// Brings the CA up (making one on an empty database) and assembles every route: service, PKI, console,
/// operator, certificates, sign requests and devices (with their expiry sweeper), QR login (`/login`,
/// `/v1/login`), enrollment; `dev` adds the SMS outbox (`/v1/dev/sms`, `/dev/sms`) and the demo relying
/// party `/demo/bank` (registered as a relying party on first start) (see [`Options`]).
pub async fn router(storage: Storage, ca: &CaConfig, options: &Options) -> Result<Router, BootstrapError> {
    let dev = options.dev;
    let authority = bootstrap::open_authority(&storage, ca, OffsetDateTime::now_utc()).await?;
    let metrics = web::Metrics::new();
    let console =
        web::ConsoleState { storage: storage.clone(), secure_cookies: ca.public_url.starts_with("https://") };
    let authority = Arc::new(authority);
    let ra =
        Arc::new(Ra::new(storage.clone(), authority.clone()).with_sms_app_hash(options.sms_app_hash.clone()));
    let signing = Arc::new(Signing::new(storage.clone(), dev));
    signing.spawn_sweeper();
    let login = Arc::new(Login::new(storage.clone(), authority.clone(), LOGIN_RELYING_PARTY));
    login.spawn_sweeper();
    let secure_cookies = ca.public_url.starts_with("https://");
    let demo = match dev {
        true => web::demo_bank_routes(signing.clone(), &storage).await.map_err(BootstrapError::DemoBank)?,
        false => Router::new(),
    };
    let pki = web::PkiState { authority, storage };
    Ok(metrics.layer(
        web::service_routes(metrics.clone())
            .merge(demo)
            .merge(web::pki_routes(pki))
            .merge(web::console_routes(console))
            .merge(web::operator_routes(ra.clone()))
            .merge(web::certificate_routes(ra.clone()))
            .merge(web::sign_request_routes(signing))
            .merge(web::login_routes(login, secure_cookies))
            .merge(web::enrollment_routes(ra, dev)),
    ))
}
