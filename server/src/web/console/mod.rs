//! The operator console: server-rendered pages under `/console` (kk / ru / en, no JavaScript: login,
//! dashboard, the phone-registration and selfie-review queues) and the JSON session API under
//! `/v1/operator/session` for tests and tools. Authentication lives in
//! [`crate::accounts`]; this module moves its values in and out of cookies, forms and JSON, and offers
//! the [`Operator`] and [`CsrfOperator`] extractors to every operator route (the RA's included).

mod api;
mod auth;
mod cookie;
mod dev_sms;
pub(super) mod html;
pub(super) mod i18n;
mod pages;
mod queues;

pub use api::SESSION_PATH;
pub use auth::{CSRF_HEADER, CsrfOperator, Operator};
pub use dev_sms::{DEV_SMS_PAGE, dev_sms_page};
pub use queues::{REVIEWS_PATH, TICKETS_PATH};

pub use cookie::read as read_cookie;
pub use html::escape;
pub use i18n::Lang;

use std::sync::Arc;

use crate::ra::Ra;

use crate::storage::Storage;
use axum::Router;
use axum::extract::FromRef;
use axum::routing::{get, post};

/// What the console needs.
#[derive(Clone)]
pub struct ConsoleState {
    /// Accounts, sessions, the audit log, and the counts on the dashboard.
    pub storage: Storage,
    /// Mark cookies `Secure` (the public URL is `https://`).
    pub secure_cookies: bool,
}

impl FromRef<ConsoleState> for Storage {
    fn from_ref(state: &ConsoleState) -> Self {
        state.storage.clone()
    }
}

/// The console pages and the JSON session API.
pub fn routes(state: ConsoleState) -> Router {
    Router::new()
        .route(pages::LOGIN_PATH, get(pages::login_form).post(pages::login))
        .route(pages::LOGOUT_PATH, post(pages::logout))
        .route(pages::DASHBOARD_PATH, get(pages::dashboard))
        .route(pages::STYLE_PATH, get(pages::style))
        .route(SESSION_PATH, post(api::login).delete(api::logout))
        .with_state(state)
}

/// The work-queue pages (pending tickets and selfie reviews, and their decision forms) on `ra`.
pub fn queue_routes(ra: Arc<Ra>) -> Router {
    Router::new()
        .route(queues::TICKETS_PATH, get(queues::tickets))
        .route(queues::TICKET_DECISION_PATH, post(queues::decide_ticket))
        .route(queues::REVIEWS_PATH, get(queues::reviews))
        .route(queues::REVIEW_DECISION_PATH, post(queues::decide_review))
        .with_state(ra)
}
