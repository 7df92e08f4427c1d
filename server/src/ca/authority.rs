//! The issuing CA at work: an individual's AUTH and SIGN certificates from two CSRs, linted before
//! the real key signs them (one real signature per certificate).

use qoltanba_pki::issue::{self, CaIdentity, Profile};
use qoltanba_pki::key;
use qoltanba_pki::signer::{SignError, Signer, sha256_with_rsa};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::asn1::BitString;
use qoltanba_pki::x509::der::pem::LineEnding;
use qoltanba_pki::x509::der::{Any, Decode, Encode, EncodePem};
use qoltanba_pki::x509::name::Name;
use qoltanba_pki::x509::spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use time::{Duration, OffsetDateTime};

use super::init::BACKDATE;
use super::lint::lint;
use super::lint_signer::LintOnlySigner;
use super::request::accepted_key;
use super::{CaError, SubjectRecord};

/// How long an individual's certificate is valid (from `now`; it starts [`BACKDATE`] earlier).
pub const LEAF_VALIDITY: Duration = Duration::days(365);

/// Where relying parties find the issuing CA's revocation data and certificate; written into every
/// certificate. ASCII URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaUrls {
    /// The CRL distribution point.
    pub crl: String,
    /// The OCSP responder.
    pub ocsp: String,
    /// Where the issuing CA certificate can be downloaded (AIA caIssuers).
    pub ca_issuers: String,
}

/// One issued certificate, ready to be stored and returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCertificate {
    /// The certificate.
    pub certificate: Certificate,
    /// Its DER encoding.
    pub der: Vec<u8>,
    /// Its serial number's bytes (20, positive).
    pub serial: Vec<u8>,
}

/// The two certificates of one enrollment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedPair {
    /// The authentication certificate (egov log-in).
    pub auth: IssuedCertificate,
    /// The signing certificate.
    pub sign: IssuedCertificate,
}

/// The issuing CA: its certificate, the root above it, its key and its URLs.
pub struct Authority {
    root: Certificate,
    issuing: Certificate,
    signer: Box<dyn Signer>,
    urls: CaUrls,
    /// The issuing CA then the root certificate, PEM: the chain every answer carries.
    chain_pem: String,
}

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authority")
            .field("issuing", &self.issuing.tbs_certificate().subject().to_string())
            .finish()
    }
}

impl Authority {
    /// Checks that `signer` holds the issuing CA certificate's key (signing SHA-256 with RSA), that the
    /// root signed the issuing CA certificate, and that the URLs are ASCII.
    pub fn new(
        root: Certificate,
        issuing: Certificate,
        signer: Box<dyn Signer>,
        urls: CaUrls,
    ) -> Result<Self, CaError> {
        if signer.public_key()? != *issuing.tbs_certificate().subject_public_key_info() {
            return Err(CaError::KeyMismatch);
        }
        if signer.signature_algorithm() != sha256_with_rsa() {
            return Err(CaError::Config("the CA key must sign with sha256WithRSAEncryption"));
        }
        check_signed_by(&issuing, &root)?;
        for url in [&urls.crl, &urls.ocsp, &urls.ca_issuers] {
            if url.is_empty() || !url.is_ascii() {
                return Err(CaError::Config("CA URLs must be non-empty ASCII"));
            }
        }
        let mut chain_pem = String::new();
        for certificate in [&issuing, &root] {
            chain_pem.push_str(&certificate.to_pem(LineEnding::LF)?);
        }
        Ok(Self { root, issuing, signer, urls, chain_pem })
    }

    /// The root CA certificate.
    pub fn root(&self) -> &Certificate {
        &self.root
    }

    /// The issuing CA certificate.
    pub fn issuing(&self) -> &Certificate {
        &self.issuing
    }

    /// The issuing CA certificate then the root, PEM (made once).
    pub fn chain_pem(&self) -> &str {
        &self.chain_pem
    }

    /// The URLs written into certificates.
    pub fn urls(&self) -> &CaUrls {
        &self.urls
    }

    pub(crate) fn signer(&self) -> &dyn Signer {
        self.signer.as_ref()
    }

    /// Issues the AUTH and SIGN certificates for `subject` (from the registry) from two DER CSRs.
    ///
    /// Each CSR must verify with its own key (proof of possession) and carry an RSA key of 2048 to 4096
    /// bits; the two keys must differ. Only the keys are used: subject and extensions come from
    /// `subject` and the NCA profiles. Validity: `now - BACKDATE` to `now + LEAF_VALIDITY`.
    pub fn issue_pair(
        &self,
        subject: &SubjectRecord,
        auth_csr_der: &[u8],
        sign_csr_der: &[u8],
        now: OffsetDateTime,
    ) -> Result<IssuedPair, CaError> {
        let auth_key = accepted_key(auth_csr_der, "AUTH")?;
        let sign_key = accepted_key(sign_csr_der, "SIGN")?;
        if auth_key.subject_public_key == sign_key.subject_public_key {
            return Err(CaError::SameKey);
        }
        let name = subject.to_name()?;
        Ok(IssuedPair {
            auth: self.issue_one(Profile::Auth, name.clone(), auth_key, now)?,
            sign: self.issue_one(Profile::Sign, name, sign_key, now)?,
        })
    }

    /// Builds the lint certificate (with a placeholder signature), lints it, then signs its
    /// to-be-signed part with the real key.
    fn issue_one(
        &self,
        profile: Profile,
        subject: Name,
        key: SubjectPublicKeyInfoOwned,
        now: OffsetDateTime,
    ) -> Result<IssuedCertificate, CaError> {
        let ca_key = self.issuing.tbs_certificate().subject_public_key_info();
        let lint_signer = LintOnlySigner::new(ca_key, self.signer.signature_algorithm())
            .ok_or(CaError::Config("the CA key must be RSA"))?;
        let urls = issue::CaUrls {
            crl: Some(self.urls.crl.clone()),
            ocsp: Some(self.urls.ocsp.clone()),
            ca_issuers: Some(self.urls.ca_issuers.clone()),
            cps: None,
        };
        let ca = CaIdentity { certificate: &self.issuing, signer: &lint_signer, urls };
        let built = issue::issue(&ca, subject, key, profile, now - BACKDATE, now + LEAF_VALIDITY)?;
        let parsed = Certificate::from_der(&built.to_der()?)?;
        let problems = lint(&parsed, &self.issuing, profile, &self.urls);
        if !problems.is_empty() {
            return Err(CaError::Lint(problems));
        }
        self.sign_final(&parsed)
    }

    /// Signs the linted certificate's to-be-signed part with the CA key, checks the signature, and
    /// assembles `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }` (a
    /// SEQUENCE OF three already-encoded values, decoded back as a certificate).
    fn sign_final(&self, linted: &Certificate) -> Result<IssuedCertificate, CaError> {
        let tbs = linted.tbs_certificate().to_der()?;
        let algorithm: &AlgorithmIdentifierOwned = linted.signature_algorithm();
        let signature = self.signer.sign(&tbs)?;
        let issuing_key = self.issuing.tbs_certificate().subject_public_key_info();
        key::verify_signature(issuing_key, algorithm, &tbs, &signature)
            .map_err(|_| SignError::KeyStore("the CA key made a signature that does not verify".into()))?;
        let parts = vec![
            Any::from_der(&tbs)?,
            Any::encode_from(algorithm)?,
            Any::encode_from(&BitString::from_bytes(&signature)?)?,
        ];
        let der = parts.to_der()?;
        let certificate = Certificate::from_der(&der)?;
        let serial = certificate.tbs_certificate().serial_number().as_bytes().to_vec();
        Ok(IssuedCertificate { certificate, der, serial })
    }
}

/// The issuing CA certificate names the root as issuer and verifies with the root's key.
fn check_signed_by(issuing: &Certificate, root: &Certificate) -> Result<(), CaError> {
    if issuing.tbs_certificate().issuer() != root.tbs_certificate().subject() {
        return Err(CaError::ChainMismatch);
    }
    let tbs = issuing.tbs_certificate().to_der()?;
    let signature = issuing.signature().as_bytes().ok_or(CaError::ChainMismatch)?;
    let root_key = root.tbs_certificate().subject_public_key_info();
    key::verify_signature(root_key, issuing.signature_algorithm(), &tbs, signature)
        .map_err(|_| CaError::ChainMismatch)
}
