//! PKCS#12 key stores (RFC 7292) as NCA, OpenSSL and Java write them.
//!
//! [`read`] opens DER and BER (indefinite-length) files: NCA's (3DES key, RC2-40 certificates, SHA-1
//! MAC), OpenSSL 3's default and `-legacy` output, and Java 17 `keytool` stores (PBES2 AES-256, SHA-256
//! MAC). [`write`] produces either the [`Format::Modern`] or the [`Format::Legacy`] layout.
//! Keys come out as PKCS#8 DER in zeroizing buffers, certificates as [`x509_cert::Certificate`].
//!
//! ```no_run
//! # fn demo(bytes: &[u8]) -> Result<(), qoltanba_pki::pkcs12::Pkcs12Error> {
//! let store = qoltanba_pki::pkcs12::read(bytes, "Qwerty12")?;
//! let signer = store.entries[0].signer()?;
//! # let _ = signer; Ok(()) }
//! ```

mod asn1;
mod attributes;
mod error;
mod mac;
mod pbe;
mod read;
mod store;
mod write;

pub use error::Pkcs12Error;
pub use read::read;
pub use store::{Entry, KeyStore};
pub use write::{Format, WriteOptions, write};

use crate::certificate::Purpose;

/// The file name NCA gives a key store: `AUTH_RSA256_<ski>.p12` for authentication keys and
/// `RSA256_<ski>.p12` otherwise, the SKI in lowercase hex.
pub fn nca_file_name(purpose: Purpose, ski: &[u8]) -> String {
    let prefix = match purpose {
        Purpose::Auth => "AUTH_RSA256_",
        Purpose::Sign | Purpose::Other => "RSA256_",
    };
    format!("{prefix}{}.p12", hex::encode(ski))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_auth_and_sign_files_with_lowercase_ski() {
        assert_eq!(nca_file_name(Purpose::Auth, &[0xB2, 0xC7]), "AUTH_RSA256_b2c7.p12");
        assert_eq!(nca_file_name(Purpose::Sign, &[0x11, 0xC7]), "RSA256_11c7.p12");
    }
}
