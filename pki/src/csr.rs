//! PKCS#10 certificate requests with the subject layout NCA uses for individuals.
//!
//! NCA's certificates name an individual with these RDNs, in this order (one attribute each):
//! `CN` = "SURNAME NAME", `SURNAME`, `SERIALNUMBER` = "IIN" + 12 digits (PrintableString), `C` = KZ
//! (PrintableString), `GIVENNAME` = patronymic, then optionally `E` (emailAddress, IA5String). Text is
//! UTF8String, so Cyrillic and Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І) are kept as they are. (NCA also adds
//! `L` and `ST` from its own registry; a request does not carry them.)

use const_oid::ObjectIdentifier;
use const_oid::db::rfc2985::PKCS_9_AT_EMAIL_ADDRESS as ID_EMAIL_ADDRESS;
use const_oid::db::rfc4519::{COMMON_NAME, COUNTRY_NAME, GIVEN_NAME, SERIAL_NUMBER, SURNAME};
use der::asn1::{Ia5StringRef, PrintableStringRef, Utf8StringRef};
use der::{Any, Decode, Encode, EncodePem, pem::LineEnding};
use spki::SubjectPublicKeyInfoOwned;
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::Builder;
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::request::{CertReq, RequestBuilder};

use crate::signer::{RawSignature, Signer, SignerAdapter};

/// The prefix NCA puts before the IIN in the `SERIALNUMBER` attribute.
pub const IIN_PREFIX: &str = "IIN";

/// Why a request could not be built or accepted.
#[derive(Debug, thiserror::Error)]
pub enum CsrError {
    /// A required name part (surname, name) is empty.
    #[error("the {0} is empty")]
    EmptyField(&'static str),
    /// The IIN is not 12 ASCII digits.
    #[error("the IIN must be 12 digits")]
    BadIin,
    /// The country is not two ASCII capital letters.
    #[error("the country must be a two-letter code")]
    BadCountry,
    /// The e-mail address is not printable ASCII with an `@`.
    #[error("the e-mail address is not valid")]
    BadEmail,
    /// The subject does not have NCA's layout for an individual.
    #[error("the subject lacks the NCA attribute {0}")]
    MissingAttribute(ObjectIdentifier),
    /// The request or its subject is not well-formed DER.
    #[error("the request is malformed: {0}")]
    Malformed(der::Error),
    /// The signer failed or its key could not be read.
    #[error(transparent)]
    Sign(#[from] crate::signer::SignError),
    /// The request builder failed.
    #[error("the request could not be built: {0}")]
    Build(String),
    /// The request's self-signature does not verify (no proof of possession of the key).
    #[error("the request's signature does not verify: {0}")]
    BadSignature(crate::key::KeyError),
}

/// An individual's name and identifiers, as they go into an NCA certificate subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectName {
    /// Family name (`SURNAME`, first word of `CN`).
    pub surname: String,
    /// Given name (second word of `CN`).
    pub name: String,
    /// Patronymic (`GIVENNAME`), when the person has one.
    pub patronymic: Option<String>,
    /// The 12-digit IIN, without the `IIN` prefix.
    pub iin: String,
    /// E-mail address (`E`), when given.
    pub email: Option<String>,
    /// Two-letter country code, `KZ` for NCA.
    pub country: String,
}

impl SubjectName {
    /// A subject for a Kazakh individual, without patronymic and e-mail.
    pub fn new(surname: impl Into<String>, name: impl Into<String>, iin: impl Into<String>) -> Self {
        Self {
            surname: surname.into(),
            name: name.into(),
            patronymic: None,
            iin: iin.into(),
            email: None,
            country: "KZ".to_owned(),
        }
    }

    /// Sets the patronymic.
    pub fn with_patronymic(mut self, patronymic: impl Into<String>) -> Self {
        self.patronymic = Some(patronymic.into());
        self
    }

    /// Sets the e-mail address.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// The `CN` value: "SURNAME NAME".
    pub fn common_name(&self) -> String {
        format!("{} {}", self.surname, self.name)
    }

    /// The X.501 name in NCA's RDN order and string types.
    pub fn to_name(&self) -> Result<Name, CsrError> {
        self.validate()?;
        let mut rdns = RdnSequence::default();
        push(&mut rdns, COMMON_NAME, utf8(&self.common_name())?)?;
        push(&mut rdns, SURNAME, utf8(&self.surname)?)?;
        let serial = format!("{IIN_PREFIX}{}", self.iin);
        push(&mut rdns, SERIAL_NUMBER, Any::encode_from(&PrintableStringRef::new(&serial)?)?)?;
        push(&mut rdns, COUNTRY_NAME, Any::encode_from(&PrintableStringRef::new(&self.country)?)?)?;
        if let Some(patronymic) = non_empty(&self.patronymic) {
            push(&mut rdns, GIVEN_NAME, utf8(patronymic)?)?;
        }
        if let Some(email) = non_empty(&self.email) {
            push(&mut rdns, ID_EMAIL_ADDRESS, Any::encode_from(&Ia5StringRef::new(email)?)?)?;
        }
        Ok(Name::from_der(&rdns.to_der()?)?)
    }

    /// Reads an NCA individual's subject back (the `CN` is split at its first space when `SURNAME` is
    /// present, as NCA builds it).
    pub fn from_name(name: &Name) -> Result<Self, CsrError> {
        let surname = text(name, SURNAME)?.ok_or(CsrError::MissingAttribute(SURNAME))?;
        let common = text(name, COMMON_NAME)?.ok_or(CsrError::MissingAttribute(COMMON_NAME))?;
        let given = common.strip_prefix(&surname).map(str::trim_start).unwrap_or(&common).to_owned();
        let serial = text(name, SERIAL_NUMBER)?.ok_or(CsrError::MissingAttribute(SERIAL_NUMBER))?;
        let iin = serial.strip_prefix(IIN_PREFIX).ok_or(CsrError::BadIin)?.to_owned();
        Ok(Self {
            name: given,
            surname,
            patronymic: text(name, GIVEN_NAME)?,
            iin,
            email: text(name, ID_EMAIL_ADDRESS)?,
            country: text(name, COUNTRY_NAME)?.ok_or(CsrError::MissingAttribute(COUNTRY_NAME))?,
        })
    }

    fn validate(&self) -> Result<(), CsrError> {
        if self.surname.trim().is_empty() {
            return Err(CsrError::EmptyField("surname"));
        }
        if self.name.trim().is_empty() {
            return Err(CsrError::EmptyField("name"));
        }
        if self.iin.len() != 12 || !self.iin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CsrError::BadIin);
        }
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CsrError::BadCountry);
        }
        if let Some(email) = non_empty(&self.email) {
            let printable = email.bytes().all(|b| b.is_ascii_graphic());
            if !printable || !email.contains('@') {
                return Err(CsrError::BadEmail);
            }
        }
        Ok(())
    }
}

impl From<der::Error> for CsrError {
    fn from(e: der::Error) -> Self {
        CsrError::Malformed(e)
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

fn utf8(value: &str) -> Result<Any, CsrError> {
    Ok(Any::encode_from(&Utf8StringRef::new(value)?)?)
}

fn push(rdns: &mut RdnSequence, oid: ObjectIdentifier, value: Any) -> Result<(), CsrError> {
    let atv = AttributeTypeAndValue { oid, value };
    rdns.push(RelativeDistinguishedName::try_from(vec![atv])?);
    Ok(())
}

/// The first value of attribute `oid` in `name` as text (UTF8String, PrintableString or IA5String).
fn text(name: &Name, oid: ObjectIdentifier) -> Result<Option<String>, CsrError> {
    let Some(atv) = name.iter().find(|atv| atv.oid == oid) else {
        return Ok(None);
    };
    let value = &atv.value;
    let decoded = if let Ok(s) = value.decode_as::<Utf8StringRef<'_>>() {
        s.as_str().to_owned()
    } else if let Ok(s) = value.decode_as::<PrintableStringRef<'_>>() {
        s.as_str().to_owned()
    } else {
        value.decode_as::<Ia5StringRef<'_>>()?.as_str().to_owned()
    };
    Ok(Some(decoded))
}

/// Builds a PKCS#10 request for `subject`, with the signer's public key, self-signed by the signer.
pub fn build(subject: &SubjectName, signer: &dyn Signer) -> Result<CertReq, CsrError> {
    let adapter = SignerAdapter::new(signer)?;
    let builder = RequestBuilder::new(subject.to_name()?).map_err(|e| CsrError::Build(e.to_string()))?;
    let built = builder.build::<_, RawSignature>(&adapter);
    if let Some(failure) = adapter.take_failure() {
        return Err(CsrError::Sign(failure));
    }
    built.map_err(|e| CsrError::Build(e.to_string()))
}

/// The request as PEM (`CERTIFICATE REQUEST`).
pub fn to_pem(request: &CertReq) -> Result<String, CsrError> {
    Ok(request.to_pem(LineEnding::LF)?)
}

/// A request whose self-signature checked out: the holder has the private key of `public_key`.
#[derive(Clone, Debug)]
pub struct VerifiedRequest {
    /// The requested subject, as the request carries it.
    pub subject: Name,
    /// The requester's public key.
    pub public_key: SubjectPublicKeyInfoOwned,
}

impl VerifiedRequest {
    /// The subject read as an NCA individual's name.
    pub fn subject_name(&self) -> Result<SubjectName, CsrError> {
        SubjectName::from_name(&self.subject)
    }
}

/// Decodes a DER request and checks its self-signature (proof of possession).
pub fn verify(der: &[u8]) -> Result<VerifiedRequest, CsrError> {
    let request = CertReq::from_der(der)?;
    let message = request.info.to_der()?;
    let bad = || CsrError::BadSignature(crate::key::KeyError::BadSignature);
    let signature = request.signature.as_bytes().ok_or_else(bad)?;
    crate::key::verify_signature(&request.info.public_key, &request.algorithm, &message, signature)
        .map_err(CsrError::BadSignature)?;
    Ok(VerifiedRequest { subject: request.info.subject, public_key: request.info.public_key })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kazakh() -> SubjectName {
        SubjectName::new("ҚҰНАНБАЕВ", "ӘБІЛҒАЗЫ", "123456789011").with_patronymic("ҢӨҮҺҰЛЫ")
    }

    #[test]
    fn kazakh_letters_round_trip_through_the_name() {
        let subject = kazakh().with_email("abai@example.kz");
        let name = subject.to_name().unwrap();
        assert_eq!(SubjectName::from_name(&name).unwrap(), subject);
    }

    #[test]
    fn rdn_order_follows_nca() {
        let name = kazakh().with_email("a@b.kz").to_name().unwrap();
        let oids: Vec<_> = name.iter().map(|atv| atv.oid).collect();
        assert_eq!(oids, [COMMON_NAME, SURNAME, SERIAL_NUMBER, COUNTRY_NAME, GIVEN_NAME, ID_EMAIL_ADDRESS]);
    }

    #[test]
    fn rejects_bad_iin_email_and_empty_name() {
        assert!(matches!(SubjectName::new("A", "B", "12345").to_name(), Err(CsrError::BadIin)));
        assert!(matches!(SubjectName::new("A", "B", "12345678901X").to_name(), Err(CsrError::BadIin)));
        assert!(matches!(SubjectName::new("", "B", "123456789011").to_name(), Err(CsrError::EmptyField(_))));
        let bad_email = SubjectName::new("A", "B", "123456789011").with_email("ә@b.kz");
        assert!(matches!(bad_email.to_name(), Err(CsrError::BadEmail)));
    }

    #[test]
    fn verify_rejects_garbage() {
        assert!(matches!(verify(&[0x30, 0x03, 0x02, 0x01, 0x01]), Err(CsrError::Malformed(_))));
    }
}
