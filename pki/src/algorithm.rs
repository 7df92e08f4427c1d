//! The digest algorithms and RSA PKCS#1 v1.5 signatures this crate verifies: one place for CMS,
//! certificate paths, CRLs, OCSP responses and certificate requests.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::Encode;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};
use signature::Verifier;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// A message digest algorithm, by its `id-sha*` identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DigestAlgorithm {
    /// SHA-1 (legacy; still read, never written).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm a digest identifier (`id-sha256`, …) names, if supported.
    pub fn from_digest_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            rfc5912::ID_SHA_1 => Some(Self::Sha1),
            rfc5912::ID_SHA_256 => Some(Self::Sha256),
            rfc5912::ID_SHA_384 => Some(Self::Sha384),
            rfc5912::ID_SHA_512 => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The digest of a `sha*WithRSAEncryption` signature identifier, if supported.
    pub fn from_rsa_signature_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match *oid {
            rfc5912::SHA_1_WITH_RSA_ENCRYPTION => Some(Self::Sha1),
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION => Some(Self::Sha256),
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION => Some(Self::Sha384),
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The `id-sha*` identifier.
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => rfc5912::ID_SHA_1,
            Self::Sha256 => rfc5912::ID_SHA_256,
            Self::Sha384 => rfc5912::ID_SHA_384,
            Self::Sha512 => rfc5912::ID_SHA_512,
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(data).to_vec(),
            Self::Sha256 => Sha256::digest(data).to_vec(),
            Self::Sha384 => Sha384::digest(data).to_vec(),
            Self::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// True when `signature` is a valid RSA PKCS#1 v1.5 signature by `key` over `message` hashed with `digest`.
/// A key that is not RSA, or a malformed signature, is simply `false`.
pub fn rsa_signature_is_valid(
    key: &SubjectPublicKeyInfoOwned,
    digest: DigestAlgorithm,
    message: &[u8],
    signature: &[u8],
) -> bool {
    let Ok(key_der) = key.to_der() else { return false };
    let Ok(signature) = Signature::try_from(signature) else { return false };
    match digest {
        DigestAlgorithm::Sha1 => verify::<Sha1>(&key_der, message, &signature),
        DigestAlgorithm::Sha256 => verify::<Sha256>(&key_der, message, &signature),
        DigestAlgorithm::Sha384 => verify::<Sha384>(&key_der, message, &signature),
        DigestAlgorithm::Sha512 => verify::<Sha512>(&key_der, message, &signature),
    }
}

/// Checks a signature whose algorithm is a `sha*WithRSAEncryption` identifier (X.509, CRL, OCSP, PKCS#10).
/// `Ok(false)` for a signature that does not verify; `Err` with the identifier when it is not supported.
pub fn rsa_signature_with_algorithm_is_valid(
    key: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, ObjectIdentifier> {
    let digest = DigestAlgorithm::from_rsa_signature_oid(&algorithm.oid).ok_or(algorithm.oid)?;
    Ok(rsa_signature_is_valid(key, digest, message, signature))
}

fn verify<D>(key_der: &[u8], message: &[u8], signature: &Signature) -> bool
where
    D: Digest + const_oid::AssociatedOid,
    VerifyingKey<D>: DecodePublicKey,
{
    VerifyingKey::<D>::from_public_key_der(key_der).is_ok_and(|key| key.verify(message, signature).is_ok())
}
