//! RSA key pairs made on the device or by the CA: generation, PKCS#8 PEM export and import (plain or
//! PBES2 password-encrypted), public keys as SubjectPublicKeyInfo PEM, key identifiers, and checking an
//! RSA PKCS#1 v1.5 signature against a SubjectPublicKeyInfo.

use der::pem::PemLabel;
use der::{EncodePem, pem::LineEnding};
use pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::PrivateKey;
use sha1::{Digest, Sha1};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use zeroize::Zeroizing;

/// The RSA modulus size NCA issues for individuals, and the smallest [`generate_rsa`] accepts.
pub const DEFAULT_RSA_BITS: usize = 2048;

/// The largest RSA modulus [`generate_rsa`] accepts.
pub const MAX_RSA_BITS: usize = 4096;

/// Why a key could not be made, exported, imported or used to check a signature.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The requested RSA size is outside `DEFAULT_RSA_BITS..=MAX_RSA_BITS`.
    #[error("RSA keys must have between {DEFAULT_RSA_BITS} and {MAX_RSA_BITS} bits, not {0}")]
    UnsupportedSize(usize),
    /// The operating system's random generator or the RSA prime search failed.
    #[error("key generation failed")]
    Generation,
    /// The key could not be encoded (DER, PEM or encryption parameters).
    #[error("the key could not be encoded")]
    Encode,
    /// The input is not a PKCS#8 RSA private key or SubjectPublicKeyInfo.
    #[error("the input is not a well-formed key")]
    Malformed,
    /// The private key is encrypted and no password was given.
    #[error("the private key is encrypted: a password is needed")]
    PasswordRequired,
    /// The password did not decrypt the private key.
    #[error("wrong password")]
    WrongPassword,
    /// The signature algorithm is not one this crate checks (RSA PKCS#1 v1.5 with SHA-2).
    #[error("unsupported signature algorithm {0}")]
    UnsupportedAlgorithm(const_oid::ObjectIdentifier),
    /// The signature does not match the message and the public key.
    #[error("the signature does not verify")]
    BadSignature,
}

/// Generates an RSA private key of `bits` bits (public exponent 65537) from the operating system's
/// random generator. Slow: about a second for 2048 bits in optimised code.
pub fn generate_rsa(bits: usize) -> Result<PrivateKey, KeyError> {
    if !(DEFAULT_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(KeyError::UnsupportedSize(bits));
    }
    PrivateKey::new(&mut getrandom::SysRng, bits).map_err(|_| KeyError::Generation)
}

/// The private key as unencrypted PKCS#8 PEM (`PRIVATE KEY`).
pub fn private_key_to_pem(key: &PrivateKey) -> Result<Zeroizing<String>, KeyError> {
    key.to_pkcs8_pem(LineEnding::LF).map_err(|_| KeyError::Encode)
}

/// The private key as PBES2-encrypted PKCS#8 PEM (`ENCRYPTED PRIVATE KEY`): PBKDF2-HMAC-SHA256 with
/// 600 000 iterations and a random salt, AES-256-CBC with a random IV. OpenSSL and Java read it.
pub fn private_key_to_encrypted_pem(
    key: &PrivateKey,
    password: &[u8],
) -> Result<Zeroizing<String>, KeyError> {
    let params =
        pkcs5::pbes2::Parameters::generate_pbkdf2(&mut getrandom::SysRng).map_err(|_| KeyError::Encode)?;
    let plain = key.to_pkcs8_der().map_err(|_| KeyError::Encode)?;
    let info = pkcs8::PrivateKeyInfoRef::try_from(plain.as_bytes()).map_err(|_| KeyError::Encode)?;
    let encrypted = info.encrypt_with_params(params, password).map_err(|_| KeyError::Encode)?;
    encrypted
        .to_pem(pkcs8::EncryptedPrivateKeyInfoRef::PEM_LABEL, LineEnding::LF)
        .map_err(|_| KeyError::Encode)
}

/// Reads a PKCS#8 PEM RSA private key, decrypting it with `password` when it is encrypted.
pub fn private_key_from_pem(pem: &str, password: Option<&[u8]>) -> Result<PrivateKey, KeyError> {
    let (label, der) = der::pem::decode_vec(pem.trim().as_bytes()).map_err(|_| KeyError::Malformed)?;
    let der = Zeroizing::new(der);
    match label {
        pkcs8::PrivateKeyInfoRef::PEM_LABEL => {
            PrivateKey::from_pkcs8_der(&der).map_err(|_| KeyError::Malformed)
        }
        pkcs8::EncryptedPrivateKeyInfoRef::PEM_LABEL => {
            let password = password.ok_or(KeyError::PasswordRequired)?;
            let info = pkcs8::EncryptedPrivateKeyInfoRef::try_from(der.as_slice())
                .map_err(|_| KeyError::Malformed)?;
            let plain = info.decrypt(password).map_err(|_| KeyError::WrongPassword)?;
            PrivateKey::from_pkcs8_der(plain.as_bytes()).map_err(|_| KeyError::WrongPassword)
        }
        _ => Err(KeyError::Malformed),
    }
}

/// The public key as SubjectPublicKeyInfo PEM (`PUBLIC KEY`).
pub fn public_key_to_pem(spki: &SubjectPublicKeyInfoOwned) -> Result<String, KeyError> {
    spki.to_pem(LineEnding::LF).map_err(|_| KeyError::Encode)
}

/// The SubjectPublicKeyInfo of an RSA private key.
pub fn public_key_info(key: &PrivateKey) -> Result<SubjectPublicKeyInfoOwned, KeyError> {
    use rsa::pkcs8::EncodePublicKey;
    let der = key.to_public_key().to_public_key_der().map_err(|_| KeyError::Encode)?;
    der.decode_msg().map_err(|_| KeyError::Encode)
}

/// The key identifier of RFC 5280 section 4.2.1.2, method 1: SHA-1 of the subjectPublicKey bits
/// (what OpenSSL and x509-cert's `SubjectKeyIdentifier::try_from(SubjectPublicKeyInfoRef)` compute).
/// NCA does **not** use it: see [`nca_ski`].
pub fn ski(spki: &SubjectPublicKeyInfoOwned) -> [u8; 20] {
    Sha1::digest(spki.subject_public_key.raw_bytes()).into()
}

/// The key identifier NCA writes as SubjectKeyIdentifier and into key store file names
/// (`AUTH_RSA256_<SKI>.p12`): SHA-1 of the whole DER SubjectPublicKeyInfo (algorithm included), as
/// NCA's own certificates show. Our issuance profiles use it too.
pub fn nca_ski(spki: &SubjectPublicKeyInfoOwned) -> Result<[u8; 20], KeyError> {
    let der = der::Encode::to_der(spki).map_err(|_| KeyError::Encode)?;
    Ok(Sha1::digest(der).into())
}

/// Checks an RSA PKCS#1 v1.5 signature over `message` with `spki`, by its `sha*WithRSAEncryption` identifier.
pub fn verify_signature(
    spki: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), KeyError> {
    match crate::algorithm::rsa_signature_with_algorithm_is_valid(spki, algorithm, message, signature) {
        Ok(true) => Ok(()),
        Ok(false) => Err(KeyError::BadSignature),
        Err(oid) => Err(KeyError::UnsupportedAlgorithm(oid)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_small_and_huge_rsa_sizes() {
        assert!(matches!(generate_rsa(1024), Err(KeyError::UnsupportedSize(1024))));
        assert!(matches!(generate_rsa(8192), Err(KeyError::UnsupportedSize(8192))));
    }

    #[test]
    fn rejects_pem_of_another_kind() {
        let pem = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";
        assert!(matches!(private_key_from_pem(pem, None), Err(KeyError::Malformed)));
        assert!(matches!(private_key_from_pem("garbage", None), Err(KeyError::Malformed)));
    }
}
