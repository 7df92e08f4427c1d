//! What the citizen reads during a login, in Kazakh, Russian and English.

use qoltanba_protocol::login::QrError;
use qoltanba_protocol::{LoginChallenge, LoginRefusal};

use super::stage::{Ending, LoginFailure};
use crate::text::Lang;

fn t(lang: Lang, kk: &str, ru: &str, en: &str) -> String {
    lang.pick([kk.to_owned(), ru.to_owned(), en.to_owned()])
}

/// Why a scanned code is not a login QR code.
pub fn qr_error(error: QrError, lang: Lang) -> String {
    match error {
        QrError::WrongScheme => t(
            lang,
            "Бұл Qoltanba кіру QR-коды емес",
            "Это не QR-код входа Qoltanba",
            "This is not a Qoltanba login QR code",
        ),
        QrError::WrongShape | QrError::BadToken | QrError::BadTime | QrError::BadCode => t(
            lang,
            "QR-код бүлінген: қайта сканерлеңіз",
            "QR-код повреждён: отсканируйте ещё раз",
            "The QR code is damaged: scan it again",
        ),
    }
}

/// The challenge as the phone shows it: who asks, the browser, where and when, the address warning.
pub fn challenge(challenge: &LoginChallenge, lang: Lang) -> Vec<String> {
    let place = challenge.browser_place.as_deref().unwrap_or(&challenge.browser_address);
    let when = challenge.started_at.time();
    let hm = format!("{:02}:{:02} UTC", when.hour(), when.minute());
    let rp = &challenge.relying_party;
    let browser = &challenge.browser;
    let mut lines = vec![
        lang.pick([format!("{rp} жүйесіне кіру"), format!("Вход в {rp}"), format!("Log in to {rp}")]),
        lang.pick([
            format!("Браузер: {browser}, {place}, {hm}"),
            format!("Браузер: {browser}, {place}, {hm}"),
            format!("Browser: {browser}, {place}, {hm}"),
        ]),
    ];
    if challenge.address_differs {
        lines.push(t(
            lang,
            "Назар аударыңыз: браузер басқа желіде. Егер кіруді сіз бастамасаңыз, бас тартыңыз",
            "Внимание: браузер в другой сети. Если вход начали не вы, откажитесь",
            "Warning: the browser is on another network. If you did not start this login, decline it",
        ));
    }
    lines
}

/// The question under the three numbers.
pub fn choose_number(lang: Lang) -> String {
    t(
        lang,
        "Компьютер экранындағы санды таңдаңыз (немесе бас тарту үшін 0)",
        "Выберите число, которое показано на экране компьютера (или 0, чтобы отказаться)",
        "Pick the number the computer's screen shows (or 0 to decline)",
    )
}

/// After a number that is not offered.
pub fn not_offered(lang: Lang) -> String {
    t(
        lang,
        "Ұсынылған үш санның бірін таңдаңыз",
        "Выберите одно из трёх чисел",
        "Pick one of the three numbers",
    )
}

/// The PIN prompt.
pub fn pin_prompt(lang: Lang) -> String {
    t(lang, "Кіруді PIN-кодпен растаңыз", "Подтвердите вход PIN-кодом", "Confirm the login with your PIN")
}

/// After a wrong PIN.
pub fn wrong_pin(tries_left: u8, lang: Lang) -> String {
    lang.pick([
        format!("PIN қате; {tries_left} әрекет қалды"),
        format!("Неверный PIN; осталось попыток: {tries_left}"),
        format!("Wrong PIN; {tries_left} tries left"),
    ])
}

/// The key files' password prompt.
pub fn password_prompt(lang: Lang) -> String {
    t(lang, "Кілт файлдарының құпиясөзі", "Пароль файлов ключей", "The key files' password")
}

/// After a wrong key files' password.
pub fn wrong_password(lang: Lang) -> String {
    t(lang, "Құпиясөз кілтті ашпады", "Пароль не открывает ключ", "The password does not open the key")
}

/// Why the server refused a login.
pub fn refusal(reason: LoginRefusal, lang: Lang) -> String {
    match reason {
        LoginRefusal::WrongNumber => {
            t(lang, "Сан дұрыс таңдалмады", "Выбрано неверное число", "The wrong number was picked")
        }
        LoginRefusal::Replayed => t(
            lang,
            "Бұл жауап бұрын жіберілген",
            "Этот ответ уже был отправлен",
            "This answer was already sent",
        ),
        LoginRefusal::OtherSession => t(
            lang,
            "Жауап басқа кіру сессиясына арналған",
            "Ответ относится к другому входу",
            "The answer was meant for another login",
        ),
        LoginRefusal::CertificateRevoked => {
            t(lang, "Сертификат кері қайтарылған", "Сертификат отозван", "The certificate is revoked")
        }
        LoginRefusal::CertificateExpired => t(
            lang,
            "Сертификаттың мерзімі өткен",
            "Срок действия сертификата истёк",
            "The certificate has expired",
        ),
        LoginRefusal::NotAnAuthCertificate => t(
            lang,
            "Кіру үшін AUTH сертификаты қажет",
            "Для входа нужен сертификат AUTH",
            "Logging in needs the AUTH certificate",
        ),
        LoginRefusal::BadSignature => t(
            lang,
            "Қолтаңба тексеруден өтпеді",
            "Подпись не прошла проверку",
            "The signature did not verify",
        ),
        LoginRefusal::UntrustedCertificate => t(
            lang,
            "Сертификатты бұл орталық бермеген",
            "Сертификат выдан не этим центром",
            "The certificate was not issued by this authority",
        ),
        LoginRefusal::Expired => t(
            lang,
            "Кіру уақыты өтті: жаңа QR-кодты сканерлеңіз",
            "Время входа истекло: отсканируйте новый QR-код",
            "The login expired: scan a new QR code",
        ),
        LoginRefusal::OtherBrowser => t(
            lang,
            "Кіру басқа браузерде басталған",
            "Вход начат в другом браузере",
            "The login was started in another browser",
        ),
        LoginRefusal::StaleQrCode => t(
            lang,
            "QR-код ескірген: экрандағы жаңа кодты сканерлеңіз",
            "QR-код устарел: отсканируйте код, который сейчас на экране",
            "The QR code is out of date: scan the one on the screen now",
        ),
        LoginRefusal::AlreadyScanned => t(
            lang,
            "Бұл QR-кодты басқа телефон сканерлеген",
            "Этот QR-код уже отсканирован другим телефоном",
            "Another phone already scanned this QR code",
        ),
        LoginRefusal::Declined => t(lang, "Кіруден бас тартылды", "Вход отклонён", "The login was declined"),
    }
}

/// How a login ended.
pub fn ending(ending: &Ending, lang: Lang) -> String {
    match ending {
        Ending::Approved { relying_party: rp } => lang.pick([
            format!("{rp} жүйесіне кірдіңіз"),
            format!("Вы вошли в {rp}"),
            format!("You are logged in to {rp}"),
        ]),
        Ending::Declined => t(lang, "Кіруден бас тарттыңыз", "Вы отклонили вход", "You declined the login"),
        Ending::Refused { reason } => refusal(*reason, lang),
        Ending::PinLocked { until } => {
            let at = format!("{:02}:{:02} UTC", until.hour(), until.minute());
            lang.pick([
                format!("PIN бұғатталды, {at} дейін күтіңіз"),
                format!("PIN заблокирован до {at}"),
                format!("The PIN is locked until {at}"),
            ])
        }
        Ending::Failed { failure: LoginFailure::Server(_) } => t(
            lang,
            "Серверге қосылу мүмкін болмады",
            "Не удалось связаться с сервером",
            "The server could not be reached",
        ),
        Ending::Failed { failure: LoginFailure::Key { .. } } => {
            t(lang, "Кілт қол қоя алмады", "Ключ не смог подписать", "The key could not sign")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_differently_in_each_language() {
        for lang in [Lang::Kk, Lang::Ru, Lang::En] {
            let texts: std::collections::HashSet<_> =
                LoginRefusal::ALL.into_iter().map(|r| refusal(r, lang)).collect();
            assert_eq!(texts.len(), LoginRefusal::ALL.len(), "{lang:?}");
        }
        assert_ne!(
            refusal(LoginRefusal::WrongNumber, Lang::Kk),
            refusal(LoginRefusal::WrongNumber, Lang::Ru)
        );
    }
}
