//! A typed view of an X.509 certificate, with the NCA purpose and holder classification.
//!
//! NCA's subject layout: `CN=SURNAME NAME`, `SURNAME`, `SERIALNUMBER=IIN…`, `C`, `L`, `ST`,
//! `GIVENNAME=patronymic`, and for a legal entity `O` and `OU=BIN…`. Reading never validates the IIN's
//! check digit (NCA's own test certificates fail it): the view shows what the certificate says.

use const_oid::ObjectIdentifier;
use const_oid::db::{rfc4519, rfc5280, rfc5912};
use der::asn1::Ia5StringRef;
use der::{Decode, Encode};
use rsa::traits::PublicKeyParts;
use serde::Serialize;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::DirectoryString;
use x509_cert::ext::pkix::{
    CertificatePolicies, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::name::Name;

use crate::oid;

/// Why bytes could not be read as a certificate.
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    /// The input is not DER, PEM or base64.
    #[error(transparent)]
    Armor(#[from] crate::encoding::ArmorError),
    /// The bytes are not an X.509 certificate.
    #[error("not an X.509 certificate: {0}")]
    Decode(#[from] der::Error),
}

/// What a certificate is for, by NCA's profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Authentication (log in to egov): clientAuth, or policy 1.2.398.3.3.2.4 / .2.2.
    Auth,
    /// Signing: nonRepudiation, emailProtection, or policy 1.2.398.3.3.2.3 / .2.1.
    Sign,
    /// Neither (a CA certificate, a TLS server, …).
    Other,
}

/// Who holds a certificate, by NCA's extended key usages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// An individual (1.2.398.3.3.4.1.1).
    Individual,
    /// A legal entity's employee (1.2.398.3.3.4.1.2 and roles under it).
    LegalEntity,
}

/// A legal entity employee's role, from the EKU arc 1.2.398.3.3.4.1.2.N.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// .1: the first head (chief executive).
    FirstHead,
    /// .2: a person with the right to sign.
    Signatory,
    /// .3: a person with the right to sign financial documents.
    FinancialSignatory,
    /// .4: a human-resources officer.
    HumanResources,
    /// .5: an employee.
    Employee,
    /// Another role under the arc, by OID.
    Other(String),
}

/// What a certificate shows about its holder and use. Field names are the CLI's stable JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CertificateView {
    /// Authentication, signing, or other.
    pub purpose: Purpose,
    /// Individual or legal entity.
    pub holder: Holder,
    /// The IIN from `SERIALNUMBER=IIN…`, as written (not validated).
    pub iin: Option<String>,
    /// The BIN from `OU=BIN…`, as written (not validated).
    pub bin: Option<String>,
    /// The subject's common name (`SURNAME NAME` for NCA certificates).
    pub common_name: Option<String>,
    /// The surname (`SURNAME`, 2.5.4.4).
    pub surname: Option<String>,
    /// The given name: the common name without the leading surname.
    pub given_name: Option<String>,
    /// The patronymic, which NCA puts in `GIVENNAME` (2.5.4.42).
    pub patronymic: Option<String>,
    /// The e-mail address (`E` in the subject, or an rfc822Name).
    pub email: Option<String>,
    /// The organisation (`O`).
    pub organization: Option<String>,
    /// The country code (`C`).
    pub country: Option<String>,
    /// The locality (`L`).
    pub locality: Option<String>,
    /// The state or province (`ST`).
    pub state: Option<String>,
    /// Roles of a legal entity's employee.
    pub roles: Vec<Role>,
    /// The subject as an RFC 4514 string.
    pub subject: String,
    /// The issuer as an RFC 4514 string.
    pub issuer: String,
    /// The issuer's common name.
    pub issuer_cn: Option<String>,
    /// The serial number, lowercase hex.
    pub serial_hex: String,
    /// The subject key identifier, lowercase hex.
    pub ski_hex: Option<String>,
    /// The authority key identifier, lowercase hex.
    pub aki_hex: Option<String>,
    /// Start of validity.
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// End of validity.
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// Key usages by their RFC 5280 names (`digitalSignature`, …).
    pub key_usage: Vec<String>,
    /// Extended key usage OIDs.
    pub extended_key_usage: Vec<String>,
    /// Certificate policy OIDs.
    pub policies: Vec<String>,
    /// Whether the certificate is a CA (basicConstraints cA).
    pub is_ca: bool,
    /// The key: `RSA-2048`, `EC-P-256`, or the algorithm OID.
    pub key: String,
    /// The signature algorithm OID.
    pub signature_algorithm: String,
}

impl CertificateView {
    /// Reads every field it can; a missing or malformed field becomes `None`, never an error.
    pub fn from_certificate(cert: &Certificate) -> Self {
        let tbs = cert.tbs_certificate();
        let subject = tbs.subject();
        let ext = Extensions::read(cert);
        let common_name = text(subject, rfc4519::COMMON_NAME);
        let surname = text(subject, rfc4519::SURNAME);
        let bin = text_all(subject, rfc4519::ORGANIZATIONAL_UNIT_NAME)
            .into_iter()
            .find_map(|ou| ou.strip_prefix("BIN").map(str::to_owned));
        let roles = roles(&ext.extended_key_usage);
        let holder = if bin.is_some() || !roles.is_empty() || has_legal_entity_eku(&ext) {
            Holder::LegalEntity
        } else {
            Holder::Individual
        };
        Self {
            purpose: classify(&ext),
            holder,
            iin: text(subject, rfc4519::SERIAL_NUMBER).and_then(|s| s.strip_prefix("IIN").map(str::to_owned)),
            bin,
            given_name: given_name(common_name.as_deref(), surname.as_deref()),
            common_name,
            surname,
            patronymic: text(subject, rfc4519::GIVEN_NAME),
            email: text(subject, const_oid::db::rfc2985::PKCS_9_AT_EMAIL_ADDRESS).or(ext.san_email.clone()),
            organization: text(subject, rfc4519::ORGANIZATION_NAME),
            country: text(subject, rfc4519::COUNTRY_NAME),
            locality: text(subject, rfc4519::LOCALITY_NAME),
            state: text(subject, rfc4519::ST),
            roles,
            subject: subject.to_string(),
            issuer: tbs.issuer().to_string(),
            issuer_cn: text(tbs.issuer(), rfc4519::COMMON_NAME),
            serial_hex: hex::encode(tbs.serial_number().as_bytes()),
            ski_hex: ext.ski.as_ref().map(hex::encode),
            aki_hex: ext.aki.as_ref().map(hex::encode),
            not_before: to_offset(tbs.validity().not_before),
            not_after: to_offset(tbs.validity().not_after),
            key_usage: key_usage_names(ext.key_usage),
            extended_key_usage: ext.extended_key_usage.iter().map(ToString::to_string).collect(),
            policies: ext.policies.iter().map(ToString::to_string).collect(),
            is_ca: ext.is_ca,
            key: key_description(tbs.subject_public_key_info()),
            signature_algorithm: cert.signature_algorithm().oid.to_string(),
        }
    }

    /// Reads one certificate from DER, PEM or base64.
    pub fn parse(input: &[u8]) -> Result<(Certificate, Self), CertificateError> {
        let cert = parse_certificate(input)?;
        let view = Self::from_certificate(&cert);
        Ok((cert, view))
    }

    /// Whether `at` lies within the validity period.
    pub fn is_valid_at(&self, at: OffsetDateTime) -> bool {
        self.not_before <= at && at <= self.not_after
    }
}

/// Reads one certificate from DER, PEM or base64.
pub fn parse_certificate(input: &[u8]) -> Result<Certificate, CertificateError> {
    let unarmored = crate::encoding::unarmor(input)?;
    Ok(Certificate::from_der(&unarmored.der)?)
}

/// Reads every certificate of a PEM bundle, or the one certificate of DER / base64 input.
pub fn parse_certificates(input: &[u8]) -> Result<Vec<Certificate>, CertificateError> {
    if input.trim_ascii_start().starts_with(b"-----BEGIN") {
        return Ok(Certificate::load_pem_chain(input)?);
    }
    Ok(vec![parse_certificate(input)?])
}

/// The subject key identifier of a certificate, when it has one.
pub fn subject_key_identifier(cert: &Certificate) -> Option<Vec<u8>> {
    Extensions::read(cert).ski
}

/// The extensions the view needs, decoded leniently: a malformed extension reads as absent.
#[derive(Default)]
struct Extensions {
    key_usage: Option<KeyUsage>,
    extended_key_usage: Vec<ObjectIdentifier>,
    policies: Vec<ObjectIdentifier>,
    ski: Option<Vec<u8>>,
    aki: Option<Vec<u8>>,
    is_ca: bool,
    san_email: Option<String>,
}

impl Extensions {
    fn read(cert: &Certificate) -> Self {
        let tbs = cert.tbs_certificate();
        let get = |oid: ObjectIdentifier| {
            tbs.extensions().into_iter().flatten().find(|e| e.extn_id == oid).map(|e| e.extn_value.as_bytes())
        };
        Self {
            key_usage: get(rfc5280::ID_CE_KEY_USAGE).and_then(|b| KeyUsage::from_der(b).ok()),
            extended_key_usage: get(rfc5280::ID_CE_EXT_KEY_USAGE)
                .and_then(|b| ExtendedKeyUsage::from_der(b).ok())
                .map(|e| e.0)
                .unwrap_or_default(),
            policies: get(rfc5280::ID_CE_CERTIFICATE_POLICIES)
                .and_then(|b| CertificatePolicies::from_der(b).ok())
                .map(|p| p.0.into_iter().map(|i| i.policy_identifier).collect())
                .unwrap_or_default(),
            ski: get(rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
                .and_then(|b| SubjectKeyIdentifier::from_der(b).ok())
                .map(|s| s.0.as_bytes().to_vec()),
            aki: get(rfc5280::ID_CE_AUTHORITY_KEY_IDENTIFIER)
                .and_then(|b| x509_cert::ext::pkix::AuthorityKeyIdentifier::from_der(b).ok())
                .and_then(|a| a.key_identifier)
                .map(|k| k.as_bytes().to_vec()),
            is_ca: get(rfc5280::ID_CE_BASIC_CONSTRAINTS)
                .and_then(|b| x509_cert::ext::pkix::BasicConstraints::from_der(b).ok())
                .is_some_and(|c| c.ca),
            san_email: get(rfc5280::ID_CE_SUBJECT_ALT_NAME)
                .and_then(|b| x509_cert::ext::pkix::SubjectAltName::from_der(b).ok())
                .and_then(|san| {
                    san.0.into_iter().find_map(|n| match n {
                        x509_cert::ext::pkix::name::GeneralName::Rfc822Name(m) => Some(m.to_string()),
                        _ => None,
                    })
                }),
        }
    }
}

/// Policies decide first (they name the profile); then EKU and key usage.
fn classify(ext: &Extensions) -> Purpose {
    let has_policy = |p: &[ObjectIdentifier]| ext.policies.iter().any(|o| p.contains(o));
    let has_eku = |e: ObjectIdentifier| ext.extended_key_usage.contains(&e);
    if has_policy(&[oid::POLICY_AUTH_RSA, oid::POLICY_AUTH_GOST]) {
        Purpose::Auth
    } else if has_policy(&[oid::POLICY_SIGN_RSA, oid::POLICY_SIGN_GOST]) {
        Purpose::Sign
    } else if ext.is_ca {
        Purpose::Other
    } else if has_eku(oid::EKU_CLIENT_AUTH) {
        Purpose::Auth
    } else if has_eku(oid::EKU_EMAIL_PROTECTION) || ext.key_usage.is_some_and(|k| k.non_repudiation()) {
        Purpose::Sign
    } else {
        Purpose::Other
    }
}

fn has_legal_entity_eku(ext: &Extensions) -> bool {
    ext.extended_key_usage.iter().any(|o| oid::is_under(o, &oid::EKU_LEGAL_ENTITY))
}

fn roles(ekus: &[ObjectIdentifier]) -> Vec<Role> {
    ekus.iter()
        .filter(|o| oid::is_under(o, &oid::EKU_LEGAL_ENTITY) && **o != oid::EKU_LEGAL_ENTITY)
        .map(|o| match o.to_string().strip_prefix("1.2.398.3.3.4.1.2.") {
            Some("1") => Role::FirstHead,
            Some("2") => Role::Signatory,
            Some("3") => Role::FinancialSignatory,
            Some("4") => Role::HumanResources,
            Some("5") => Role::Employee,
            _ => Role::Other(o.to_string()),
        })
        .collect()
}

/// NCA's CN is `SURNAME NAME`: the given name is what follows the surname.
fn given_name(common_name: Option<&str>, surname: Option<&str>) -> Option<String> {
    let rest = common_name?.strip_prefix(surname?)?.trim();
    (!rest.is_empty()).then(|| rest.to_owned())
}

/// Every value of a text attribute: DirectoryString choices, or IA5String (e-mail).
fn text_all(name: &Name, oid: ObjectIdentifier) -> Vec<String> {
    name.iter()
        .filter(|atv| atv.oid == oid)
        .filter_map(|atv| {
            DirectoryString::try_from(&atv.value)
                .map(|s| s.value().into_owned())
                .or_else(|_| Ia5StringRef::try_from(&atv.value).map(|s| s.as_str().to_owned()))
                .ok()
        })
        .collect()
}

fn text(name: &Name, oid: ObjectIdentifier) -> Option<String> {
    text_all(name, oid).into_iter().next()
}

fn key_usage_names(ku: Option<KeyUsage>) -> Vec<String> {
    const NAMES: [(KeyUsages, &str); 9] = [
        (KeyUsages::DigitalSignature, "digitalSignature"),
        (KeyUsages::NonRepudiation, "nonRepudiation"),
        (KeyUsages::KeyEncipherment, "keyEncipherment"),
        (KeyUsages::DataEncipherment, "dataEncipherment"),
        (KeyUsages::KeyAgreement, "keyAgreement"),
        (KeyUsages::KeyCertSign, "keyCertSign"),
        (KeyUsages::CRLSign, "cRLSign"),
        (KeyUsages::EncipherOnly, "encipherOnly"),
        (KeyUsages::DecipherOnly, "decipherOnly"),
    ];
    let Some(ku) = ku else { return Vec::new() };
    NAMES.iter().filter(|(flag, _)| ku.0.contains(*flag)).map(|(_, name)| (*name).to_owned()).collect()
}

/// `RSA-<bits>` for RSA keys, `EC-<curve>` for elliptic curves, else the algorithm OID.
pub fn key_description(spki: &spki::SubjectPublicKeyInfoOwned) -> String {
    let algorithm = spki.algorithm.oid;
    if algorithm == oid::RSA_ENCRYPTION {
        let bits = spki
            .to_der()
            .ok()
            .and_then(|der| {
                rsa::PublicKey::try_from(spki::SubjectPublicKeyInfoRef::from_der(&der).ok()?).ok()
            })
            .map(|key| key.n().bit_width());
        return bits.map_or_else(|| "RSA".to_owned(), |b| format!("RSA-{b}"));
    }
    if algorithm == rfc5912::ID_EC_PUBLIC_KEY {
        let curve = spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        let name = curve.map(|c| match c {
            c if c == rfc5912::SECP_256_R_1 => "P-256".to_owned(),
            c if c == rfc5912::SECP_384_R_1 => "P-384".to_owned(),
            c => c.to_string(),
        });
        return format!("EC-{}", name.unwrap_or_default());
    }
    algorithm.to_string()
}

fn to_offset(t: x509_cert::time::Time) -> OffsetDateTime {
    let secs = t.to_unix_duration().as_secs();
    OffsetDateTime::from_unix_timestamp(i64::try_from(secs).unwrap_or(i64::MAX))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}
