//! Conversions between `time::OffsetDateTime` (our public API) and the ASN.1 time types.

use std::time::SystemTime;

use der::DateTime;
use der::asn1::GeneralizedTime;
use time::OffsetDateTime;
use x509_cert::time::Time;

/// An X.509 `Time`: UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280); `None` before 1970.
pub(crate) fn to_x509(at: OffsetDateTime) -> Option<Time> {
    Some(Time::from(to_der(at)?))
}

/// A GeneralizedTime (OCSP uses only this type); `None` before 1970.
pub(crate) fn to_generalized(at: OffsetDateTime) -> Option<GeneralizedTime> {
    Some(GeneralizedTime::from_date_time(to_der(at)?))
}

/// The instant an X.509 `Time` names.
pub(crate) fn from_x509(time: &Time) -> OffsetDateTime {
    OffsetDateTime::from(time.to_system_time())
}

/// The instant a GeneralizedTime names.
pub(crate) fn from_generalized(time: &GeneralizedTime) -> OffsetDateTime {
    OffsetDateTime::from(time.to_system_time())
}

fn to_der(at: OffsetDateTime) -> Option<DateTime> {
    // DER time has whole seconds only.
    let whole = at.replace_nanosecond(0).ok()?;
    DateTime::from_system_time(SystemTime::from(whole)).ok()
}
