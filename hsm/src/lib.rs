//! The reference CA's private key in a hardware security module, through PKCS#11.
//!
//! [`Pkcs11Signer`] implements [`qoltanba_pki::signer::Signer`]: the key is generated on the token
//! ([`generate_rsa_key`], sensitive and non-extractable) or found there by label ([`open`]), and every
//! signature is computed by the token with `CKM_SHA256_RSA_PKCS`. The private key never leaves the HSM.
//!
//! Where the token is and how to log in is a [`Pkcs11Config`], which the server's command line can take
//! as an RFC 7512 style URI ([`Pkcs11Config::from_uri`]):
//! `pkcs11:token=Qoltanba%20CA;object=issuing-ca?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234`.
#![warn(missing_docs)]

mod config;
mod error;
mod keygen;
mod module;
mod signer;
mod uri;

pub use config::Pkcs11Config;
pub use error::HsmError;
pub use keygen::generate_rsa_key;
pub use signer::{Pkcs11Signer, open};
pub use uri::UriError;
