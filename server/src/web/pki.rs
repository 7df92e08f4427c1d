//! The PKI endpoints relying parties fetch: OCSP (RFC 6960, POST and GET), the CRL, the CA certificates.
//! Statuses come live from storage, so a revocation shows in OCSP at once.

use crate::ca::{Authority, CertState};
use crate::config::paths;
use crate::storage::certificates::CertificateRecord;
use crate::storage::{Storage, StorageError};
use crate::web::WebError;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use qoltanba_pki::crl::RevokedEntry;
use qoltanba_pki::ocsp::OcspRequest;
use qoltanba_pki::x509::der::{Decode, Encode};
use std::collections::HashMap;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// How long a CRL holds (nextUpdate - thisUpdate).
const CRL_VALIDITY: Duration = Duration::hours(24);
/// The largest OCSP request accepted.
const MAX_OCSP_REQUEST: usize = 64 * 1024;

/// What the PKI endpoints need.
#[derive(Clone)]
pub struct PkiState {
    /// The issuing CA.
    pub authority: Arc<Authority>,
    /// Certificate records and CRL numbers.
    pub storage: Storage,
}

/// OCSP, CRL and CA certificate routes.
pub fn routes(state: PkiState) -> Router {
    Router::new()
        .route(paths::OCSP, get(|| async { ocsp_error() }).post(ocsp_post))
        .route(&format!("{}/{{*request}}", paths::OCSP), get(ocsp_get))
        .route(paths::CRL, get(crl))
        .route(paths::ISSUING_CERTIFICATE, get(issuing_certificate))
        .route(paths::ROOT_CERTIFICATE, get(root_certificate))
        .route(paths::CHAIN_PEM, get(chain_pem))
        .with_state(state)
}

async fn ocsp_post(State(state): State<PkiState>, body: Bytes) -> Result<Response, WebError> {
    answer(&state, &body).await
}

/// GET: the base64 (URL-encoded) DER request is the rest of the path (RFC 6960 A.1).
async fn ocsp_get(State(state): State<PkiState>, Path(request): Path<String>) -> Result<Response, WebError> {
    let der =
        base64::engine::general_purpose::STANDARD.decode(request.trim_start_matches('/')).unwrap_or_default();
    answer(&state, &der).await
}

fn ocsp_error() -> Response {
    ocsp_response(
        qoltanba_pki::ocsp::error_response(qoltanba_pki::ocsp::OcspResponseStatus::MalformedRequest)
            .to_der()
            .unwrap_or_default(),
    )
}

async fn answer(state: &PkiState, request: &[u8]) -> Result<Response, WebError> {
    if request.len() > MAX_OCSP_REQUEST {
        return Ok(ocsp_error());
    }
    let statuses = statuses(state, request).await.map_err(internal)?;
    let authority = state.authority.clone();
    let request = request.to_vec();
    let now = OffsetDateTime::now_utc();
    let der = tokio::task::spawn_blocking(move || {
        authority.ocsp(&request, |serial| statuses.get(serial).copied().unwrap_or(CertState::Unknown), now)
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(ocsp_response(der))
}

/// The stored status of every serial the request asks about (a malformed request asks about none).
async fn statuses(state: &PkiState, request: &[u8]) -> Result<HashMap<Vec<u8>, CertState>, StorageError> {
    let Ok(parsed) = OcspRequest::from_der(request) else { return Ok(HashMap::new()) };
    let mut conn = state.storage.acquire().await?;
    let mut out = HashMap::new();
    for single in parsed.tbs_request.request_list.iter().take(crate::ca::ocsp::MAX_CERTIFICATES_PER_REQUEST) {
        let serial = single.req_cert.serial_number.as_bytes().to_vec();
        let record = crate::storage::certificates::find(&mut conn, &hex::encode_upper(&serial)).await?;
        out.insert(serial, record.map_or(CertState::Unknown, |r| r.ocsp_state()));
    }
    Ok(out)
}

fn ocsp_response(der: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/ocsp-response")], der).into_response()
}

/// A fresh CRL of every revoked certificate, numbered from the database's sequence.
async fn crl(State(state): State<PkiState>) -> Result<Response, WebError> {
    let now = OffsetDateTime::now_utc();
    let mut conn = state.storage.acquire().await.map_err(internal)?;
    let revoked = crate::storage::certificates::revoked(&mut conn).await.map_err(internal)?;
    let number = crate::storage::ca::next_crl_number(&mut conn, now).await.map_err(internal)?;
    drop(conn);
    let entries = revoked.iter().filter_map(entry).collect::<Vec<_>>();
    let authority = state.authority.clone();
    let number = u64::try_from(number).map_err(|e| WebError::Internal(e.to_string()))?;
    let der = tokio::task::spawn_blocking(move || authority.crl(&entries, number, now, now + CRL_VALIDITY))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/pkix-crl")], der).into_response())
}

fn entry(record: &CertificateRecord) -> Option<RevokedEntry> {
    let revocation = record.revocation?;
    let serial = hex::decode(&record.serial).ok()?;
    Some(RevokedEntry {
        serial: qoltanba_pki::x509::serial_number::SerialNumber::new(&serial).ok()?,
        revoked_at: revocation.at,
        reason: Some(crate::storage::certificates::crl_reason(revocation.reason)),
    })
}

async fn issuing_certificate(State(state): State<PkiState>) -> Result<Response, WebError> {
    certificate(state.authority.issuing())
}

async fn root_certificate(State(state): State<PkiState>) -> Result<Response, WebError> {
    certificate(state.authority.root())
}

fn certificate(cert: &qoltanba_pki::x509::Certificate) -> Result<Response, WebError> {
    let der = cert.to_der().map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/pkix-cert")], der).into_response())
}

async fn chain_pem(State(state): State<PkiState>) -> Response {
    ([(header::CONTENT_TYPE, "application/x-pem-file")], state.authority.chain_pem().to_owned())
        .into_response()
}

fn internal(error: StorageError) -> WebError {
    WebError::Internal(error.to_string())
}
