//! HTTP: one router per resource, handlers that parse, call the RA or CA, and map the result.

mod error;
mod health;
mod metrics;
mod openapi;

pub use error::WebError;
pub use metrics::Metrics;

use axum::Router;

/// The routes every deployment serves: `/healthz`, `/metrics`, `/openapi.json`.
pub fn service_routes(metrics: Metrics) -> Router {
    Router::new().merge(health::routes()).merge(metrics::routes(metrics)).merge(openapi::routes())
}
