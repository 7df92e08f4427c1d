//! The console's words in Kazakh, Russian and English: one table per language, chosen by `?lang=`, then
//! `Accept-Language`, else Kazakh.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;

/// A console language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Қазақша (the default).
    Kk,
    /// Русский.
    Ru,
    /// English.
    En,
}

/// Every text the console shows.
#[derive(Debug)]
pub struct Texts {
    pub title: &'static str,
    pub login_heading: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub dashboard_heading: &'static str,
    pub signed_in_as: &'static str,
    pub phone_registrations: &'static str,
    pub selfie_reviews: &'static str,
    pub pending: &'static str,
    pub invalid_credentials: &'static str,
    pub locked_out: &'static str,
    pub form_expired: &'static str,
    pub language: &'static str,
    pub back: &'static str,
    pub iin: &'static str,
    pub phone: &'static str,
    pub opened_at: &'static str,
    pub attempt: &'static str,
    pub registry_photo: &'static str,
    pub selfie: &'static str,
    pub id_card_photo: &'static str,
    pub sms_code_heard: &'static str,
    pub approve: &'static str,
    pub reject: &'static str,
    pub reason: &'static str,
    pub nothing_pending: &'static str,
    pub decision_saved: &'static str,
    pub error_code_mismatch: &'static str,
    pub error_too_many_attempts: &'static str,
    pub error_code_expired: &'static str,
    pub error_conflict: &'static str,
    pub error_invalid_input: &'static str,
    pub error_session_expired: &'static str,
    pub error_other: &'static str,
    pub sms_outbox: &'static str,
    pub sender: &'static str,
    pub text: &'static str,
    pub sent_at: &'static str,
    pub nothing_sent: &'static str,
}

const KK: Texts = Texts {
    title: "Qoltanba — оператор консолі",
    login_heading: "Операторға кіру",
    username: "Пайдаланушы аты",
    password: "Құпиясөз",
    sign_in: "Кіру",
    sign_out: "Шығу",
    dashboard_heading: "Басқару тақтасы",
    signed_in_as: "Жүйеге кірген:",
    phone_registrations: "Телефон тіркеу өтінімдері",
    selfie_reviews: "Селфи тексерулері",
    pending: "Күтуде",
    invalid_credentials: "Пайдаланушы аты немесе құпиясөз қате.",
    locked_out: "Сәтсіз әрекеттер тым көп. Кейінірек қайталаңыз.",
    form_expired: "Форманың мерзімі өтті. Қайта көріңіз.",
    language: "Тіл",
    back: "← Басқару тақтасы",
    iin: "ЖСН",
    phone: "Телефон",
    opened_at: "Уақыты",
    attempt: "Әрекет",
    registry_photo: "Тізілімдегі фото",
    selfie: "Селфи",
    id_card_photo: "Жеке куәлік фотосы",
    sms_code_heard: "Азамат айтқан SMS-код",
    approve: "Мақұлдау",
    reject: "Қабылдамау",
    reason: "Себебі",
    nothing_pending: "Күтудегі ештеңе жоқ.",
    decision_saved: "Шешім сақталды.",
    error_code_mismatch: "Код сәйкес емес. Қалған әрекет саны:",
    error_too_many_attempts: "Қате кодтар тым көп: өтінім қабылданбады, сессия аяқталды.",
    error_code_expired: "Кодтың мерзімі өтті; азамат жаңа код сұрауы керек.",
    error_conflict: "Бұл өтінім бойынша шешім қабылданып қойған.",
    error_invalid_input: "Форманы тексеріңіз: бас тартуға себеп керек, код алты цифрдан тұрады.",
    error_session_expired: "Азаматтың сессиясының мерзімі өтті.",
    error_other: "Шешімді сақтау мүмкін болмады.",
    sms_outbox: "SMS шығыс жәшігі (әзірлеу режимі)",
    sender: "Жіберуші",
    text: "Мәтін",
    sent_at: "Жіберілді",
    nothing_sent: "Әлі ештеңе жіберілмеген.",
};

const RU: Texts = Texts {
    title: "Qoltanba — консоль оператора",
    login_heading: "Вход для оператора",
    username: "Имя пользователя",
    password: "Пароль",
    sign_in: "Войти",
    sign_out: "Выйти",
    dashboard_heading: "Панель управления",
    signed_in_as: "Вы вошли как:",
    phone_registrations: "Заявки на регистрацию телефона",
    selfie_reviews: "Проверка селфи",
    pending: "Ожидают",
    invalid_credentials: "Неверное имя пользователя или пароль.",
    locked_out: "Слишком много неудачных попыток. Повторите позже.",
    form_expired: "Срок действия формы истёк. Попробуйте ещё раз.",
    language: "Язык",
    back: "← Панель управления",
    iin: "ИИН",
    phone: "Телефон",
    opened_at: "Время",
    attempt: "Попытка",
    registry_photo: "Фото из реестра",
    selfie: "Селфи",
    id_card_photo: "Фото удостоверения личности",
    sms_code_heard: "SMS-код, названный гражданином",
    approve: "Одобрить",
    reject: "Отклонить",
    reason: "Причина",
    nothing_pending: "Ничего не ожидает решения.",
    decision_saved: "Решение сохранено.",
    error_code_mismatch: "Код не совпадает. Осталось попыток:",
    error_too_many_attempts: "Слишком много неверных кодов: заявка отклонена, сессия завершена.",
    error_code_expired: "Срок действия кода истёк; гражданину нужно запросить новый.",
    error_conflict: "По этой заявке уже принято решение.",
    error_invalid_input: "Проверьте форму: для отказа нужна причина, код состоит из шести цифр.",
    error_session_expired: "Сессия гражданина истекла.",
    error_other: "Не удалось сохранить решение.",
    sms_outbox: "Исходящие SMS (режим разработки)",
    sender: "Отправитель",
    text: "Текст",
    sent_at: "Отправлено",
    nothing_sent: "Ещё ничего не отправлено.",
};

const EN: Texts = Texts {
    title: "Qoltanba — operator console",
    login_heading: "Operator sign-in",
    username: "Username",
    password: "Password",
    sign_in: "Sign in",
    sign_out: "Sign out",
    dashboard_heading: "Dashboard",
    signed_in_as: "Signed in as:",
    phone_registrations: "Phone registrations",
    selfie_reviews: "Selfie reviews",
    pending: "Pending",
    invalid_credentials: "Invalid username or password.",
    locked_out: "Too many failed attempts. Try again later.",
    form_expired: "The form has expired. Please try again.",
    language: "Language",
    back: "← Dashboard",
    iin: "IIN",
    phone: "Phone",
    opened_at: "Time",
    attempt: "Attempt",
    registry_photo: "Registry photo",
    selfie: "Selfie",
    id_card_photo: "ID-card photo",
    sms_code_heard: "SMS code the citizen read out",
    approve: "Approve",
    reject: "Reject",
    reason: "Reason",
    nothing_pending: "Nothing is pending.",
    decision_saved: "The decision was saved.",
    error_code_mismatch: "The code does not match. Tries left:",
    error_too_many_attempts: "Too many wrong codes: the ticket was rejected and the session ended.",
    error_code_expired: "The code expired; the citizen must ask for a new one.",
    error_conflict: "This item was already decided.",
    error_invalid_input: "Check the form: a rejection needs a reason, a code has six digits.",
    error_session_expired: "The citizen's session expired.",
    error_other: "The decision could not be saved.",
    sms_outbox: "SMS outbox (development mode)",
    sender: "Sender",
    text: "Text",
    sent_at: "Sent",
    nothing_sent: "Nothing was sent yet.",
};

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// This language's texts.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Kk => &KK,
            Lang::Ru => &RU,
            Lang::En => &EN,
        }
    }

    /// The BCP 47 tag (`kk`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        Lang::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// `?lang=` if it names a language, else the best of `Accept-Language`, else Kazakh.
    pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Lang {
        query
            .and_then(Lang::from_tag)
            .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(accepted))
            .unwrap_or(Lang::Kk)
    }
}

/// The supported language with the highest `q` (the first among equals).
fn accepted(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for entry in header.split(',') {
        let mut parts = entry.split(';');
        let Some(lang) = parts.next().map(str::trim).and_then(Lang::from_tag) else { continue };
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((lang, q));
        }
    }
    best.map(|(lang, _)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_accept(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn query_wins_over_header_and_kazakh_is_default() {
        assert_eq!(Lang::negotiate(Some("en"), &with_accept("ru")), Lang::En);
        assert_eq!(Lang::negotiate(Some("xx"), &with_accept("ru-RU,ru;q=0.9")), Lang::Ru);
        assert_eq!(Lang::negotiate(None, &HeaderMap::new()), Lang::Kk);
    }

    #[test]
    fn header_is_ranked_by_quality() {
        assert_eq!(accepted("de, en;q=0.5, ru;q=0.8"), Some(Lang::Ru));
        assert_eq!(accepted("en;q=0, kk;q=0.1"), Some(Lang::Kk));
        assert_eq!(accepted("de, fr"), None);
    }
}
