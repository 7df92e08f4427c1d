//! The password-integrity MAC of a PFX (RFC 7292 Section 5): HMAC keyed by the PKCS#12 KDF
//! (ID 3) with the same digest, over the contents of the authenticated safe.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{ID_SHA_1, ID_SHA_224, ID_SHA_256, ID_SHA_384, ID_SHA_512};
use der::asn1::{Null, OctetString};
use hmac::{EagerHash, Hmac, KeyInit, Mac};
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use pkcs12::{DigestInfo, MacData};
use sha2::digest::block_api::BlockSizeUser;
use sha2::digest::{Digest, FixedOutputReset};
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::Pkcs12Error;

/// The digest a MAC is made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MacDigest {
    /// SHA-1: NCA files and `openssl pkcs12 -legacy`.
    Sha1,
    /// SHA-256: OpenSSL 3 and Java 17 defaults.
    Sha256,
}

/// True when `mac_data` authenticates `content` under `password`.
pub(crate) fn verify(mac_data: &MacData, content: &[u8], password: &str) -> Result<bool, Pkcs12Error> {
    super::pbe::check_iterations(mac_data.iterations)?;
    let salt = mac_data.mac_salt.as_bytes();
    let expected = mac_data.mac.digest.as_bytes();
    let iterations = mac_data.iterations;
    match mac_data.mac.algorithm.oid {
        ID_SHA_1 => check::<sha1::Sha1>(password, salt, iterations, content, expected),
        ID_SHA_224 => check::<sha2::Sha224>(password, salt, iterations, content, expected),
        ID_SHA_256 => check::<sha2::Sha256>(password, salt, iterations, content, expected),
        ID_SHA_384 => check::<sha2::Sha384>(password, salt, iterations, content, expected),
        ID_SHA_512 => check::<sha2::Sha512>(password, salt, iterations, content, expected),
        other => Err(Pkcs12Error::UnsupportedAlgorithm(other)),
    }
}

/// Computes the `MacData` for `content` with a fresh random salt.
pub(crate) fn compute(
    digest: MacDigest,
    content: &[u8],
    password: &str,
    iterations: u32,
) -> Result<MacData, Pkcs12Error> {
    let iterations =
        i32::try_from(iterations).map_err(|_| Pkcs12Error::Encode("iteration count too large".into()))?;
    let salt = super::pbe::random::<16>()?;
    let (oid, tag) = match digest {
        MacDigest::Sha1 => (ID_SHA_1, tag::<sha1::Sha1>(password, &salt, iterations, content)?),
        MacDigest::Sha256 => (ID_SHA_256, tag::<sha2::Sha256>(password, &salt, iterations, content)?),
    };
    Ok(MacData {
        mac: DigestInfo { algorithm: digest_algorithm(oid), digest: octets(tag)? },
        mac_salt: octets(salt.to_vec())?,
        iterations,
    })
}

fn digest_algorithm(oid: ObjectIdentifier) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned { oid, parameters: Some(Null.into()) }
}

fn octets(bytes: Vec<u8>) -> Result<OctetString, Pkcs12Error> {
    OctetString::new(bytes).map_err(Pkcs12Error::encoding)
}

fn keyed<D>(password: &str, salt: &[u8], iterations: i32) -> Result<Hmac<D>, Pkcs12Error>
where
    D: Digest + FixedOutputReset + BlockSizeUser + EagerHash,
{
    let key_len = <D as Digest>::output_size();
    let key = derive_key_utf8::<D>(password, salt, Pkcs12KeyType::Mac, iterations, key_len)
        .map(Zeroizing::new)
        .map_err(|_| Pkcs12Error::PasswordNotBmp)?;
    <Hmac<D> as KeyInit>::new_from_slice(&key).map_err(|_| Pkcs12Error::Encode("bad MAC key length".into()))
}

fn check<D>(
    password: &str,
    salt: &[u8],
    iterations: i32,
    content: &[u8],
    expected: &[u8],
) -> Result<bool, Pkcs12Error>
where
    D: Digest + FixedOutputReset + BlockSizeUser + EagerHash,
{
    let mut mac = keyed::<D>(password, salt, iterations)?;
    mac.update(content);
    Ok(mac.verify_slice(expected).is_ok())
}

fn tag<D>(password: &str, salt: &[u8], iterations: i32, content: &[u8]) -> Result<Vec<u8>, Pkcs12Error>
where
    D: Digest + FixedOutputReset + BlockSizeUser + EagerHash,
{
    let mut mac = keyed::<D>(password, salt, iterations)?;
    mac.update(content);
    Ok(mac.finalize().into_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_its_own_mac_and_only_with_the_password() {
        for digest in [MacDigest::Sha1, MacDigest::Sha256] {
            let mac = compute(digest, b"content", "pw", 32).expect("compute");
            assert!(verify(&mac, b"content", "pw").expect("verify"));
            assert!(!verify(&mac, b"content", "pW").expect("verify"));
            assert!(!verify(&mac, b"c0ntent", "pw").expect("verify"));
        }
    }

    #[test]
    fn refuses_a_mac_over_a_million_iterations_before_deriving() {
        let mut mac = compute(MacDigest::Sha1, b"content", "pw", 1).expect("compute");
        mac.iterations = 10_000_000;
        assert!(matches!(verify(&mac, b"content", "pw"), Err(Pkcs12Error::Malformed(_))));
    }

    #[test]
    fn rejects_unknown_mac_digests() {
        let mut mac = compute(MacDigest::Sha1, b"content", "pw", 1).expect("compute");
        mac.mac.algorithm.oid = const_oid::db::rfc5912::ID_MD_5;
        assert!(matches!(verify(&mac, b"content", "pw"), Err(Pkcs12Error::UnsupportedAlgorithm(_))));
    }
}
