//! The citizen-facing enrollment API under `/v1/enrollments`: handlers parse, call the RA and answer
//! with the session (or an `ApiError`). Every `POST` needs an `Idempotency-Key`. With `dev`, also
//! `GET /v1/dev/sms` (the embedded SMS gateway's outbox).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use qoltanba_protocol::dev::SmsQuery;
use qoltanba_protocol::limits::MAX_IMAGE_BYTES;
use qoltanba_protocol::paths::{
    DEV_SMS, ENROLLMENT, ENROLLMENT_CONSENT, ENROLLMENT_CSRS, ENROLLMENT_EMAIL, ENROLLMENT_ID_CARD_PHOTO,
    ENROLLMENT_PHONE, ENROLLMENT_SELFIE, ENROLLMENT_SMS_CODE, ENROLLMENT_SMS_CODE_RESEND, ENROLLMENTS,
};
use qoltanba_protocol::{
    ApiError, Consent, CsrPair, EmailAddress, ErrorCode, ImageType, PhoneNumber, SmsCode, SmsMessage,
    StartEnrollment,
};

use crate::ra::Ra;
use crate::web::WebError;
use crate::web::console::{DEV_SMS_PAGE, dev_sms_page};
use crate::web::json::{json, path_id, post_parts, reply};

/// The enrollment routes on `ra`; `dev` adds `GET /v1/dev/sms` and its page `GET /dev/sms`.
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
        router = router.route(DEV_SMS, get(dev_sms)).route(DEV_SMS_PAGE, get(dev_sms_page));
    }
    router.layer(DefaultBodyLimit::max(MAX_IMAGE_BYTES + 1)).with_state(ra)
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
    let result = async { Ok(ra.session(path_id(&id, "session")?).await?) };
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
                let id = path_id(&id, "session")?;
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
        let id = path_id(&id, "session")?;
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

/// Handlers of the picture uploads: parse the id, the key and the image type, then call the RA.
macro_rules! picture_step {
    ($name:ident, $method:ident) => {
        async fn $name(
            State(ra): State<Arc<Ra>>,
            Path(id): Path<String>,
            headers: HeaderMap,
            uri: Uri,
            body: Result<Bytes, BytesRejection>,
        ) -> Response {
            let result = async {
                let id = path_id(&id, "session")?;
                let post = post_parts(&headers, &uri, body)?;
                let image = image_type(&headers)?;
                Ok(ra.$method(id, image, &post.body, Some(&post.idem)).await?)
            };
            reply(StatusCode::OK, result.await)
        }
    };
}

picture_step!(selfie, submit_selfie);
picture_step!(id_card_photo, submit_id_card_photo);

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
