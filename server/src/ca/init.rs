//! `ca init`: a self-signed root and the issuing CA it certifies, with NCA-like names.

use qoltanba_pki::issue::{self, CaIdentity, Profile};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::attr::AttributeTypeAndValue;
use qoltanba_pki::x509::der::asn1::{PrintableStringRef, Utf8StringRef};
use qoltanba_pki::x509::der::oid::db::rfc4519::{COMMON_NAME, COUNTRY_NAME};
use qoltanba_pki::x509::der::{Any, Decode, Encode};
use qoltanba_pki::x509::name::{Name, RdnSequence, RelativeDistinguishedName};
use time::{Duration, OffsetDateTime};

use super::{CaError, KeySource};

/// How long the root is valid: about 20 years.
pub const ROOT_VALIDITY: Duration = Duration::days(20 * 365 + 5);
/// How long the issuing CA is valid: about 10 years (well inside the root's life).
pub const ISSUING_VALIDITY: Duration = Duration::days(10 * 365 + 2);
/// How far validity starts before `now`, for relying parties whose clocks are behind.
pub const BACKDATE: Duration = Duration::minutes(1);

/// Names and URLs of the two CA certificates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitConfig {
    /// The root's common name (the subject is `CN=…, C=KZ`).
    pub root_common_name: String,
    /// The issuing CA's common name.
    pub issuing_common_name: String,
    /// Where the root's CRL is published (written into the issuing CA certificate).
    pub root_crl_url: Option<String>,
    /// Where the root certificate can be downloaded (AIA caIssuers of the issuing CA certificate).
    pub root_certificate_url: Option<String>,
}

impl Default for InitConfig {
    /// NCA's naming ("ҰКО" = ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ, the National Certification Center), marked as
    /// a test CA so that nobody mistakes it for the real one.
    fn default() -> Self {
        Self {
            root_common_name: "ҰКО ТҮБІРЛІК (RSA QOLTANBA TEST)".to_owned(),
            issuing_common_name: "ҰКО 3.0 (RSA QOLTANBA TEST)".to_owned(),
            root_crl_url: None,
            root_certificate_url: None,
        }
    }
}

/// The certificates `ca init` made; the caller stores them (the keys stay in their [`KeySource`]s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaMaterial {
    /// The self-signed root.
    pub root: Certificate,
    /// The issuing CA, certified by the root (pathLen 0: it issues only end-entity certificates).
    pub issuing: Certificate,
}

/// Generates the root and issuing keys in their sources and makes both CA certificates, valid from
/// `now` (backdated by [`BACKDATE`]).
pub fn init(
    root_key: &KeySource,
    issuing_key: &KeySource,
    config: &InitConfig,
    now: OffsetDateTime,
) -> Result<CaMaterial, CaError> {
    let not_before = now - BACKDATE;
    let root_signer = root_key.generate()?;
    let root = issue::root(
        ca_name(&config.root_common_name)?,
        root_signer.as_ref(),
        not_before,
        now + ROOT_VALIDITY,
    )?;
    let issuing_signer = issuing_key.generate()?;
    let urls = issue::CaUrls {
        crl: config.root_crl_url.clone(),
        ocsp: None,
        ca_issuers: config.root_certificate_url.clone(),
        cps: None,
    };
    let ca = CaIdentity { certificate: &root, signer: root_signer.as_ref(), urls };
    let issuing = issue::issue(
        &ca,
        ca_name(&config.issuing_common_name)?,
        issuing_signer.public_key()?,
        Profile::SubordinateCa { path_len: Some(0) },
        not_before,
        now + ISSUING_VALIDITY,
    )?;
    Ok(CaMaterial { root, issuing })
}

/// `C=KZ, CN=<name>` in NCA's order and string types (PrintableString country, UTF8String name).
pub fn ca_name(common_name: &str) -> Result<Name, CaError> {
    if common_name.trim().is_empty() {
        return Err(CaError::Config("a CA common name is empty"));
    }
    let country = AttributeTypeAndValue {
        oid: COUNTRY_NAME,
        value: Any::encode_from(&PrintableStringRef::new("KZ")?)?,
    };
    let cn = AttributeTypeAndValue {
        oid: COMMON_NAME,
        value: Any::encode_from(&Utf8StringRef::new(common_name)?)?,
    };
    let mut rdns = RdnSequence::default();
    for atv in [country, cn] {
        rdns.push(RelativeDistinguishedName::try_from(vec![atv])?);
    }
    Ok(Name::from_der(&rdns.to_der()?)?)
}
