//! Generating the CA's RSA key pair on the token (`ca init`).

use cryptoki::mechanism::Mechanism;
use cryptoki::object::{Attribute, ObjectHandle};
use cryptoki::session::Session;

use crate::config::Pkcs11Config;
use crate::error::HsmError;
use crate::module::logged_in_session;
use crate::signer::{Pkcs11Signer, private_keys, public_key};

/// The RSA sizes we generate.
const SIZES: [usize; 3] = [2048, 3072, 4096];

/// Generates an RSA key pair of `bits` (2048, 3072 or 4096) on the token with `CKM_RSA_PKCS_KEY_PAIR_GEN`
/// and returns its signer.
///
/// Both keys are token objects labelled `config.key_label`; their `CKA_ID` is NCA's key identifier (SHA-1
/// of the SubjectPublicKeyInfo, [`qoltanba_pki::key::nca_ski`]), which the CA certificate's
/// SubjectKeyIdentifier will carry. The private key is private, sensitive, non-extractable and may only
/// sign. Refuses with [`HsmError::KeyExists`] if a private key with that label is already there.
pub fn generate_rsa_key(config: &Pkcs11Config, bits: usize) -> Result<Pkcs11Signer, HsmError> {
    if !SIZES.contains(&bits) {
        return Err(HsmError::UnsupportedKeySize(bits));
    }
    let session = logged_in_session(config)?;
    if !private_keys(&session, &config.key_label)?.is_empty() {
        return Err(HsmError::KeyExists(config.key_label.clone()));
    }
    let (public, private) = generate(&session, &config.key_label, bits)?;
    set_id_to_ski(session, &config.key_label, [public, private])
}

fn generate(session: &Session, label: &str, bits: usize) -> Result<(ObjectHandle, ObjectHandle), HsmError> {
    let label = label.as_bytes().to_vec();
    let modulus_bits = u64::try_from(bits).map_err(|_| HsmError::UnsupportedKeySize(bits))?;
    let public = [
        Attribute::Token(true),
        Attribute::Private(false),
        Attribute::Label(label.clone()),
        Attribute::ModulusBits(modulus_bits.into()),
        Attribute::PublicExponent(vec![0x01, 0x00, 0x01]),
        Attribute::Verify(true),
        Attribute::Encrypt(false),
        Attribute::Wrap(false),
    ];
    let private = [
        Attribute::Token(true),
        Attribute::Private(true),
        Attribute::Label(label),
        Attribute::Sensitive(true),
        Attribute::Extractable(false),
        Attribute::Sign(true),
        Attribute::Decrypt(false),
        Attribute::Unwrap(false),
        Attribute::Derive(false),
    ];
    Ok(session.generate_key_pair(&Mechanism::RsaPkcsKeyPairGen, &public, &private)?)
}

/// Sets `CKA_ID` of both keys to the NCA key identifier; destroys them if anything fails, so that a
/// failed `ca init` leaves no half-made key behind.
fn set_id_to_ski(session: Session, label: &str, keys: [ObjectHandle; 2]) -> Result<Pkcs11Signer, HsmError> {
    let [_, private] = keys;
    let finish = |session: &Session| -> Result<(), HsmError> {
        let spki = public_key(session, private, label)?;
        let ski = qoltanba_pki::key::nca_ski(&spki).map_err(|e| HsmError::PublicKey(e.to_string()))?;
        for key in keys {
            session.update_attributes(key, &[Attribute::Id(ski.to_vec())])?;
        }
        Ok(())
    };
    if let Err(error) = finish(&session) {
        for key in keys {
            // Best effort: the original error is the one worth reporting.
            let _ = session.destroy_object(key);
        }
        return Err(error);
    }
    Pkcs11Signer::from_session(session, label)
}
