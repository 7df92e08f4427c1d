//! The ASN.1 shapes read from (possibly BER, indefinite-length) key stores, assembled from crate types.
//!
//! `cms::ContentInfo` keeps its content as `Any`, which loses the constructed bit of a BER
//! OCTET STRING; these typed variants let `der` reassemble constructed strings itself.

use cms::encrypted_data::EncryptedData;
use const_oid::ObjectIdentifier;
use der::asn1::{ContextSpecific, OctetString};
use der::{Any, Decode, EncodingRules, Reader, Sequence, SliceReader, TagNumber};

use pkcs12::MacData;
use pkcs12::pfx::Version;

use super::Pkcs12Error;

/// `PFX` in password-integrity mode: the authenticated safe is `data`.
#[derive(Sequence)]
pub(crate) struct DataPfx {
    pub version: Version,
    pub auth_safe: DataContentInfo,
    pub mac_data: Option<MacData>,
}

/// `ContentInfo` whose content is `data` (an OCTET STRING).
#[derive(Sequence)]
pub(crate) struct DataContentInfo {
    pub content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub content: OctetString,
}

/// `ContentInfo` whose content is `encryptedData`.
#[derive(Sequence)]
pub(crate) struct EncryptedContentInfo {
    pub content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    pub content: EncryptedData,
}

/// Decodes one complete value with BER rules (DER is a subset), mapping errors to [`Pkcs12Error`].
pub(crate) fn decode_ber<'a, T: Decode<'a, Error = der::Error>>(bytes: &'a [u8]) -> Result<T, Pkcs12Error> {
    T::from_ber(bytes).map_err(Pkcs12Error::decoding)
}

/// Decodes a value that was read as `Any` (its tag and contents) with BER rules.
pub(crate) fn decode_any<T>(any: &Any) -> Result<T, Pkcs12Error>
where
    T: for<'a> der::Choice<'a> + for<'a> der::DecodeValue<'a, Error = der::Error>,
{
    any.to_ref().decode_as_encoding(EncodingRules::Ber).map_err(Pkcs12Error::decoding)
}

/// Decodes a complete `[0] EXPLICIT` TLV (a SafeBag's `bagValue` as `pkcs12::SafeBag` reads it).
pub(crate) fn decode_explicit_0<T>(tlv: &[u8]) -> Result<T, Pkcs12Error>
where
    T: for<'a> Decode<'a, Error = der::Error>,
{
    let mut reader =
        SliceReader::new_with_encoding_rules(tlv, EncodingRules::Ber).map_err(Pkcs12Error::decoding)?;
    let value = ContextSpecific::<T>::decode_explicit(&mut reader, TagNumber(0))
        .map_err(Pkcs12Error::decoding)?
        .ok_or_else(|| Pkcs12Error::Malformed("bag value is not [0] EXPLICIT".into()))?;
    reader.finish().map_err(Pkcs12Error::decoding)?;
    Ok(value.value)
}
