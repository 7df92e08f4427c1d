//! What the citizen reads, in Kazakh, Russian and English: refused input, notices and failure reasons.
//!
//! The apps may carry their own translations (Android `values-kk`, iOS string catalogs) keyed by the typed
//! enums; these are the core's own, used by the CLI and as the apps' fallback.

use qoltanba_pki::iin::IinError;
use qoltanba_protocol::FailureReason;
use serde::{Deserialize, Serialize};

use crate::enrollment::{FailReason, InputError, Notice};
use crate::signing::{Malformed, SigningError, Verdict};

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Қазақ тілі.
    Kk,
    /// Русский.
    Ru,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// Picks the words of this language.
    pub fn pick(self, [kk, ru, en]: [String; 3]) -> String {
        match self {
            Self::Kk => kk,
            Self::Ru => ru,
            Self::En => en,
        }
    }
}

fn t(kk: &str, ru: &str, en: &str) -> [String; 3] {
    [kk.to_owned(), ru.to_owned(), en.to_owned()]
}

/// Why the citizen's input was refused.
pub fn input_error(error: &InputError, lang: Lang) -> String {
    lang.pick(match error {
        InputError::DeviceNotReady { camera_ok: false, .. } => {
            t("Камера қажет", "Нужна камера", "A camera is needed")
        }
        InputError::DeviceNotReady { .. } => {
            t("Интернетке қосылыңыз", "Подключитесь к интернету", "Connect to the internet")
        }
        InputError::Iin(IinError::Length { got }) => [
            format!("ЖСН 12 цифрдан тұрады, енгізілгені: {got}"),
            format!("ИИН состоит из 12 цифр, введено: {got}"),
            format!("An IIN has 12 digits; this has {got}"),
        ],
        InputError::Iin(IinError::NotADigit { position }) => [
            format!("{position}-таңба цифр емес"),
            format!("Символ {position} не цифра"),
            format!("Character {position} is not a digit"),
        ],
        InputError::Iin(_) => t(
            "ЖСН қате: бақылау цифры сәйкес емес",
            "Неверный ИИН: не сходится контрольная цифра",
            "Wrong IIN: the check digit does not match",
        ),
        InputError::Phone => t(
            "Телефон нөмірі +7 және 10 цифр",
            "Номер телефона: +7 и 10 цифр",
            "A phone number is +7 and ten digits",
        ),
        InputError::SmsCode => {
            t("SMS коды 6 цифрдан тұрады", "Код из SMS состоит из 6 цифр", "The SMS code has six digits")
        }
        InputError::PictureType => t(
            "Сурет JPEG немесе PNG болуы керек",
            "Снимок должен быть JPEG или PNG",
            "The picture must be JPEG or PNG",
        ),
        InputError::PictureTooLarge { max, .. } => {
            let mib = max / (1024 * 1024);
            [
                format!("Сурет тым үлкен (ең көбі {mib} МБ)"),
                format!("Снимок слишком большой (не более {mib} МБ)"),
                format!("The picture is too large (at most {mib} MB)"),
            ]
        }
        InputError::PinShape => t("PIN 4 цифрдан тұрады", "PIN состоит из 4 цифр", "A PIN has four digits"),
        InputError::PinWeak => t(
            "Бұл PIN тым оңай, басқасын таңдаңыз",
            "Этот PIN слишком простой, выберите другой",
            "This PIN is too easy to guess; choose another",
        ),
        InputError::PinConfirmation => t("PIN сәйкес емес", "PIN-коды не совпадают", "The PINs do not match"),
        InputError::Email => {
            t("Электрондық пошта қате", "Неверный адрес электронной почты", "Not an e-mail address")
        }
        InputError::PasswordWeak { min_chars } => [
            format!("Құпиясөз кемінде {min_chars} таңба, әріптер мен цифрлар болуы керек"),
            format!("Пароль: не менее {min_chars} символов, буквы и цифры"),
            format!("A password has at least {min_chars} characters, with letters and digits"),
        ],
        InputError::PasswordConfirmation => {
            t("Құпиясөздер сәйкес емес", "Пароли не совпадают", "The passwords do not match")
        }
        InputError::PasswordEmpty => t("Құпиясөз бос", "Пароль пуст", "The password is empty"),
    })
}

/// What went wrong last, shown on the step.
pub fn notice(notice: &Notice, lang: Lang) -> String {
    lang.pick(match notice {
        Notice::CodeMismatch { tries_left } => [
            format!("Код қате. Қалған әрекет: {tries_left}"),
            format!("Неверный код. Осталось попыток: {tries_left}"),
            format!("Wrong code. Tries left: {tries_left}"),
        ],
        Notice::CodeExpired => t(
            "Кодтың мерзімі өтті, жаңасы жіберіледі",
            "Срок кода истёк, будет отправлен новый",
            "The code expired; a new one will be sent",
        ),
        Notice::RateLimited { retry_after_s } => {
            let s = retry_after_s.unwrap_or(60);
            [format!("{s} с күтіңіз"), format!("Подождите {s} с"), format!("Wait {s} s")]
        }
        Notice::ServerUnavailable { .. } => t(
            "Қызмет уақытша қолжетімсіз",
            "Сервис временно недоступен",
            "The service is unavailable for now",
        ),
        Notice::Network => t("Желі жоқ", "Нет сети", "No network"),
        Notice::Refused { code } => [
            format!("Сервер қабылдамады ({})", code.name()),
            format!("Сервер отказал ({})", code.name()),
            format!("The server refused ({})", code.name()),
        ],
        Notice::WrongPin { locked_until: Some(until), .. } => [
            format!("PIN бұғатталды, {until} дейін"),
            format!("PIN заблокирован до {until}"),
            format!("The PIN is locked until {until}"),
        ],
        Notice::WrongPin { tries_left, .. } => [
            format!("PIN қате. Қалған әрекет: {tries_left}"),
            format!("Неверный PIN. Осталось попыток: {tries_left}"),
            format!("Wrong PIN. Tries left: {tries_left}"),
        ],
        Notice::KeysFailed { .. } => {
            t("Кілттер жасалмады", "Не удалось создать ключи", "The keys could not be made")
        }
        Notice::InstallFailed { .. } => t(
            "Сертификаттар орнатылмады (құпиясөзді тексеріңіз)",
            "Сертификаты не установлены (проверьте пароль)",
            "The certificates could not be installed (check the password)",
        ),
        Notice::Interrupted => t(
            "Қолданба тоқтап қалды, қайта енгізіңіз",
            "Приложение прервалось, введите снова",
            "The app was interrupted; enter it again",
        ),
    })
}

/// Why an enrollment ended without certificates.
pub fn fail_reason(reason: &FailReason, lang: Lang) -> String {
    lang.pick(match reason {
        FailReason::Server(FailureReason::PhoneRegistrationRejected) => t(
            "Оператор телефонды тіркемеді",
            "Оператор отказал в регистрации телефона",
            "The operator refused to register the phone",
        ),
        FailReason::Server(FailureReason::TooManyCodeAttempts) => {
            t("Қате кодтар тым көп", "Слишком много неверных кодов", "Too many wrong codes")
        }
        FailReason::Server(FailureReason::SelfieAttemptsExhausted) => {
            t("Селфи әрекеттері таусылды", "Попытки селфи исчерпаны", "No selfie attempts are left")
        }
        FailReason::Server(FailureReason::ConsentRefused) => {
            t("Келісім берілмеді", "Согласие не дано", "Consent was refused")
        }
        FailReason::Server(FailureReason::PersonNotFound) => {
            t("Тұлға тізілімде табылмады", "Лицо не найдено в реестре", "The person is not in the registry")
        }
        FailReason::Server(FailureReason::IssuanceRefused) => {
            t("ҰКО сертификат бермеді", "НУЦ отказал в выпуске", "The NCA refused to issue")
        }
        FailReason::Server(FailureReason::CancelledByOperator) => {
            t("Оператор тоқтатты", "Отменено оператором", "Cancelled by the operator")
        }
        FailReason::SessionExpired => t("Сессия мерзімі өтті", "Сессия истекла", "The session expired"),
        FailReason::SessionNotFound => {
            t("Сессия табылмады", "Сессия не найдена", "The session was not found")
        }
        FailReason::Refused(code) => [
            format!("Сервер қабылдамады ({})", code.name()),
            format!("Сервер отказал ({})", code.name()),
            format!("The server refused ({})", code.name()),
        ],
        FailReason::KeysLost => t(
            "Кілттер жоғалды, қайта бастаңыз",
            "Ключи утеряны, начните заново",
            "The keys were lost; start again",
        ),
    })
}

/// What the citizen may do with a signing request, shown beside it.
pub fn verdict(verdict: &Verdict, lang: Lang) -> String {
    lang.pick(match verdict {
        Verdict::Open => t(
            "Кодты қызмет көрсеткен кодпен салыстырыңыз",
            "Сверьте код с кодом на сайте сервиса",
            "Compare the code with the one the service shows",
        ),
        Verdict::CodeMismatch { announced } => [
            format!("Тексеру коды сәйкес емес (сервер: {announced}): қол қоймаңыз"),
            format!("Код проверки не совпадает (сервер: {announced}): не подписывайте"),
            format!("The verification code does not match (server: {announced}): do not sign"),
        ],
        Verdict::Expired => t("Сұраудың мерзімі өтті", "Срок запроса истёк", "The request expired"),
        Verdict::Malformed(malformed) => malformed_text(*malformed),
    })
}

fn malformed_text(malformed: Malformed) -> [String; 3] {
    match malformed {
        Malformed::Digest | Malformed::Data | Malformed::AttachedWithoutData => t(
            "Сұрау бүлінген, оған қол қою мүмкін емес",
            "Запрос повреждён, подписать его нельзя",
            "The request is damaged and cannot be signed",
        ),
        Malformed::DataDigestMismatch => t(
            "Құжат өз хэшіне сәйкес емес: қол қоймаңыз",
            "Документ не совпадает со своим хэшем: не подписывайте",
            "The document does not match its hash: do not sign",
        ),
    }
}

/// Why a signing request could not be listed, approved or refused.
pub fn signing_error(error: &SigningError, lang: Lang) -> String {
    lang.pick(match error {
        SigningError::NotEnrolled(_) => {
            t("Бұл телефонда ЭЦҚ жоқ", "На этом телефоне нет ЭЦП", "There is no e-signature on this phone")
        }
        SigningError::NotRegistered => t(
            "Телефон қол қою сұрауларына тіркелмеген",
            "Телефон не зарегистрирован для запросов на подпись",
            "The phone is not registered for signing requests",
        ),
        SigningError::NotPending(_) => {
            t("Сұрау енді күтуде емес", "Запрос больше не ожидает ответа", "The request is no longer waiting")
        }
        SigningError::CodeMismatch { announced, computed } => [
            format!("Тексеру коды сәйкес емес ({announced} ≠ {computed}): сұрау қабылданбады"),
            format!("Код проверки не совпадает ({announced} ≠ {computed}): запрос отклонён"),
            format!("The verification code does not match ({announced} ≠ {computed}): not signed"),
        ],
        SigningError::Expired => t("Сұраудың мерзімі өтті", "Срок запроса истёк", "The request expired"),
        SigningError::Malformed(malformed) => malformed_text(*malformed),
        SigningError::WrongPin { tries_left } => [
            format!("PIN қате. Қалған әрекет: {tries_left}"),
            format!("Неверный PIN. Осталось попыток: {tries_left}"),
            format!("Wrong PIN. Tries left: {tries_left}"),
        ],
        SigningError::PinLocked { until } => [
            format!("PIN бұғатталды, {until} дейін"),
            format!("PIN заблокирован до {until}"),
            format!("The PIN is locked until {until}"),
        ],
        SigningError::Cancelled => t("Бас тартылды", "Отменено", "Cancelled"),
        SigningError::Prompt(_) => {
            t("PIN сұрау мүмкін болмады", "Не удалось запросить PIN", "The PIN could not be asked for")
        }
        SigningError::Keys(crate::keystore::KeyStoreError::WrongPassword) => {
            t("Құпиясөз қате", "Неверный пароль", "Wrong password")
        }
        SigningError::Keys(_) => t("Кілт қол қоя алмады", "Ключ не смог подписать", "The key could not sign"),
        SigningError::Store(_) => {
            t("Телефон жадында қате", "Ошибка хранилища телефона", "The phone's storage failed")
        }
        SigningError::Server(_) => t(
            "Серверге қосылу мүмкін болмады немесе ол бас тартты",
            "Сервер недоступен или отказал",
            "The server could not be reached or refused",
        ),
        SigningError::Signature(_) => {
            t("Қолтаңба жасалмады", "Не удалось создать подпись", "The signature could not be made")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use qoltanba_protocol::ErrorCode;

    fn all_langs(text: impl Fn(Lang) -> String) {
        let [kk, ru, en] = [Lang::Kk, Lang::Ru, Lang::En].map(&text);
        assert!(!kk.is_empty() && kk != ru && ru != en && kk != en, "{kk} | {ru} | {en}");
    }

    #[test]
    fn every_input_error_reads_differently_in_each_language() {
        let errors = [
            InputError::DeviceNotReady { camera_ok: false, network_ok: true },
            InputError::DeviceNotReady { camera_ok: true, network_ok: false },
            InputError::Iin(IinError::Length { got: 11 }),
            InputError::Iin(IinError::NotADigit { position: 3 }),
            InputError::Iin(IinError::CheckDigit { expected: 1, got: 2 }),
            InputError::Phone,
            InputError::SmsCode,
            InputError::PictureType,
            InputError::PictureTooLarge { size: 9, max: 5 * 1024 * 1024 },
            InputError::PinShape,
            InputError::PinWeak,
            InputError::PinConfirmation,
            InputError::Email,
            InputError::PasswordWeak { min_chars: 8 },
            InputError::PasswordConfirmation,
            InputError::PasswordEmpty,
        ];
        for error in &errors {
            all_langs(|lang| input_error(error, lang));
        }
        assert!(input_error(&errors[2], Lang::Ru).contains("11"));
    }

    #[test]
    fn notices_and_reasons_read_differently_in_each_language() {
        let notices = [
            Notice::CodeMismatch { tries_left: 2 },
            Notice::CodeExpired,
            Notice::RateLimited { retry_after_s: Some(30) },
            Notice::ServerUnavailable { retry_after_s: None },
            Notice::Network,
            Notice::Refused { code: ErrorCode::InvalidInput },
            Notice::WrongPin { tries_left: 3, locked_until: None },
            Notice::KeysFailed { detail: "x".into() },
            Notice::InstallFailed { detail: "x".into() },
            Notice::Interrupted,
        ];
        for n in &notices {
            all_langs(|lang| notice(n, lang));
        }
        assert!(notice(&notices[0], Lang::Kk).contains('2'));
        let reasons = [
            FailReason::Server(FailureReason::ConsentRefused),
            FailReason::Server(FailureReason::TooManyCodeAttempts),
            FailReason::SessionExpired,
            FailReason::SessionNotFound,
            FailReason::Refused(ErrorCode::Forbidden),
            FailReason::KeysLost,
        ];
        for r in &reasons {
            all_langs(|lang| fail_reason(r, lang));
        }
    }

    #[test]
    fn signing_errors_and_verdicts_read_differently_in_each_language() {
        let errors = [
            SigningError::NotEnrolled("SIGN"),
            SigningError::NotRegistered,
            SigningError::NotPending(uuid::Uuid::nil()),
            SigningError::CodeMismatch { announced: "1234".into(), computed: "5678".into() },
            SigningError::Expired,
            SigningError::Malformed(Malformed::DataDigestMismatch),
            SigningError::WrongPin { tries_left: 3 },
            SigningError::Cancelled,
            SigningError::Keys(crate::keystore::KeyStoreError::WrongPassword),
            SigningError::Signature("x".into()),
        ];
        for error in &errors {
            all_langs(|lang| signing_error(error, lang));
        }
        assert!(signing_error(&errors[3], Lang::Kk).contains("5678"));
        assert!(signing_error(&errors[6], Lang::Ru).contains('3'));
        let verdicts = [
            Verdict::Open,
            Verdict::CodeMismatch { announced: "0042".into() },
            Verdict::Expired,
            Verdict::Malformed(Malformed::Digest),
        ];
        for v in &verdicts {
            all_langs(|lang| verdict(v, lang));
        }
    }
}
