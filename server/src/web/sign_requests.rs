//! The signing-request API: the relying parties' `/v1/sign-requests` and the devices' `/v1/devices`,
//! `/v1/device/…` (see [`qoltanba_protocol::sign_requests`]).

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::StreamExt;
use qoltanba_protocol::paths::{
    DEVICE_EVENTS, DEVICE_SIGN_REQUEST_APPROVAL, DEVICE_SIGN_REQUEST_REFUSAL, DEVICE_SIGN_REQUESTS, DEVICES,
    SIGN_REQUEST, SIGN_REQUESTS,
};
use qoltanba_protocol::sign_requests::{
    DevicePoll, MAX_SIGNATURE_BYTES, SIGN_REQUEST_ENDED_EVENT, SIGN_REQUEST_EVENT, SignRequestPoll,
};
use qoltanba_protocol::{ApiError, CreateSignRequest, DeviceRegistration, ErrorCode, SignRequestApproval};
use serde::de::DeserializeOwned;

use crate::signing::{DeviceEvent, Signing};
use crate::web::WebError;
use crate::web::bearer::{AuthenticatedDevice, AuthenticatedRelyingParty};
use crate::web::json::{Post, json, path_id, post_parts, reply};

/// Largest body of these routes: an approval's base64 CMS, with room for JSON.
const MAX_BODY_BYTES: usize = MAX_SIGNATURE_BYTES / 3 * 4 + 64 * 1024;

/// The signing-request routes on `service`.
pub fn routes(service: Arc<Signing>) -> Router {
    Router::new()
        .route(SIGN_REQUESTS, post(create))
        .route(SIGN_REQUEST, get(poll))
        .route(DEVICES, post(register))
        .route(DEVICE_SIGN_REQUESTS, get(device_requests))
        .route(DEVICE_EVENTS, get(events))
        .route(DEVICE_SIGN_REQUEST_APPROVAL, post(approve))
        .route(DEVICE_SIGN_REQUEST_REFUSAL, post(refuse))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(service)
}

/// A `POST`'s parts with its idempotency key scoped to `owner`, so two clients' keys never collide.
fn scoped(
    headers: &HeaderMap,
    uri: &Uri,
    body: Result<Bytes, BytesRejection>,
    owner: &str,
) -> Result<Post, WebError> {
    let mut post = post_parts(headers, uri, body)?;
    post.idem.key = format!("{owner}:{}", post.idem.key);
    Ok(post)
}

/// A query string, else `malformed_request`.
fn query<T: DeserializeOwned + Default>(query: Result<Query<T>, QueryRejection>) -> Result<T, WebError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorCode::MalformedRequest, format!("bad query: {e}")).into())
}

async fn create(
    State(service): State<Arc<Signing>>,
    AuthenticatedRelyingParty(rp): AuthenticatedRelyingParty,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let post = scoped(&headers, &uri, body, &format!("rp:{}", rp.id))?;
        let request: CreateSignRequest = json(&post.body)?;
        Ok(service.create(&rp, &request, Some(&post.idem)).await?)
    };
    reply(StatusCode::CREATED, result.await)
}

async fn poll(
    State(service): State<Arc<Signing>>,
    AuthenticatedRelyingParty(rp): AuthenticatedRelyingParty,
    Path(id): Path<String>,
    params: Result<Query<SignRequestPoll>, QueryRejection>,
) -> Response {
    let result = async {
        let id = path_id(&id, "sign request")?;
        let params = query(params)?;
        Ok(service.poll(&rp, id, params.timeout_ms).await?)
    };
    reply(StatusCode::OK, result.await)
}

async fn register(State(service): State<Arc<Signing>>, body: Result<Bytes, BytesRejection>) -> Response {
    let result = async {
        let body =
            body.map_err(|_| ApiError::new(ErrorCode::MalformedRequest, "the body could not be read"))?;
        let request: DeviceRegistration = json(&body)?;
        Ok(service.register_device(&request).await?)
    };
    reply(StatusCode::CREATED, result.await)
}

async fn device_requests(
    State(service): State<Arc<Signing>>,
    AuthenticatedDevice(device): AuthenticatedDevice,
    params: Result<Query<DevicePoll>, QueryRejection>,
) -> Response {
    let result = async {
        let params = query(params)?;
        Ok(service.device_requests(&device, params.wait_ms).await?)
    };
    reply(StatusCode::OK, result.await)
}

async fn events(
    State(service): State<Arc<Signing>>,
    AuthenticatedDevice(device): AuthenticatedDevice,
) -> Response {
    let stream = match service.device_events(&device).await {
        Ok(stream) => stream,
        Err(error) => return WebError::from(error).into_response(),
    };
    let events = stream.map(|event| {
        let (name, data) = match &event {
            DeviceEvent::New(request) => (SIGN_REQUEST_EVENT, serde_json::to_string(request)),
            DeviceEvent::Ended(outcome) => (SIGN_REQUEST_ENDED_EVENT, serde_json::to_string(outcome)),
        };
        Ok::<_, Infallible>(Event::default().event(name).data(data.unwrap_or_default()))
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}

async fn approve(
    State(service): State<Arc<Signing>>,
    AuthenticatedDevice(device): AuthenticatedDevice,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let id = path_id(&id, "sign request")?;
        let post = scoped(&headers, &uri, body, &format!("device:{}", device.id))?;
        let approval: SignRequestApproval = json(&post.body)?;
        Ok(service.approve(&device, id, &approval, Some(&post.idem)).await?)
    };
    reply(StatusCode::OK, result.await)
}

async fn refuse(
    State(service): State<Arc<Signing>>,
    AuthenticatedDevice(device): AuthenticatedDevice,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let id = path_id(&id, "sign request")?;
        let post = scoped(&headers, &uri, body, &format!("device:{}", device.id))?;
        Ok(service.refuse(&device, id, Some(&post.idem)).await?)
    };
    reply(StatusCode::OK, result.await)
}
