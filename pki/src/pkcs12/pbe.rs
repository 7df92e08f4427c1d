//! Password-based encryption of bags and safes: the PKCS#12 PBE schemes (RFC 7292 Appendix C, keys
//! from `pkcs12::kdf`, ciphers from `des`/`rc2` in CBC mode) and PBES2 (RFC 8018, through `pkcs5`).
//!
//! The PKCS#12 KDF takes the password as a NUL-terminated BMPString; PBES2 takes its UTF-8 bytes.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{
    BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyInit,
};
use const_oid::ObjectIdentifier;
use der::{Decode, Encode};
use pkcs12::kdf::{Pkcs12KeyType, derive_key_utf8};
use pkcs12::pbe_params::Pkcs12PbeParams;
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::Pkcs12Error;

/// Highest iteration count accepted from a file: beyond it, opening would hang the caller.
///
/// Producers use far less (OpenSSL 2 048, Java 17 10 000, OWASP's PBKDF2 advice 600 000). At 10 million,
/// one crafted file took seconds per KDF call and a reader makes several (MAC, key and IV per bag).
pub(crate) const MAX_ITERATIONS: u32 = 1_000_000;

/// The encryption schemes this module writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (OpenSSL 3 and Java 17 defaults).
    Pbes2Aes256,
    /// `pbeWithSHAAnd3-KeyTripleDES-CBC`.
    Sha1TripleDes,
    /// `pbeWithSHAAnd40BitRC2-CBC`.
    Sha1Rc2_40,
}

/// A PKCS#12 PBE cipher: which block cipher, its key length and RC2's effective key bits.
#[derive(Clone, Copy)]
enum Pkcs12Cipher {
    TripleDes3,
    TripleDes2,
    Rc2 { key_len: usize, effective_bits: usize },
}

impl Pkcs12Cipher {
    fn from_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC => Some(Self::TripleDes3),
            pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC => Some(Self::TripleDes2),
            pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC => {
                Some(Self::Rc2 { key_len: 16, effective_bits: 128 })
            }
            pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC => {
                Some(Self::Rc2 { key_len: 5, effective_bits: 40 })
            }
            _ => None,
        }
    }

    fn key_len(self) -> usize {
        match self {
            Self::TripleDes3 => 24,
            Self::TripleDes2 => 16,
            Self::Rc2 { key_len, .. } => key_len,
        }
    }
}

/// Decrypts `ciphertext` as `algorithm` says. A padding failure (the usual sign of a wrong password)
/// is [`Pkcs12Error::WrongPassword`].
pub(crate) fn decrypt(
    algorithm: &AlgorithmIdentifierOwned,
    password: &str,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    if let Some(cipher) = Pkcs12Cipher::from_oid(algorithm.oid) {
        let params = pkcs12_params(algorithm)?;
        let (key, iv) = derive_key_iv(password, &params, cipher.key_len())?;
        return pkcs12_decrypt(cipher, &key, &iv, ciphertext);
    }
    if algorithm.oid == pkcs5::pbes2::PBES2_OID {
        return pbes2_decrypt(algorithm, password, ciphertext);
    }
    Err(Pkcs12Error::UnsupportedAlgorithm(algorithm.oid))
}

/// Encrypts `plaintext` with `scheme`, fresh random salt and IV, returning the algorithm identifier
/// to store beside the ciphertext.
pub(crate) fn encrypt(
    scheme: Scheme,
    password: &str,
    iterations: u32,
    plaintext: &[u8],
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Pkcs12Error> {
    match scheme {
        Scheme::Pbes2Aes256 => pbes2_encrypt(password, iterations, plaintext),
        Scheme::Sha1TripleDes => pkcs12_encrypt(
            pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC,
            password,
            iterations,
            plaintext,
        ),
        Scheme::Sha1Rc2_40 => {
            pkcs12_encrypt(pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC, password, iterations, plaintext)
        }
    }
}

/// Fills a buffer from the system random generator.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], Pkcs12Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| Pkcs12Error::Random)?;
    Ok(bytes)
}

fn pkcs12_params(algorithm: &AlgorithmIdentifierOwned) -> Result<Pkcs12PbeParams, Pkcs12Error> {
    let any = algorithm
        .parameters
        .as_ref()
        .ok_or_else(|| Pkcs12Error::Malformed("PBE parameters missing".into()))?;
    let params: Pkcs12PbeParams = super::asn1::decode_any(any)?;
    check_iterations(params.iterations)?;
    Ok(params)
}

/// Rejects iteration counts below 1 or above [`MAX_ITERATIONS`].
pub(crate) fn check_iterations(iterations: i32) -> Result<(), Pkcs12Error> {
    match u32::try_from(iterations) {
        Ok(n) if (1..=MAX_ITERATIONS).contains(&n) => Ok(()),
        _ => Err(Pkcs12Error::Malformed(format!("iteration count {iterations} out of range"))),
    }
}

type Secret = Zeroizing<Vec<u8>>;

fn derive_key_iv(
    password: &str,
    params: &Pkcs12PbeParams,
    key_len: usize,
) -> Result<(Secret, Secret), Pkcs12Error> {
    let salt = params.salt.as_bytes();
    let derive = |kind, len| {
        derive_key_utf8::<sha1::Sha1>(password, salt, kind, params.iterations, len)
            .map(Zeroizing::new)
            .map_err(|_| Pkcs12Error::PasswordNotBmp)
    };
    Ok((derive(Pkcs12KeyType::EncryptionKey, key_len)?, derive(Pkcs12KeyType::Iv, 8)?))
}

fn pkcs12_decrypt(
    cipher: Pkcs12Cipher,
    key: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
) -> Result<Secret, Pkcs12Error> {
    let plain = match cipher {
        Pkcs12Cipher::TripleDes3 => cbc_decrypt(des::TdesEde3::new_from_slice(key), iv, ciphertext),
        Pkcs12Cipher::TripleDes2 => cbc_decrypt(des::TdesEde2::new_from_slice(key), iv, ciphertext),
        Pkcs12Cipher::Rc2 { effective_bits, .. } => {
            cbc_decrypt(Ok::<_, ()>(rc2::Rc2::new_with_eff_key_len(key, effective_bits)), iv, ciphertext)
        }
    };
    plain.map(Zeroizing::new)
}

fn cbc_decrypt<C: BlockCipherDecrypt>(
    cipher: Result<C, impl Sized>,
    iv: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, Pkcs12Error> {
    let cipher = cipher.map_err(|_| Pkcs12Error::Malformed("bad cipher key length".into()))?;
    let mode = cbc::Decryptor::inner_iv_slice_init(cipher, iv)
        .map_err(|_| Pkcs12Error::Malformed("bad IV length".into()))?;
    mode.decrypt_padded_vec::<Pkcs7>(ciphertext).map_err(|_| Pkcs12Error::WrongPassword)
}

fn cbc_encrypt<C: BlockCipherEncrypt>(
    cipher: Result<C, impl Sized>,
    iv: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, Pkcs12Error> {
    let cipher = cipher.map_err(|_| Pkcs12Error::Encode("bad cipher key length".into()))?;
    let mode = cbc::Encryptor::inner_iv_slice_init(cipher, iv)
        .map_err(|_| Pkcs12Error::Encode("bad IV length".into()))?;
    Ok(mode.encrypt_padded_vec::<Pkcs7>(plaintext))
}

fn pkcs12_encrypt(
    oid: ObjectIdentifier,
    password: &str,
    iterations: u32,
    plaintext: &[u8],
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Pkcs12Error> {
    let cipher = Pkcs12Cipher::from_oid(oid).ok_or(Pkcs12Error::UnsupportedAlgorithm(oid))?;
    let iterations =
        i32::try_from(iterations).map_err(|_| Pkcs12Error::Encode("iteration count too large".into()))?;
    let salt = der::asn1::OctetString::new(random::<8>()?.to_vec()).map_err(Pkcs12Error::encoding)?;
    let params = Pkcs12PbeParams { salt, iterations };
    let (key, iv) = derive_key_iv(password, &params, cipher.key_len())?;
    let ciphertext = match cipher {
        Pkcs12Cipher::TripleDes3 => cbc_encrypt(des::TdesEde3::new_from_slice(&key), &iv, plaintext)?,
        Pkcs12Cipher::TripleDes2 => cbc_encrypt(des::TdesEde2::new_from_slice(&key), &iv, plaintext)?,
        Pkcs12Cipher::Rc2 { effective_bits, .. } => {
            cbc_encrypt(Ok::<_, ()>(rc2::Rc2::new_with_eff_key_len(&key, effective_bits)), &iv, plaintext)?
        }
    };
    let parameters = der::Any::encode_from(&params).map_err(Pkcs12Error::encoding)?;
    Ok((AlgorithmIdentifierOwned { oid, parameters: Some(parameters) }, ciphertext))
}

fn pbes2_scheme(algorithm: &AlgorithmIdentifierOwned) -> Result<pkcs5::EncryptionScheme, Pkcs12Error> {
    let der = algorithm.to_der().map_err(Pkcs12Error::encoding)?;
    let scheme =
        pkcs5::EncryptionScheme::from_der(&der).map_err(|e| Pkcs12Error::Malformed(e.to_string()))?;
    // scrypt's memory is 128·r·N bytes, all chosen by the file: a few bytes can ask for a terabyte.
    // No PKCS#12 producer we read (NCA, OpenSSL, Java) uses it, so it is refused outright.
    if let Some(pkcs5::pbes2::Kdf::Scrypt(_)) = scheme.pbes2().map(|params| &params.kdf) {
        return Err(Pkcs12Error::UnsupportedAlgorithm(pkcs5::pbes2::SCRYPT_OID));
    }
    let iterations = scheme.pbes2().and_then(|params| params.kdf.pbkdf2()).map(|p| p.iteration_count);
    match iterations {
        Some(n) if n > MAX_ITERATIONS => {
            Err(Pkcs12Error::Malformed(format!("iteration count {n} out of range")))
        }
        _ => Ok(scheme),
    }
}

fn pbes2_decrypt(
    algorithm: &AlgorithmIdentifierOwned,
    password: &str,
    ciphertext: &[u8],
) -> Result<Secret, Pkcs12Error> {
    let scheme = pbes2_scheme(algorithm)?;
    match scheme.decrypt(password.as_bytes(), ciphertext) {
        Ok(plain) => Ok(Zeroizing::new(plain)),
        Err(pkcs5::Error::DecryptFailed) => Err(Pkcs12Error::WrongPassword),
        Err(pkcs5::Error::UnsupportedAlgorithm { oid }) => Err(Pkcs12Error::UnsupportedAlgorithm(oid)),
        Err(other) => Err(Pkcs12Error::Malformed(other.to_string())),
    }
}

fn pbes2_encrypt(
    password: &str,
    iterations: u32,
    plaintext: &[u8],
) -> Result<(AlgorithmIdentifierOwned, Vec<u8>), Pkcs12Error> {
    let params = pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
        iterations,
        &random::<16>()?,
        random::<16>()?,
    )
    .map_err(|e| Pkcs12Error::Encode(e.to_string()))?;
    let ciphertext =
        params.encrypt(password.as_bytes(), plaintext).map_err(|e| Pkcs12Error::Encode(e.to_string()))?;
    let der = pkcs5::EncryptionScheme::Pbes2(params).to_der().map_err(Pkcs12Error::encoding)?;
    let algorithm = AlgorithmIdentifierOwned::from_der(&der).map_err(Pkcs12Error::encoding)?;
    Ok((algorithm, ciphertext))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMES: [Scheme; 3] = [Scheme::Pbes2Aes256, Scheme::Sha1TripleDes, Scheme::Sha1Rc2_40];

    #[test]
    fn decrypts_what_it_encrypts_with_every_scheme() {
        for scheme in SCHEMES {
            let (algorithm, ciphertext) = encrypt(scheme, "пароль", 16, b"key material").expect("encrypt");
            assert_ne!(ciphertext.as_slice(), b"key material");
            let plain = decrypt(&algorithm, "пароль", &ciphertext).expect("decrypt");
            assert_eq!(plain.as_slice(), b"key material", "{scheme:?}");
        }
    }

    #[test]
    fn uses_fresh_salt_and_iv_each_time() {
        for scheme in SCHEMES {
            let first = encrypt(scheme, "p", 16, b"same").expect("encrypt");
            let second = encrypt(scheme, "p", 16, b"same").expect("encrypt");
            assert_ne!(first, second, "{scheme:?}");
        }
    }

    #[test]
    fn rejects_a_wrong_password_or_damaged_ciphertext() {
        for scheme in SCHEMES {
            // A wrong key yields valid padding about once in 256 salts: try a few fresh encryptions.
            let mut refused = 0;
            for _ in 0..4 {
                let (algorithm, ciphertext) = encrypt(scheme, "right", 16, &[7u8; 40]).expect("encrypt");
                match decrypt(&algorithm, "wrong", &ciphertext) {
                    Err(Pkcs12Error::WrongPassword) => refused += 1,
                    Ok(plain) => assert_ne!(plain.as_slice(), &[7u8; 40], "{scheme:?}"),
                    Err(other) => panic!("{scheme:?}: {other}"),
                }
                assert!(decrypt(&algorithm, "right", &ciphertext[..ciphertext.len() - 1]).is_err());
            }
            assert!(refused > 0, "{scheme:?}");
        }
    }

    #[test]
    fn rejects_unknown_algorithms_and_absurd_iteration_counts() {
        let rc4 =
            AlgorithmIdentifierOwned { oid: pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC4, parameters: None };
        assert!(matches!(decrypt(&rc4, "p", &[0; 16]), Err(Pkcs12Error::UnsupportedAlgorithm(_))));
        assert!(check_iterations(0).is_err());
        assert!(check_iterations(-5).is_err());
        assert!(check_iterations(i32::MAX).is_err());
        assert!(check_iterations(2048).is_ok());
    }

    #[test]
    fn refuses_scrypt_instead_of_allocating_what_it_asks() {
        // N = 2^30, r = 8: 1 TiB of scrypt memory, from 60 bytes of parameters.
        let kdf = pkcs5::pbes2::ScryptParams {
            salt: pkcs5::pbes2::Salt::new([1u8; 16]).expect("salt"),
            cost_parameter: 1 << 30,
            block_size: 8,
            parallelization: 1,
            key_length: None,
        };
        let params = pkcs5::pbes2::Parameters {
            kdf: pkcs5::pbes2::Kdf::Scrypt(kdf),
            encryption: pkcs5::pbes2::EncryptionScheme::Aes256Cbc { iv: [0; 16] },
        };
        let der = pkcs5::EncryptionScheme::Pbes2(params).to_der().expect("encode");
        let algorithm = AlgorithmIdentifierOwned::from_der(&der).expect("decode");
        assert!(matches!(
            decrypt(&algorithm, "p", &[0; 32]),
            Err(Pkcs12Error::UnsupportedAlgorithm(oid)) if oid == pkcs5::pbes2::SCRYPT_OID
        ));
    }

    #[test]
    fn accepts_one_million_iterations_and_no_more() {
        assert!(check_iterations(1_000_000).is_ok());
        assert!(matches!(check_iterations(1_000_001), Err(Pkcs12Error::Malformed(_))));
        assert!(matches!(check_iterations(10_000_000), Err(Pkcs12Error::Malformed(_))));
    }
}
