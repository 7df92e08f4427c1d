//! The holder's certificate routes: `POST /v1/certificates/{serial}/revocation`, signed with their AUTH
//! key (see [`qoltanba_protocol::CitizenRevocation`]).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::post;
use qoltanba_protocol::CitizenRevocation;
use qoltanba_protocol::paths::CERTIFICATE_REVOCATION;

use crate::ra::Ra;
use crate::web::json::{json, post_parts, reply};

/// The holder's certificate routes on `ra`.
pub fn routes(ra: Arc<Ra>) -> Router {
    Router::new().route(CERTIFICATE_REVOCATION, post(revoke)).with_state(ra)
}

async fn revoke(
    State(ra): State<Arc<Ra>>,
    Path(serial): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let result = async {
        let post = post_parts(&headers, &uri, body)?;
        let request: CitizenRevocation = json(&post.body)?;
        Ok(ra.revoke_by_holder(&serial, &request, Some(&post.idem)).await?)
    };
    reply(StatusCode::OK, result.await)
}
