//! HTTP: one router per resource, handlers that parse, call the RA or CA, and map the result.

mod bearer;
mod certificates;
mod console;
mod demo_bank;
mod enrollment;
mod error;
mod health;
mod json;
mod login;
mod login_page;
mod metrics;
mod openapi;
mod operator;
mod pki;
mod sign_requests;

pub use bearer::{AuthenticatedDevice, AuthenticatedRelyingParty, BearerRejection};
pub use certificates::routes as certificate_routes;
pub use console::{
    CSRF_HEADER, ConsoleState, CsrfOperator, DEV_SMS_PAGE, Operator, REVIEWS_PATH as CONSOLE_REVIEWS_PATH,
    SESSION_PATH as OPERATOR_SESSION_PATH, TICKETS_PATH as CONSOLE_TICKETS_PATH, routes as console_routes,
};
pub use demo_bank::{BANK_NAME as DEMO_BANK_NAME, PAGE as DEMO_BANK_PAGE, routes as demo_bank_routes};
pub use enrollment::routes as enrollment_routes;
pub use error::WebError;
pub use login::{QR_TEXT_HEADER, routes as login_routes};
pub use login_page::{LOGIN_PAGE, WELCOME_PAGE, refusal_text};
pub use metrics::Metrics;
pub use pki::{PkiState, routes as pki_routes};
pub use sign_requests::routes as sign_request_routes;

use std::sync::Arc;

use axum::Router;

use crate::ra::Ra;

/// The operator's routes on `ra`: the JSON API under `/v1/operator` and the console's work queues.
pub fn operator_routes(ra: Arc<Ra>) -> Router {
    operator::routes(ra.clone()).merge(console::queue_routes(ra))
}

/// The routes every deployment serves: `/healthz`, `/metrics`, `/openapi.json`.
pub fn service_routes(metrics: Metrics) -> Router {
    Router::new().merge(health::routes()).merge(metrics::routes(metrics)).merge(openapi::routes())
}
