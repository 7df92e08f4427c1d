//! The sign-request inbox's records ([`crate::Wallet::sign_requests`] and the approval), converted from
//! core's [`qoltanba_core::signing::InboxItem`]: the verification code is the one the phone computed.

use std::time::SystemTime;

use qoltanba_core::signing::{Approved, InboxItem, Verdict};

/// A pending request from a service, as the inbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignRequest {
    /// The request's id (a UUID), for approving or refusing it.
    pub id: String,
    /// Who asks.
    pub relying_party: String,
    /// What the service says is being signed.
    pub display_text: String,
    /// The code computed on this phone from the document's digest; the service shows the same.
    pub verification_code: String,
    /// The document's size in bytes (`None`: the service sent only its digest).
    pub document_size: Option<u64>,
    /// The document's SHA-256, lowercase hex.
    pub digest_hex: String,
    /// Attached or detached signature.
    pub format: SignatureFormat,
    /// When it expires.
    pub expires_at: SystemTime,
    /// What the citizen may do with it.
    pub verdict: RequestVerdict,
    /// Approving is allowed.
    pub can_approve: bool,
    /// Refusing is allowed.
    pub can_refuse: bool,
}

/// The CMS shape a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SignatureFormat {
    /// The signature carries the document.
    Attached,
    /// The document stays apart.
    Detached,
}

/// What the citizen may do with a request.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RequestVerdict {
    /// Approve or refuse.
    Open,
    /// The code the server announced is not the phone's: only refusing is allowed.
    CodeMismatch {
        /// What the server announced.
        announced: String,
    },
    /// The request cannot be signed as sent: only refusing is allowed.
    Malformed,
    /// Past its expiry: nothing can be done.
    Expired,
}

/// An approved request: the service has the signature.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ApprovedRequest {
    /// The request's id.
    pub id: String,
    /// The SIGN certificate's serial (lowercase hex).
    pub signer_serial: String,
}

impl From<InboxItem> for SignRequest {
    fn from(item: InboxItem) -> Self {
        let (can_approve, can_refuse) = (item.can_approve(), item.can_refuse());
        let format = match item.document.format {
            qoltanba_protocol::SignatureFormat::Attached => SignatureFormat::Attached,
            qoltanba_protocol::SignatureFormat::Detached => SignatureFormat::Detached,
        };
        let verdict = match item.verdict {
            Verdict::Open => RequestVerdict::Open,
            Verdict::CodeMismatch { announced } => RequestVerdict::CodeMismatch { announced },
            Verdict::Malformed(_) => RequestVerdict::Malformed,
            Verdict::Expired => RequestVerdict::Expired,
        };
        Self {
            id: item.id.to_string(),
            relying_party: item.relying_party,
            display_text: item.display_text,
            verification_code: item.verification_code,
            document_size: item.document.size.map(|size| size as u64),
            digest_hex: item.document.digest_hex,
            format,
            expires_at: item.expires_at.into(),
            verdict,
            can_approve,
            can_refuse,
        }
    }
}

impl From<Approved> for ApprovedRequest {
    fn from(approved: Approved) -> Self {
        Self { id: approved.id.to_string(), signer_serial: approved.signer_serial }
    }
}
