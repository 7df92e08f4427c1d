//! Making CAdES-BES SignedData with the `cms` crate's builders.

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use const_oid::db::rfc5911::ID_DATA;
use der::asn1::OctetString;
use der::{Any, Encode};
use spki::AlgorithmIdentifierOwned;
use time::OffsetDateTime;
use x509_cert::Certificate;

use super::attributes;
use super::error::CmsError;
use crate::algorithm::DigestAlgorithm;
use crate::signer::{RawSignature, Signer, SignerAdapter};

/// How to sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignOptions {
    /// Leave the content out of the message (the verifier must be given it separately).
    pub detached: bool,
    /// The `signingTime` attribute; the caller reads the clock.
    pub signing_time: OffsetDateTime,
}

/// Signs `content` as CAdES-BES SignedData (SHA-256, RSA PKCS#1 v1.5) and returns the DER ContentInfo.
///
/// Signed attributes: contentType and messageDigest (added by the `cms` builder), signingTime and
/// signingCertificateV2. The signer is identified by issuer and serial number; `certificate` and then
/// `chain` (without duplicates) are embedded.
pub fn sign(
    content: &[u8],
    signer: &dyn Signer,
    certificate: &Certificate,
    chain: &[Certificate],
    options: &SignOptions,
) -> Result<Vec<u8>, CmsError> {
    let econtent = if options.detached {
        None
    } else {
        Some(Any::encode_from(&OctetString::new(content).map_err(build_error)?).map_err(build_error)?)
    };
    let external_digest = options.detached.then(|| DigestAlgorithm::Sha256.digest(content));
    build(econtent, external_digest.as_deref(), signer, certificate, chain, options.signing_time)
}

/// Signs a document known only by its SHA-256 `digest` (32 bytes): a detached CAdES-BES SignedData whose
/// messageDigest is `digest`, otherwise as [`sign`] (for a relying party that keeps the document).
pub fn sign_digest(
    digest: &[u8],
    signer: &dyn Signer,
    certificate: &Certificate,
    chain: &[Certificate],
    signing_time: OffsetDateTime,
) -> Result<Vec<u8>, CmsError> {
    if digest.len() != DigestAlgorithm::Sha256.digest(b"").len() {
        return Err(CmsError::Build("a SHA-256 digest is 32 bytes".into()));
    }
    build(None, Some(digest), signer, certificate, chain, signing_time)
}

/// The SignedData over `econtent` (attached) or `external_digest` (detached).
fn build(
    econtent: Option<Any>,
    external_digest: Option<&[u8]>,
    signer: &dyn Signer,
    certificate: &Certificate,
    chain: &[Certificate],
    signing_time: OffsetDateTime,
) -> Result<Vec<u8>, CmsError> {
    let algorithm = signer.signature_algorithm();
    if DigestAlgorithm::from_rsa_signature_oid(&algorithm.oid) != Some(DigestAlgorithm::Sha256) {
        return Err(CmsError::UnsupportedAlgorithm(algorithm.oid));
    }
    let digest_algorithm = AlgorithmIdentifierOwned { oid: DigestAlgorithm::Sha256.oid(), parameters: None };
    let encap = EncapsulatedContentInfo { econtent_type: ID_DATA, econtent };

    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate().issuer().clone(),
        serial_number: certificate.tbs_certificate().serial_number().clone(),
    });
    let mut signer_info = SignerInfoBuilder::new(sid, digest_algorithm.clone(), &encap, external_digest)
        .map_err(build_error)?;
    signer_info
        .add_signed_attribute(attributes::signing_time(signing_time).map_err(|_| CmsError::SigningTime)?)
        .map_err(build_error)?;
    signer_info
        .add_signed_attribute(attributes::signing_certificate_v2(certificate).map_err(build_error)?)
        .map_err(build_error)?;

    let adapter = SignerAdapter::new(signer)?;
    let mut builder = SignedDataBuilder::new(&encap);
    builder.add_digest_algorithm(digest_algorithm).map_err(build_error)?;
    for cert in certificates_to_embed(certificate, chain) {
        builder.add_certificate(CertificateChoices::Certificate(cert.clone())).map_err(build_error)?;
    }
    let added = builder.add_signer_info::<_, RawSignature>(signer_info, &adapter);
    if let Some(error) = adapter.take_failure() {
        return Err(CmsError::Signer(error));
    }
    added.map_err(build_error)?;
    builder.build().map_err(build_error)?.to_der().map_err(build_error)
}

/// The signer's certificate first, then the chain, each DER-distinct certificate once.
fn certificates_to_embed<'a>(certificate: &'a Certificate, chain: &'a [Certificate]) -> Vec<&'a Certificate> {
    let mut out = vec![certificate];
    for cert in chain {
        if !out.contains(&cert) {
            out.push(cert);
        }
    }
    out
}

fn build_error(error: impl std::fmt::Display) -> CmsError {
    CmsError::Build(error.to_string())
}
