//! Bearer authentication of relying parties (API key) and devices (device token): the extractors
//! [`AuthenticatedRelyingParty`] and [`AuthenticatedDevice`]; a missing or unknown credential is `401
//! unauthorized` with `WWW-Authenticate: Bearer`.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use qoltanba_protocol::{ApiError, ErrorCode};

use crate::ra::RaError;
use crate::signing::{self, Device, RelyingParty, Signing};
use crate::web::WebError;

/// A relying party authenticated by its API key.
#[derive(Debug, Clone)]
pub struct AuthenticatedRelyingParty(pub RelyingParty);

/// A device authenticated by its token.
#[derive(Debug, Clone)]
pub struct AuthenticatedDevice(pub Device);

/// Why a bearer credential was refused: a `401` with `WWW-Authenticate: Bearer`, or another error.
#[derive(Debug)]
pub struct BearerRejection(WebError);

impl IntoResponse for BearerRejection {
    fn into_response(self) -> Response {
        let unauthorized = matches!(&self.0, WebError::Api(e) if e.code == ErrorCode::Unauthorized);
        let mut response = self.0.into_response();
        if unauthorized {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<RaError> for BearerRejection {
    fn from(error: RaError) -> Self {
        Self(error.into())
    }
}

/// The token of `Authorization: Bearer <token>` (`unauthorized` without one).
fn bearer(parts: &Parts) -> Result<&str, BearerRejection> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            BearerRejection(ApiError::new(ErrorCode::Unauthorized, "a Bearer token is required").into())
        })
}

impl FromRequestParts<Arc<Signing>> for AuthenticatedRelyingParty {
    type Rejection = BearerRejection;

    async fn from_request_parts(parts: &mut Parts, service: &Arc<Signing>) -> Result<Self, Self::Rejection> {
        let key = bearer(parts)?;
        Ok(Self(signing::relying_parties::authenticate(service.storage(), key).await?))
    }
}

impl FromRequestParts<Arc<Signing>> for AuthenticatedDevice {
    type Rejection = BearerRejection;

    async fn from_request_parts(parts: &mut Parts, service: &Arc<Signing>) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        Ok(Self(service.authenticate_device(token).await?))
    }
}
