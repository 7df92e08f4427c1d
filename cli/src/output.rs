//! Printing: stable JSON (`--json`) or short human text.

use qoltanba_pki::certificate::CertificateView;
use serde::Serialize;

/// Prints a value as pretty JSON on stdout.
pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("qoltanba: cannot encode JSON: {e}"),
    }
}

/// Human lines for one certificate, indented by `indent` spaces.
pub fn certificate(view: &CertificateView, indent: usize) {
    let pad = " ".repeat(indent);
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    println!("{pad}subject:     {}", view.subject);
    println!("{pad}purpose:     {:?} ({:?})", view.purpose, view.holder);
    println!("{pad}name:        {}", or_dash(&view.common_name));
    println!("{pad}patronymic:  {}", or_dash(&view.patronymic));
    println!("{pad}IIN:         {}", or_dash(&view.iin));
    if view.bin.is_some() {
        println!("{pad}BIN:         {}", or_dash(&view.bin));
        println!("{pad}organisation: {}", or_dash(&view.organization));
    }
    println!("{pad}e-mail:      {}", or_dash(&view.email));
    println!("{pad}issuer:      {}", view.issuer);
    println!("{pad}serial:      {}", view.serial_hex);
    println!("{pad}SKI:         {}", or_dash(&view.ski_hex));
    println!("{pad}valid:       {} .. {}", rfc3339(view.not_before), rfc3339(view.not_after));
    println!("{pad}key:         {}", view.key);
}

/// RFC 3339 text of a time (never fails for certificate times).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| t.to_string())
}
