//! The console's cookies: reading one from the request, and `Set-Cookie` values that set or clear it
//! (`HttpOnly; SameSite=Strict; Path=/`, `Secure` behind https).

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use zeroize::Zeroizing;

/// The cookie that carries the pre-login CSRF token of the login form (double submit).
pub const LOGIN_CSRF_COOKIE: &str = "qoltanba_login_csrf";

/// The value of cookie `name`, if the request has it.
pub fn read(headers: &HeaderMap, name: &str) -> Option<Zeroizing<String>> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| Zeroizing::new(value.to_owned()))
}

/// A `Set-Cookie` value that stores `value` for `max_age_s` seconds.
pub fn set(name: &str, value: &str, max_age_s: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age_s}{secure}")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str, secure: bool) -> String {
    set(name, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn finds_the_named_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; qoltanba_operator=tok"));
        headers.append(COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(read(&headers, "qoltanba_operator").as_deref().map(String::as_str), Some("tok"));
        assert_eq!(read(&headers, "b").as_deref().map(String::as_str), Some("2"));
        assert!(read(&headers, "qoltanba").is_none());
    }

    #[test]
    fn set_cookie_has_the_protective_attributes() {
        let value = set("n", "v", 60, true);
        assert_eq!(value, "n=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure");
        assert!(!clear("n", false).contains("Secure"));
    }
}
