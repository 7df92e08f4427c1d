//! The citizen's data from the population registry, shown to them after consent to the NCA.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

// `YYYY-MM-DD` (RFC 3339 `full-date`) for `time::Date` fields.
time::serde::format_description!(
    pub(crate) iso_date,
    Date,
    "[year]-[month]-[day]"
);

/// A person as the population registry knows them. The certificates' subject is written from this, never
/// from the CSR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "iin": "900101300123", "surname": "ИВАНОВ", "name": "ИВАН",
    "patronymic": "ИВАНОВИЧ", "birth_date": "1990-01-01"
}))]
pub struct Person {
    /// Individual identification number: 12 decimal digits.
    #[schema(pattern = "^[0-9]{12}$")]
    pub iin: String,
    /// Surname (фамилия / тегі), as in the registry.
    pub surname: String,
    /// Given name (имя / аты).
    pub name: String,
    /// Patronymic (отчество / әкесінің аты); absent for people who have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(with = "iso_date")]
    pub birth_date: Date,
}
