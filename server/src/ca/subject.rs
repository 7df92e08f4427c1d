//! The certificate holder as the population registry knows them: the only source of the subject.

use qoltanba_pki::csr::{CsrError, SubjectName};
use qoltanba_pki::x509::name::Name;

/// A citizen from the population registry (and the e-mail they confirmed). The CA writes the
/// certificate subject from this record and never from the CSR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubjectRecord {
    /// Family name.
    pub surname: String,
    /// Given name.
    pub name: String,
    /// Patronymic, when the person has one.
    pub patronymic: Option<String>,
    /// The 12-digit IIN.
    pub iin: String,
    /// E-mail address, when given.
    pub email: Option<String>,
}

impl SubjectRecord {
    /// The NCA subject: `CN=SURNAME NAME, SURNAME, SERIALNUMBER=IIN…, C=KZ, GIVENNAME, E`.
    /// Refuses an IIN whose check digit is wrong.
    pub fn to_name(&self) -> Result<Name, CsrError> {
        if self.iin.parse::<qoltanba_pki::iin::Iin>().is_err() {
            return Err(CsrError::BadIin);
        }
        let mut subject = SubjectName::new(&self.surname, &self.name, &self.iin);
        subject.patronymic = self.patronymic.clone();
        subject.email = self.email.clone();
        subject.to_name()
    }
}
