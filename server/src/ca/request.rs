//! Accepting a certificate request: proof of possession and the key, nothing else. The requested
//! subject and extensions are ignored; the CA writes its own from the registry and the profile.

use qoltanba_pki::csr::{self, CsrError};
use qoltanba_pki::key::{DEFAULT_RSA_BITS, MAX_RSA_BITS};
use qoltanba_pki::oid::RSA_ENCRYPTION;
use qoltanba_pki::x509::der::Decode;
use qoltanba_pki::x509::der::asn1::Uint;
use qoltanba_pki::x509::request::CertReq;
use qoltanba_pki::x509::spki::SubjectPublicKeyInfoOwned;

use super::CaError;

/// The only RSA public exponent we accept (as Boulder's key policy does).
const EXPONENT: [u8; 3] = [0x01, 0x00, 0x01];

/// The public key of a well-formed, self-signed request with an acceptable RSA key.
pub(crate) fn accepted_key(der: &[u8], purpose: &'static str) -> Result<SubjectPublicKeyInfoOwned, CaError> {
    let request = CertReq::from_der(der).map_err(|_| CaError::MalformedRequest { purpose })?;
    check_key(&request.info.public_key, purpose)?;
    match csr::verify(der) {
        Ok(verified) => Ok(verified.public_key),
        Err(CsrError::Malformed(_)) => Err(CaError::MalformedRequest { purpose }),
        Err(_) => Err(CaError::BadProofOfPossession { purpose }),
    }
}

/// RSA, 2048 to 4096 bits, exponent 65537.
pub(crate) fn check_key(spki: &SubjectPublicKeyInfoOwned, purpose: &'static str) -> Result<(), CaError> {
    if spki.algorithm.oid != RSA_ENCRYPTION {
        return Err(CaError::NotRsa { purpose });
    }
    let (bits, exponent) = rsa_parameters(spki).ok_or(CaError::NotRsa { purpose })?;
    if !(DEFAULT_RSA_BITS..=MAX_RSA_BITS).contains(&bits) || exponent != EXPONENT {
        return Err(CaError::WeakKey { purpose, bits });
    }
    Ok(())
}

/// The modulus size in bits and the public exponent's bytes of an RSA SubjectPublicKeyInfo.
/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }` decodes as a SEQUENCE OF
/// two unsigned INTEGERs.
pub(crate) fn rsa_parameters(spki: &SubjectPublicKeyInfoOwned) -> Option<(usize, Vec<u8>)> {
    let bytes = spki.subject_public_key.as_bytes()?;
    let integers = Vec::<Uint>::from_der(bytes).ok()?;
    let [modulus, exponent] = integers.as_slice() else { return None };
    let modulus = modulus.as_bytes();
    let first = modulus.first()?;
    let bits = modulus.len() * 8 - first.leading_zeros() as usize;
    Some((bits, exponent.as_bytes().to_vec()))
}
