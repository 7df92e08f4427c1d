//! HTTP: one router per resource, handlers that parse, call the RA or CA, and map the result.

mod console;
mod enrollment;
mod error;
mod health;
mod metrics;
mod openapi;
mod pki;

pub use console::{
    CSRF_HEADER, ConsoleState, CsrfOperator, Operator, SESSION_PATH as OPERATOR_SESSION_PATH,
    routes as console_routes,
};
pub use enrollment::routes as enrollment_routes;
pub use error::WebError;
pub use metrics::Metrics;
pub use pki::{PkiState, routes as pki_routes};

use axum::Router;

/// The routes every deployment serves: `/healthz`, `/metrics`, `/openapi.json`.
pub fn service_routes(metrics: Metrics) -> Router {
    Router::new().merge(health::routes()).merge(metrics::routes(metrics)).merge(openapi::routes())
}
