//! The population registry (embedded stand-in): IIN → name, birth date, reference photo.

use qoltanba_protocol::Person;
use sqlx::{AnyConnection, Row, any::AnyRow};
use time::Date;
use time::macros::format_description;

use super::StorageError;

/// One person as the registry holds them.
#[derive(Clone, PartialEq, Eq)]
pub struct Citizen {
    /// Individual identification number: 12 digits.
    pub iin: String,
    /// Surname.
    pub surname: String,
    /// Given name.
    pub name: String,
    /// Patronymic, if the person has one.
    pub patronymic: Option<String>,
    /// Date of birth.
    pub birth_date: Date,
    /// Reference photo (image bytes).
    pub photo: Vec<u8>,
    /// MIME type of `photo` (`image/png`, `image/jpeg`).
    pub photo_content_type: String,
}

impl std::fmt::Debug for Citizen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Citizen")
            .field("iin", &self.iin)
            .field("surname", &self.surname)
            .field("name", &self.name)
            .field("patronymic", &self.patronymic)
            .field("birth_date", &self.birth_date)
            .field("photo", &format_args!("<{} bytes>", self.photo.len()))
            .field("photo_content_type", &self.photo_content_type)
            .finish()
    }
}

impl Citizen {
    /// The wire form shown to the citizen after consent.
    pub fn person(&self) -> Person {
        Person {
            iin: self.iin.clone(),
            surname: self.surname.clone(),
            name: self.name.clone(),
            patronymic: self.patronymic.clone(),
            birth_date: self.birth_date,
        }
    }
}

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

/// Adds a person; `Conflict` (`citizens_pkey`) if the IIN is already there.
pub async fn insert(conn: &mut AnyConnection, citizen: &Citizen) -> Result<(), StorageError> {
    let birth_date =
        citizen.birth_date.format(DATE).map_err(|_| StorageError::Corrupt { column: "birth_date" })?;
    sqlx::query(
        "INSERT INTO citizens (iin, surname, name, patronymic, birth_date, photo, photo_content_type) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&citizen.iin)
    .bind(&citizen.surname)
    .bind(&citizen.name)
    .bind(&citizen.patronymic)
    .bind(birth_date)
    .bind(&citizen.photo)
    .bind(&citizen.photo_content_type)
    .execute(conn)
    .await?;
    Ok(())
}

/// The person with this IIN, if the registry knows them.
pub async fn find(conn: &mut AnyConnection, iin: &str) -> Result<Option<Citizen>, StorageError> {
    let row = sqlx::query(
        "SELECT iin, surname, name, patronymic, birth_date, photo, photo_content_type \
         FROM citizens WHERE iin = $1",
    )
    .bind(iin)
    .fetch_optional(conn)
    .await?;
    row.map(|r| citizen(&r)).transpose()
}

/// How many people the registry holds.
pub async fn count(conn: &mut AnyConnection) -> Result<i64, StorageError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM citizens").fetch_one(conn).await?)
}

fn citizen(row: &AnyRow) -> Result<Citizen, StorageError> {
    let birth_date: String = row.try_get("birth_date")?;
    Ok(Citizen {
        iin: row.try_get("iin")?,
        surname: row.try_get("surname")?,
        name: row.try_get("name")?,
        patronymic: row.try_get("patronymic")?,
        birth_date: Date::parse(&birth_date, DATE)
            .map_err(|_| StorageError::Corrupt { column: "birth_date" })?,
        photo: row.try_get("photo")?,
        photo_content_type: row.try_get("photo_content_type")?,
    })
}
