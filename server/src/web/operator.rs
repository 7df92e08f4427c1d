//! The operator's JSON API under `/v1/operator` (the console's actions, for tests and tools): the
//! pending tickets and reviews, their decisions, the pictures to compare, an IIN's certificates and
//! their revocation. Reads need the session cookie ([`Operator`]); every `POST` also needs the CSRF
//! header ([`CsrfOperator`]) and an `Idempotency-Key`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRef, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use qoltanba_protocol::certificates::CertificateQuery;
use qoltanba_protocol::paths::{
    OPERATOR_CERTIFICATE_REVOCATION, OPERATOR_CERTIFICATES, OPERATOR_ID_CARD_PHOTO,
    OPERATOR_PHONE_REGISTRATION_DECISION, OPERATOR_PHONE_REGISTRATIONS, OPERATOR_REGISTRY_PHOTO,
    OPERATOR_SELFIE_REVIEW_DECISION, OPERATOR_SELFIE_REVIEW_IMAGE, OPERATOR_SELFIE_REVIEWS,
};
use qoltanba_protocol::{OperatorRevocation, ReviewDecision, TicketDecision};

use crate::ra::{Picture, Ra};
use crate::storage::Storage;
use crate::web::json::{json, path_id, post_parts, reply};
use crate::web::{CsrfOperator, Operator, WebError};

impl FromRef<Arc<Ra>> for Storage {
    fn from_ref(ra: &Arc<Ra>) -> Self {
        ra.storage().clone()
    }
}

/// The operator's JSON routes on `ra`.
pub fn routes(ra: Arc<Ra>) -> Router {
    Router::new()
        .route(OPERATOR_PHONE_REGISTRATIONS, get(phone_registrations))
        .route(OPERATOR_PHONE_REGISTRATION_DECISION, post(decide_phone_registration))
        .route(OPERATOR_SELFIE_REVIEWS, get(selfie_reviews))
        .route(OPERATOR_SELFIE_REVIEW_DECISION, post(decide_selfie_review))
        .route(OPERATOR_SELFIE_REVIEW_IMAGE, get(selfie_image))
        .route(OPERATOR_ID_CARD_PHOTO, get(id_card_photo))
        .route(OPERATOR_REGISTRY_PHOTO, get(registry_photo))
        .route(OPERATOR_CERTIFICATES, get(certificates))
        .route(OPERATOR_CERTIFICATE_REVOCATION, post(revoke))
        .with_state(ra)
}

async fn phone_registrations(State(ra): State<Arc<Ra>>, _operator: Operator) -> Response {
    reply(StatusCode::OK, ra.pending_tickets().await.map_err(WebError::from))
}

async fn decide_phone_registration(
    State(ra): State<Arc<Ra>>,
    CsrfOperator(operator): CsrfOperator,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let id = path_id(&id, "ticket")?;
        let post = post_parts(&headers, &uri, body)?;
        let decision: TicketDecision = json(&post.body)?;
        ra.decide_phone_ticket(&operator.username, id, &decision, Some(&post.idem)).await?;
        Ok(ra.ticket(id).await?)
    };
    reply(StatusCode::OK, result.await)
}

async fn selfie_reviews(State(ra): State<Arc<Ra>>, _operator: Operator) -> Response {
    reply(StatusCode::OK, ra.pending_reviews().await.map_err(WebError::from))
}

async fn decide_selfie_review(
    State(ra): State<Arc<Ra>>,
    CsrfOperator(operator): CsrfOperator,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let id = path_id(&id, "review")?;
        let post = post_parts(&headers, &uri, body)?;
        let decision: ReviewDecision = json(&post.body)?;
        ra.decide_selfie(&operator.username, id, &decision, Some(&post.idem)).await?;
        Ok(ra.review(id).await?)
    };
    reply(StatusCode::OK, result.await)
}

async fn selfie_image(
    State(ra): State<Arc<Ra>>,
    _operator: Operator,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    Ok(picture(ra.review_selfie(path_id(&id, "review")?).await?))
}

async fn id_card_photo(
    State(ra): State<Arc<Ra>>,
    _operator: Operator,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    Ok(picture(ra.id_card_photo(path_id(&id, "session")?).await?))
}

async fn registry_photo(
    State(ra): State<Arc<Ra>>,
    _operator: Operator,
    Path(iin): Path<String>,
) -> Result<Response, WebError> {
    Ok(picture(ra.registry_photo(&iin).await?))
}

async fn certificates(
    State(ra): State<Arc<Ra>>,
    _operator: Operator,
    Query(query): Query<CertificateQuery>,
) -> Response {
    reply(StatusCode::OK, ra.certificates(&query.iin).await.map_err(WebError::from))
}

async fn revoke(
    State(ra): State<Arc<Ra>>,
    CsrfOperator(operator): CsrfOperator,
    Path(serial): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let post = post_parts(&headers, &uri, body)?;
        let request: OperatorRevocation = json(&post.body)?;
        Ok(ra.revoke_by_operator(&operator.username, &serial, &request, Some(&post.idem)).await?)
    };
    reply(StatusCode::OK, result.await)
}

/// A picture with its own type; private (never cached) and never sniffed as anything else.
fn picture(picture: Picture) -> Response {
    let content_type = HeaderValue::from_str(&picture.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut response = picture.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}
