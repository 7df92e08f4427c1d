//! Kazakhstan's identification numbers: IIN (individuals) and BIN (legal entities).
//!
//! Both are 12 digits whose last digit is a check digit: the weighted sum of the first eleven digits with
//! weights 1..11, modulo 11; when that gives 10, a second pass with weights 3..11, 1, 2; when that also
//! gives 10 the number is invalid (no such number is ever issued).
//!
//! Validation is for what a person types. Certificates are read without it: NCA's own test certificates
//! carry `IIN123456789011`, which fails the check, and a reader must still show it
//! (see [`crate::certificate`], which keeps the digits as text).

use std::fmt;
use std::str::FromStr;

const FIRST_WEIGHTS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// Why a typed identification number is not valid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IinError {
    /// Not exactly 12 characters.
    #[error("an IIN or BIN has 12 digits, this has {got}")]
    Length {
        /// How many characters were given.
        got: usize,
    },
    /// A character that is not an ASCII digit.
    #[error("character {position} is not a digit")]
    NotADigit {
        /// 1-based position of the first offending character.
        position: usize,
    },
    /// The last digit does not match the check digit computed from the first eleven.
    #[error("the check digit is wrong (expected {expected}, got {got})")]
    CheckDigit {
        /// The check digit the first eleven digits give.
        expected: u8,
        /// The last digit as typed.
        got: u8,
    },
    /// The first eleven digits give no valid check digit at all (both passes give 10).
    #[error("no valid IIN or BIN starts with these eleven digits")]
    NoCheckDigit,
}

/// The check digit for the first eleven digits, or `None` when both passes give 10.
pub fn check_digit(digits: &[u8; 11]) -> Option<u8> {
    [FIRST_WEIGHTS, SECOND_WEIGHTS].iter().find_map(|weights| {
        let sum: u32 = digits.iter().zip(weights).map(|(d, w)| u32::from(*d) * w).sum();
        let rest = (sum % 11) as u8;
        (rest != 10).then_some(rest)
    })
}

/// Parses 12 ASCII digits (surrounding whitespace allowed) and checks the check digit.
fn validate(input: &str) -> Result<[u8; 12], IinError> {
    let text = input.trim();
    let count = text.chars().count();
    if count != 12 {
        return Err(IinError::Length { got: count });
    }
    let mut digits = [0u8; 12];
    for (i, (slot, byte)) in digits.iter_mut().zip(text.bytes()).enumerate() {
        if !byte.is_ascii_digit() {
            return Err(IinError::NotADigit { position: i + 1 });
        }
        *slot = byte - b'0';
    }
    let (body, last) = digits.split_at(11);
    let body: &[u8; 11] = body.try_into().map_err(|_| IinError::Length { got: count })?;
    let expected = check_digit(body).ok_or(IinError::NoCheckDigit)?;
    match last {
        [got] if *got == expected => Ok(digits),
        [got] => Err(IinError::CheckDigit { expected, got: *got }),
        _ => Err(IinError::Length { got: count }),
    }
}

macro_rules! identification_number {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name([u8; 12]);

        impl $name {
            /// The twelve digits as text.
            pub fn as_string(&self) -> String {
                self.0.iter().map(|d| char::from(b'0' + d)).collect()
            }
        }

        impl FromStr for $name {
            type Err = IinError;
            fn from_str(s: &str) -> Result<Self, IinError> {
                validate(s).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.as_string())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.as_string())
            }
        }
    };
}

identification_number!(
    /// A validated individual identification number (ЖСН / ИИН).
    Iin
);
identification_number!(
    /// A validated business identification number (БСН / БИН).
    Bin
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eleven(s: &str) -> [u8; 11] {
        let mut out = [0; 11];
        for (slot, b) in out.iter_mut().zip(s.bytes()) {
            *slot = b - b'0';
        }
        out
    }

    #[test]
    fn accepts_known_valid_iins() {
        // Sum 1*9+2*0+3*0+4*1+5*0+6*1+7*3+8*0+9*0+10*0+11*1 = 51, 51 mod 11 = 7.
        assert_eq!("900101300017".parse::<Iin>().map(|i| i.to_string()).as_deref(), Ok("900101300017"));
        assert!(" 900101300017 ".parse::<Iin>().is_ok());
    }

    #[test]
    fn uses_second_pass_when_first_gives_ten() {
        // First pass: 1*0+2*0+...+10*0+11*10?  Build one by search instead of by hand.
        let digits = (0..100_000u32)
            .map(|n| eleven(&format!("{:011}", 90010130000u64 + u64::from(n))))
            .find(|d| {
                let first: u32 = d.iter().zip(FIRST_WEIGHTS).map(|(x, w)| u32::from(*x) * w).sum();
                let second: u32 = d.iter().zip(SECOND_WEIGHTS).map(|(x, w)| u32::from(*x) * w).sum();
                first % 11 == 10 && second % 11 != 10
            })
            .expect("some prefix needs the second pass");
        let second: u32 = digits.iter().zip(SECOND_WEIGHTS).map(|(x, w)| u32::from(*x) * w).sum();
        assert_eq!(check_digit(&digits), Some((second % 11) as u8));
    }

    #[test]
    fn rejects_bad_check_digit() {
        assert_eq!("900101300018".parse::<Iin>(), Err(IinError::CheckDigit { expected: 7, got: 8 }));
    }

    #[test]
    fn rejects_nca_test_iin_as_input() {
        // The NCA test certificates carry this IIN; it must not pass as typed input.
        assert!(matches!("123456789011".parse::<Iin>(), Err(IinError::CheckDigit { .. })));
        assert!(matches!("123456789021".parse::<Bin>(), Err(IinError::CheckDigit { .. })));
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        assert_eq!("12345".parse::<Iin>(), Err(IinError::Length { got: 5 }));
        assert_eq!("9001013000a7".parse::<Iin>(), Err(IinError::NotADigit { position: 11 }));
        assert_eq!("９００１０１３０００１７".parse::<Iin>(), Err(IinError::NotADigit { position: 1 }));
    }

    proptest! {
        #[test]
        fn every_prefix_gets_a_digit_that_validates(prefix in "[0-9]{11}") {
            let body = eleven(&prefix);
            match check_digit(&body) {
                Some(d) => {
                    let iin: Iin = format!("{prefix}{d}").parse().unwrap();
                    prop_assert_eq!(iin.to_string(), format!("{prefix}{d}"));
                    for other in (0..10).filter(|o| *o != d) {
                        let is_check_error = matches!(
                            format!("{prefix}{other}").parse::<Iin>(),
                            Err(IinError::CheckDigit { .. })
                        );
                        prop_assert!(is_check_error);
                    }
                }
                None => prop_assert_eq!(format!("{prefix}0").parse::<Iin>(), Err(IinError::NoCheckDigit)),
            }
        }

        #[test]
        fn never_panics_on_any_text(s in "\\PC{0,20}") {
            let _ = s.parse::<Iin>();
        }
    }
}
