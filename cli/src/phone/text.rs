//! The terminal phone's words in Kazakh, Russian and English.

use clap::ValueEnum;

/// The language of the prompts (`--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Lang {
    /// Қазақ тілі.
    Kk,
    /// Русский.
    Ru,
    /// English.
    #[default]
    En,
}

impl From<Lang> for qoltanba_core::text::Lang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Kk => Self::Kk,
            Lang::Ru => Self::Ru,
            Lang::En => Self::En,
        }
    }
}

/// Something the terminal phone says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    DeviceCheck,
    Iin,
    Phone,
    SmsCode,
    TriesLeft,
    Selfie,
    IdCard,
    ChoosePin,
    RepeatPin,
    EnterPin,
    Consent,
    YourData,
    Email,
    KeyStorage,
    Password,
    RepeatPassword,
    WaitingOperator,
    WaitingReview,
    GeneratingKeys,
    Issuing,
    Done,
    Failed,
    NoRequests,
    Document,
    Bytes,
    DigestOnly,
    Signed,
    Refused,
}

impl Text {
    /// The words in `lang`.
    pub fn in_lang(self, lang: Lang) -> &'static str {
        let [kk, ru, en] = self.all();
        match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    fn all(self) -> [&'static str; 3] {
        match self {
            Self::DeviceCheck => ["Құрылғы тексерілуде", "Проверка устройства", "Checking the device"],
            Self::Iin => ["ЖСН енгізіңіз", "Введите ИИН", "Enter your IIN"],
            Self::Phone => [
                "Телефон нөмірін енгізіңіз (+7…)",
                "Введите номер телефона (+7…)",
                "Enter your phone number (+7…)",
            ],
            Self::SmsCode => {
                ["1414-тен келген кодты енгізіңіз", "Введите код из SMS от 1414", "Enter the code from 1414"]
            }
            Self::TriesLeft => ["қалған әрекет", "осталось попыток", "tries left"],
            Self::Selfie => ["Селфи файлы", "Файл селфи", "Selfie picture file"],
            Self::IdCard => {
                ["Жеке куәлік фотосының файлы", "Файл фото удостоверения личности", "ID card photo file"]
            }
            Self::ChoosePin => {
                ["4 таңбалы PIN ойлап табыңыз", "Придумайте PIN из 4 цифр", "Choose a 4-digit PIN"]
            }
            Self::RepeatPin => ["PIN-ді қайталаңыз", "Повторите PIN", "Repeat the PIN"],
            Self::EnterPin => ["PIN енгізіңіз", "Введите PIN", "Enter your PIN"],
            Self::Consent => [
                "ҰКО-ның дербес деректерді өңдеуіне келісесіз бе? [и/ж]",
                "Согласны на обработку персональных данных НУЦ? [д/н]",
                "Do you consent to the NCA processing your personal data? [y/n]",
            ],
            Self::YourData => ["Сіздің деректеріңіз", "Ваши данные", "Your data"],
            Self::Email => ["Электрондық пошта", "Электронная почта", "E-mail address"],
            Self::KeyStorage => [
                "Кілттерді қайда сақтау керек? [file/hardware]",
                "Где хранить ключи? [file/hardware]",
                "Where should the keys be kept? [file/hardware]",
            ],
            Self::Password => {
                ["Кілт файлдарының құпиясөзі", "Пароль для файлов ключей", "Password for the key files"]
            }
            Self::RepeatPassword => ["Құпиясөзді қайталаңыз", "Повторите пароль", "Repeat the password"],
            Self::WaitingOperator => [
                "Оператор бейне қоңырауда телефонды тіркейді…",
                "Оператор регистрирует телефон по видеосвязи…",
                "The operator registers your phone on the video call…",
            ],
            Self::WaitingReview => {
                ["Селфи тексерілуде…", "Селфи проверяется…", "Your selfie is being checked…"]
            }
            Self::GeneratingKeys => [
                "Кілттер құрылғыда жасалуда…",
                "Ключи создаются на устройстве…",
                "Generating the keys on this device…",
            ],
            Self::Issuing => {
                ["Сертификаттар шығарылуда…", "Выпуск сертификатов…", "Issuing the certificates…"]
            }
            Self::Done => ["ЭЦҚ дайын", "ЭЦП готова", "Your e-signature is ready"],
            Self::Failed => ["Тіркеу тоқтатылды", "Регистрация прервана", "Enrollment ended"],
            Self::NoRequests => ["Қол қою сұраулары жоқ", "Запросов на подпись нет", "No signing requests"],
            Self::Document => ["Құжат", "Документ", "Document"],
            Self::Bytes => ["байт", "байт(а)", "bytes"],
            Self::DigestOnly => ["тек хэші", "только хэш", "digest only"],
            Self::Signed => ["Қол қойылды", "Подписано", "Signed"],
            Self::Refused => ["Бас тартылды", "Отклонено", "Refused"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_differs_between_languages() {
        let all = [
            Text::DeviceCheck,
            Text::Iin,
            Text::Phone,
            Text::SmsCode,
            Text::TriesLeft,
            Text::Selfie,
            Text::IdCard,
            Text::ChoosePin,
            Text::RepeatPin,
            Text::EnterPin,
            Text::Consent,
            Text::YourData,
            Text::Email,
            Text::KeyStorage,
            Text::Password,
            Text::RepeatPassword,
            Text::WaitingOperator,
            Text::WaitingReview,
            Text::GeneratingKeys,
            Text::Issuing,
            Text::Done,
            Text::Failed,
            Text::NoRequests,
            Text::Document,
            Text::Bytes,
            Text::DigestOnly,
            Text::Signed,
            Text::Refused,
        ];
        for text in all {
            let [kk, ru, en] = text.all();
            assert!(kk != ru && ru != en && kk != en, "{text:?}");
        }
    }
}
