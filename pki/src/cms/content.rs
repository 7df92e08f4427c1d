//! SignedData as read for verification: the `cms` crate's structure, except that eContent is decoded as
//! an OCTET STRING directly, so BER's constructed, indefinite-length content (openssl `-stream`, NCA tools)
//! is reassembled by `der` rather than kept as raw chunks inside an `Any`.

use cms::content_info::CmsVersion;
use cms::revocation::RevocationInfoChoices;
use cms::signed_data::{CertificateSet, DigestAlgorithmIdentifiers, SignerInfos};
use const_oid::ObjectIdentifier;
use der::Sequence;
use der::asn1::OctetString;

/// `SignedData` (RFC 5652 § 5.1) with the content as bytes.
#[derive(Clone, Debug, Sequence)]
pub struct SignedDataContent {
    /// `version`.
    pub version: CmsVersion,
    /// `digestAlgorithms`.
    pub digest_algorithms: DigestAlgorithmIdentifiers,
    /// `encapContentInfo`.
    pub encap_content_info: EncapsulatedOctets,
    /// `certificates`.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub certificates: Option<CertificateSet>,
    /// `crls`.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub crls: Option<RevocationInfoChoices>,
    /// `signerInfos`.
    pub signer_infos: SignerInfos,
}

/// `EncapsulatedContentInfo` with `eContent` as its OCTET STRING.
#[derive(Clone, Debug, Sequence)]
pub struct EncapsulatedOctets {
    /// `eContentType`.
    pub econtent_type: ObjectIdentifier,
    /// `eContent`; absent for a detached signature.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub econtent: Option<OctetString>,
}
