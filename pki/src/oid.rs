//! Object identifiers of the NCA certificate policies and profiles, and the standard ones we use.
//!
//! NCA's own arc is `1.2.398.3.3` (Kazakhstan, ministry, NCA). Names follow NCA's documents.

use const_oid::ObjectIdentifier;

/// Policy: an individual's signing certificate (NCA "ЭЦП физического лица", RSA).
pub const POLICY_SIGN_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.2.3");
/// Policy: an individual's authentication certificate (RSA).
pub const POLICY_AUTH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.2.4");
/// Policy: signing certificate (GOST profile).
pub const POLICY_SIGN_GOST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.2.1");
/// Policy: authentication certificate (GOST profile).
pub const POLICY_AUTH_GOST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.2.2");

/// Extended key usage: the holder is an individual.
pub const EKU_INDIVIDUAL: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.4.1.1");
/// Extended key usage: the holder is a legal entity; role OIDs sit under this arc.
pub const EKU_LEGAL_ENTITY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.398.3.3.4.1.2");

/// Extended key usage: TLS client authentication.
pub const EKU_CLIENT_AUTH: ObjectIdentifier = const_oid::db::rfc5280::ID_KP_CLIENT_AUTH;
/// Extended key usage: e-mail protection (NCA uses it on signing certificates).
pub const EKU_EMAIL_PROTECTION: ObjectIdentifier = const_oid::db::rfc5280::ID_KP_EMAIL_PROTECTION;

/// `sha256WithRSAEncryption`.
pub const SHA256_WITH_RSA: ObjectIdentifier = const_oid::db::rfc5912::SHA_256_WITH_RSA_ENCRYPTION;
/// `rsaEncryption`.
pub const RSA_ENCRYPTION: ObjectIdentifier = const_oid::db::rfc5912::RSA_ENCRYPTION;
/// `id-sha256`.
pub const SHA256: ObjectIdentifier = const_oid::db::rfc5912::ID_SHA_256;

/// True when `oid` lies under `arc` (or is `arc` itself).
pub fn is_under(oid: &ObjectIdentifier, arc: &ObjectIdentifier) -> bool {
    oid.as_bytes().starts_with(arc.as_bytes())
}
