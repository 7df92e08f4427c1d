//! The records of signing a file and verifying a signature ([`crate::Wallet::sign_document`],
//! [`crate::Wallet::verify_document`]), converted from core's [`qoltanba_core::documents`].

use std::time::SystemTime;

use qoltanba_core::documents;
use qoltanba_pki::certificate::Purpose;

/// A signed file, to save or share.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignedDocument {
    /// The CMS SignedData (CAdES-BES), DER.
    pub cms: Vec<u8>,
    /// The name to save it under (`<file>.cms` attached, `<file>.p7s` detached).
    pub suggested_file_name: String,
    /// The SIGN certificate's serial (lowercase hex).
    pub signer_serial: String,
}

/// What a signature is worth.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Verification {
    /// Every signer's signature holds over the content.
    pub signature_valid: bool,
    /// Whether the signers' certificates chain to the CA this phone enrolled with, now.
    pub chain: ChainStatus,
    /// The signers, in the signature's order.
    pub signers: Vec<SignerInfo>,
}

/// Whether certificates chain to the enrolled CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ChainStatus {
    /// Valid now, up to the CA chain saved at enrollment.
    Trusted,
    /// Not (another CA, expired, not yet valid, …).
    Untrusted,
    /// This phone has no CA chain to check against (not enrolled).
    NotChecked,
}

/// What a certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CertificateUse {
    /// Authentication.
    Auth,
    /// Signing.
    Sign,
    /// Neither (a CA, a server, …).
    Other,
}

/// One signer of a signature.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignerInfo {
    /// The certificate's common name ("SURNAME NAME").
    pub name: Option<String>,
    /// The holder's IIN.
    pub iin: Option<String>,
    /// The certificate's serial, lowercase hex.
    pub serial: String,
    /// When the signer says it signed (not proven).
    pub signing_time: Option<SystemTime>,
    /// What the certificate is for.
    pub purpose: CertificateUse,
    /// This signer's signature holds.
    pub valid: bool,
}

impl From<documents::SignedDocument> for SignedDocument {
    fn from(signed: documents::SignedDocument) -> Self {
        Self {
            cms: signed.cms,
            suggested_file_name: signed.suggested_file_name,
            signer_serial: signed.signer_serial,
        }
    }
}

impl From<documents::Verification> for Verification {
    fn from(verification: documents::Verification) -> Self {
        let chain = match verification.chain {
            documents::ChainStatus::Trusted => ChainStatus::Trusted,
            documents::ChainStatus::Untrusted => ChainStatus::Untrusted,
            documents::ChainStatus::NotChecked => ChainStatus::NotChecked,
        };
        let signers = verification.signers.into_iter().map(SignerInfo::from).collect();
        Self { signature_valid: verification.signature_valid, chain, signers }
    }
}

impl From<documents::SignerSummary> for SignerInfo {
    fn from(signer: documents::SignerSummary) -> Self {
        let purpose = match signer.purpose {
            Purpose::Auth => CertificateUse::Auth,
            Purpose::Sign => CertificateUse::Sign,
            Purpose::Other => CertificateUse::Other,
        };
        Self {
            name: signer.name,
            iin: signer.iin,
            serial: signer.serial,
            signing_time: signer.signing_time.map(SystemTime::from),
            purpose,
            valid: signer.valid,
        }
    }
}
