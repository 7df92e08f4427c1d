//! Citizens' devices: registration with the AUTH key, the device token, the pending list (pulled,
//! long-polled) and the event stream.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures_util::stream::{self, Stream, StreamExt};
use qoltanba_pki::certificate::parse_certificate;
use qoltanba_pki::key::verify_signature;
use qoltanba_pki::signer::sha256_with_rsa;
use qoltanba_pki::x509::der::Encode;
use qoltanba_protocol::sign_requests::DEVICE_REGISTRATION_MAX_SKEW_S;
use qoltanba_protocol::{
    CertificatePurpose, CertificateStatus, DeviceRegistered, DeviceRegistration, DeviceSignRequest,
    ErrorCode, SignRequestStatus,
};
use serde_json::json;
use time::Duration;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use super::Signing;
use super::channels::DeviceEvent;
use super::requests::long_poll;
use crate::accounts::{csrf_matches, random_token, token_hash};
use crate::ra::{RaError, api, audit};
use crate::storage::devices::{self, DeviceRecord};
use crate::storage::sign_requests::{self, SignRequestRecord};
use crate::storage::{StorageError, certificates};

/// An authenticated device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Its id.
    pub id: Uuid,
    /// Its citizen's IIN.
    pub iin: String,
}

/// The phone's view of a request.
pub(super) fn device_view(record: &SignRequestRecord) -> DeviceSignRequest {
    DeviceSignRequest {
        id: record.id,
        relying_party: record.relying_party_name.clone(),
        display_text: record.display_text.clone(),
        verification_code: record.verification_code.clone(),
        digest: STANDARD.encode(&record.digest),
        format: record.format,
        data: record.data.as_ref().map(|d| STANDARD.encode(d)),
        expires_at: record.expires_at,
    }
}

impl Signing {
    /// `POST /v1/devices`: registers a device for the holder of a good AUTH certificate this CA issued,
    /// proven by a signature over [`DeviceRegistration::message`]. `invalid_input` (an unreadable
    /// certificate, `registered_at` more than 5 minutes off), `forbidden` (a certificate not in this
    /// CA's records, not AUTH, revoked or expired), `unauthorized` (the signature does not verify).
    /// Audited; the token is answered once and kept hashed.
    pub async fn register_device(&self, request: &DeviceRegistration) -> Result<DeviceRegistered, RaError> {
        let now = self.now();
        if (request.registered_at - now).abs() > Duration::seconds(i64::from(DEVICE_REGISTRATION_MAX_SKEW_S))
        {
            return Err(api(
                ErrorCode::InvalidInput,
                "registered_at is more than 5 minutes from the server's clock",
            ));
        }
        let certificate = parse_certificate(request.auth_certificate.as_bytes())
            .map_err(|_| api(ErrorCode::InvalidInput, "auth_certificate is not a certificate"))?;
        let der =
            certificate.to_der().map_err(|_| api(ErrorCode::InvalidInput, "auth_certificate is not DER"))?;
        let serial = hex::encode_upper(certificate.tbs_certificate().serial_number().as_bytes());
        let mut tx = self.storage.begin().await?;
        let stored = certificates::find(&mut tx, &serial).await?.filter(|c| c.der == der);
        let Some(stored) = stored else {
            return Err(api(ErrorCode::Forbidden, "the certificate was not issued by this CA"));
        };
        if stored.purpose != CertificatePurpose::Auth {
            return Err(api(ErrorCode::Forbidden, "the certificate is not an AUTH certificate"));
        }
        if stored.status_at(now) != CertificateStatus::Good {
            return Err(api(ErrorCode::Forbidden, "the AUTH certificate is revoked or expired"));
        }
        let message = request
            .message(&serial)
            .map_err(|_| api(ErrorCode::InvalidInput, "registered_at cannot be written as RFC 3339"))?;
        let signature = STANDARD
            .decode(request.signature.trim())
            .map_err(|_| api(ErrorCode::Unauthorized, "the signature is not base64"))?;
        let key = certificate.tbs_certificate().subject_public_key_info();
        verify_signature(key, &sha256_with_rsa(), &message, &signature).map_err(|_| {
            api(ErrorCode::Unauthorized, "the signature does not verify with the AUTH certificate")
        })?;
        let token = random_token().map_err(|_| RaError::Random)?;
        let record = DeviceRecord {
            id: Uuid::new_v4(),
            iin: stored.iin.clone(),
            auth_serial: serial.clone(),
            token_hash: token_hash(&token),
            platform: request.platform,
            push_token: request.push_token.clone(),
            created_at: now,
        };
        devices::insert(&mut tx, &record).await?;
        let actor = format!("citizen:{}", stored.iin);
        let details = json!({ "auth_serial": serial, "platform": request.platform });
        audit(&mut tx, now, &actor, "device.registered", &record.id.to_string(), details).await?;
        tx.commit().await.map_err(StorageError::from)?;
        Ok(DeviceRegistered { device_id: record.id, device_token: token.to_string() })
    }

    /// The device whose token is `token` and whose AUTH certificate is still good (`unauthorized`).
    pub async fn authenticate_device(&self, token: &str) -> Result<Device, RaError> {
        let hash = token_hash(token);
        let mut conn = self.storage.acquire().await?;
        let unauthorized = || api(ErrorCode::Unauthorized, "unknown or dead device token");
        let device = devices::by_token_hash(&mut conn, &hash)
            .await?
            .filter(|d| csrf_matches(&d.token_hash, &hash))
            .ok_or_else(unauthorized)?;
        let auth = certificates::find(&mut conn, &device.auth_serial).await?.ok_or_else(unauthorized)?;
        if auth.status_at(self.now()) != CertificateStatus::Good {
            return Err(unauthorized());
        }
        Ok(Device { id: device.id, iin: device.iin })
    }

    /// `GET /v1/device/sign-requests?waitMs=`: the citizen's pending requests; with `wait_ms` (1000 to
    /// 120000, else `invalid_input`), waits while there is none.
    pub async fn device_requests(
        &self,
        device: &Device,
        wait_ms: Option<u64>,
    ) -> Result<Vec<DeviceSignRequest>, RaError> {
        let wait = long_poll(wait_ms, "waitMs")?;
        let mut events = self.channels.subscribe(&device.iin);
        let pending = self.pending(&device.iin).await?;
        let Some(wait) = wait.filter(|_| pending.is_empty()) else { return Ok(pending) };
        let arrived = async {
            loop {
                match events.recv().await {
                    Ok(DeviceEvent::New(_)) | Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return,
                    Ok(DeviceEvent::Ended(_)) => {}
                }
            }
        };
        let _ = tokio::time::timeout(wait, arrived).await;
        self.pending(&device.iin).await
    }

    /// `GET /v1/device/events`: the citizen's pending requests as [`DeviceEvent::New`], then every event
    /// as it happens; ends only when the listener goes away.
    pub async fn device_events(
        &self,
        device: &Device,
    ) -> Result<impl Stream<Item = DeviceEvent> + use<>, RaError> {
        let events = self.channels.subscribe(&device.iin);
        let pending = self.pending(&device.iin).await?;
        let live = stream::unfold(events, |mut events| async move {
            loop {
                match events.recv().await {
                    Ok(event) => return Some((event, events)),
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        });
        Ok(stream::iter(pending.into_iter().map(DeviceEvent::New)).chain(live))
    }

    /// The citizen's requests still pending now.
    async fn pending(&self, iin: &str) -> Result<Vec<DeviceSignRequest>, RaError> {
        let stored = {
            let mut conn = self.storage.acquire().await?;
            sign_requests::pending_for(&mut conn, iin).await?
        };
        let mut pending = Vec::new();
        for record in stored {
            if let Some(current) = self.current(record.id).await?
                && current.status == SignRequestStatus::Pending
            {
                pending.push(device_view(&current));
            }
        }
        Ok(pending)
    }
}
