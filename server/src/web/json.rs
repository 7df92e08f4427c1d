//! What every JSON handler shares: a `POST`'s body and idempotency key, JSON bodies, path ids, and the
//! answer.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use qoltanba_protocol::headers::is_valid_idempotency_key;
use qoltanba_protocol::{ApiError, ErrorCode, IDEMPOTENCY_KEY_HEADER};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::ra::{Idempotency, RaError};
use crate::storage::StorageError;
use crate::web::WebError;

impl From<RaError> for WebError {
    fn from(error: RaError) -> Self {
        match error {
            RaError::Api(body) => Self::Api(body),
            RaError::Storage(StorageError::Busy(cause)) => {
                tracing::warn!(%cause, "database busy; the client is asked to retry");
                let mut body = ApiError::new(ErrorCode::Unavailable, "the service is busy; retry shortly");
                body.retry_after_s = Some(BUSY_RETRY_AFTER_S);
                Self::Api(body)
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

/// The `Retry-After` of an answer refused because the database was busy, in seconds.
const BUSY_RETRY_AFTER_S: u32 = 1;

/// A `POST`'s parts every handler needs: the body and its idempotency record.
pub(crate) struct Post {
    pub body: Bytes,
    pub idem: Idempotency,
}

/// The body (`payload_too_large`, `malformed_request`) and the `Idempotency-Key`
/// (`missing_idempotency_key`) of a `POST`.
pub(crate) fn post_parts(
    headers: &HeaderMap,
    uri: &Uri,
    body: Result<Bytes, BytesRejection>,
) -> Result<Post, WebError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(ErrorCode::PayloadTooLarge, "the body is too large"),
        _ => ApiError::new(ErrorCode::MalformedRequest, "the body could not be read"),
    })?;
    let key = headers
        .get(IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|k| is_valid_idempotency_key(k));
    let key = key.ok_or_else(|| {
        ApiError::new(
            ErrorCode::MissingIdempotencyKey,
            "an Idempotency-Key header of 1 to 255 visible characters is required",
        )
    })?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let idem = Idempotency::new(key, &format!("POST {}", uri.path()), content_type, &body);
    Ok(Post { body, idem })
}

/// A JSON body, else `malformed_request`.
pub(crate) fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebError> {
    serde_json::from_slice(body)
        .map_err(|e| WebError::Api(ApiError::new(ErrorCode::MalformedRequest, format!("bad JSON body: {e}"))))
}

/// A UUID from the path; anything else names nothing (`not_found`, saying `what`).
pub(crate) fn path_id(text: &str, what: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(text)
        .map_err(|_| WebError::Api(ApiError::new(ErrorCode::NotFound, format!("no such {what}"))))
}

/// `value` as JSON with `status`, or the error.
pub(crate) fn reply<T: Serialize>(status: StatusCode, result: Result<T, WebError>) -> Response {
    match result {
        Ok(value) => (status, Json(value)).into_response(),
        Err(error) => error.into_response(),
    }
}
