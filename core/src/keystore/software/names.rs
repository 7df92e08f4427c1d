//! File names of the software store: `AUTH_RSA256_<ski>` / `RSA256_<ski>` stems (NCA's names), with
//! `.p12` once the certificate is installed and `.key` (encrypted PKCS#8 PEM) before.

use std::path::{Path, PathBuf};

use qoltanba_pki::certificate::Purpose;
use qoltanba_pki::x509::spki::SubjectPublicKeyInfoOwned;

use crate::keystore::{CertificatePurpose, KeyId, KeyStoreError};

/// The extension of an installed key store.
pub const INSTALLED: &str = "p12";
/// The extension of a key waiting for its certificate.
pub const PENDING: &str = "key";
/// The prefix of files being written (never listed; removed when the store is opened).
pub const TEMPORARY_PREFIX: &str = ".tmp-";

const AUTH_PREFIX: &str = "AUTH_RSA256_";
const SIGN_PREFIX: &str = "RSA256_";
const SKI_HEX_LEN: usize = 40;

/// The id NCA's naming gives a key of `purpose` whose SKI is `ski`.
pub fn key_id(purpose: CertificatePurpose, ski: &[u8]) -> KeyId {
    let file = qoltanba_pki::pkcs12::nca_file_name(pki_purpose(purpose), ski);
    KeyId(file.trim_end_matches(".p12").to_owned())
}

/// The id of a freshly generated key: named by NCA's SKI of its public key, which is what NCA and our
/// CA write as the certificate's SKI.
pub fn key_id_of(
    purpose: CertificatePurpose,
    public_key: &SubjectPublicKeyInfoOwned,
) -> Result<KeyId, KeyStoreError> {
    let ski = qoltanba_pki::key::nca_ski(public_key).map_err(|_| KeyStoreError::Generation)?;
    Ok(key_id(purpose, &ski))
}

/// The purpose an id names, or `None` when the string is not one of this store's ids (which also keeps
/// ids from naming paths outside the directory).
pub fn purpose_of(id: &KeyId) -> Option<CertificatePurpose> {
    let (purpose, ski) = if let Some(ski) = id.0.strip_prefix(AUTH_PREFIX) {
        (CertificatePurpose::Auth, ski)
    } else {
        (CertificatePurpose::Sign, id.0.strip_prefix(SIGN_PREFIX)?)
    };
    let hex =
        ski.len() == SKI_HEX_LEN && ski.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    hex.then_some(purpose)
}

/// The file of key `id` with `extension` inside `dir`; `NotFound` for ids this store never makes.
pub fn path(dir: &Path, id: &KeyId, extension: &str) -> Result<PathBuf, KeyStoreError> {
    purpose_of(id).ok_or_else(|| KeyStoreError::NotFound(id.clone()))?;
    Ok(dir.join(format!("{}.{extension}", id.0)))
}

/// The key id and extension of a file name of this store.
pub fn parse(file_name: &str) -> Option<(KeyId, &str)> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    let id = KeyId(stem.to_owned());
    (purpose_of(&id).is_some() && [INSTALLED, PENDING].contains(&extension)).then_some((id, extension))
}

fn pki_purpose(purpose: CertificatePurpose) -> Purpose {
    match purpose {
        CertificatePurpose::Auth => Purpose::Auth,
        CertificatePurpose::Sign => Purpose::Sign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SKI: &str = "b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d";

    #[test]
    fn reads_purpose_from_nca_names() {
        assert_eq!(purpose_of(&KeyId(format!("AUTH_RSA256_{SKI}"))), Some(CertificatePurpose::Auth));
        assert_eq!(purpose_of(&KeyId(format!("RSA256_{SKI}"))), Some(CertificatePurpose::Sign));
    }

    #[test]
    fn refuses_ids_that_could_escape_the_directory() {
        for id in ["../RSA256_x", "RSA256_../../etc/passwd", &format!("RSA256_{}", SKI.to_uppercase()), ""] {
            assert_eq!(purpose_of(&KeyId(id.to_owned())), None, "{id}");
            assert!(matches!(
                path(Path::new("/d"), &KeyId(id.to_owned()), PENDING),
                Err(KeyStoreError::NotFound(_))
            ));
        }
    }

    #[test]
    fn parses_only_pending_and_installed_files() {
        assert_eq!(parse(&format!("RSA256_{SKI}.p12")).map(|(_, e)| e), Some(INSTALLED));
        assert_eq!(parse(&format!("AUTH_RSA256_{SKI}.key")).map(|(_, e)| e), Some(PENDING));
        assert_eq!(parse(&format!("RSA256_{SKI}.pem")), None);
        assert_eq!(parse(&format!(".tmp-RSA256_{SKI}.p12")), None);
    }
}
