//! The demo relying party `/demo/bank` in headless Chromium: the visitor enters an enrolled citizen's
//! IIN, the page shows the verification code, the citizen approves (or refuses) with the CLI as the
//! phone, and the page shows the signer from the verified signature (or the refusal).

mod support;

use std::time::Duration;

use support::browser::Browser;
use support::{EnrolledPhone, Server};

/// Generous: a guard against a hang, not a speed requirement.
const DEADLINE: Duration = Duration::from_secs(60);

/// Opens the bank, asks for a signature of `phone`'s citizen; returns the request's id from the phone's
/// inbox after checking the page shows the same code as the phone computes.
fn start_request(browser: &Browser, server: &Server, phone: &EnrolledPhone) -> String {
    browser.open(&format!("{}/demo/bank?lang=en", server.url()));
    browser.fill("iin", &phone.citizen.iin);
    browser.click("start");
    let code = browser.wait_text("code", DEADLINE);
    assert!(code.len() == 4 && code.bytes().all(|b| b.is_ascii_digit()), "{code:?}");
    let listed = phone.inbox(server);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let (id, phone_code) = listed.into_iter().next().unwrap();
    assert_eq!(phone_code, code, "the page and the phone show the same code");
    id
}

#[test]
fn page_shows_the_signer_once_the_phone_approves() {
    let server = Server::start();
    let phone = EnrolledPhone::enroll(&server, 0);
    let browser = Browser::start();
    let id = start_request(&browser, &server, &phone);
    assert!(!browser.is_displayed("signature"));

    let out = phone.cli(&["approve", &id]);
    assert!(out.status.success(), "qoltanba approve: {}", support::text(&out));
    let iin = browser.wait_text("signer-iin", DEADLINE);
    assert_eq!(iin, phone.citizen.iin);
    let name = browser.text("signer-name");
    assert!(name.contains(&phone.citizen.surname) && name.contains(&phone.citizen.name), "{name}");
    assert!(!browser.text("signed-at").is_empty());
    assert_eq!(browser.attribute("status", "data-outcome").as_deref(), Some("signed"));
    assert!(!browser.is_displayed("refusal"));
    let png = browser.screenshot("signature");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG screenshot");
}

#[test]
fn page_shows_the_refusal_once_the_phone_refuses() {
    let server = Server::start();
    let phone = EnrolledPhone::enroll(&server, 0);
    let browser = Browser::start();
    let id = start_request(&browser, &server, &phone);

    let out = phone.cli(&["refuse", &id]);
    assert!(out.status.success(), "qoltanba refuse: {}", support::text(&out));
    let refusal = browser.wait_text("refusal", DEADLINE);
    assert_eq!(refusal, "The customer refused to sign");
    assert_eq!(browser.attribute("status", "data-outcome").as_deref(), Some("refused"));
    assert!(!browser.is_displayed("signature"));
}

#[test]
fn page_speaks_kazakh_and_russian_and_refuses_a_wrong_iin() {
    let server = Server::start();
    let browser = Browser::start();
    for (lang, heading) in [("kk", "Несие шартына қол қойыңыз"), ("ru", "Подпишите кредитный договор")]
    {
        browser.open(&format!("{}/demo/bank?lang={lang}", server.url()));
        assert_eq!(browser.attribute("status", "data-lang").as_deref(), Some(lang));
        browser.wait_for(&format!("the {lang} heading"), DEADLINE, |b| b.text("heading") == heading);
    }
    assert!("123456789012".parse::<qoltanba_pki::iin::Iin>().is_err(), "the IIN's check digit is wrong");
    browser.fill("iin", "123456789012");
    browser.click("start");
    assert_eq!(browser.wait_text("error", DEADLINE), "Неверный ИИН");
    assert!(!browser.is_displayed("request"));
}
