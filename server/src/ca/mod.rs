//! The certification authority: keys, issuance with a lint step, CRLs, OCSP answers.
//!
//! As in Let's Encrypt's Boulder, the CA only signs: it knows nothing of HTTP, enrollment or the
//! database. Everything it needs comes in as arguments (the registry record, the revoked serials, a
//! status lookup) and everything that must be kept goes out as return values (certificates, CRL and
//! OCSP bytes) for the caller to persist.
//!
//! - [`keys`]: where the CA keys live ([`KeySource`]: a PKCS#8 file or a PKCS#11 token).
//! - [`fast_signer`]: a key file's key signing through AWS-LC ([`FastSigner`]).
//! - [`init`](mod@init): `ca init`, the root and issuing CA certificates.
//! - [`authority`]: the issuing CA at work ([`Authority`]): AUTH + SIGN pairs from CSRs.
//! - [`lint`]: the profile check every certificate passes before the real key signs it.
//! - [`crl`](mod@crl) and [`ocsp`](mod@ocsp): revocation data signed by the issuing key.

pub mod authority;
pub mod crl;
mod error;
pub mod fast_signer;
pub mod init;
pub mod keys;
pub mod lint;
mod lint_signer;
pub mod ocsp;
mod request;
mod subject;

pub use authority::{Authority, CaUrls, IssuedCertificate, IssuedPair};
pub use error::CaError;
pub use fast_signer::FastSigner;
pub use init::{CaMaterial, InitConfig, init};
pub use keys::KeySource;
pub use lint::{LintProblem, lint};
pub use ocsp::CertState;
pub use qoltanba_pki::crl::RevokedEntry;
pub use subject::SubjectRecord;
