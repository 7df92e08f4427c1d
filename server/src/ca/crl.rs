//! Certificate revocation lists of the issuing CA.

use qoltanba_pki::crl::{self, CrlContent, RevokedEntry};
use time::OffsetDateTime;

use super::{Authority, CaError};

impl Authority {
    /// A DER v2 CRL listing `revoked`, numbered `number` (the caller keeps the counter and makes it
    /// increase), signed by the issuing key.
    pub fn crl(
        &self,
        revoked: &[RevokedEntry],
        number: u64,
        this_update: OffsetDateTime,
        next_update: OffsetDateTime,
    ) -> Result<Vec<u8>, CaError> {
        let content = CrlContent { number, this_update, next_update, entries: revoked };
        Ok(crl::build(self.issuing(), self.signer(), &content)?.to_der()?)
    }
}
