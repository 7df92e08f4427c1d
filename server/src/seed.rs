//! Demo data for `qoltanba-server seed`: citizens in the population registry (valid IINs, Kazakh names,
//! a small reference photo each), some with a phone in the mobile-citizens database and some without.
//!
//! Loading is idempotent: people and phones already present are left alone.

use qoltanba_pki::iin::check_digit;
use time::{Date, Month, OffsetDateTime};

use crate::storage::phones::{self, PhoneRecord};
use crate::storage::registry::{self, Citizen};
use crate::storage::{Storage, StorageError};

/// Who the seed's phone registrations are recorded as made by.
pub const REGISTERED_BY: &str = "seed";

/// One demo citizen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCitizen {
    /// Surname.
    pub surname: &'static str,
    /// Given name.
    pub name: &'static str,
    /// Patronymic, if any.
    pub patronymic: Option<&'static str>,
    /// Date of birth as (year, month, day).
    pub birth: (i32, u8, u8),
    /// Whether female (the IIN's seventh digit encodes century and sex).
    pub female: bool,
    /// Registered phone (E.164), if any.
    pub phone: Option<&'static str>,
    /// Reference photo (PNG).
    pub photo: &'static [u8],
}

/// The demo citizens, in order.
pub const DEMO_CITIZENS: [DemoCitizen; 5] = [
    DemoCitizen {
        surname: "ӘБІЛОВ",
        name: "ҚАНАТ",
        patronymic: Some("СЕРІКҰЛЫ"),
        birth: (1985, 3, 14),
        female: false,
        phone: Some("+77011234567"),
        photo: include_bytes!("../seed/photo-1.png"),
    },
    DemoCitizen {
        surname: "ЖҰМАБЕКОВА",
        name: "АЙГҮЛ",
        patronymic: Some("НҰРЛАНҚЫЗЫ"),
        birth: (1992, 11, 2),
        female: true,
        phone: Some("+77021112233"),
        photo: include_bytes!("../seed/photo-2.png"),
    },
    DemoCitizen {
        surname: "СӘРСЕНБАЕВ",
        name: "ДӘУРЕН",
        patronymic: Some("ЕРЛАНҰЛЫ"),
        birth: (1978, 7, 25),
        female: false,
        phone: None,
        photo: include_bytes!("../seed/photo-3.png"),
    },
    DemoCitizen {
        surname: "ТӨЛЕГЕНОВА",
        name: "ӘСЕЛ",
        patronymic: None,
        birth: (2001, 1, 9),
        female: true,
        phone: None,
        photo: include_bytes!("../seed/photo-4.png"),
    },
    DemoCitizen {
        surname: "НҰРҒАЛИЕВ",
        name: "ЕРЖАН",
        patronymic: Some("БОЛАТҰЛЫ"),
        birth: (2003, 9, 30),
        female: false,
        phone: Some("+77051234567"),
        photo: include_bytes!("../seed/photo-5.png"),
    },
];

impl DemoCitizen {
    /// The birth date, `None` if `birth` is not a date.
    pub fn birth_date(&self) -> Option<Date> {
        let (year, month, day) = self.birth;
        Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
    }

    /// The IIN: `YYMMDD`, the century-and-sex digit, a serial, and the check digit. The serial is the
    /// first from `serial_base` whose eleven digits have a valid check digit, so the IIN is stable.
    pub fn iin(&self, serial_base: u16) -> Option<String> {
        let (year, month, day) = self.birth;
        let century_sex = match (year / 100, self.female) {
            (18, false) => 1,
            (18, true) => 2,
            (19, false) => 3,
            (19, true) => 4,
            (20, false) => 5,
            (20, true) => 6,
            _ => return None,
        };
        (serial_base..serial_base.saturating_add(100)).find_map(|serial| {
            let text = format!("{:02}{month:02}{day:02}{century_sex}{:04}", year % 100, serial % 10_000);
            let mut digits = [0u8; 11];
            for (slot, byte) in digits.iter_mut().zip(text.bytes()) {
                *slot = byte.wrapping_sub(b'0');
            }
            check_digit(&digits).map(|check| format!("{text}{check}"))
        })
    }
}

/// What [`load`] added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    /// People added to the registry.
    pub citizens_added: usize,
    /// Phones added to the mobile-citizens database.
    pub phones_added: usize,
}

/// The demo citizens as registry rows with their phones, IINs computed.
pub fn demo_records() -> Vec<(Citizen, Option<&'static str>)> {
    DEMO_CITIZENS
        .iter()
        .enumerate()
        .filter_map(|(i, demo)| {
            let serial_base = u16::try_from(i).ok()?.saturating_mul(37).saturating_add(101);
            let citizen = Citizen {
                iin: demo.iin(serial_base)?,
                surname: demo.surname.to_owned(),
                name: demo.name.to_owned(),
                patronymic: demo.patronymic.map(str::to_owned),
                birth_date: demo.birth_date()?,
                photo: demo.photo.to_vec(),
                photo_content_type: "image/png".to_owned(),
            };
            Some((citizen, demo.phone))
        })
        .collect()
}

/// Loads the demo citizens and their phones, skipping what is already there (one transaction).
pub async fn load(storage: &Storage) -> Result<SeedReport, StorageError> {
    let now = OffsetDateTime::now_utc();
    let mut report = SeedReport::default();
    let mut tx = storage.begin().await?;
    for (citizen, phone) in demo_records() {
        if registry::find(&mut tx, &citizen.iin).await?.is_none() {
            registry::insert(&mut tx, &citizen).await?;
            report.citizens_added += 1;
        }
        let Some(phone) = phone else { continue };
        if phones::find(&mut tx, &citizen.iin).await?.is_none() {
            let record = PhoneRecord {
                iin: citizen.iin.clone(),
                phone: phone.to_owned(),
                registered_at: now,
                registered_by: REGISTERED_BY.to_owned(),
            };
            phones::register(&mut tx, &record).await?;
            report.phones_added += 1;
        }
    }
    tx.commit().await?;
    Ok(report)
}
