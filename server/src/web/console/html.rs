//! HTML: escaping, and the one layout every console page shares. Every value from outside goes
//! through [`escape`].

use super::i18n::Lang;

/// `text` with `& < > " '` replaced by entities: safe in element content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A whole page: header with the title and the language switcher (links back to `path`), then `main`
/// (already escaped HTML).
pub fn page(lang: Lang, path: &str, main: &str) -> String {
    let texts = lang.texts();
    let switcher: String = Lang::ALL
        .into_iter()
        .map(|l| {
            let current = if l == lang { " aria-current=\"true\"" } else { "" };
            format!(
                "<a href=\"{}?lang={}\" hreflang=\"{}\"{current}>{}</a>",
                escape(path),
                l.tag(),
                l.tag(),
                escape(l.native_name())
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{tag}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{style}\"></head>\
         <body><header><span class=\"brand\">{title}</span>\
         <nav aria-label=\"{language}\">{switcher}</nav></header><main>{main}</main></body></html>\n",
        tag = lang.tag(),
        title = escape(texts.title),
        style = super::pages::STYLE_PATH,
        language = escape(texts.language),
    )
}

/// The console's stylesheet: a clean egov-like look (white cards on a light grey page, a blue bar).
pub const STYLE: &str = "\
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;background:#f3f5f8;color:#1b2a3a}\
header{display:flex;justify-content:space-between;align-items:center;background:#0a4f9e;color:#fff;padding:.8rem 1.5rem}\
header .brand{font-weight:600}header nav a{color:#dbe8f7;margin-left:1rem;text-decoration:none}\
header nav a[aria-current]{color:#fff;font-weight:600;border-bottom:2px solid #f5c400}\
main{max-width:60rem;margin:2rem auto;padding:0 1rem}\
.card{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:1.5rem;margin-bottom:1.5rem}\
.narrow{max-width:24rem;margin:0 auto}h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem}\
label{display:block;margin:.8rem 0 .3rem}input[type=text],input[type=password]{width:100%;box-sizing:border-box;\
padding:.6rem;border:1px solid #b8c4d0;border-radius:6px;font-size:1rem}\
button{margin-top:1.2rem;background:#0a4f9e;color:#fff;border:0;border-radius:6px;padding:.6rem 1.4rem;font-size:1rem;cursor:pointer}\
button.secondary{background:#fff;color:#0a4f9e;border:1px solid #0a4f9e}\
.error{background:#fdecec;color:#9b1c1c;border:1px solid #f5c2c2;border-radius:6px;padding:.6rem}\
.count{font-size:2rem;font-weight:600;color:#0a4f9e}.row{display:flex;gap:1.5rem;flex-wrap:wrap}.row .card{flex:1}\
.row form{flex:1;min-width:14rem}a{color:#0a4f9e}\
.notice{background:#e8f4ec;color:#1d5e33;border:1px solid #b9dcc5;border-radius:6px;padding:.6rem}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{color:#5a6b7c}dd{margin:0}\
.photos{display:flex;gap:1rem;flex-wrap:wrap}figure{margin:0}figcaption{font-size:.9rem;color:#5a6b7c;text-align:center}\
figure img{width:14rem;height:14rem;object-fit:cover;border:1px solid #dde3ea;border-radius:6px;background:#f3f5f8}\
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #dde3ea;vertical-align:top}\
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape("<a href='x'>\"&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;");
    }
}
