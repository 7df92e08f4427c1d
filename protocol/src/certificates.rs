//! Certificates on the wire: the issued pair, listing items, and revocation requests.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

/// The result of a successful enrollment: both certificates and the CA chain, all PEM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IssuedCertificates {
    /// The authentication certificate (egov login), PEM.
    pub auth_pem: String,
    /// The signing certificate, PEM.
    pub sign_pem: String,
    /// The CA chain, PEM blocks concatenated: the issuing CA first, the root last.
    pub chain_pem: String,
    /// Serial of the AUTH certificate (upper-case hex).
    pub auth_serial: String,
    /// Serial of the SIGN certificate (upper-case hex).
    pub sign_serial: String,
}

/// What a certificate is for, per the NCA individual profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificatePurpose {
    /// Authentication (`AUTH_RSA256_…`): client authentication, egov login.
    Auth,
    /// Signing (`RSA256_…`): electronic signature, non-repudiation.
    Sign,
}

/// Current status of an issued certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// Valid and not revoked.
    Good,
    /// Revoked (see the item's `revoked_at` and `revocation_reason`).
    Revoked,
    /// Past its `not_after`, never revoked.
    Expired,
}

/// Revocation reasons accepted by the API (a subset of RFC 5280 `CRLReason`, same meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// No reason given.
    Unspecified,
    /// The key may be known to someone else (a lost or stolen phone).
    KeyCompromise,
    /// The holder's data changed.
    AffiliationChanged,
    /// Replaced by a new certificate (renewal).
    Superseded,
    /// No longer needed.
    CessationOfOperation,
}

impl RevocationReason {
    /// The wire name (`key_compromise`), as used in [`CitizenRevocation::message`].
    pub fn name(self) -> &'static str {
        match self {
            Self::Unspecified => "unspecified",
            Self::KeyCompromise => "key_compromise",
            Self::AffiliationChanged => "affiliation_changed",
            Self::Superseded => "superseded",
            Self::CessationOfOperation => "cessation_of_operation",
        }
    }
}

/// One issued certificate in a listing (`GET /v1/operator/certificates?iin=…`, `qoltanba-server certs
/// --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CertificateItem {
    /// Serial number, upper-case hex without separators.
    #[schema(pattern = "^[0-9A-F]+$")]
    pub serial: String,
    /// IIN of the holder.
    pub iin: String,
    /// AUTH or SIGN.
    pub purpose: CertificatePurpose,
    /// Current status.
    pub status: CertificateStatus,
    /// Start of validity (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: OffsetDateTime,
    /// End of validity (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    pub not_after: OffsetDateTime,
    /// When it was revoked (RFC 3339), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// Why it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<RevocationReason>,
}

/// `POST /v1/certificates/{serial}/revocation`: the holder revokes one of their certificates (a lost phone,
/// a renewal), proving it with their AUTH key.
///
/// `signature` is the base64 (standard alphabet, padded) RSA PKCS#1 v1.5 SHA-256 signature over the
/// UTF-8 lines `qoltanba/v1/revoke`, `serial=<SERIAL>`, `reason=<reason>`, `requested_at=<RFC 3339>`,
/// `auth_serial=<SERIAL>`, each ending in `\n`, serials in upper-case hex (`CitizenRevocation::message`
/// in the Rust crate), made by the key of the AUTH certificate `auth_serial`, which must belong to the
/// same IIN as the certificate revoked (it may be that certificate itself). The server refuses a
/// `requested_at` more than 5 minutes away from its clock (`invalid_input`), so a captured request cannot be
/// replayed later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CitizenRevocation {
    /// Why the certificate is revoked.
    pub reason: RevocationReason,
    /// When the holder asked (RFC 3339), part of the signed message.
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    /// Serial (upper-case hex) of the holder's AUTH certificate whose key signed.
    pub auth_serial: String,
    /// Base64 RSA PKCS#1 v1.5 SHA-256 signature of the revocation message.
    pub signature: String,
}

impl CitizenRevocation {
    /// The exact bytes the AUTH key signs for revoking `serial`: UTF-8 lines
    /// `qoltanba/v1/revoke`, `serial=<SERIAL>`, `reason=<reason>`, `requested_at=<RFC 3339>`,
    /// `auth_serial=<SERIAL>`, each ending in `\n`. Serials are upper-cased.
    ///
    /// # Errors
    /// [`time::error::Format`] if `requested_at` cannot be written as RFC 3339 (a year outside 0..=9999 or
    /// an offset with seconds).
    pub fn message(&self, serial: &str) -> Result<Vec<u8>, time::error::Format> {
        let at = self.requested_at.format(&Rfc3339)?;
        Ok(format!(
            "qoltanba/v1/revoke\nserial={}\nreason={}\nrequested_at={at}\nauth_serial={}\n",
            serial.to_ascii_uppercase(),
            self.reason.name(),
            self.auth_serial.to_ascii_uppercase(),
        )
        .into_bytes())
    }
}

/// `POST /v1/operator/certificates/{serial}/revocation`: an operator revokes a certificate (audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OperatorRevocation {
    /// Why the certificate is revoked.
    pub reason: RevocationReason,
    /// Free text for the audit log (how the holder was identified, the call's reference, …).
    pub comment: String,
}

/// Query of `GET /v1/operator/certificates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    /// IIN whose certificates to list (12 digits).
    pub iin: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn revocation() -> CitizenRevocation {
        CitizenRevocation {
            reason: RevocationReason::KeyCompromise,
            requested_at: datetime!(2025-03-01 10:15:00 UTC),
            auth_serial: "0a1b".into(),
            signature: String::new(),
        }
    }

    #[test]
    fn revocation_message_is_pinned() {
        let message = revocation().message("ff01").unwrap();
        assert_eq!(
            String::from_utf8(message).unwrap(),
            "qoltanba/v1/revoke\nserial=FF01\nreason=key_compromise\n\
             requested_at=2025-03-01T10:15:00Z\nauth_serial=0A1B\n"
        );
    }

    #[test]
    fn revocation_message_survives_the_wire() {
        let sent =
            CitizenRevocation { requested_at: datetime!(2025-03-01 13:15:00.123 +03:00), ..revocation() };
        let received: CitizenRevocation =
            serde_json::from_str(&serde_json::to_string(&sent).unwrap()).unwrap();
        assert_eq!(sent.message("FF01").unwrap(), received.message("FF01").unwrap());
    }

    #[test]
    fn reason_names_match_serde() {
        for reason in [
            RevocationReason::Unspecified,
            RevocationReason::KeyCompromise,
            RevocationReason::AffiliationChanged,
            RevocationReason::Superseded,
            RevocationReason::CessationOfOperation,
        ] {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.name());
        }
    }
}
