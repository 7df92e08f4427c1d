//! The CAdES-BES signed attributes: signingTime, messageDigest, contentType, and signingCertificateV2
//! (RFC 5035 `ESSCertIDv2`, defined here with `der` derive because the `cms` crate lacks it).

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{
    ID_AA_SIGNING_CERTIFICATE_V_2, ID_CONTENT_TYPE, ID_MESSAGE_DIGEST, ID_SIGNING_TIME,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::certpolicy::PolicyInformation;
use x509_cert::ext::pkix::name::{GeneralName, GeneralNames};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use crate::algorithm::DigestAlgorithm;

/// `IssuerSerial` (RFC 5035): the issuer's names and the certificate's serial number.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct IssuerSerial {
    /// The issuer, as a directory name.
    pub issuer: GeneralNames,
    /// The certificate's serial number.
    pub serial_number: SerialNumber,
}

/// `ESSCertIDv2` (RFC 5035): a hash of the signer's certificate, and optionally its issuer and serial.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct EssCertIdV2 {
    /// The hash algorithm; SHA-256 when absent (`DEFAULT {algorithm id-sha256}`, which DER omits).
    /// (`der` derive's `default` needs a `Copy` type, so the default is applied by [`Self::algorithm_oid`].)
    #[asn1(optional = "true")]
    pub hash_algorithm: Option<AlgorithmIdentifierOwned>,
    /// The hash of the whole DER certificate.
    pub cert_hash: OctetString,
    /// The certificate's issuer and serial number.
    #[asn1(optional = "true")]
    pub issuer_serial: Option<IssuerSerial>,
}

/// `SigningCertificateV2` (RFC 5035): the first entry identifies the signer's certificate.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct SigningCertificateV2 {
    /// The certificates; the first is the signer's.
    pub certs: Vec<EssCertIdV2>,
    /// Policies (never written by this crate).
    #[asn1(optional = "true")]
    pub policies: Option<Vec<PolicyInformation>>,
}

impl EssCertIdV2 {
    /// The hash algorithm's identifier, with the SHA-256 default applied.
    pub fn algorithm_oid(&self) -> ObjectIdentifier {
        self.hash_algorithm.as_ref().map_or(DigestAlgorithm::Sha256.oid(), |a| a.oid)
    }
}

impl SigningCertificateV2 {
    /// Identifies `cert` by its SHA-256 hash, issuer and serial number.
    pub fn for_certificate(cert: &Certificate) -> der::Result<Self> {
        let tbs = cert.tbs_certificate();
        let issuer_serial = IssuerSerial {
            issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
            serial_number: tbs.serial_number().clone(),
        };
        let id = EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new(DigestAlgorithm::Sha256.digest(&cert.to_der()?))?,
            issuer_serial: Some(issuer_serial),
        };
        Ok(Self { certs: vec![id], policies: None })
    }

    /// True when the first entry names `cert` (hash, and issuer/serial when present).
    /// `None` when its hash algorithm is not supported.
    pub fn matches(&self, cert: &Certificate) -> Option<bool> {
        let Some(id) = self.certs.first() else { return Some(false) };
        let algorithm = DigestAlgorithm::from_digest_oid(&id.algorithm_oid())?;
        let Ok(der) = cert.to_der() else { return Some(false) };
        let hash_matches = algorithm.digest(&der) == id.cert_hash.as_bytes();
        let serial_matches = id.issuer_serial.as_ref().is_none_or(|is| {
            let tbs = cert.tbs_certificate();
            is.serial_number == *tbs.serial_number()
                && is
                    .issuer
                    .iter()
                    .any(|n| matches!(n, GeneralName::DirectoryName(name) if name == tbs.issuer()))
        });
        Some(hash_matches && serial_matches)
    }
}

/// An attribute with a single value.
fn single(oid: ObjectIdentifier, value: Any) -> der::Result<Attribute> {
    let mut values = SetOfVec::new();
    values.insert(value)?;
    Ok(Attribute { oid, values })
}

/// The `signingTime` attribute: UTCTime through 2049, GeneralizedTime after (RFC 5652 § 11.3).
pub fn signing_time(at: OffsetDateTime) -> der::Result<Attribute> {
    let utc = at.to_offset(time::UtcOffset::UTC);
    let date = der::DateTime::new(
        u16::try_from(utc.year()).map_err(|_| der::ErrorKind::DateTime)?,
        utc.month().into(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second(),
    )?;
    single(ID_SIGNING_TIME, Any::encode_from(&Time::from(date))?)
}

/// The `signingCertificateV2` attribute for `cert`.
pub fn signing_certificate_v2(cert: &Certificate) -> der::Result<Attribute> {
    single(ID_AA_SIGNING_CERTIFICATE_V_2, Any::encode_from(&SigningCertificateV2::for_certificate(cert)?)?)
}

/// What a signer's signed attributes say, each decoded when present.
#[derive(Debug, Default)]
pub struct SignedAttributeValues {
    /// `contentType`.
    pub content_type: Option<ObjectIdentifier>,
    /// `messageDigest`.
    pub message_digest: Option<Vec<u8>>,
    /// `signingTime`.
    pub signing_time: Option<OffsetDateTime>,
    /// `signingCertificateV2`.
    pub signing_certificate_v2: Option<SigningCertificateV2>,
}

/// Why the signed attributes cannot be trusted to mean anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedAttribute(pub ObjectIdentifier);

impl SignedAttributeValues {
    /// Reads the attributes this crate checks; each must occur once with exactly one value.
    pub fn read(attributes: &[Attribute]) -> Result<Self, MalformedAttribute> {
        Ok(Self {
            content_type: value(attributes, ID_CONTENT_TYPE)?,
            message_digest: value::<OctetString>(attributes, ID_MESSAGE_DIGEST)?
                .map(|o| o.into_bytes().into_vec()),
            signing_time: value::<Time>(attributes, ID_SIGNING_TIME)?.map(to_offset_date_time).transpose()?,
            signing_certificate_v2: value(attributes, ID_AA_SIGNING_CERTIFICATE_V_2)?,
        })
    }
}

fn to_offset_date_time(time: Time) -> Result<OffsetDateTime, MalformedAttribute> {
    let seconds =
        i64::try_from(time.to_unix_duration().as_secs()).map_err(|_| MalformedAttribute(ID_SIGNING_TIME))?;
    OffsetDateTime::from_unix_timestamp(seconds).map_err(|_| MalformedAttribute(ID_SIGNING_TIME))
}

/// The single value of the attribute `oid`, decoded as `T`; `None` when the attribute is absent.
fn value<T: for<'a> Decode<'a>>(
    attributes: &[Attribute],
    oid: ObjectIdentifier,
) -> Result<Option<T>, MalformedAttribute> {
    let mut found = attributes.iter().filter(|a| a.oid == oid);
    let Some(attribute) = found.next() else { return Ok(None) };
    if found.next().is_some() || attribute.values.len() != 1 {
        return Err(MalformedAttribute(oid));
    }
    let any = attribute.values.iter().next().ok_or(MalformedAttribute(oid))?;
    let der = any.to_der().map_err(|_| MalformedAttribute(oid))?;
    T::from_der(&der).map(Some).map_err(|_| MalformedAttribute(oid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signing_time_after_2049_is_generalized_time() {
        let at = time::macros::datetime!(2051-03-04 05:06:07 UTC);
        let attribute = signing_time(at).unwrap();
        let read = SignedAttributeValues::read(std::slice::from_ref(&attribute)).unwrap();
        assert_eq!(read.signing_time, Some(at));
        let first = attribute.values.iter().next().unwrap();
        assert_eq!(der::Tagged::tag(first), der::Tag::GeneralizedTime);
    }

    #[test]
    fn rejects_attribute_with_two_values() {
        let mut attribute = signing_time(time::macros::datetime!(2024-01-01 00:00:00 UTC)).unwrap();
        let other = signing_time(time::macros::datetime!(2024-01-02 00:00:00 UTC)).unwrap();
        attribute.values.insert(other.values.iter().next().unwrap().clone()).unwrap();
        assert_eq!(
            SignedAttributeValues::read(&[attribute]).unwrap_err(),
            MalformedAttribute(ID_SIGNING_TIME)
        );
    }

    #[test]
    fn ess_cert_id_reads_explicit_sha512() {
        let sha512 = AlgorithmIdentifierOwned { oid: DigestAlgorithm::Sha512.oid(), parameters: None };
        let id = EssCertIdV2 {
            hash_algorithm: Some(sha512),
            cert_hash: OctetString::new([1u8; 64]).unwrap(),
            issuer_serial: None,
        };
        let decoded = EssCertIdV2::from_der(&id.to_der().unwrap()).unwrap();
        assert_eq!(decoded.algorithm_oid(), DigestAlgorithm::Sha512.oid());
    }

    #[test]
    fn ess_cert_id_omits_default_sha256() {
        let id = EssCertIdV2 {
            hash_algorithm: None,
            cert_hash: OctetString::new([1u8; 32]).unwrap(),
            issuer_serial: None,
        };
        let der = id.to_der().unwrap();
        // SEQUENCE { OCTET STRING (32) } only: the default algorithm is not encoded.
        assert_eq!(der.len(), 2 + 2 + 32);
        assert_eq!(EssCertIdV2::from_der(&der).unwrap(), id);
    }

    #[test]
    fn signing_certificate_v2_matches_only_its_certificate() {
        use der::DecodePem;
        let leaf = Certificate::from_pem(include_bytes!("../../tests/data/cms/leaf.pem")).unwrap();
        let other = Certificate::from_pem(include_bytes!("../../tests/data/cms/expired.pem")).unwrap();
        let reference = SigningCertificateV2::for_certificate(&leaf).unwrap();
        let decoded = SigningCertificateV2::from_der(&reference.to_der().unwrap()).unwrap();
        assert_eq!(decoded.matches(&leaf), Some(true));
        assert_eq!(decoded.matches(&other), Some(false));
    }
}
