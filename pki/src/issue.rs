//! Issuing certificates with NCA's profiles: the individual's AUTH and SIGN certificates, and the root
//! and subordinate CA certificates a reference CA starts from (`ca init`).
//!
//! The CA's key is any [`Signer`] (software, HSM). Validity is always given by the caller: nothing here
//! reads a clock. Serial numbers are 20 random bytes from the operating system, positive.

pub(crate) mod asn1_time;
mod profile;

use der::asn1::OctetString;
use spki::SubjectPublicKeyInfoOwned;
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::ext::pkix::SubjectKeyIdentifier;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Validity;

use crate::signer::{RawSignature, Signer, SignerAdapter};
use profile::{IssuerInfo, NcaProfile};

/// The length of the serial numbers we issue, in bytes (the RFC 5280 maximum).
pub const SERIAL_LEN: usize = 20;

/// Which NCA certificate profile to issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// An individual's authentication certificate: KU digitalSignature + keyEncipherment (critical),
    /// EKU clientAuth + individual, policy 1.2.398.3.3.2.4.
    Auth,
    /// An individual's signing certificate: KU digitalSignature + nonRepudiation (critical),
    /// EKU emailProtection + individual, policy 1.2.398.3.3.2.3.
    Sign,
    /// A self-signed root CA: basicConstraints cA (critical), KU keyCertSign + cRLSign (critical).
    /// Made with [`root`], not [`issue`].
    Root,
    /// A delegated OCSP responder of the issuing CA: KU digitalSignature (critical), EKU
    /// id-kp-OCSPSigning, id-pkix-ocsp-nocheck.
    OcspResponder,
    /// A CA certified by another: as [`Profile::Root`] plus AKI, CRL distribution point and AIA.
    SubordinateCa {
        /// How many more CA certificates may follow it in a path (`None`: no limit).
        path_len: Option<u8>,
    },
}

/// Where relying parties find the issuing CA's revocation data and certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaUrls {
    /// The CRL distribution point (`http://…/nca_rsa.crl`).
    pub crl: Option<String>,
    /// The OCSP responder (`http://…/ocsp/`).
    pub ocsp: Option<String>,
    /// Where the CA certificate can be downloaded (AIA caIssuers).
    pub ca_issuers: Option<String>,
    /// The certification practice statement, as a CPS qualifier of the certificate policy.
    pub cps: Option<String>,
}

/// A certification authority ready to issue: its certificate, its key, and its URLs.
pub struct CaIdentity<'a> {
    /// The CA's own certificate (its subject becomes the issuer, its SKI the AKI).
    pub certificate: &'a Certificate,
    /// The CA's private key.
    pub signer: &'a dyn Signer,
    /// The URLs written into issued certificates.
    pub urls: CaUrls,
}

/// Why a certificate could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The validity ends before it starts, or lies before 1970.
    #[error("the validity period is empty or out of range")]
    BadValidity,
    /// The signer's public key is not the one in the CA certificate.
    #[error("the signer's key does not belong to the CA certificate")]
    SignerMismatch,
    /// [`Profile::Root`] was passed to [`issue`]; roots are made with [`root`].
    #[error("a root certificate is self-signed: use issue::root")]
    RootProfile,
    /// A URL is not ASCII (IA5String) or a structure could not be encoded.
    #[error("the certificate could not be encoded: {0}")]
    Encoding(#[from] der::Error),
    /// The operating system's random generator failed.
    #[error("no randomness for the serial number")]
    Random,
    /// The signer failed.
    #[error(transparent)]
    Sign(#[from] crate::signer::SignError),
    /// The certificate builder failed (signing, extension encoding).
    #[error("the certificate could not be built: {0}")]
    Build(String),
}

/// Issues a certificate for `subject` and `spki`, signed by `ca`, with `profile`'s extensions.
pub fn issue(
    ca: &CaIdentity<'_>,
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    profile: Profile,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<Certificate, IssueError> {
    if profile == Profile::Root {
        return Err(IssueError::RootProfile);
    }
    let ca_tbs = ca.certificate.tbs_certificate();
    if ca.signer.public_key()? != *ca_tbs.subject_public_key_info() {
        return Err(IssueError::SignerMismatch);
    }
    let issuer =
        IssuerInfo { name: ca_tbs.subject().clone(), key_id: key_id(ca.certificate)?, urls: ca.urls.clone() };
    let nca = NcaProfile { profile, subject, issuer: Some(issuer) };
    build(nca, spki, ca.signer, not_before, not_after)
}

/// Makes a self-signed root CA certificate for `subject` with the signer's key.
pub fn root(
    subject: Name,
    signer: &dyn Signer,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<Certificate, IssueError> {
    let nca = NcaProfile { profile: Profile::Root, subject, issuer: None };
    build(nca, signer.public_key()?, signer, not_before, not_after)
}

/// The key identifier of a certificate: its SKI extension, or else NCA's hash of its key
/// ([`crate::key::nca_ski`]).
pub fn key_id(certificate: &Certificate) -> Result<Vec<u8>, IssueError> {
    let tbs = certificate.tbs_certificate();
    match tbs.get_extension::<SubjectKeyIdentifier>()? {
        Some((_, ski)) => Ok(ski.0.as_bytes().to_vec()),
        None => Ok(crate::key::nca_ski(tbs.subject_public_key_info())
            .map_err(|_| IssueError::Encoding(der::ErrorKind::Failed.into()))?
            .to_vec()),
    }
}

/// A random positive serial number of exactly [`SERIAL_LEN`] bytes (high bit clear, first byte non-zero).
pub fn random_serial() -> Result<SerialNumber, IssueError> {
    let mut bytes = [0u8; SERIAL_LEN];
    getrandom::fill(&mut bytes).map_err(|_| IssueError::Random)?;
    bytes[0] = (bytes[0] & 0x7f).max(1);
    Ok(SerialNumber::new(&bytes)?)
}

fn build(
    profile: NcaProfile,
    spki: SubjectPublicKeyInfoOwned,
    signer: &dyn Signer,
    not_before: OffsetDateTime,
    not_after: OffsetDateTime,
) -> Result<Certificate, IssueError> {
    if not_after <= not_before {
        return Err(IssueError::BadValidity);
    }
    let start = asn1_time::to_x509(not_before).ok_or(IssueError::BadValidity)?;
    let end = asn1_time::to_x509(not_after).ok_or(IssueError::BadValidity)?;
    let adapter = SignerAdapter::new(signer)?;
    let builder = CertificateBuilder::new(profile, random_serial()?, Validity::new(start, end), spki)
        .map_err(|e| IssueError::Build(e.to_string()))?;
    let built = builder.build::<_, RawSignature>(&adapter);
    if let Some(failure) = adapter.take_failure() {
        return Err(IssueError::Sign(failure));
    }
    built.map_err(|e| IssueError::Build(e.to_string()))
}

/// The SubjectKeyIdentifier value as an OCTET STRING, for AKI fields elsewhere (CRL, OCSP).
pub(crate) fn key_id_octets(certificate: &Certificate) -> Result<OctetString, IssueError> {
    Ok(OctetString::new(key_id(certificate)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_are_twenty_bytes_and_positive() {
        for _ in 0..64 {
            let serial = random_serial().unwrap();
            let bytes = serial.as_bytes();
            assert_eq!(bytes.len(), SERIAL_LEN);
            assert!(bytes[0] & 0x80 == 0 && bytes[0] != 0);
        }
    }

    #[test]
    fn time_survives_the_asn1_round_trip() {
        let at = ::time::macros::datetime!(2020-01-28 06:23:03 UTC);
        assert_eq!(asn1_time::from_x509(&asn1_time::to_x509(at).unwrap()), at);
        let late = ::time::macros::datetime!(2051-01-01 00:00:00 UTC);
        let x509 = asn1_time::to_x509(late).unwrap();
        assert!(matches!(x509, x509_cert::time::Time::GeneralTime(_)));
        assert_eq!(asn1_time::from_x509(&x509), late);
    }
}
