//! The one error type of the HTTP layer: an [`ApiError`] body with its status. A 500's cause is logged
//! and never sent; a `retry_after_s` is also sent as `Retry-After`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use qoltanba_protocol::{ApiError, ErrorCode};

/// An error answer: the wire body, or an internal failure whose details stay in the log.
#[derive(Debug)]
pub enum WebError {
    /// A typed answer the client can act on.
    Api(ApiError),
    /// Something broke inside; logged with this description, answered with a bare `internal`.
    Internal(String),
}

impl From<ApiError> for WebError {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = match self {
            Self::Api(body) => body,
            Self::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                ApiError::new(ErrorCode::Internal, "internal error")
            }
        };
        let status = StatusCode::from_u16(body.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = body.retry_after_s.map(HeaderValue::from);
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
        }
        response
    }
}
