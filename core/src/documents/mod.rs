//! Signing a file with the enrolled SIGN key and verifying a signature, on the phone.
//!
//! - [`sign`]: the PIN (with the store's lockout), then a CAdES-BES CMS made with the SIGN key exactly as
//!   an approved signing request is ([`crate::signing`]), recorded in the history as `signed`;
//! - [`verify`]: the CMS checked signer by signer, their certificates against the CA chain the phone
//!   saved at enrollment.

mod verify;

use qoltanba_pki::cms::DigestAlgorithm;
use serde_json::json;

use crate::keystore::CertificatePurpose;
use crate::signing::{self, SigningError, SigningPorts, ToSign};
use crate::store::{OperationKind, Store};

pub use verify::{ChainStatus, DocumentError, SignerSummary, Verification, verify};

/// A signed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDocument {
    /// The CMS SignedData, DER.
    pub cms: Vec<u8>,
    /// The name to save it under: the file's name with `.cms` (attached) or `.p7s` (detached).
    pub suggested_file_name: String,
    /// The SIGN certificate's serial (lowercase hex).
    pub signer_serial: String,
}

/// Signs `content` (the file `file_name`) with the SIGN key of the citizen enrolled in `store`, after
/// the PIN; `detached` leaves the content out of the CMS. Recorded in the history (name, SHA-256).
///
/// # Errors
/// [`SigningError::NotEnrolled`], the PIN's errors ([`SigningError::WrongPin`],
/// [`SigningError::PinLocked`], [`SigningError::Cancelled`]), the key's ([`SigningError::Keys`]) and the
/// store's.
pub async fn sign(
    store: &mut Store,
    ports: &SigningPorts,
    content: &[u8],
    file_name: &str,
    detached: bool,
) -> Result<SignedDocument, SigningError> {
    let certificate = signing::certificate(store, ports, CertificatePurpose::Sign)?;
    signing::unlock(store, ports).await?;
    let to_sign = ToSign::Document { data: content.to_vec(), detached };
    let cms = signing::signature(ports, &certificate, &to_sign)?;
    let detail = json!({
        "file_name": file_name,
        "digest": hex::encode(DigestAlgorithm::Sha256.digest(content)),
        "format": if detached { "detached" } else { "attached" },
        "signer_serial": certificate.serial,
    });
    store.record(ports.clock.now(), OperationKind::Signed, &detail)?;
    let extension = if detached { "p7s" } else { "cms" };
    let suggested_file_name = format!("{file_name}.{extension}");
    Ok(SignedDocument { cms, suggested_file_name, signer_serial: certificate.serial })
}
