//! Opening the store that holds a key, by its [`KeyStorageKind`].

use std::path::Path;
use std::sync::Arc;

use zeroize::Zeroizing;

use super::software::SoftwareKeyStore;
use super::{KeyStorageKind, KeyStore, KeyStoreError};
use crate::enrollment::Secret;

/// The store of `kind`: the platform's `hardware` store, or the software store in `key_dir` opened with
/// `password`.
pub(crate) fn open(
    kind: KeyStorageKind,
    hardware: Option<&Arc<dyn KeyStore>>,
    key_dir: &Path,
    password: Option<&Secret>,
) -> Result<Arc<dyn KeyStore>, KeyStoreError> {
    match kind {
        KeyStorageKind::Hardware => hardware
            .cloned()
            .ok_or_else(|| KeyStoreError::Unavailable("no hardware key store on this device".into())),
        KeyStorageKind::File => {
            let password = Zeroizing::new(password.map(Secret::expose).unwrap_or_default().to_owned());
            Ok(Arc::new(SoftwareKeyStore::open(key_dir, password)?))
        }
    }
}
