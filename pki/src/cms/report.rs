//! What verifying a SignedData message found, signer by signer.

use const_oid::ObjectIdentifier;
use time::OffsetDateTime;
use x509_cert::Certificate;

use crate::algorithm::DigestAlgorithm;
use crate::certificate::CertificateView;
use crate::chain::{ChainError, RevocationSource, ValidatedPath};

/// A readable SignedData message, its content and what each signer's signature is worth.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The attached content; `None` when the signature is detached.
    pub content: Option<Vec<u8>>,
    /// One report per SignerInfo, in the message's order.
    pub signers: Vec<SignerReport>,
    /// Every certificate the message carries.
    pub certificates: Vec<Certificate>,
}

impl Verified {
    /// True when there is at least one signer and every signer's signature is valid.
    pub fn all_valid(&self) -> bool {
        !self.signers.is_empty() && self.signers.iter().all(|s| s.status == SignerStatus::Valid)
    }

    /// Validates each signer's certificate path at `at`, in signer order, with the message's own
    /// certificates as intermediates and revocation checked against `revocation` when given.
    pub fn validate_chains(
        &self,
        anchors: &[Certificate],
        at: OffsetDateTime,
        revocation: Option<&dyn RevocationSource>,
    ) -> Vec<Result<ValidatedPath, ChainError>> {
        self.signers
            .iter()
            .map(|signer| {
                crate::chain::validate(&signer.certificate, &self.certificates, anchors, at, revocation)
            })
            .collect()
    }
}

/// One signer: who, when, how, and whether the signature holds.
#[derive(Clone, Debug)]
pub struct SignerReport {
    /// The signer's certificate, found among the message's certificates.
    pub certificate: Certificate,
    /// A readable view of that certificate.
    pub view: CertificateView,
    /// The `signingTime` attribute, when present (claimed by the signer, not proven).
    pub signing_time: Option<OffsetDateTime>,
    /// The digest algorithm of the content.
    pub digest_algorithm: DigestAlgorithm,
    /// Whether the signature verifies.
    pub status: SignerStatus,
}

/// Whether one signer's signature verifies (cryptographically; the certificate path is [`crate::chain`]'s job).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerStatus {
    /// The signature and the signed attributes are consistent with the content and the certificate.
    Valid,
    /// The signature does not hold, for the reason given.
    Invalid(InvalidReason),
}

/// Why a signer's signature is invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidReason {
    /// The messageDigest attribute does not match the content (the content was changed).
    #[error("the content does not match the signed digest")]
    MessageDigestMismatch,
    /// Signed attributes are present but messageDigest is not.
    #[error("the signed attributes lack messageDigest")]
    MissingMessageDigest,
    /// The contentType attribute differs from the encapsulated content type.
    #[error("the signed content type differs from the message's")]
    ContentTypeMismatch,
    /// Signed attributes are present but contentType is not.
    #[error("the signed attributes lack contentType")]
    MissingContentType,
    /// A signed attribute this crate checks occurs twice, has several values, or does not decode.
    #[error("the signed attribute {0} is malformed")]
    MalformedAttribute(ObjectIdentifier),
    /// The signingCertificateV2 attribute names another certificate (or hashes it with an unknown algorithm).
    #[error("the signed certificate reference does not match the signer's certificate")]
    SigningCertificateMismatch,
    /// The RSA signature does not verify with the certificate's key.
    #[error("the signature does not verify with the signer's key")]
    BadSignature,
}
