//! The RFC 6960 structures, defined with `der`'s derive macros over x509-cert and spki types.
//! (The `x509-ocsp` crate still depends on der 0.7.)

use der::asn1::{BitString, GeneralizedTime, Null, ObjectIdentifier, OctetString};
use der::{Choice, Enumerated, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::certificate::Version;
use x509_cert::ext::Extensions;
use x509_cert::ext::pkix::CrlReason;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

/// `OCSPRequest ::= SEQUENCE { tbsRequest, optionalSignature [0] EXPLICIT Signature OPTIONAL }`
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct OcspRequest {
    /// The request proper.
    pub tbs_request: TbsRequest,
    /// A requester's signature; we neither make nor need one.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub optional_signature: Option<OcspSignature>,
}

/// `TBSRequest`: version, requestor name, the certificates asked about, extensions (nonce).
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct TbsRequest {
    /// Always v1.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", default = "Default::default")]
    pub version: Version,
    /// Who asks, if they say.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub requestor_name: Option<GeneralName>,
    /// One entry per certificate asked about.
    pub request_list: Vec<Request>,
    /// Request extensions (e.g. a nonce).
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    pub request_extensions: Option<Extensions>,
}

/// `Signature` of an OCSP request.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct OcspSignature {
    /// The signature algorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// The signature value.
    pub signature: BitString,
    /// Certificates helping to verify it.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub certs: Option<Vec<Certificate>>,
}

/// `Request ::= SEQUENCE { reqCert CertID, singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }`
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct Request {
    /// The certificate asked about.
    pub req_cert: CertId,
    /// Per-certificate extensions.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub single_request_extensions: Option<Extensions>,
}

/// `CertID`: a certificate named by hashes of its issuer's name and key, and its serial number.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct CertId {
    /// The hash used for the two hashes (SHA-1 in practice).
    pub hash_algorithm: AlgorithmIdentifierOwned,
    /// Hash of the DER of the issuer's name.
    pub issuer_name_hash: OctetString,
    /// Hash of the issuer's subjectPublicKey bits.
    pub issuer_key_hash: OctetString,
    /// The certificate's serial number.
    pub serial_number: SerialNumber,
}

/// `OCSPResponseStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[repr(u32)]
pub enum OcspResponseStatus {
    /// The response has valid confirmations.
    Successful = 0,
    /// Illegal confirmation request.
    MalformedRequest = 1,
    /// Internal error in issuer.
    InternalError = 2,
    /// Try again later.
    TryLater = 3,
    /// Must sign the request.
    SigRequired = 5,
    /// Request unauthorized.
    Unauthorized = 6,
}

/// `OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT ResponseBytes OPTIONAL }`
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct OcspResponse {
    /// Whether the responder could answer.
    pub response_status: OcspResponseStatus,
    /// The answer, when successful.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub response_bytes: Option<ResponseBytes>,
}

/// `ResponseBytes`: the type of the answer and its DER.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct ResponseBytes {
    /// `id-pkix-ocsp-basic` for a [`BasicOcspResponse`].
    pub response_type: ObjectIdentifier,
    /// The DER of the answer.
    pub response: OctetString,
}

/// `BasicOCSPResponse`: signed response data and the certificates to check the signature.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct BasicOcspResponse {
    /// What is signed.
    pub tbs_response_data: ResponseData,
    /// The signature algorithm.
    pub signature_algorithm: AlgorithmIdentifierOwned,
    /// The signature over the DER of `tbs_response_data`.
    pub signature: BitString,
    /// The responder's certificate (and chain), when it is not the issuing CA itself.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub certs: Option<Vec<Certificate>>,
}

/// `ResponseData`.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct ResponseData {
    /// Always v1.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", default = "Default::default")]
    pub version: Version,
    /// Who signed.
    pub responder_id: ResponderId,
    /// When the response was signed.
    pub produced_at: GeneralizedTime,
    /// One answer per certificate asked about.
    pub responses: Vec<SingleResponse>,
    /// Response extensions (e.g. the nonce echoed).
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub response_extensions: Option<Extensions>,
}

/// `ResponderID ::= CHOICE { byName [1] Name, byKey [2] KeyHash }`
#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub enum ResponderId {
    /// The responder certificate's subject.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    ByName(Name),
    /// SHA-1 of the responder's subjectPublicKey bits.
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", constructed = "true")]
    ByKey(OctetString),
}

/// `SingleResponse`: the status of one certificate and the window it holds for.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SingleResponse {
    /// The certificate answered about.
    pub cert_id: CertId,
    /// Its status.
    pub cert_status: CertStatus,
    /// When the status was known to be correct.
    pub this_update: GeneralizedTime,
    /// When newer information will be available.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub next_update: Option<GeneralizedTime>,
    /// Per-certificate extensions.
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    pub single_extensions: Option<Extensions>,
}

/// `CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL }`
#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub enum CertStatus {
    /// Not revoked.
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    /// Revoked.
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    /// The responder does not know the certificate.
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

/// `RevokedInfo ::= SEQUENCE { revocationTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL }`
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct RevokedInfo {
    /// When the certificate was revoked.
    pub revocation_time: GeneralizedTime,
    /// Why.
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub revocation_reason: Option<CrlReason>,
}
