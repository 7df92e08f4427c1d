//! Creating requests, the relying party's long-poll, and expiry.

use std::time::Duration as StdDuration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::pem::LineEnding;
use qoltanba_pki::x509::der::{Decode, EncodePem};
use qoltanba_protocol::sign_requests::{
    LONG_POLL_MS, MAX_DISPLAY_TEXT_CHARS, MAX_SIGN_DATA_BYTES, SIGN_REQUEST_TTL_S,
};
use qoltanba_protocol::{
    ApiError, CertificatePurpose, CertificateStatus, CreateSignRequest, ErrorCode, SignRequestCreated,
    SignRequestState, SignRequestStatus, SignatureFormat, verification_code,
};
use reqwest::Url;
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::channels::DeviceEvent;
use super::{RelyingParty, Signing};
use crate::ra::transaction::{Answer, transact};
use crate::ra::{Idempotency, RaError, api, audit};
use crate::storage::sign_requests::{self, Finish, SignRequestRecord};
use crate::storage::{AnyConnection, ConflictKind, StorageError, certificates};

/// What a checked [`CreateSignRequest`] holds.
struct Document {
    iin: String,
    data: Option<Vec<u8>>,
    digest: Vec<u8>,
}

impl Signing {
    /// `POST /v1/sign-requests`: a new pending request of `relying_party` to the citizen, which cancels
    /// the citizen's pending one. `invalid_iin`; `invalid_input` (data and digest both or neither, a
    /// digest that is not 32 bytes, attached without data, a display text of 0 or more than 200
    /// characters, a bad callback URL); `payload_too_large`; `not_found` when the citizen holds no good
    /// SIGN certificate; `rate_limited`.
    pub async fn create(
        &self,
        relying_party: &RelyingParty,
        request: &CreateSignRequest,
        idem: Option<&Idempotency>,
    ) -> Result<SignRequestCreated, RaError> {
        let document = document(request)?;
        let display_text = display_text(&request.display_text)?;
        let callback_url = request
            .callback_url
            .as_deref()
            .map(|url| callback_url(url, &relying_party.callback_hosts, self.dev))
            .transpose()?;
        let now = self.now();
        let record = SignRequestRecord {
            id: Uuid::new_v4(),
            relying_party_id: relying_party.id,
            relying_party_name: relying_party.name.clone(),
            iin: document.iin,
            status: SignRequestStatus::Pending,
            format: request.format,
            verification_code: verification_code(&document.digest),
            data: document.data,
            digest: document.digest,
            display_text,
            callback_url,
            signature: None,
            signer_serial: None,
            created_at: now,
            expires_at: now + Duration::seconds(i64::from(SIGN_REQUEST_TTL_S)),
            finished_at: None,
        };
        let mut ended = Vec::new();
        let mut created = false;
        let answer = async {
            transact!(self, idem, 201, |tx| {
                self.limits.admit(relying_party.id, &record.iin, now)?;
                check_signer(&mut tx, &record.iin, now).await?;
                ended = end_pending(&mut tx, &record.iin, now).await?;
                insert(&mut tx, &record).await?;
                let details = json!({ "relying_party": relying_party.name, "format": request.format });
                let actor = format!("relying_party:{}", relying_party.id);
                audit(&mut tx, now, &actor, "sign_request.created", &record.id.to_string(), details).await?;
                created = true;
                Ok(Answer::Done(SignRequestCreated {
                    id: record.id,
                    verification_code: record.verification_code.clone(),
                    expires_at: record.expires_at,
                }))
            })
        }
        .await;
        if answer.is_ok() && created {
            for (old, status) in &ended {
                self.announce_end(old, *status);
            }
            self.channels.publish(&record.iin, DeviceEvent::New(super::devices::device_view(&record)));
            self.wake_devices(&record.iin);
        }
        answer
    }

    /// `GET /v1/sign-requests/{id}?timeoutMs=`: the request of `relying_party` (`not_found` for another's),
    /// waiting up to `timeout_ms` (1000 to 120000, else `invalid_input`) while it is pending.
    pub async fn poll(
        &self,
        relying_party: &RelyingParty,
        id: Uuid,
        timeout_ms: Option<u64>,
    ) -> Result<SignRequestState, RaError> {
        let timeout = long_poll(timeout_ms, "timeoutMs")?;
        let mut ended = self.channels.watch(id);
        let result = async {
            let mut record = self.owned(relying_party, id).await?;
            if let (SignRequestStatus::Pending, Some(timeout)) = (record.status, timeout) {
                let left = (record.expires_at - self.now()).max(Duration::ZERO);
                let wait =
                    timeout.min(StdDuration::try_from(left).unwrap_or(timeout) + StdDuration::from_secs(1));
                let _ = tokio::time::timeout(wait, ended.changed()).await;
                record = self.owned(relying_party, id).await?;
            }
            self.state(&record).await
        }
        .await;
        drop(ended);
        self.channels.release(id);
        result
    }

    /// Expires every overdue pending request; returns how many.
    pub async fn sweep(&self) -> Result<usize, RaError> {
        let overdue = {
            let mut conn = self.storage.acquire().await?;
            sign_requests::overdue(&mut conn, self.now()).await?
        };
        let mut count = 0;
        for record in overdue {
            if self.expire(&record).await? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// The request as it is now, expired if it is past its time.
    pub(super) async fn current(&self, id: Uuid) -> Result<Option<SignRequestRecord>, RaError> {
        let mut conn = self.storage.acquire().await?;
        let Some(record) = sign_requests::find(&mut conn, id).await? else { return Ok(None) };
        drop(conn);
        if record.status != SignRequestStatus::Pending || record.expires_at > self.now() {
            return Ok(Some(record));
        }
        self.expire(&record).await?;
        let mut conn = self.storage.acquire().await?;
        Ok(sign_requests::find(&mut conn, id).await?)
    }

    /// Ends a request past its time as `expired` (audited, announced); false if it had already ended.
    async fn expire(&self, record: &SignRequestRecord) -> Result<bool, RaError> {
        let now = self.now();
        let mut tx = self.storage.begin().await?;
        let finish =
            Finish { status: SignRequestStatus::Expired, at: now, signature: None, signer_serial: None };
        match sign_requests::finish(&mut tx, record.id, &finish).await {
            Ok(()) => {}
            Err(StorageError::Conflict { kind: ConflictKind::Stale, .. }) => return Ok(false),
            Err(other) => return Err(other.into()),
        }
        audit(&mut tx, now, "ra", "sign_request.expired", &record.id.to_string(), json!({})).await?;
        tx.commit().await.map_err(StorageError::from)?;
        self.announce_end(record, SignRequestStatus::Expired);
        Ok(true)
    }

    async fn owned(&self, relying_party: &RelyingParty, id: Uuid) -> Result<SignRequestRecord, RaError> {
        self.current(id)
            .await?
            .filter(|r| r.relying_party_id == relying_party.id)
            .ok_or_else(|| api(ErrorCode::NotFound, "no such sign request"))
    }

    /// The relying party's view, with the signature and the signer's certificate when signed.
    async fn state(&self, record: &SignRequestRecord) -> Result<SignRequestState, RaError> {
        let signer_certificate = match &record.signer_serial {
            Some(serial) => {
                let mut conn = self.storage.acquire().await?;
                let stored = certificates::find(&mut conn, serial).await?.ok_or(StorageError::NotFound)?;
                let corrupt = || RaError::CorruptCertificate(serial.clone());
                let certificate = Certificate::from_der(&stored.der).map_err(|_| corrupt())?;
                Some(certificate.to_pem(LineEnding::LF).map_err(|_| corrupt())?)
            }
            None => None,
        };
        Ok(SignRequestState {
            id: record.id,
            status: record.status,
            verification_code: record.verification_code.clone(),
            expires_at: record.expires_at,
            signature: record.signature.as_ref().map(|s| STANDARD.encode(s)),
            signer_certificate,
        })
    }
}

/// A long-poll's wait: none, or 1 to 120 s (`invalid_input` otherwise, naming `what`).
pub(super) fn long_poll(ms: Option<u64>, what: &str) -> Result<Option<StdDuration>, RaError> {
    match ms {
        None => Ok(None),
        Some(ms) if LONG_POLL_MS.contains(&ms) => Ok(Some(StdDuration::from_millis(ms))),
        Some(_) => Err(api(ErrorCode::InvalidInput, format!("{what} must be 1000 to 120000"))),
    }
}

fn document(request: &CreateSignRequest) -> Result<Document, RaError> {
    if request.iin.parse::<qoltanba_pki::iin::Iin>().is_err() {
        return Err(api(ErrorCode::InvalidIin, "the IIN is not 12 digits with a valid check digit"));
    }
    let decode = |text: &str, what: &str| {
        STANDARD
            .decode(text.trim())
            .map_err(|_| api(ErrorCode::InvalidInput, format!("{what} is not base64")))
    };
    let (data, digest) = match (&request.data, &request.digest) {
        (Some(data), None) => {
            if data.len() > MAX_SIGN_DATA_BYTES / 3 * 4 + 4 {
                return Err(RaError::Api(ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    "data is larger than 512 KiB",
                )));
            }
            let data = decode(data, "data")?;
            if data.len() > MAX_SIGN_DATA_BYTES {
                return Err(RaError::Api(ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    "data is larger than 512 KiB",
                )));
            }
            let digest = Sha256::digest(&data).to_vec();
            (Some(data), digest)
        }
        (None, Some(digest)) => (None, decode(digest, "digest")?),
        _ => return Err(api(ErrorCode::InvalidInput, "give either data or digest")),
    };
    if digest.len() != 32 {
        return Err(api(ErrorCode::InvalidInput, "digest must be a SHA-256 digest (32 bytes)"));
    }
    if request.format == SignatureFormat::Attached && data.is_none() {
        return Err(api(ErrorCode::InvalidInput, "an attached signature needs data"));
    }
    Ok(Document { iin: request.iin.clone(), data, digest })
}

fn display_text(text: &str) -> Result<String, RaError> {
    let text = text.trim();
    let count = text.chars().count();
    if count == 0 || count > MAX_DISPLAY_TEXT_CHARS || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(api(ErrorCode::InvalidInput, "display_text must be 1 to 200 characters"));
    }
    Ok(text.to_owned())
}

/// A callback URL: `https://` on one of `hosts`; with `dev`, also `http://` to a loopback host on them.
fn callback_url(text: &str, hosts: &[String], dev: bool) -> Result<String, RaError> {
    let bad = |why: &str| api(ErrorCode::InvalidInput, format!("callback_url: {why}"));
    let url = Url::parse(text).map_err(|_| bad("not a URL"))?;
    let host = url.host_str().ok_or_else(|| bad("no host"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => {}
        "http" if dev && loopback => {}
        _ => return Err(bad("must be https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry credentials"));
    }
    if !hosts.contains(&host) {
        return Err(bad("its host is not registered for this relying party"));
    }
    Ok(url.to_string())
}

/// `not_found` unless the citizen holds a good SIGN certificate.
async fn check_signer(conn: &mut AnyConnection, iin: &str, now: OffsetDateTime) -> Result<(), RaError> {
    let held = certificates::by_iin(conn, iin).await?;
    let good = held
        .iter()
        .any(|c| c.purpose == CertificatePurpose::Sign && c.status_at(now) == CertificateStatus::Good);
    match good {
        true => Ok(()),
        false => Err(api(ErrorCode::NotFound, "the citizen holds no valid signing certificate")),
    }
}

/// Ends the citizen's pending requests: `expired` past their time, else `cancelled` (audited).
async fn end_pending(
    conn: &mut AnyConnection,
    iin: &str,
    now: OffsetDateTime,
) -> Result<Vec<(SignRequestRecord, SignRequestStatus)>, RaError> {
    let mut ended = Vec::new();
    for old in sign_requests::pending_for(conn, iin).await? {
        let status = match old.expires_at <= now {
            true => SignRequestStatus::Expired,
            false => SignRequestStatus::Cancelled,
        };
        let finish = Finish { status, at: now, signature: None, signer_serial: None };
        sign_requests::finish(conn, old.id, &finish).await?;
        let action = format!("sign_request.{}", status.name());
        audit(conn, now, "ra", &action, &old.id.to_string(), json!({ "reason": "a newer request" })).await?;
        ended.push((old, status));
    }
    Ok(ended)
}

/// Inserts, answering `conflict` if a concurrent request for the same citizen won.
async fn insert(conn: &mut AnyConnection, record: &SignRequestRecord) -> Result<(), RaError> {
    match sign_requests::insert(conn, record).await {
        Err(StorageError::Conflict { kind: ConflictKind::Unique, .. }) => {
            Err(api(ErrorCode::Conflict, "another request for this citizen is being made; retry"))
        }
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Vec<String> {
        vec!["bank.example.kz".into(), "127.0.0.1".into()]
    }

    #[test]
    fn callback_urls_need_https_on_a_registered_host() {
        assert!(callback_url("https://BANK.example.kz/cb?x=1", &hosts(), false).is_ok());
        assert!(callback_url("https://evil.example/cb", &hosts(), false).is_err());
        assert!(callback_url("http://bank.example.kz/cb", &hosts(), true).is_err());
        assert!(callback_url("http://127.0.0.1:9/cb", &hosts(), false).is_err());
        assert!(callback_url("http://127.0.0.1:9/cb", &hosts(), true).is_ok());
        assert!(callback_url("https://user:pw@bank.example.kz/cb", &hosts(), false).is_err());
    }

    #[test]
    fn display_text_is_one_to_two_hundred_characters() {
        assert!(display_text(&"қ".repeat(200)).is_ok());
        assert!(display_text(&"қ".repeat(201)).is_err());
        assert!(display_text("  ").is_err());
    }

    #[test]
    fn long_poll_accepts_one_to_one_hundred_twenty_seconds() {
        assert_eq!(long_poll(None, "w").unwrap(), None);
        assert!(long_poll(Some(999), "w").is_err());
        assert!(long_poll(Some(120_001), "w").is_err());
        assert_eq!(long_poll(Some(1000), "w").unwrap(), Some(StdDuration::from_secs(1)));
    }
}
