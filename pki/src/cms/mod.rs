//! CMS SignedData as CAdES-BES: made with [`sign`], read and checked with [`verify`].
//!
//! Signing uses SHA-256 and RSA PKCS#1 v1.5 through any [`crate::signer::Signer`]; verification accepts
//! DER or BER input (NCA's files), several signers, and RSA with SHA-1/256/384/512. Whether a signer's
//! certificate is trusted is a separate question, answered by [`crate::chain::validate`].

pub mod attributes;
mod content;
mod error;
mod report;
mod sign;
mod verify;

pub use crate::algorithm::DigestAlgorithm;
pub use error::CmsError;
pub use report::{InvalidReason, SignerReport, SignerStatus, Verified};
pub use sign::{SignOptions, sign, sign_digest};
pub use verify::{verify, verify_digest};
