//! The two bag attributes key stores use: `friendlyName` (the alias) and `localKeyId` (pairs a key
//! with its certificate). RFC 7292 Section 4.2 and PKCS#9.

use const_oid::ObjectIdentifier;
use const_oid::db::rfc2985::{
    PKCS_9_AT_FRIENDLY_NAME as ID_AA_FRIENDLY_NAME, PKCS_9_AT_LOCAL_KEY_ID as ID_AA_LOCAL_KEY_ID,
};
use der::Any;
use der::asn1::{BmpString, OctetString, SetOfVec};
use x509_cert::attr::{Attribute, Attributes};

use super::Pkcs12Error;
use super::asn1::decode_any;

/// The attributes of one bag, as far as we read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BagAttributes {
    /// `friendlyName`.
    pub friendly_name: Option<String>,
    /// `localKeyId`.
    pub local_key_id: Option<Vec<u8>>,
}

impl BagAttributes {
    /// Reads `friendlyName` and `localKeyId`; other attributes are ignored, malformed ones too.
    pub fn from_attributes(attributes: Option<&Attributes>) -> Self {
        let mut out = Self::default();
        for attribute in attributes.into_iter().flat_map(|set| set.iter()) {
            let Some(value) = attribute.values.iter().next() else { continue };
            match attribute.oid {
                ID_AA_FRIENDLY_NAME => {
                    out.friendly_name = decode_any::<BmpString>(value).ok().map(|s| s.chars().collect());
                }
                ID_AA_LOCAL_KEY_ID => {
                    out.local_key_id =
                        decode_any::<OctetString>(value).ok().map(|s| s.into_bytes().into_vec());
                }
                _ => {}
            }
        }
        out
    }

    /// Encodes the attributes present, or `None` when there are none.
    pub fn to_attributes(&self) -> Result<Option<Attributes>, Pkcs12Error> {
        let mut set = SetOfVec::new();
        if let Some(name) = &self.friendly_name {
            let value = BmpString::from_utf8(name).map_err(Pkcs12Error::encoding)?;
            set.insert(attribute(ID_AA_FRIENDLY_NAME, Any::encode_from(&value))?)
                .map_err(Pkcs12Error::encoding)?;
        }
        if let Some(id) = &self.local_key_id {
            let value = OctetString::new(id.clone()).map_err(Pkcs12Error::encoding)?;
            set.insert(attribute(ID_AA_LOCAL_KEY_ID, Any::encode_from(&value))?)
                .map_err(Pkcs12Error::encoding)?;
        }
        Ok(if set.is_empty() { None } else { Some(set) })
    }
}

fn attribute(oid: ObjectIdentifier, value: der::Result<Any>) -> Result<Attribute, Pkcs12Error> {
    let mut values = SetOfVec::new();
    values.insert(value.map_err(Pkcs12Error::encoding)?).map_err(Pkcs12Error::encoding)?;
    Ok(Attribute { oid, values })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_the_attributes_it_writes() {
        let attributes = BagAttributes {
            friendly_name: Some("Қолтаңба".into()),
            local_key_id: Some(vec![1, 2, 3]),
        };
        let encoded = attributes.to_attributes().expect("encode");
        assert_eq!(BagAttributes::from_attributes(encoded.as_ref()), attributes);
        assert_eq!(BagAttributes::default().to_attributes().expect("encode"), None);
    }
}
