//! The animated QR code's frames (BankID's construction): the code of second `t` is the lowercase hex
//! HMAC-SHA256, keyed with the session secret's ASCII text, of the decimal `t`. The secret stays here.

use hmac::{Hmac, KeyInit, Mac};
use qoltanba_protocol::login::{LoginQr, QR_FRAME_MAX_AGE_S};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The code of frame `t` under `secret`.
pub fn frame_code(secret: &str, t: u32) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(t.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether a scanned frame is one this session showed lately: `t` at most [`QR_FRAME_MAX_AGE_S`]
/// behind `now_t` (and not ahead of it), and its code right (compared in constant time).
pub fn is_current(qr: &LoginQr, secret: &str, now_t: u32) -> bool {
    let fresh = qr.t() <= now_t && now_t - qr.t() <= QR_FRAME_MAX_AGE_S;
    fresh && bool::from(frame_code(secret, qr.t()).as_bytes().ct_eq(qr.code().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BANKID_SECRET: &str = "d28db9a7-4cde-429e-a983-359be676944c";
    const TOKEN: &str = "AbCdEfGhIjKlMnOp-_0123";

    #[test]
    fn reproduces_bankids_published_vectors() {
        assert_eq!(
            frame_code(BANKID_SECRET, 0),
            "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"
        );
        assert_eq!(
            frame_code(BANKID_SECRET, 1),
            "949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"
        );
    }

    fn frame(t: u32, secret: &str) -> LoginQr {
        LoginQr::new(TOKEN, t, &frame_code(secret, t)).unwrap()
    }

    #[test]
    fn accepts_frames_up_to_three_seconds_old() {
        for now in 5..=8 {
            assert!(is_current(&frame(5, BANKID_SECRET), BANKID_SECRET, now), "now {now}");
        }
    }

    #[test]
    fn rejects_stale_future_and_forged_frames() {
        assert!(!is_current(&frame(5, BANKID_SECRET), BANKID_SECRET, 9));
        assert!(!is_current(&frame(6, BANKID_SECRET), BANKID_SECRET, 5));
        assert!(!is_current(&frame(5, "another secret"), BANKID_SECRET, 5));
    }
}
