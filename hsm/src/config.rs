//! Where the token is, which key to use and how to log in.

use std::path::PathBuf;

use zeroize::Zeroizing;

/// The PKCS#11 module, token, key and user PIN of a [`crate::Pkcs11Signer`].
///
/// `Debug` never shows the PIN.
#[derive(Clone)]
pub struct Pkcs11Config {
    /// The PKCS#11 module (e.g. `/usr/lib/softhsm/libsofthsm2.so`).
    pub module: PathBuf,
    /// The label of the token (`CKA_LABEL` of the token info, without its blank padding).
    pub token_label: String,
    /// The label (`CKA_LABEL`) of the key pair.
    pub key_label: String,
    /// The user PIN.
    pub pin: Zeroizing<String>,
}

impl std::fmt::Debug for Pkcs11Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs11Config")
            .field("module", &self.module)
            .field("token_label", &self.token_label)
            .field("key_label", &self.key_label)
            .field("pin", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_pin() {
        let config = Pkcs11Config {
            module: "/m.so".into(),
            token_label: "CA".into(),
            key_label: "k".into(),
            pin: Zeroizing::new("s3cr3t-pin".into()),
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cr3t-pin"), "{shown}");
        assert!(shown.contains("<redacted>") && shown.contains("/m.so"), "{shown}");
    }
}
