//! The extensions of each NCA certificate profile, as an x509-cert `BuilderProfile`.
//!
//! Order and criticality follow NCA's certificates: KeyUsage (critical), ExtendedKeyUsage,
//! AuthorityKeyIdentifier, SubjectKeyIdentifier, CertificatePolicies, CRLDistributionPoints,
//! AuthorityInfoAccess (caIssuers, then OCSP). CA certificates add BasicConstraints (critical) first.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5280::{ID_AD_CA_ISSUERS, ID_AD_OCSP, ID_KP_OCSP_SIGNING, ID_QT_CPS};
use const_oid::db::rfc6960::ID_PKIX_OCSP_NOCHECK;
use der::asn1::{Ia5String, OctetString};
use der::{Any, Encode};
use sha1::{Digest, Sha1};
use spki::SubjectPublicKeyInfoRef;
use x509_cert::builder::Result;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::certificate::TbsCertificate;
use x509_cert::ext::pkix::certpolicy::{PolicyInformation, PolicyQualifierInfo};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AccessDescription, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints,
    CertificatePolicies, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;

use super::{CaUrls, Profile};
use crate::oid;

/// An NCA profile bound to one issuance: who issues, to whom, and where relying parties look.
pub(crate) struct NcaProfile {
    pub(crate) profile: Profile,
    pub(crate) subject: Name,
    /// `None` for a self-signed root.
    pub(crate) issuer: Option<IssuerInfo>,
}

/// What the issuer contributes to the certificate.
pub(crate) struct IssuerInfo {
    pub(crate) name: Name,
    pub(crate) key_id: Vec<u8>,
    pub(crate) urls: CaUrls,
}

impl BuilderProfile for NcaProfile {
    fn get_issuer(&self, subject: &Name) -> Name {
        self.issuer.as_ref().map_or_else(|| subject.clone(), |i| i.name.clone())
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &TbsCertificate,
    ) -> Result<Vec<Extension>> {
        // NCA's key identifier: SHA-1 of the whole SubjectPublicKeyInfo (see `key::nca_ski`).
        let ski = SubjectKeyIdentifier(OctetString::new(Sha1::digest(spk.to_der()?).to_vec())?);
        let mut out = Vec::new();
        let mut add = |ext: Extension| out.push(ext);
        if let Some(path_len) = self.profile.ca_path_len() {
            add((&BasicConstraints { ca: true, path_len_constraint: path_len })
                .to_extension(&self.subject, &[])?);
        }
        add((&KeyUsage(self.profile.key_usage())).to_extension(&self.subject, &[])?);
        if let Some(eku) = self.profile.extended_key_usage() {
            add((&ExtendedKeyUsage(eku)).to_extension(&self.subject, &[])?);
        }
        if let Some(issuer) = &self.issuer {
            let aki = AuthorityKeyIdentifier {
                key_identifier: Some(OctetString::new(issuer.key_id.clone())?),
                ..Default::default()
            };
            add((&aki).to_extension(&self.subject, &[])?);
        }
        add((&ski).to_extension(&self.subject, &[])?);
        if let Some(policy) = self.profile.policy() {
            let cps = self.issuer.as_ref().and_then(|i| i.urls.cps.as_deref());
            add((&CertificatePolicies(vec![policy_information(policy, cps)?]))
                .to_extension(&self.subject, &[])?);
        }
        if self.profile == Profile::OcspResponder {
            // RFC 6960 4.2.2.2.1: clients need not check the responder certificate's revocation.
            add((ID_PKIX_OCSP_NOCHECK, false, &der::asn1::Null).to_extension(&self.subject, &[])?);
        }
        if let Some(issuer) = &self.issuer {
            for ext in url_extensions(&issuer.urls, &self.subject)? {
                add(ext);
            }
        }
        Ok(out)
    }
}

impl Profile {
    /// `Some(pathLen)` for CA profiles, `None` for end entities.
    fn ca_path_len(&self) -> Option<Option<u8>> {
        match self {
            Profile::Root => Some(None),
            Profile::SubordinateCa { path_len } => Some(*path_len),
            Profile::Auth | Profile::Sign | Profile::OcspResponder => None,
        }
    }

    fn key_usage(&self) -> der::flagset::FlagSet<KeyUsages> {
        match self {
            Profile::Auth => KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment,
            Profile::Sign => KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
            Profile::OcspResponder => KeyUsages::DigitalSignature.into(),
            Profile::Root | Profile::SubordinateCa { .. } => KeyUsages::KeyCertSign | KeyUsages::CRLSign,
        }
    }

    fn extended_key_usage(&self) -> Option<Vec<ObjectIdentifier>> {
        match self {
            Profile::Auth => Some(vec![oid::EKU_CLIENT_AUTH, oid::EKU_INDIVIDUAL]),
            Profile::Sign => Some(vec![oid::EKU_EMAIL_PROTECTION, oid::EKU_INDIVIDUAL]),
            Profile::OcspResponder => Some(vec![ID_KP_OCSP_SIGNING]),
            Profile::Root | Profile::SubordinateCa { .. } => None,
        }
    }

    fn policy(&self) -> Option<ObjectIdentifier> {
        match self {
            Profile::Auth => Some(oid::POLICY_AUTH_RSA),
            Profile::Sign => Some(oid::POLICY_SIGN_RSA),
            Profile::Root | Profile::SubordinateCa { .. } | Profile::OcspResponder => None,
        }
    }
}

fn policy_information(policy: ObjectIdentifier, cps: Option<&str>) -> der::Result<PolicyInformation> {
    let policy_qualifiers = match cps {
        Some(url) => Some(vec![PolicyQualifierInfo {
            policy_qualifier_id: ID_QT_CPS,
            qualifier: Some(Any::encode_from(&Ia5String::new(url)?)?),
        }]),
        None => None,
    };
    Ok(PolicyInformation { policy_identifier: policy, policy_qualifiers })
}

fn uri(url: &str) -> der::Result<GeneralName> {
    Ok(GeneralName::UniformResourceIdentifier(Ia5String::new(url)?))
}

fn url_extensions(urls: &CaUrls, subject: &Name) -> der::Result<Vec<Extension>> {
    let mut out = Vec::new();
    if let Some(crl) = &urls.crl {
        let point = DistributionPoint {
            distribution_point: Some(DistributionPointName::FullName(vec![uri(crl)?])),
            reasons: None,
            crl_issuer: None,
        };
        out.push((&CrlDistributionPoints(vec![point])).to_extension(subject, &[])?);
    }
    let mut access = Vec::new();
    if let Some(ca_issuers) = &urls.ca_issuers {
        access.push(AccessDescription { access_method: ID_AD_CA_ISSUERS, access_location: uri(ca_issuers)? });
    }
    if let Some(ocsp) = &urls.ocsp {
        access.push(AccessDescription { access_method: ID_AD_OCSP, access_location: uri(ocsp)? });
    }
    if !access.is_empty() {
        out.push((&AuthorityInfoAccessSyntax(access)).to_extension(subject, &[])?);
    }
    Ok(out)
}
