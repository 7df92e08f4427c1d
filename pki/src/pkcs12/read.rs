//! Opening a key store: BER or DER, any of the PBE schemes in [`super::pbe`], MAC checked first.

use cms::encrypted_data::EncryptedData;
use const_oid::db::rfc5911::{ID_DATA, ID_ENCRYPTED_DATA};
use der::{Any, Decode, Encode};
use pkcs12::pbe_params::EncryptedPrivateKeyInfo;
use pkcs12::safe_bag::{PrivateKeyInfo, SafeContents};
use pkcs12::{CertBag, Pfx, SafeBag};
use x509_cert::Certificate;
use zeroize::Zeroizing;

use super::asn1::{
    DataContentInfo, DataPfx, EncryptedContentInfo, decode_any, decode_ber, decode_explicit_0,
};
use super::attributes::BagAttributes;
use super::store::{Item, KeyStore, assemble};
use super::{Pkcs12Error, mac, pbe};

/// How deep `safeContentsBag`s may nest.
const MAX_NESTING: usize = 4;

/// Opens a PKCS#12 key store (DER or BER) with `password`.
///
/// The MAC is checked first. When it fails, the content is decrypted anyway to tell a wrong password
/// ([`Pkcs12Error::WrongPassword`]) from an altered file ([`Pkcs12Error::BadMac`]). A file without
/// MAC (`openssl pkcs12 -nomac`) is accepted; its password is then checked only by decryption.
pub fn read(der_or_ber: &[u8], password: &str) -> Result<KeyStore, Pkcs12Error> {
    let pfx: Pfx = decode_ber(der_or_ber)?;
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(Pkcs12Error::UnsupportedAlgorithm(pfx.auth_safe.content_type));
    }
    let pfx: DataPfx = decode_ber(der_or_ber)?;
    let content = pfx.auth_safe.content.as_bytes();
    let authentic = match &pfx.mac_data {
        Some(mac_data) => mac::verify(mac_data, content, password)?,
        None => true,
    };
    if !authentic {
        return Err(if password_decrypts(content, password) {
            Pkcs12Error::BadMac
        } else {
            Pkcs12Error::WrongPassword
        });
    }
    let mut reader = BagReader { password, items: Vec::new(), decrypted: 0, lenient: false };
    let infos: Vec<Any> = decode_ber(content)?;
    infos.iter().try_for_each(|info| reader.content_info(info))?;
    Ok(assemble(reader.items))
}

/// After a MAC failure: true when at least one encrypted item decrypts to something well-formed,
/// i.e. the password is right and the file was altered. Damaged items are skipped, not fatal.
fn password_decrypts(content: &[u8], password: &str) -> bool {
    let mut reader = BagReader { password, items: Vec::new(), decrypted: 0, lenient: true };
    if let Ok(infos) = decode_ber::<Vec<Any>>(content) {
        for info in &infos {
            let _ = reader.content_info(info);
        }
    }
    reader.decrypted > 0
}

struct BagReader<'p> {
    password: &'p str,
    items: Vec<Item>,
    /// Encrypted items that decrypted and parsed.
    decrypted: usize,
    /// Skip damaged bags instead of failing (used only to classify a MAC failure).
    lenient: bool,
}

impl BagReader<'_> {
    fn content_info(&mut self, info: &Any) -> Result<(), Pkcs12Error> {
        let head: cms::content_info::ContentInfo = decode_any(info)?;
        match head.content_type {
            ID_DATA => {
                let data: DataContentInfo = decode_any(info)?;
                self.safe_contents(data.content.as_bytes(), 0)
            }
            ID_ENCRYPTED_DATA => {
                let encrypted: EncryptedContentInfo = decode_any(info)?;
                let plain = self.encrypted_data(&encrypted.content)?;
                let bags: SafeContents = decode_ber(&plain)?;
                self.decrypted += 1;
                self.bags(&bags, 0)
            }
            other => Err(Pkcs12Error::UnsupportedAlgorithm(other)),
        }
    }

    fn encrypted_data(&mut self, data: &EncryptedData) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
        let info = &data.enc_content_info;
        let ciphertext = info
            .encrypted_content
            .as_ref()
            .ok_or_else(|| Pkcs12Error::Malformed("encryptedData without content".into()))?;
        pbe::decrypt(&info.content_enc_alg, self.password, ciphertext.as_bytes())
    }

    fn safe_contents(&mut self, bytes: &[u8], depth: usize) -> Result<(), Pkcs12Error> {
        let bags: SafeContents = decode_ber(bytes)?;
        self.bags(&bags, depth)
    }

    fn bags(&mut self, bags: &[SafeBag], depth: usize) -> Result<(), Pkcs12Error> {
        if depth > MAX_NESTING {
            return Err(Pkcs12Error::Malformed("safe contents nested too deeply".into()));
        }
        for bag in bags {
            match self.bag(bag, depth) {
                Err(_) if self.lenient => {}
                other => other?,
            }
        }
        Ok(())
    }

    fn bag(&mut self, bag: &SafeBag, depth: usize) -> Result<(), Pkcs12Error> {
        let attributes = BagAttributes::from_attributes(bag.bag_attributes.as_ref());
        match bag.bag_id {
            pkcs12::PKCS_12_PKCS8_KEY_BAG_OID => {
                let shrouded: EncryptedPrivateKeyInfo = decode_explicit_0(&bag.bag_value)?;
                let plain = pbe::decrypt(
                    &shrouded.encryption_algorithm,
                    self.password,
                    shrouded.encrypted_data.as_bytes(),
                )?;
                let key = private_key(&plain)?;
                self.decrypted += 1;
                self.items.push(Item::Key(key, attributes));
            }
            pkcs12::PKCS_12_KEY_BAG_OID => {
                let key: PrivateKeyInfo = decode_explicit_0(&bag.bag_value)?;
                let der = Zeroizing::new(key.to_der().map_err(Pkcs12Error::encoding)?);
                self.items.push(Item::Key(private_key(&der)?, attributes));
            }
            pkcs12::PKCS_12_CERT_BAG_OID => {
                if let Some(cert) = certificate(&bag.bag_value)? {
                    self.items.push(Item::Certificate(Box::new(cert), attributes));
                }
            }
            pkcs12::PKCS_12_SAFE_CONTENTS_BAG_OID => {
                let nested: SafeContents = decode_explicit_0(&bag.bag_value)?;
                self.bags(&nested, depth + 1)?;
            }
            // CRL and secret bags carry nothing an entry needs.
            _ => {}
        }
        Ok(())
    }
}

/// Checks a decrypted `PrivateKeyInfo` and returns it as DER (re-encoding BER when needed).
fn private_key(plain: &[u8]) -> Result<Zeroizing<Vec<u8>>, Pkcs12Error> {
    if pkcs8::PrivateKeyInfoRef::from_der(plain).is_ok() {
        return Ok(Zeroizing::new(plain.to_vec()));
    }
    let key: PrivateKeyInfo = decode_ber(plain)?;
    key.to_der().map(Zeroizing::new).map_err(Pkcs12Error::encoding)
}

/// An X.509 certificate from a cert bag; other certificate types (SDSI) are skipped.
fn certificate(bag_value: &[u8]) -> Result<Option<Certificate>, Pkcs12Error> {
    let bag: CertBag = decode_explicit_0(bag_value)?;
    if bag.cert_id != pkcs12::PKCS_12_X509_CERT_OID {
        return Ok(None);
    }
    let bytes = bag.cert_value.as_bytes();
    Certificate::from_der(bytes).or_else(|_| decode_ber(bytes)).map(Some)
}
