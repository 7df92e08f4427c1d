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
