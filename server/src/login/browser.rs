//! A short, human summary of a browser from its User-Agent (`Firefox 128 on Linux`), for the phone.

/// Browsers by the token that names them, most specific first (Edge and Opera also say Chrome).
const BROWSERS: [(&str, &str); 6] = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("YaBrowser/", "Yandex Browser"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Version/", "Safari"),
];
/// Systems by the token that names them, most specific first (Android also says Linux).
const SYSTEMS: [(&str, &str); 6] = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
];
/// The longest summary kept (a User-Agent is attacker-chosen).
const MAX_CHARS: usize = 60;

/// `Browser major on System`, or what is known of it; `unknown browser` when nothing is.
pub fn summary(user_agent: &str) -> String {
    let browser = BROWSERS.iter().find_map(|(token, name)| {
        let rest = &user_agent[user_agent.find(token)? + token.len()..];
        let major: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some(if major.is_empty() { (*name).to_owned() } else { format!("{name} {major}") })
    });
    let system = SYSTEMS.iter().find(|(token, _)| user_agent.contains(token)).map(|(_, name)| *name);
    let text = match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b,
        (None, Some(s)) => format!("a browser on {s}"),
        (None, None) => "unknown browser".to_owned(),
    };
    text.chars().take(MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_common_browsers_with_their_major_version_and_system() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(summary(firefox), "Firefox 128 on Linux");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                    Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87";
        assert_eq!(summary(edge), "Edge 126 on Windows");
        let chrome_android = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile";
        assert_eq!(summary(chrome_android), "Chrome 126 on Android");
    }

    #[test]
    fn unknown_agents_get_a_plain_summary() {
        assert_eq!(summary(""), "unknown browser");
        assert_eq!(summary("curl/8.5.0"), "unknown browser");
    }
}
