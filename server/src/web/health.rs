//! `/healthz`: the process is up and serving.

use axum::Router;
use axum::routing::get;

pub fn routes() -> Router {
    Router::new().route("/healthz", get(|| async { "ok\n" }))
}
