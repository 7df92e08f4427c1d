//! Formats and cryptography of the Kazakh PKI, as the National Certification Center (NCA) uses them.
//!
//! - [`iin`]: individual and business identification numbers (IIN / BIN) and their check digit.
//! - [`certificate`]: a typed view of any X.509 certificate, with NCA purpose and holder classification.
//! - [`key`], [`csr`]: RSA key pairs made on the device and PKCS#10 requests with the NCA subject layout.
//! - [`issue`], [`crl`], [`ocsp`]: the NCA certificate profiles, revocation lists and OCSP, for the
//!   certification authority and for checking revocation.
//! - [`pkcs12`]: reading NCA, OpenSSL and Java key stores; writing modern and legacy-compatible ones.
//! - [`cms`]: CAdES-BES SignedData, made and verified; [`chain`]: path validation at a given time.
//! - [`signer`]: the one trait every private key implements (software, HSM, phone key stores).
//!
//! What it does not do: any I/O beyond the bytes it is given, network fetching of CRLs or OCSP answers
//! (callers pass them in), or XML signatures. All cryptography and ASN.1 comes from RustCrypto crates;
//! this crate only assembles their types.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod algorithm;
pub mod certificate;
pub mod chain;
pub mod cms;
pub mod crl;
pub mod csr;
pub mod encoding;
pub mod iin;
pub mod issue;
pub mod key;
pub mod ocsp;
pub mod oid;
pub mod pkcs12;
pub mod signer;

/// The X.509 types this crate's API uses, re-exported so callers need not depend on `x509-cert`.
pub use x509_cert as x509;
