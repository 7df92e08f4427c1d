//! What the phone shows of a pending request and what it lets the citizen do, decided without I/O: the
//! verification code is recomputed here from the digest (never taken from the server), the document is
//! checked against its digest, and the request's expiry against the time the caller passes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_pki::cms::DigestAlgorithm;
use qoltanba_protocol::sign_requests::verification_code;
use qoltanba_protocol::{DeviceSignRequest, SignatureFormat};
use time::OffsetDateTime;
use uuid::Uuid;

/// What the citizen sees of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSummary {
    /// Its size in bytes, when the service sent it (`None`: the service keeps it and sent its digest).
    pub size: Option<usize>,
    /// Its SHA-256, lowercase hex.
    pub digest_hex: String,
    /// Attached (the signature carries the document) or detached.
    pub format: SignatureFormat,
}

/// Why a request is unusable as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// The digest is not a base64 SHA-256 (32 bytes).
    Digest,
    /// The document is not base64.
    Data,
    /// The document's SHA-256 is not the digest announced with it.
    DataDigestMismatch,
    /// An attached signature is asked for without the document.
    AttachedWithoutData,
}

/// What the citizen may do with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Approve or refuse.
    Open,
    /// The code the server announced is not the one the phone computes from the digest: the request is
    /// not the one the service showed; only refusing is allowed.
    CodeMismatch {
        /// What the server said.
        announced: String,
    },
    /// The request is past its expiry; nothing can be done.
    Expired,
    /// The request cannot be signed as sent; only refusing is allowed.
    Malformed(Malformed),
}

/// What to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToSign {
    /// The document itself, into an attached or detached CMS.
    Document {
        /// The document.
        data: Vec<u8>,
        /// Leave it out of the CMS.
        detached: bool,
    },
    /// Only the digest (the service keeps the document): a detached CMS.
    Digest(Vec<u8>),
}

/// A pending request as the phone shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxItem {
    /// The request.
    pub id: Uuid,
    /// Who asks.
    pub relying_party: String,
    /// What the service says is being signed.
    pub display_text: String,
    /// The verification code computed on the phone from the digest (empty when the digest is unreadable).
    pub verification_code: String,
    /// The document.
    pub document: DocumentSummary,
    /// When it expires.
    pub expires_at: OffsetDateTime,
    /// What the citizen may do.
    pub verdict: Verdict,
    to_sign: Option<ToSign>,
}

impl InboxItem {
    /// The item for `request` at time `now`.
    pub fn new(request: &DeviceSignRequest, now: OffsetDateTime) -> Self {
        let read = read_document(request);
        let digest = STANDARD.decode(request.digest.trim()).ok().filter(|d| d.len() == 32);
        let computed = digest.as_deref().map(verification_code).unwrap_or_default();
        let verdict = if now >= request.expires_at {
            Verdict::Expired
        } else if let Err(malformed) = &read {
            Verdict::Malformed(*malformed)
        } else if computed != request.verification_code {
            Verdict::CodeMismatch { announced: request.verification_code.clone() }
        } else {
            Verdict::Open
        };
        let size = match &read {
            Ok(ToSign::Document { data, .. }) => Some(data.len()),
            _ => None,
        };
        Self {
            id: request.id,
            relying_party: request.relying_party.clone(),
            display_text: request.display_text.clone(),
            verification_code: computed,
            document: DocumentSummary {
                size,
                digest_hex: digest.as_deref().map(hex::encode).unwrap_or_default(),
                format: request.format,
            },
            expires_at: request.expires_at,
            verdict,
            to_sign: read.ok(),
        }
    }

    /// Whether the citizen may approve (sign) it.
    pub fn can_approve(&self) -> bool {
        self.verdict == Verdict::Open
    }

    /// Whether the citizen may refuse it (anything not expired).
    pub fn can_refuse(&self) -> bool {
        self.verdict != Verdict::Expired
    }

    /// What to sign, when it may be approved.
    pub fn to_sign(&self) -> Option<&ToSign> {
        self.to_sign.as_ref().filter(|_| self.can_approve())
    }
}

/// The document or digest to sign, checked: the digest is 32 bytes, the document hashes to it.
fn read_document(request: &DeviceSignRequest) -> Result<ToSign, Malformed> {
    let digest = STANDARD.decode(request.digest.trim()).map_err(|_| Malformed::Digest)?;
    if digest.len() != 32 {
        return Err(Malformed::Digest);
    }
    let detached = request.format == SignatureFormat::Detached;
    match &request.data {
        Some(data) => {
            let data = STANDARD.decode(data.trim()).map_err(|_| Malformed::Data)?;
            if DigestAlgorithm::Sha256.digest(&data) != digest {
                return Err(Malformed::DataDigestMismatch);
            }
            Ok(ToSign::Document { data, detached })
        }
        None if detached => Ok(ToSign::Digest(digest)),
        None => Err(Malformed::AttachedWithoutData),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-01 10:00:00 UTC);

    fn request(data: Option<&[u8]>, format: SignatureFormat) -> DeviceSignRequest {
        let document = b"loan agreement";
        let digest = DigestAlgorithm::Sha256.digest(document);
        DeviceSignRequest {
            id: Uuid::nil(),
            relying_party: "Demo Bank".into(),
            display_text: "Loan agreement No. 42".into(),
            verification_code: verification_code(&digest),
            digest: STANDARD.encode(&digest),
            format,
            data: data.map(|d| STANDARD.encode(d)),
            expires_at: NOW + Duration::minutes(2),
        }
    }

    #[test]
    fn matching_request_is_open_with_the_phone_computed_code() {
        let item = InboxItem::new(&request(Some(b"loan agreement"), SignatureFormat::Attached), NOW);
        assert_eq!(item.verdict, Verdict::Open);
        assert!(item.can_approve() && item.can_refuse());
        assert_eq!(item.document.size, Some(14));
        let digest = DigestAlgorithm::Sha256.digest(b"loan agreement");
        assert_eq!(item.verification_code, verification_code(&digest));
        assert_eq!(item.document.digest_hex, hex::encode(&digest));
        assert_eq!(
            item.to_sign(),
            Some(&ToSign::Document { data: b"loan agreement".to_vec(), detached: false })
        );
    }

    #[test]
    fn announced_code_that_differs_from_the_digest_allows_only_refusal() {
        let mut sent = request(None, SignatureFormat::Detached);
        let good = sent.verification_code.clone();
        sent.verification_code = if good == "0000" { "0001".into() } else { "0000".into() };
        let item = InboxItem::new(&sent, NOW);
        assert_eq!(item.verdict, Verdict::CodeMismatch { announced: sent.verification_code.clone() });
        assert_eq!(item.verification_code, good);
        assert!(!item.can_approve() && item.can_refuse());
        assert_eq!(item.to_sign(), None);
    }

    #[test]
    fn document_that_does_not_hash_to_the_digest_is_malformed() {
        let item = InboxItem::new(&request(Some(b"another text"), SignatureFormat::Detached), NOW);
        assert_eq!(item.verdict, Verdict::Malformed(Malformed::DataDigestMismatch));
        let mut attached = request(None, SignatureFormat::Attached);
        assert_eq!(
            InboxItem::new(&attached, NOW).verdict,
            Verdict::Malformed(Malformed::AttachedWithoutData)
        );
        attached.digest = "AAEC".into();
        assert_eq!(InboxItem::new(&attached, NOW).verdict, Verdict::Malformed(Malformed::Digest));
    }

    #[test]
    fn digest_only_request_signs_the_digest_and_shows_no_size() {
        let item = InboxItem::new(&request(None, SignatureFormat::Detached), NOW);
        assert_eq!(item.document.size, None);
        assert_eq!(item.to_sign(), Some(&ToSign::Digest(DigestAlgorithm::Sha256.digest(b"loan agreement"))));
    }

    #[test]
    fn expired_request_allows_nothing() {
        let item = InboxItem::new(&request(None, SignatureFormat::Detached), NOW + Duration::minutes(2));
        assert_eq!(item.verdict, Verdict::Expired);
        assert!(!item.can_approve() && !item.can_refuse());
    }
}
