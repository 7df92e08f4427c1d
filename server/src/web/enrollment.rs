//! The citizen-facing enrollment API under `/v1/enrollments`: handlers parse, call the RA and answer
//! with the session (or an `ApiError`). Every `POST` needs an `Idempotency-Key`. With `dev`, also
//! `GET /v1/dev/sms` (the embedded SMS gateway's outbox).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use qoltanba_protocol::dev::SmsQuery;
use qoltanba_protocol::headers::is_valid_idempotency_key;
use qoltanba_protocol::limits::MAX_IMAGE_BYTES;
use qoltanba_protocol::paths::{
    DEV_SMS, ENROLLMENT, ENROLLMENT_CONSENT, ENROLLMENT_CSRS, ENROLLMENT_EMAIL, ENROLLMENT_ID_CARD_PHOTO,
    ENROLLMENT_PHONE, ENROLLMENT_SELFIE, ENROLLMENT_SMS_CODE, ENROLLMENT_SMS_CODE_RESEND, ENROLLMENTS,
};
use qoltanba_protocol::{
    ApiError, Consent, CsrPair, EmailAddress, ErrorCode, IDEMPOTENCY_KEY_HEADER, ImageType, PhoneNumber,
    Session, SmsCode, SmsMessage, StartEnrollment,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::ra::{Idempotency, Ra, RaError};
use crate::web::WebError;

/// The enrollment routes on `ra`; `dev` adds `GET /v1/dev/sms`.
pub fn routes(ra: Arc<Ra>, dev: bool) -> Router {
    let mut router = Router::new()
        .route(ENROLLMENTS, post(start))
        .route(ENROLLMENT, get(session))
        .route(ENROLLMENT_PHONE, post(phone))
        .route(ENROLLMENT_SMS_CODE, post(sms_code))
        .route(ENROLLMENT_SMS_CODE_RESEND, post(resend))
        .route(ENROLLMENT_SELFIE, post(selfie))
        .route(ENROLLMENT_ID_CARD_PHOTO, post(id_card_photo))
        .route(ENROLLMENT_CONSENT, post(consent))
        .route(ENROLLMENT_EMAIL, post(email))
        .route(ENROLLMENT_CSRS, post(csrs));
    if dev {
        router = router.route(DEV_SMS, get(dev_sms));
    }
    router.layer(DefaultBodyLimit::max(MAX_IMAGE_BYTES + 1)).with_state(ra)
}

impl From<RaError> for WebError {
    fn from(error: RaError) -> Self {
        match error {
            RaError::Api(body) => Self::Api(body),
            other => Self::Internal(other.to_string()),
        }
    }
}

/// A `POST`'s parts every handler needs: the body and its idempotency record.
struct Post {
    body: Bytes,
    idem: Idempotency,
}

fn post_parts(headers: &HeaderMap, uri: &Uri, body: Result<Bytes, BytesRejection>) -> Result<Post, WebError> {
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

fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, WebError> {
    serde_json::from_slice(body)
        .map_err(|e| WebError::Api(ApiError::new(ErrorCode::MalformedRequest, format!("bad JSON body: {e}"))))
}

fn session_id(text: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(text).map_err(|_| WebError::Api(ApiError::new(ErrorCode::NotFound, "no such session")))
}

/// The session with `status`, or the error (with `Retry-After` for `rate_limited`).
fn reply(status: StatusCode, result: Result<Session, WebError>) -> Response {
    match result {
        Ok(session) => (status, Json(session)).into_response(),
        Err(WebError::Api(error)) => {
            let retry = error.retry_after_s;
            let mut response = WebError::Api(error).into_response();
            if let Some(seconds) = retry.and_then(|s| header::HeaderValue::from_str(&s.to_string()).ok()) {
                response.headers_mut().insert(header::RETRY_AFTER, seconds);
            }
            response
        }
        Err(other) => other.into_response(),
    }
}

async fn start(
    State(ra): State<Arc<Ra>>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let post = post_parts(&headers, &uri, body)?;
        let request: StartEnrollment = json(&post.body)?;
        Ok(ra.start(&request, Some(&post.idem)).await?)
    };
    reply(StatusCode::CREATED, result.await)
}

async fn session(State(ra): State<Arc<Ra>>, Path(id): Path<String>) -> Response {
    let result = async { Ok(ra.session(session_id(&id)?).await?) };
    reply(StatusCode::OK, result.await)
}

/// Handlers of the JSON steps: parse the id, the key and the body, then call the RA.
macro_rules! json_step {
    ($name:ident, $body:ty, $method:ident) => {
        async fn $name(
            State(ra): State<Arc<Ra>>,
            Path(id): Path<String>,
            headers: HeaderMap,
            uri: Uri,
            body: Result<Bytes, BytesRejection>,
        ) -> Response {
            let result = async {
                let id = session_id(&id)?;
                let post = post_parts(&headers, &uri, body)?;
                let request: $body = json(&post.body)?;
                Ok(ra.$method(id, &request, Some(&post.idem)).await?)
            };
            reply(StatusCode::OK, result.await)
        }
    };
}

json_step!(phone, PhoneNumber, submit_phone);
json_step!(sms_code, SmsCode, submit_sms_code);
json_step!(consent, Consent, submit_consent);
json_step!(email, EmailAddress, submit_email);
json_step!(csrs, CsrPair, submit_csrs);

async fn resend(
    State(ra): State<Arc<Ra>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let id = session_id(&id)?;
        let post = post_parts(&headers, &uri, body)?;
        Ok(ra.resend_sms_code(id, Some(&post.idem)).await?)
    };
    reply(StatusCode::OK, result.await)
}

/// The picture's type from `Content-Type`, else `unsupported_media_type`.
fn image_type(headers: &HeaderMap) -> Result<ImageType, WebError> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(ImageType::from_content_type)
        .ok_or_else(|| {
            WebError::Api(ApiError::new(ErrorCode::UnsupportedMediaType, "send image/jpeg or image/png"))
        })
}

async fn selfie(
    State(ra): State<Arc<Ra>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let id = session_id(&id)?;
        let post = post_parts(&headers, &uri, body)?;
        let image = image_type(&headers)?;
        Ok(ra.submit_selfie(id, image, &post.body, Some(&post.idem)).await?)
    };
    reply(StatusCode::OK, result.await)
}

async fn id_card_photo(
    State(ra): State<Arc<Ra>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let id = session_id(&id)?;
        let post = post_parts(&headers, &uri, body)?;
        let image = image_type(&headers)?;
        Ok(ra.submit_id_card_photo(id, image, &post.body, Some(&post.idem)).await?)
    };
    reply(StatusCode::OK, result.await)
}

async fn dev_sms(
    State(ra): State<Arc<Ra>>,
    Query(query): Query<SmsQuery>,
) -> Result<Json<Vec<SmsMessage>>, WebError> {
    let mut conn = ra.storage().acquire().await.map_err(|e| WebError::Internal(e.to_string()))?;
    let messages = crate::storage::sms::outbox(&mut conn, query.phone.as_deref())
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(Json(messages.iter().map(|m| m.wire()).collect()))
}
