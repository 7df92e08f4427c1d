//! What a key store holds once opened: entries (a private key with its certificate, or a lone
//! certificate with an alias) and the other certificates (usually the chain).

use der::{Decode, Encode};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use x509_cert::Certificate;
use zeroize::Zeroizing;

use super::Pkcs12Error;
use super::attributes::BagAttributes;
use crate::signer::SoftwareSigner;

/// The contents of a PKCS#12 key store.
#[derive(Clone, Debug, Default)]
pub struct KeyStore {
    /// Private keys with their certificates, and certificates stored under an alias.
    pub entries: Vec<Entry>,
    /// Certificates that belong to no entry (typically the issuing chain).
    pub extra_certificates: Vec<Certificate>,
}

/// One entry: a private key and/or a certificate, with the alias and key id that tie them together.
#[derive(Clone, Default)]
pub struct Entry {
    /// The `friendlyName` (NCA uses the certificate's SKI in lowercase hex).
    pub alias: Option<String>,
    /// The `localKeyId` pairing the key bag with the certificate bag.
    pub local_key_id: Option<Vec<u8>>,
    /// The certificate of the key.
    pub certificate: Option<Certificate>,
    private_key: Option<Zeroizing<Vec<u8>>>,
}

impl Entry {
    /// An entry for a PKCS#8 (DER) private key and its certificate.
    pub fn new(
        alias: Option<String>,
        certificate: Option<Certificate>,
        pkcs8_der: Zeroizing<Vec<u8>>,
    ) -> Self {
        Self { alias, local_key_id: None, certificate, private_key: Some(pkcs8_der) }
    }

    /// An entry for a software RSA key and its certificate.
    pub fn from_signer(
        alias: Option<String>,
        certificate: Option<Certificate>,
        signer: &SoftwareSigner,
    ) -> Result<Self, Pkcs12Error> {
        let document = signer.private_key().to_pkcs8_der().map_err(|_| Pkcs12Error::UnusableKey)?;
        Ok(Self::new(alias, certificate, Zeroizing::new(document.as_bytes().to_vec())))
    }

    /// True when the entry holds a private key.
    pub fn has_private_key(&self) -> bool {
        self.private_key.is_some()
    }

    /// The private key as PKCS#8 `PrivateKeyInfo` DER.
    pub fn private_key_pkcs8(&self) -> Option<&[u8]> {
        self.private_key.as_ref().map(|key| key.as_slice())
    }

    /// A signer for the entry's RSA private key (SHA-256 with PKCS#1 v1.5).
    pub fn signer(&self) -> Result<SoftwareSigner, Pkcs12Error> {
        let der = self.private_key_pkcs8().ok_or(Pkcs12Error::NoPrivateKey)?;
        let key = rsa::PrivateKey::from_pkcs8_der(der).map_err(|_| Pkcs12Error::UnusableKey)?;
        SoftwareSigner::new(key).map_err(|_| Pkcs12Error::UnusableKey)
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("alias", &self.alias)
            .field("local_key_id", &self.local_key_id.as_deref().map(hex::encode))
            .field(
                "certificate",
                &self.certificate.as_ref().map(|c| c.tbs_certificate().subject().to_string()),
            )
            .field("has_private_key", &self.has_private_key())
            .finish()
    }
}

/// A bag as read, before keys and certificates are paired.
pub(crate) enum Item {
    /// A private key (PKCS#8 DER).
    Key(Zeroizing<Vec<u8>>, BagAttributes),
    /// A certificate.
    Certificate(Box<Certificate>, BagAttributes),
}

/// Pairs keys with certificates: by `localKeyId`, else by public key. Certificates left over become
/// entries when they carry an alias or key id (Java's trusted certificates), extra certificates otherwise.
pub(crate) fn assemble(items: Vec<Item>) -> KeyStore {
    let mut keys = Vec::new();
    let mut certificates = Vec::new();
    for item in items {
        match item {
            Item::Key(key, attributes) => keys.push((key, attributes)),
            Item::Certificate(cert, attributes) => certificates.push(Some((*cert, attributes))),
        }
    }
    let mut store = KeyStore::default();
    for (key, attributes) in keys {
        let matched = take_matching(&mut certificates, &key, &attributes);
        let alias =
            attributes.friendly_name.or_else(|| matched.as_ref().and_then(|(_, a)| a.friendly_name.clone()));
        store.entries.push(Entry {
            alias,
            local_key_id: attributes.local_key_id,
            certificate: matched.map(|(cert, _)| cert),
            private_key: Some(key),
        });
    }
    for (cert, attributes) in certificates.into_iter().flatten() {
        if attributes.friendly_name.is_some() || attributes.local_key_id.is_some() {
            store.entries.push(Entry {
                alias: attributes.friendly_name,
                local_key_id: attributes.local_key_id,
                certificate: Some(cert),
                private_key: None,
            });
        } else {
            store.extra_certificates.push(cert);
        }
    }
    store
}

type Slot = Option<(Certificate, BagAttributes)>;

fn take_matching(certificates: &mut [Slot], key: &[u8], attributes: &BagAttributes) -> Slot {
    if let Some(id) = &attributes.local_key_id {
        let same_id =
            |slot: &&mut Slot| slot.as_ref().is_some_and(|(_, a)| a.local_key_id.as_ref() == Some(id));
        if let Some(slot) = certificates.iter_mut().find(same_id) {
            return slot.take();
        }
    }
    let public = public_key_der(key)?;
    certificates
        .iter_mut()
        .find(|slot| {
            slot.as_ref().is_some_and(|(cert, _)| {
                cert.tbs_certificate().subject_public_key_info().to_der().ok().as_deref() == Some(&public[..])
            })
        })
        .and_then(Option::take)
}

/// The SubjectPublicKeyInfo DER of an RSA PKCS#8 key (other key types: `None`).
pub(crate) fn public_key_der(pkcs8: &[u8]) -> Option<Vec<u8>> {
    let key = rsa::PrivateKey::from_pkcs8_der(pkcs8).ok()?;
    let der = key.to_public_key().to_public_key_der().ok()?;
    spki::SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).ok()?.to_der().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NCA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/nca-test/personal-active/");

    fn nca_entry(name: &str) -> Entry {
        let bytes = std::fs::read(format!("{NCA}{name}")).expect("NCA vector");
        super::super::read(&bytes, "Qwerty12").expect("opens").entries.remove(0)
    }

    fn key_of(entry: &Entry) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(entry.private_key_pkcs8().expect("key").to_vec())
    }

    #[test]
    fn pairs_by_public_key_without_key_ids_and_keeps_the_rest_apart() {
        let sign = nca_entry("RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12");
        let auth = nca_entry("AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12");
        let named = BagAttributes { friendly_name: Some("trusted".into()), local_key_id: None };
        let store = assemble(vec![
            Item::Certificate(Box::new(auth.certificate.clone().expect("cert")), BagAttributes::default()),
            Item::Certificate(Box::new(sign.certificate.clone().expect("cert")), BagAttributes::default()),
            Item::Certificate(Box::new(auth.certificate.clone().expect("cert")), named),
            Item::Key(key_of(&sign), BagAttributes::default()),
        ]);
        assert_eq!(store.entries.len(), 2);
        assert_eq!(store.entries[0].certificate, sign.certificate);
        assert!(store.entries[0].has_private_key());
        assert_eq!(store.entries[1].alias.as_deref(), Some("trusted"));
        assert!(!store.entries[1].has_private_key());
        assert_eq!(store.extra_certificates, vec![auth.certificate.clone().expect("cert")]);
    }

    #[test]
    fn prefers_the_local_key_id_over_the_public_key() {
        let sign = nca_entry("RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12");
        let auth = nca_entry("AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12");
        let id = BagAttributes { friendly_name: None, local_key_id: Some(vec![9]) };
        let store = assemble(vec![
            Item::Certificate(Box::new(sign.certificate.clone().expect("cert")), BagAttributes::default()),
            Item::Certificate(Box::new(auth.certificate.clone().expect("cert")), id.clone()),
            Item::Key(key_of(&sign), id),
        ]);
        assert_eq!(store.entries[0].certificate, auth.certificate);
    }

    #[test]
    fn keeps_keys_out_of_debug_output_and_refuses_to_sign_without_one() {
        let sign = nca_entry("RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12");
        let text = format!("{sign:?}");
        assert!(text.contains("has_private_key: true"));
        let key_hex = hex::encode(sign.private_key_pkcs8().expect("key"));
        assert!(!text.contains(&key_hex[..40]));
        let bare = Entry { private_key: None, ..sign };
        assert!(matches!(bare.signer(), Err(Pkcs12Error::NoPrivateKey)));
    }
}
