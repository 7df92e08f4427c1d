//! Reading a SignedData message (DER or BER) and verifying each of its signers.

use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignerIdentifier, SignerInfo};
use const_oid::db::rfc5911::ID_SIGNED_DATA;
use const_oid::db::rfc5912::RSA_ENCRYPTION;
use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use super::attributes::SignedAttributeValues;
use super::content::SignedDataContent;
use super::error::CmsError;
use super::report::{InvalidReason, SignerReport, SignerStatus, Verified};
use crate::algorithm::{DigestAlgorithm, rsa_signature_is_valid};
use crate::certificate::CertificateView;

/// Reads `signed` (a DER or BER ContentInfo; callers unarmor PEM/base64 first) and verifies every signer.
///
/// `detached_content` is the content of a detached signature; it must be `None` when the message carries
/// its own. A signature that does not hold is reported in [`SignerReport::status`]; an `Err` means the
/// message could not be read or checked at all.
pub fn verify(signed: &[u8], detached_content: Option<&[u8]>) -> Result<Verified, CmsError> {
    // BER reading is a superset of DER and keeps SET OF elements in their received order, so re-encoded
    // certificates hash exactly as sent.
    let signed_data = signed_data(signed)?;
    let attached = signed_data.encap_content_info.econtent.as_ref().map(|o| o.as_bytes().to_vec());
    let content = match (&attached, detached_content) {
        (Some(_), Some(_)) => return Err(CmsError::ContentGivenTwice),
        (None, None) => return Err(CmsError::MissingContent),
        (Some(content), None) => &content[..],
        (None, Some(content)) => content,
    };
    let mut verified = verify_signers(&signed_data, Content::Bytes(content), None)?;
    verified.content = attached;
    Ok(verified)
}

/// Verifies a detached SignedData `signed` against the SHA-256 `digest` of its content, for a verifier
/// that holds only the digest (a relying party that keeps its document).
///
/// Each signer must have signed attributes whose messageDigest equals `digest` under SHA-256; a signer
/// without signed attributes, or with another digest algorithm, is reported invalid
/// ([`InvalidReason::MissingMessageDigest`], [`InvalidReason::MessageDigestMismatch`]). A message that
/// carries its own content is refused with [`CmsError::ContentGivenTwice`].
pub fn verify_digest(signed: &[u8], digest: &[u8]) -> Result<Verified, CmsError> {
    let signed_data = signed_data(signed)?;
    if signed_data.encap_content_info.econtent.is_some() {
        return Err(CmsError::ContentGivenTwice);
    }
    verify_signers(&signed_data, Content::Sha256(digest), None)
}

fn signed_data(signed: &[u8]) -> Result<SignedDataContent, CmsError> {
    let info = ContentInfo::from_ber(signed)?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(CmsError::NotSignedData(info.content_type));
    }
    Ok(SignedDataContent::from_ber(&info.content.to_der()?)?)
}

fn verify_signers(
    signed_data: &SignedDataContent,
    content: Content<'_>,
    attached: Option<Vec<u8>>,
) -> Result<Verified, CmsError> {
    let certificates = embedded_certificates(signed_data);
    if signed_data.signer_infos.0.is_empty() {
        return Err(CmsError::NoSigners);
    }
    let message = Message { content, content_type: signed_data.encap_content_info.econtent_type };
    let signers = signed_data
        .signer_infos
        .0
        .iter()
        .enumerate()
        .map(|(index, info)| verify_signer(index, info, &certificates, &message))
        .collect::<Result<_, _>>()?;
    Ok(Verified { content: attached, signers, certificates })
}

/// What the signers signed: the content itself, or only its SHA-256 digest.
#[derive(Clone, Copy)]
enum Content<'a> {
    Bytes(&'a [u8]),
    Sha256(&'a [u8]),
}

impl Content<'_> {
    /// Whether the content's digest under `algorithm` is `expected`.
    fn has_digest(self, algorithm: DigestAlgorithm, expected: &[u8]) -> bool {
        match self {
            Self::Bytes(content) => algorithm.digest(content) == expected,
            Self::Sha256(digest) => algorithm == DigestAlgorithm::Sha256 && digest == expected,
        }
    }
}

/// The content every signer signed, and its declared type.
struct Message<'a> {
    content: Content<'a>,
    content_type: const_oid::ObjectIdentifier,
}

fn embedded_certificates(signed_data: &SignedDataContent) -> Vec<Certificate> {
    let Some(set) = &signed_data.certificates else { return Vec::new() };
    set.0
        .iter()
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(cert) => Some(cert.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect()
}

/// The certificate `sid` names: by issuer and serial number, or by subject key identifier.
fn find_certificate<'a>(sid: &SignerIdentifier, certificates: &'a [Certificate]) -> Option<&'a Certificate> {
    certificates.iter().find(|cert| {
        let tbs = cert.tbs_certificate();
        match sid {
            SignerIdentifier::IssuerAndSerialNumber(isn) => {
                isn.serial_number == *tbs.serial_number() && isn.issuer == *tbs.issuer()
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => {
                matches!(tbs.get_extension::<SubjectKeyIdentifier>(), Ok(Some((_, own))) if own == *ski)
            }
        }
    })
}

fn verify_signer(
    index: usize,
    info: &SignerInfo,
    certificates: &[Certificate],
    message: &Message<'_>,
) -> Result<SignerReport, CmsError> {
    let certificate =
        find_certificate(&info.sid, certificates).ok_or(CmsError::SignerCertificateNotFound { index })?;
    let digest_algorithm = DigestAlgorithm::from_digest_oid(&info.digest_alg.oid)
        .ok_or(CmsError::UnsupportedAlgorithm(info.digest_alg.oid))?;
    let signature_digest = match info.signature_algorithm.oid {
        RSA_ENCRYPTION => digest_algorithm,
        oid => DigestAlgorithm::from_rsa_signature_oid(&oid).ok_or(CmsError::UnsupportedAlgorithm(oid))?,
    };
    let attributes = match &info.signed_attrs {
        Some(attrs) => SignedAttributeValues::read(attrs.as_slice()),
        None => Ok(SignedAttributeValues::default()),
    };
    let signing_time = attributes.as_ref().ok().and_then(|a| a.signing_time);
    let status = match attributes {
        Err(malformed) => SignerStatus::Invalid(InvalidReason::MalformedAttribute(malformed.0)),
        Ok(values) => match check(info, &values, certificate, digest_algorithm, signature_digest, message) {
            Ok(()) => SignerStatus::Valid,
            Err(reason) => SignerStatus::Invalid(reason),
        },
    };
    Ok(SignerReport {
        certificate: certificate.clone(),
        view: CertificateView::from_certificate(certificate),
        signing_time,
        digest_algorithm,
        status,
    })
}

/// Every check on one signer, first failure wins.
fn check(
    info: &SignerInfo,
    values: &SignedAttributeValues,
    certificate: &Certificate,
    digest_algorithm: DigestAlgorithm,
    signature_digest: DigestAlgorithm,
    message: &Message<'_>,
) -> Result<(), InvalidReason> {
    let key = certificate.tbs_certificate().subject_public_key_info();
    let signature = info.signature.as_bytes();
    let Some(signed_attrs) = &info.signed_attrs else {
        // No signed attributes: the signature covers the content itself.
        let Content::Bytes(content) = message.content else {
            return Err(InvalidReason::MissingMessageDigest);
        };
        return match rsa_signature_is_valid(key, signature_digest, content, signature) {
            true => Ok(()),
            false => Err(InvalidReason::BadSignature),
        };
    };
    let expected = values.message_digest.as_deref().ok_or(InvalidReason::MissingMessageDigest)?;
    if !message.content.has_digest(digest_algorithm, expected) {
        return Err(InvalidReason::MessageDigestMismatch);
    }
    if values.content_type.ok_or(InvalidReason::MissingContentType)? != message.content_type {
        return Err(InvalidReason::ContentTypeMismatch);
    }
    if !signed_attributes_verify(signed_attrs, key, signature_digest, signature) {
        return Err(InvalidReason::BadSignature);
    }
    match values.signing_certificate_v2.as_ref().map(|v2| v2.matches(certificate)) {
        Some(Some(false)) | Some(None) => Err(InvalidReason::SigningCertificateMismatch),
        Some(Some(true)) | None => Ok(()),
    }
}

/// The signature covers the DER encoding of the signed attributes as a SET OF (RFC 5652 § 5.4): tried in
/// DER order first, then in the order received, for signers that did not sort them.
fn signed_attributes_verify(
    signed_attrs: &x509_cert::attr::Attributes,
    key: &spki::SubjectPublicKeyInfoOwned,
    digest: DigestAlgorithm,
    signature: &[u8],
) -> bool {
    let sorted =
        x509_cert::attr::Attributes::try_from(signed_attrs.as_slice().to_vec()).and_then(|s| s.to_der());
    if sorted.is_ok_and(|der| rsa_signature_is_valid(key, digest, &der, signature)) {
        return true;
    }
    signed_attrs.to_der().is_ok_and(|der| rsa_signature_is_valid(key, digest, &der, signature))
}
