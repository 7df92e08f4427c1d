//! `/openapi.json`: the API description generated from the shared wire types.

use axum::routing::get;
use axum::{Json, Router};
use qoltanba_protocol::paths::OPENAPI_JSON;

pub fn routes() -> Router {
    Router::new().route(OPENAPI_JSON, get(|| async { Json(qoltanba_protocol::openapi()) }))
}
