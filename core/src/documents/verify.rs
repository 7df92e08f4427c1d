//! Verifying a CMS signature on the phone: [`qoltanba_pki::cms::verify`], then each signer's
//! certificate path against the CA chain saved at enrollment.

use qoltanba_pki::certificate::{Purpose, parse_certificates};
use qoltanba_pki::cms::{self, CmsError, SignerStatus};
use qoltanba_pki::encoding::unarmor;
use qoltanba_pki::x509::Certificate;
use time::OffsetDateTime;

use crate::enrollment::{Enrollment, Step};
use crate::store::{Store, StoreError};

/// What a signature is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Every signer's signature holds over the content.
    pub signature_valid: bool,
    /// Whether every signer's certificate chains to the CA the phone enrolled with.
    pub chain: ChainStatus,
    /// The signers, in the message's order.
    pub signers: Vec<SignerSummary>,
}

/// Whether certificates chain to the enrolled CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainStatus {
    /// Valid at the time of checking, up to the enrolled CA chain.
    Trusted,
    /// Not (unknown CA, expired, not yet valid, …).
    Untrusted,
    /// The phone has no CA chain to check against (not enrolled).
    NotChecked,
}

/// One signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerSummary {
    /// The certificate's common name.
    pub name: Option<String>,
    /// The holder's IIN.
    pub iin: Option<String>,
    /// The certificate's serial, lowercase hex.
    pub serial: String,
    /// The signing time the signer claims.
    pub signing_time: Option<OffsetDateTime>,
    /// What the certificate is for.
    pub purpose: Purpose,
    /// This signer's signature holds.
    pub valid: bool,
}

/// Why a signature could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Not a readable CMS signature (or detached without the content, or content given twice).
    #[error("not a readable signature: {0}")]
    Unreadable(#[from] CmsError),
    /// The local store failed.
    #[error("local store: {0}")]
    Store(#[from] StoreError),
}

/// Verifies `signature` (DER, PEM or base64) over its own content or `content`, at `now`.
///
/// # Errors
/// [`DocumentError::Unreadable`] when it is not a CMS signature that can be checked, a store failure.
pub fn verify(
    store: &Store,
    signature: &[u8],
    content: Option<&[u8]>,
    now: OffsetDateTime,
) -> Result<Verification, DocumentError> {
    let der = unarmor(signature).map(|read| read.der).unwrap_or_else(|_| signature.to_vec());
    let verified = cms::verify(&der, content)?;
    let anchors = enrolled_chain(store)?;
    let chains = (!anchors.is_empty()).then(|| verified.validate_chains(&anchors, now, None));
    let chain = match &chains {
        None => ChainStatus::NotChecked,
        Some(paths) if !paths.is_empty() && paths.iter().all(Result::is_ok) => ChainStatus::Trusted,
        Some(_) => ChainStatus::Untrusted,
    };
    let signers = verified
        .signers
        .iter()
        .map(|signer| SignerSummary {
            name: signer.view.common_name.clone(),
            iin: signer.view.iin.clone(),
            serial: signer.view.serial_hex.clone(),
            signing_time: signer.signing_time,
            purpose: signer.view.purpose,
            valid: signer.status == SignerStatus::Valid,
        })
        .collect();
    Ok(Verification { signature_valid: verified.all_valid(), chain, signers })
}

/// The CA chain the CA sent with the citizen's certificates (empty before the enrollment is done).
fn enrolled_chain(store: &Store) -> Result<Vec<Certificate>, StoreError> {
    let Some(enrollment) = store.snapshot::<Enrollment>()? else { return Ok(Vec::new()) };
    let Step::Done { certificates } = enrollment.view().step else { return Ok(Vec::new()) };
    Ok(parse_certificates(certificates.chain_pem.as_bytes()).unwrap_or_default())
}
