//! Loading PKCS#11 modules, finding tokens and logging in.
//!
//! A PKCS#11 module is initialised once per process (`C_Initialize` a second time fails, and `cryptoki`
//! never calls `C_Finalize` on drop), so contexts live in a process-wide registry keyed by module path.
//! Login state belongs to the process and the token, not to a session: once any session of this process
//! is logged in to a token, `C_Login` answers `CKR_USER_ALREADY_LOGGED_IN` — which we accept — without
//! checking the PIN again. It lasts until the last session of the process on that token is closed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use cryptoki::types::AuthPin;

use crate::config::Pkcs11Config;
use crate::error::HsmError;

static CONTEXTS: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();

/// The initialised context of `module`, loading it on first use.
fn context(module: &Path) -> Result<Pkcs11, HsmError> {
    let load_error = |reason: String| HsmError::ModuleLoad { module: module.to_path_buf(), reason };
    let key = module.canonicalize().unwrap_or_else(|_| module.to_path_buf());
    let mut contexts = CONTEXTS
        .get_or_init(Default::default)
        .lock()
        .map_err(|_| load_error("the module registry lock is poisoned".into()))?;
    if let Some(context) = contexts.get(&key) {
        return Ok(context.clone());
    }
    let context = Pkcs11::new(&key).map_err(|e| load_error(e.to_string()))?;
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(load_error(e.to_string())),
    }
    contexts.insert(key, context.clone());
    Ok(context)
}

/// The first slot whose token carries `label`.
fn slot(context: &Pkcs11, label: &str) -> Result<Slot, HsmError> {
    for slot in context.get_slots_with_token()? {
        if context.get_token_info(slot)?.label() == label {
            return Ok(slot);
        }
    }
    Err(HsmError::TokenNotFound(label.into()))
}

/// A read-write session on the configured token, logged in as the user.
pub(crate) fn logged_in_session(config: &Pkcs11Config) -> Result<Session, HsmError> {
    let context = context(&config.module)?;
    let session = context.open_rw_session(slot(&context, &config.token_label)?)?;
    let pin = AuthPin::new(config.pin.as_str().into());
    match session.login(UserType::User, Some(&pin)) {
        Ok(()) | Err(Error::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(session),
        Err(Error::Pkcs11(RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange, _)) => {
            Err(HsmError::Login)
        }
        Err(Error::Pkcs11(RvError::PinLocked, _)) => Err(HsmError::PinLocked),
        Err(e) => Err(e.into()),
    }
}
