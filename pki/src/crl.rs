//! Certificate revocation lists (X.509 v2 CRLs): made by a CA, read and checked by relying parties.
//!
//! The CRL is assembled from x509-cert's types rather than its `CrlBuilder`, which copies the issuing
//! CA's own AuthorityKeyIdentifier into the CRL: wrong for any CA that is not a root (the CRL's AKI
//! must name the key that signed the CRL, i.e. the issuing CA's SKI).

use der::asn1::Uint;
use der::{Decode, Encode, EncodePem, pem::LineEnding};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::certificate::Version;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber, CrlReason, KeyUsage, KeyUsages};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use crate::chain::{RevocationError, RevocationSource, RevocationStatus};
use crate::issue::asn1_time;
use crate::signer::Signer;

/// Why a CRL could not be made, read or trusted.
#[derive(Debug, thiserror::Error)]
pub enum CrlError {
    /// The CRL is not well-formed DER.
    #[error("the CRL is malformed: {0}")]
    Malformed(#[from] der::Error),
    /// A time lies before 1970, or nextUpdate is not after thisUpdate.
    #[error("the CRL's times are out of range or out of order")]
    BadTime,
    /// The signer's key is not the one in the issuing CA certificate.
    #[error("the signer's key does not belong to the CA certificate")]
    SignerMismatch,
    /// The signer failed.
    #[error(transparent)]
    Sign(#[from] crate::signer::SignError),
    /// The CRL was not issued by this certificate's subject (name or key identifier differ).
    #[error("the CRL names another issuer")]
    WrongIssuer,
    /// The issuer certificate may not sign CRLs (its key usage lacks cRLSign).
    #[error("the issuer certificate may not sign CRLs")]
    NotCrlSigner,
    /// The signature does not verify with the issuer's key.
    #[error("the CRL's signature does not verify: {0}")]
    BadSignature(crate::key::KeyError),
}

/// One revoked certificate, as the CA lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedEntry {
    /// The revoked certificate's serial number.
    pub serial: SerialNumber,
    /// When it was revoked.
    pub revoked_at: OffsetDateTime,
    /// Why, when the CA says (`reasonCode` entry extension).
    pub reason: Option<CrlReason>,
}

/// What goes into a CRL besides the issuer.
#[derive(Clone, Debug)]
pub struct CrlContent<'a> {
    /// The monotonically increasing CRL number.
    pub number: u64,
    /// When this CRL was issued.
    pub this_update: OffsetDateTime,
    /// When the next CRL will be issued at the latest.
    pub next_update: OffsetDateTime,
    /// The revoked certificates.
    pub entries: &'a [RevokedEntry],
}

/// A decoded CRL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crl {
    list: CertificateList,
}

/// Builds a v2 CRL for `ca` (its subject as issuer, its SKI as AKI, a CRL number), signed by `signer`.
pub fn build(ca: &Certificate, signer: &dyn Signer, content: &CrlContent<'_>) -> Result<Crl, CrlError> {
    if signer.public_key()? != *ca.tbs_certificate().subject_public_key_info() {
        return Err(CrlError::SignerMismatch);
    }
    if content.next_update <= content.this_update {
        return Err(CrlError::BadTime);
    }
    let issuer = ca.tbs_certificate().subject().clone();
    let revoked = content.entries.iter().map(|e| revoked_cert(e, &issuer)).collect::<Result<Vec<_>, _>>()?;
    let tbs = TbsCertList {
        version: Version::V2,
        signature: signer.signature_algorithm(),
        crl_extensions: Some(crl_extensions(ca, content.number, &issuer)?),
        issuer,
        this_update: asn1_time::to_x509(content.this_update).ok_or(CrlError::BadTime)?,
        next_update: Some(asn1_time::to_x509(content.next_update).ok_or(CrlError::BadTime)?),
        revoked_certificates: if revoked.is_empty() { None } else { Some(revoked) },
    };
    let signature = signer.sign(&tbs.to_der()?)?;
    let list = CertificateList {
        signature_algorithm: tbs.signature.clone(),
        tbs_cert_list: tbs,
        signature: der::asn1::BitString::from_bytes(&signature)?,
    };
    Ok(Crl { list })
}

fn revoked_cert(entry: &RevokedEntry, issuer: &Name) -> Result<RevokedCert, CrlError> {
    let crl_entry_extensions = match &entry.reason {
        Some(reason) => Some(vec![reason.to_extension(issuer, &[])?]),
        None => None,
    };
    Ok(RevokedCert {
        serial_number: entry.serial.clone(),
        revocation_date: asn1_time::to_x509(entry.revoked_at).ok_or(CrlError::BadTime)?,
        crl_entry_extensions,
    })
}

fn crl_extensions(ca: &Certificate, number: u64, issuer: &Name) -> Result<Vec<Extension>, CrlError> {
    let key_id =
        crate::issue::key_id_octets(ca).map_err(|_| CrlError::Malformed(der::ErrorKind::Failed.into()))?;
    let aki = AuthorityKeyIdentifier { key_identifier: Some(key_id), ..Default::default() };
    let number = CrlNumber(Uint::new(&number.to_be_bytes())?);
    Ok(vec![(&aki).to_extension(issuer, &[])?, (&number).to_extension(issuer, &[])?])
}

impl Crl {
    /// Decodes a DER CRL (use [`crate::encoding::unarmor`] first for PEM or base64).
    pub fn from_der(der: &[u8]) -> Result<Self, CrlError> {
        Ok(Self { list: CertificateList::from_der(der)? })
    }

    /// The DER encoding.
    pub fn to_der(&self) -> Result<Vec<u8>, CrlError> {
        Ok(self.list.to_der()?)
    }

    /// The PEM encoding (`X509 CRL`).
    pub fn to_pem(&self) -> Result<String, CrlError> {
        Ok(self.list.to_pem(LineEnding::LF)?)
    }

    /// The underlying x509-cert structure.
    pub fn certificate_list(&self) -> &CertificateList {
        &self.list
    }

    /// The issuer's name.
    pub fn issuer(&self) -> &Name {
        &self.list.tbs_cert_list.issuer
    }

    /// When this CRL was issued.
    pub fn this_update(&self) -> OffsetDateTime {
        asn1_time::from_x509(&self.list.tbs_cert_list.this_update)
    }

    /// When the next CRL is due, if the CRL says.
    pub fn next_update(&self) -> Option<OffsetDateTime> {
        self.list.tbs_cert_list.next_update.as_ref().map(asn1_time::from_x509)
    }

    /// The CRL number, when present and at most 64 bits.
    pub fn number(&self) -> Result<Option<u64>, CrlError> {
        let Some(number) = self.extension::<CrlNumber>()? else { return Ok(None) };
        let bytes = number.0.as_bytes();
        if bytes.len() > 8 {
            return Ok(None);
        }
        Ok(Some(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b))))
    }

    /// The key identifier of the key that signed this CRL (AuthorityKeyIdentifier).
    pub fn authority_key_id(&self) -> Result<Option<Vec<u8>>, CrlError> {
        let aki = self.extension::<AuthorityKeyIdentifier>()?;
        Ok(aki.and_then(|a| a.key_identifier).map(|k| k.as_bytes().to_vec()))
    }

    /// The entry for `serial`, if the CRL lists it.
    pub fn entry(&self, serial: &SerialNumber) -> Result<Option<RevokedEntry>, CrlError> {
        let revoked = self.list.tbs_cert_list.revoked_certificates.iter().flatten();
        let Some(found) = revoked.into_iter().find(|r| r.serial_number == *serial) else { return Ok(None) };
        let reason = found
            .crl_entry_extensions
            .iter()
            .flatten()
            .find(|e| e.extn_id == <CrlReason as const_oid::AssociatedOid>::OID)
            .map(|e| CrlReason::from_der(e.extn_value.as_bytes()))
            .transpose()?;
        let revoked_at = asn1_time::from_x509(&found.revocation_date);
        Ok(Some(RevokedEntry { serial: serial.clone(), revoked_at, reason }))
    }

    /// Checks that `issuer` issued this CRL: same name, matching key identifier when both have one,
    /// cRLSign allowed, and a valid signature.
    pub fn verify(&self, issuer: &Certificate) -> Result<(), CrlError> {
        let tbs = issuer.tbs_certificate();
        if tbs.subject() != self.issuer() {
            return Err(CrlError::WrongIssuer);
        }
        if let (Some(aki), Ok(ski)) = (self.authority_key_id()?, crate::issue::key_id(issuer)) {
            if aki != ski {
                return Err(CrlError::WrongIssuer);
            }
        }
        if let Some((_, KeyUsage(usage))) = tbs.get_extension::<KeyUsage>()? {
            if !usage.contains(KeyUsages::CRLSign) {
                return Err(CrlError::NotCrlSigner);
            }
        }
        let message = self.list.tbs_cert_list.to_der()?;
        let signature = self
            .list
            .signature
            .as_bytes()
            .ok_or(CrlError::BadSignature(crate::key::KeyError::BadSignature))?;
        crate::key::verify_signature(
            tbs.subject_public_key_info(),
            &self.list.signature_algorithm,
            &message,
            signature,
        )
        .map_err(CrlError::BadSignature)
    }

    /// Whether `at` lies within thisUpdate..=nextUpdate (no nextUpdate: from thisUpdate on).
    pub fn is_current(&self, at: OffsetDateTime) -> bool {
        self.this_update() <= at && self.next_update().is_none_or(|next| at <= next)
    }

    fn extension<T: for<'a> Decode<'a, Error = der::Error> + const_oid::AssociatedOid>(
        &self,
    ) -> Result<Option<T>, CrlError> {
        let found = self.list.tbs_cert_list.crl_extensions.iter().flatten().find(|e| e.extn_id == T::OID);
        Ok(found.map(|e| T::from_der(e.extn_value.as_bytes())).transpose()?)
    }

    fn may_cover(&self, issuer: &Certificate) -> bool {
        let same_name = self.issuer() == issuer.tbs_certificate().subject();
        let same_key = match (self.authority_key_id(), crate::issue::key_id(issuer)) {
            (Ok(Some(aki)), Ok(ski)) => aki == ski,
            _ => true,
        };
        same_name && same_key
    }
}

/// A set of CRLs the caller fetched, usable as revocation evidence.
#[derive(Clone, Debug, Default)]
pub struct CrlSet {
    /// The CRLs, in any order, from any issuers.
    pub crls: Vec<Crl>,
}

impl RevocationSource for CrlSet {
    /// Uses the CRLs of `issuer` (by name and key identifier): every one must verify; the latest one
    /// current at `at` decides. No CRL of that issuer: `Unknown`; none current: `NotCurrent`.
    fn status(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
        at: OffsetDateTime,
    ) -> Result<RevocationStatus, RevocationError> {
        if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
            return Ok(RevocationStatus::Unknown);
        }
        let candidates: Vec<&Crl> = self.crls.iter().filter(|c| c.may_cover(issuer)).collect();
        if candidates.is_empty() {
            return Ok(RevocationStatus::Unknown);
        }
        for crl in &candidates {
            crl.verify(issuer).map_err(|_| RevocationError::BadSignature)?;
        }
        let current = candidates.into_iter().filter(|c| c.is_current(at)).max_by_key(|c| c.this_update());
        let crl = current.ok_or(RevocationError::NotCurrent)?;
        let entry = crl
            .entry(cert.tbs_certificate().serial_number())
            .map_err(|e| RevocationError::Malformed(e.to_string()))?;
        Ok(match entry {
            Some(entry) if entry.revoked_at <= at && entry.reason != Some(CrlReason::RemoveFromCRL) => {
                RevocationStatus::Revoked { revoked_at: entry.revoked_at }
            }
            _ => RevocationStatus::Good,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_garbage() {
        assert!(matches!(Crl::from_der(b"\x30\x03\x02\x01\x01"), Err(CrlError::Malformed(_))));
        assert!(matches!(Crl::from_der(b""), Err(CrlError::Malformed(_))));
    }
}
