//! PKCS#11 URIs (RFC 7512), reduced to what the CA needs:
//! `pkcs11:token=<label>;object=<key label>[;type=private]?module-path=<path>[&pin-value=<pin>]`.
//!
//! Values are percent-decoded and must be UTF-8. Anything else — another attribute, a duplicate, a
//! missing piece, a stray `%` — is a typed [`UriError`], whose messages name attributes but never show
//! their values (so never the PIN).

use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::config::Pkcs11Config;
use crate::error::HsmError;

/// Why a PKCS#11 URI was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// The text does not start with `pkcs11:`.
    #[error("not a PKCS#11 URI (expected the pkcs11: scheme)")]
    NotPkcs11Scheme,
    /// An attribute has an empty name (`;;`, `&&` or `=value`).
    #[error("an attribute has no name")]
    EmptyAttribute,
    /// An attribute has no `=value`.
    #[error("attribute {0:?} has no value")]
    MissingValue(String),
    /// An attribute we do not support (only token, object, type, module-path and pin-value are).
    #[error("unsupported attribute {0:?}")]
    UnsupportedAttribute(String),
    /// An attribute appears twice.
    #[error("attribute {0:?} appears twice")]
    DuplicateAttribute(String),
    /// A `%` not followed by two hexadecimal digits, in this attribute.
    #[error("bad percent-encoding in attribute {0:?}")]
    BadPercentEncoding(String),
    /// The decoded value of this attribute is not UTF-8.
    #[error("attribute {0:?} is not UTF-8 once decoded")]
    NotUtf8(String),
    /// A required attribute (`token`, `object` or `module-path`) is absent or empty.
    #[error("the URI lacks the {0:?} attribute")]
    Missing(&'static str),
    /// Neither a `pin-value` attribute nor a PIN from the caller.
    #[error("no PIN: give pin-value in the URI or the PIN separately")]
    MissingPin,
    /// `type` names something other than a private key.
    #[error("object type {0:?} is not supported (only \"private\")")]
    UnsupportedType(String),
}

/// The attributes we read, as decoded values.
#[derive(Default)]
struct Attributes {
    token: Option<String>,
    object: Option<String>,
    module_path: Option<String>,
    pin: Option<Zeroizing<String>>,
}

impl Pkcs11Config {
    /// Parses a PKCS#11 URI such as
    /// `pkcs11:token=Qoltanba%20CA;object=issuing-ca?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=1234`.
    ///
    /// `pin`, when given (e.g. read by the caller from an environment variable or a prompt), takes
    /// precedence over a `pin-value` in the URI; one of the two is required. A malformed URI is
    /// [`HsmError::BadUri`].
    pub fn from_uri(uri: &str, pin: Option<Zeroizing<String>>) -> Result<Self, HsmError> {
        Ok(parse(uri, pin)?)
    }
}

fn parse(uri: &str, pin: Option<Zeroizing<String>>) -> Result<Pkcs11Config, UriError> {
    let rest = strip_scheme(uri).ok_or(UriError::NotPkcs11Scheme)?;
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    let mut attributes = Attributes::default();
    for segment in segments(path, ';') {
        path_attribute(&mut attributes, segment)?;
    }
    for segment in segments(query.unwrap_or_default(), '&') {
        query_attribute(&mut attributes, segment)?;
    }
    Ok(Pkcs11Config {
        module: PathBuf::from(required(attributes.module_path, "module-path")?),
        token_label: required(attributes.token, "token")?,
        key_label: required(attributes.object, "object")?,
        pin: pin.or(attributes.pin).ok_or(UriError::MissingPin)?,
    })
}

/// The `separator`-separated attributes of a URI part; none in an empty part.
fn segments(part: &str, separator: char) -> impl Iterator<Item = &str> {
    (!part.is_empty()).then(|| part.split(separator)).into_iter().flatten()
}

fn strip_scheme(uri: &str) -> Option<&str> {
    let scheme = uri.get(..7)?;
    if scheme.eq_ignore_ascii_case("pkcs11:") { uri.get(7..) } else { None }
}

fn required(value: Option<String>, name: &'static str) -> Result<String, UriError> {
    value.filter(|v| !v.is_empty()).ok_or(UriError::Missing(name))
}

fn split(segment: &str) -> Result<(&str, &str), UriError> {
    let (name, value) = segment.split_once('=').ok_or_else(|| {
        if segment.is_empty() { UriError::EmptyAttribute } else { UriError::MissingValue(segment.into()) }
    })?;
    if name.is_empty() {
        return Err(UriError::EmptyAttribute);
    }
    Ok((name, value))
}

fn path_attribute(attributes: &mut Attributes, segment: &str) -> Result<(), UriError> {
    let (name, raw) = split(segment)?;
    let value = decode(name, raw)?;
    let slot = match name {
        "token" => &mut attributes.token,
        "object" => &mut attributes.object,
        "type" if value.as_str() == "private" => return Ok(()),
        "type" => return Err(UriError::UnsupportedType(value.to_string())),
        _ => return Err(UriError::UnsupportedAttribute(name.into())),
    };
    set_once(slot, name, value.to_string())
}

fn query_attribute(attributes: &mut Attributes, segment: &str) -> Result<(), UriError> {
    let (name, raw) = split(segment)?;
    let value = decode(name, raw)?;
    match name {
        "module-path" => set_once(&mut attributes.module_path, name, value.to_string()),
        "pin-value" => set_once(&mut attributes.pin, name, value),
        _ => Err(UriError::UnsupportedAttribute(name.into())),
    }
}

fn set_once<T>(slot: &mut Option<T>, name: &str, value: T) -> Result<(), UriError> {
    if slot.is_some() {
        return Err(UriError::DuplicateAttribute(name.into()));
    }
    *slot = Some(value);
    Ok(())
}

/// Percent-decodes `raw` (RFC 3986 section 2.1) into a zeroized string.
fn decode(name: &str, raw: &str) -> Result<Zeroizing<String>, UriError> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(raw.len()));
    let mut input = raw.bytes();
    while let Some(byte) = input.next() {
        if byte == b'%' {
            let high = input.next().and_then(hex_digit);
            let low = input.next().and_then(hex_digit);
            match (high, low) {
                (Some(high), Some(low)) => bytes.push(high << 4 | low),
                _ => return Err(UriError::BadPercentEncoding(name.into())),
            }
        } else {
            bytes.push(byte);
        }
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| UriError::NotUtf8(name.into()))?;
    Ok(Zeroizing::new(text.to_owned()))
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = "module-path=/usr/lib/softhsm/libsofthsm2.so";

    fn parse(uri: &str) -> Result<Pkcs11Config, UriError> {
        super::parse(uri, None)
    }

    #[test]
    fn parses_the_documented_example() {
        let config =
            parse(&format!("pkcs11:token=Qoltanba%20CA;object=issuing-ca?{MODULE}&pin-value=1234")).unwrap();
        assert_eq!(config.token_label, "Qoltanba CA");
        assert_eq!(config.key_label, "issuing-ca");
        assert_eq!(config.module, PathBuf::from("/usr/lib/softhsm/libsofthsm2.so"));
        assert_eq!(config.pin.as_str(), "1234");
    }

    #[test]
    fn decodes_utf8_and_reserved_characters() {
        let uri = format!("PKCS11:type=private;object=%D0%BA%D0%BB%D1%8E%D1%87;token=a%3Bb%26c?{MODULE}");
        let config = Pkcs11Config::from_uri(&uri, Some(Zeroizing::new("p".into()))).unwrap();
        assert_eq!(config.key_label, "ключ");
        assert_eq!(config.token_label, "a;b&c");
    }

    #[test]
    fn callers_pin_takes_precedence_over_pin_value() {
        let uri = format!("pkcs11:token=t;object=o?{MODULE}&pin-value=1111");
        let config = Pkcs11Config::from_uri(&uri, Some(Zeroizing::new("2222".into()))).unwrap();
        assert_eq!(config.pin.as_str(), "2222");
    }

    #[test]
    fn rejects_malformed_uris_with_typed_errors() {
        let cases: &[(&str, UriError)] = &[
            ("https://x", UriError::NotPkcs11Scheme),
            ("pkcs11", UriError::NotPkcs11Scheme),
            ("pkcs11:token=t;object=o", UriError::Missing("module-path")),
            (&format!("pkcs11:object=o?{MODULE}&pin-value=1"), UriError::Missing("token")),
            (&format!("pkcs11:token=t;object=?{MODULE}&pin-value=1"), UriError::Missing("object")),
            (&format!("pkcs11:token=t;object=o?{MODULE}"), UriError::MissingPin),
            (
                &format!("pkcs11:token=t;token=u;object=o?{MODULE}"),
                UriError::DuplicateAttribute("token".into()),
            ),
            (
                &format!("pkcs11:token=t;id=%01;object=o?{MODULE}"),
                UriError::UnsupportedAttribute("id".into()),
            ),
            (
                &format!("pkcs11:token=t;object=o?{MODULE}&pin-source=f"),
                UriError::UnsupportedAttribute("pin-source".into()),
            ),
            (&format!("pkcs11:token=%4;object=o?{MODULE}"), UriError::BadPercentEncoding("token".into())),
            (&format!("pkcs11:token=%zz;object=o?{MODULE}"), UriError::BadPercentEncoding("token".into())),
            (&format!("pkcs11:token=%ff;object=o?{MODULE}"), UriError::NotUtf8("token".into())),
            (&format!("pkcs11:token;object=o?{MODULE}"), UriError::MissingValue("token".into())),
            (&format!("pkcs11:=t;object=o?{MODULE}"), UriError::EmptyAttribute),
            (&format!("pkcs11:token=t;object=o?{MODULE}&&pin-value=1"), UriError::EmptyAttribute),
            (&format!("pkcs11:token=t;;object=o?{MODULE}"), UriError::EmptyAttribute),
            ("pkcs11:", UriError::Missing("module-path")),
            (
                &format!("pkcs11:token=t;object=o;type=cert?{MODULE}"),
                UriError::UnsupportedType("cert".into()),
            ),
        ];
        for (uri, expected) in cases {
            let result = parse(uri);
            assert_eq!(result.as_ref().err(), Some(expected), "{uri}");
        }
    }

    #[test]
    fn errors_never_show_the_pin() {
        let uri = format!("pkcs11:token=t;object=o?{MODULE}&pin-value=%zzsecret");
        let error = parse(&uri).unwrap_err();
        assert_eq!(error, UriError::BadPercentEncoding("pin-value".into()));
        assert!(!error.to_string().contains("secret"));
        assert!(!format!("{error:?}").contains("secret"));
    }
}
