//! Writing a key store, in the modern (OpenSSL 3 / Java 17) or the legacy (NCA, `openssl -legacy`) format.
//!
//! Layout, as OpenSSL writes it: an `encryptedData` safe with the certificate bags (entry certificates
//! with their alias and key id, then the extra certificates), and a `data` safe with one
//! `pkcs8ShroudedKeyBag` per private key.

use cms::content_info::{CmsVersion, ContentInfo};
use cms::encrypted_data::EncryptedData;
use cms::enveloped_data::EncryptedContentInfo;
use const_oid::db::rfc5911::{ID_DATA, ID_ENCRYPTED_DATA};
use der::asn1::OctetString;
use der::{Any, Encode};
use pkcs12::pbe_params::EncryptedPrivateKeyInfo;
use pkcs12::pfx::Version;
use pkcs12::{CertBag, Pfx, SafeBag};
use sha1::Digest;
use x509_cert::Certificate;
use x509_cert::ext::pkix::SubjectKeyIdentifier;

use super::attributes::BagAttributes;
use super::mac::{self, MacDigest};
use super::pbe::{self, Scheme};
use super::{Entry, KeyStore, Pkcs12Error};

/// Which algorithms a written key store uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for keys and certificates, HMAC-SHA-256 MAC:
    /// what OpenSSL 3 and Java 17 write.
    Modern,
    /// `pbeWithSHAAnd3-KeyTripleDES-CBC` for keys, `pbeWithSHAAnd40BitRC2-CBC` for certificates,
    /// HMAC-SHA-1 MAC: what NCA software and `openssl pkcs12 -legacy` read.
    Legacy,
}

/// Options for [`write`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WriteOptions {
    /// The algorithm family.
    pub format: Format,
    /// Iteration count of the key derivation for encryption and MAC.
    pub iterations: u32,
}

impl Default for WriteOptions {
    /// Modern format, 10 000 iterations (Java 17's count; OpenSSL 3 uses 2 048).
    fn default() -> Self {
        Self { format: Format::Modern, iterations: 10_000 }
    }
}

/// Writes `store` as a DER PKCS#12 file protected by `password`.
///
/// Each entry's alias becomes its `friendlyName`; its `localKeyId` is the entry's own, else the
/// certificate's SKI (as NCA does), else the SHA-1 of the certificate.
pub fn write(store: &KeyStore, password: &str, options: &WriteOptions) -> Result<Vec<u8>, Pkcs12Error> {
    if options.iterations == 0 || options.iterations > pbe::MAX_ITERATIONS {
        return Err(Pkcs12Error::Encode("iteration count out of range".into()));
    }
    let (key_scheme, cert_scheme, mac_digest) = match options.format {
        Format::Modern => (Scheme::Pbes2Aes256, Scheme::Pbes2Aes256, MacDigest::Sha256),
        Format::Legacy => (Scheme::Sha1TripleDes, Scheme::Sha1Rc2_40, MacDigest::Sha1),
    };
    let writer = Writer { password, iterations: options.iterations };
    let mut safes = Vec::new();
    let cert_bags = writer.cert_bags(store)?;
    if !cert_bags.is_empty() {
        safes.push(writer.encrypted_safe(&cert_bags, cert_scheme)?);
    }
    let key_bags = writer.key_bags(store, key_scheme)?;
    if !key_bags.is_empty() {
        safes.push(data_content_info(&key_bags.to_der().map_err(Pkcs12Error::encoding)?)?);
    }
    let auth_safe = safes.to_der().map_err(Pkcs12Error::encoding)?;
    let pfx = Pfx {
        version: Version::V3,
        auth_safe: data_content_info(&auth_safe)?,
        mac_data: Some(mac::compute(mac_digest, &auth_safe, password, options.iterations)?),
    };
    pfx.to_der().map_err(Pkcs12Error::encoding)
}

struct Writer<'p> {
    password: &'p str,
    iterations: u32,
}

impl Writer<'_> {
    fn cert_bags(&self, store: &KeyStore) -> Result<Vec<SafeBag>, Pkcs12Error> {
        let mut bags = Vec::new();
        for entry in &store.entries {
            if let Some(cert) = &entry.certificate {
                bags.push(cert_bag(cert, &attributes(entry)?)?);
            }
        }
        for cert in &store.extra_certificates {
            bags.push(cert_bag(cert, &BagAttributes::default())?);
        }
        Ok(bags)
    }

    fn key_bags(&self, store: &KeyStore, scheme: Scheme) -> Result<Vec<SafeBag>, Pkcs12Error> {
        let mut bags = Vec::new();
        for entry in &store.entries {
            let Some(key) = entry.private_key_pkcs8() else { continue };
            let (encryption_algorithm, ciphertext) =
                pbe::encrypt(scheme, self.password, self.iterations, key)?;
            let shrouded =
                EncryptedPrivateKeyInfo { encryption_algorithm, encrypted_data: octets(ciphertext)? };
            bags.push(SafeBag {
                bag_id: pkcs12::PKCS_12_PKCS8_KEY_BAG_OID,
                bag_value: shrouded.to_der().map_err(Pkcs12Error::encoding)?,
                bag_attributes: attributes(entry)?.to_attributes()?,
            });
        }
        Ok(bags)
    }

    fn encrypted_safe(&self, bags: &Vec<SafeBag>, scheme: Scheme) -> Result<ContentInfo, Pkcs12Error> {
        let plain = zeroize::Zeroizing::new(bags.to_der().map_err(Pkcs12Error::encoding)?);
        let (content_enc_alg, ciphertext) = pbe::encrypt(scheme, self.password, self.iterations, &plain)?;
        let data = EncryptedData {
            version: CmsVersion::V0,
            enc_content_info: EncryptedContentInfo {
                content_type: ID_DATA,
                content_enc_alg,
                encrypted_content: Some(octets(ciphertext)?),
            },
            unprotected_attrs: None,
        };
        let content = Any::encode_from(&data).map_err(Pkcs12Error::encoding)?;
        Ok(ContentInfo { content_type: ID_ENCRYPTED_DATA, content })
    }
}

/// `pkcs12::SafeBag` encodes `bag_value` as the *inner* DER and adds the `[0] EXPLICIT` wrapper itself.
fn cert_bag(cert: &Certificate, attributes: &BagAttributes) -> Result<SafeBag, Pkcs12Error> {
    let der = cert.to_der().map_err(Pkcs12Error::encoding)?;
    let bag = CertBag { cert_id: pkcs12::PKCS_12_X509_CERT_OID, cert_value: octets(der)? };
    Ok(SafeBag {
        bag_id: pkcs12::PKCS_12_CERT_BAG_OID,
        bag_value: bag.to_der().map_err(Pkcs12Error::encoding)?,
        bag_attributes: attributes.to_attributes()?,
    })
}

fn attributes(entry: &Entry) -> Result<BagAttributes, Pkcs12Error> {
    let local_key_id = match (&entry.local_key_id, &entry.certificate) {
        (Some(id), _) => Some(id.clone()),
        (None, Some(cert)) => Some(default_key_id(cert)?),
        (None, None) => None,
    };
    Ok(BagAttributes { friendly_name: entry.alias.clone(), local_key_id })
}

/// The certificate's SKI when present (NCA's choice), else the SHA-1 of its DER (OpenSSL's).
fn default_key_id(cert: &Certificate) -> Result<Vec<u8>, Pkcs12Error> {
    if let Ok(Some((_, ski))) = cert.tbs_certificate().get_extension::<SubjectKeyIdentifier>() {
        return Ok(ski.0.into_bytes().into_vec());
    }
    let der = cert.to_der().map_err(Pkcs12Error::encoding)?;
    Ok(sha1::Sha1::digest(&der).to_vec())
}

fn data_content_info(bytes: &[u8]) -> Result<ContentInfo, Pkcs12Error> {
    let content = Any::encode_from(&octets(bytes.to_vec())?).map_err(Pkcs12Error::encoding)?;
    Ok(ContentInfo { content_type: ID_DATA, content })
}

fn octets(bytes: Vec<u8>) -> Result<OctetString, Pkcs12Error> {
    OctetString::new(bytes).map_err(Pkcs12Error::encoding)
}
