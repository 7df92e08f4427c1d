//! `qoltanba inspect FILE`: what a key store, a certificate or a signature holds.

use super::{Outcome, read};
use crate::error::CliError;
use crate::output;
use qoltanba_pki::certificate::CertificateView;
use serde::Serialize;
use std::path::Path;

/// One entry of a key store, as printed.
#[derive(Serialize)]
struct EntryView {
    alias: Option<String>,
    has_private_key: bool,
    certificate: Option<CertificateView>,
}

/// A key store, as printed.
#[derive(Serialize)]
struct KeyStoreView {
    entries: Vec<EntryView>,
}

/// What the file turned out to be.
enum Content {
    Certificate(Box<CertificateView>),
    KeyStore(KeyStoreView),
    Signature(super::verify::Report),
}

pub fn run(path: &Path, password: Option<String>, json: bool) -> Result<Outcome, CliError> {
    let bytes = read(path)?;
    match identify(path, &bytes, password)? {
        Content::Certificate(view) if json => output::json(&view),
        Content::Certificate(view) => output::certificate(&view, 0),
        Content::KeyStore(store) if json => output::json(&store),
        Content::KeyStore(store) => print_key_store(&store),
        Content::Signature(report) if json => output::json(&report),
        Content::Signature(report) => report.print(),
    }
    Ok(Outcome::Success)
}

/// Certificates and signatures are recognised by content; anything else is tried as PKCS#12.
fn identify(path: &Path, bytes: &[u8], password: Option<String>) -> Result<Content, CliError> {
    if let Ok((_, view)) = CertificateView::parse(bytes) {
        return Ok(Content::Certificate(Box::new(view)));
    }
    if let Some(report) = super::verify::inspect_signature(bytes) {
        return Ok(Content::Signature(report));
    }
    let password = crate::password::resolve(password, &path.display().to_string()).map_err(|_| {
        CliError::Usage(format!(
            "{}: not a certificate or a signature; if it is a .p12 key store, give --password",
            path.display()
        ))
    })?;
    let store = qoltanba_pki::pkcs12::read(bytes, &password)
        .map_err(|source| CliError::KeyStore { path: path.to_owned(), source })?;
    let entries = store
        .entries
        .iter()
        .map(|e| EntryView {
            alias: e.alias.clone(),
            has_private_key: e.has_private_key(),
            certificate: e.certificate.as_ref().map(CertificateView::from_certificate),
        })
        .collect();
    Ok(Content::KeyStore(KeyStoreView { entries }))
}

fn print_key_store(store: &KeyStoreView) {
    for entry in &store.entries {
        let key = if entry.has_private_key { "private key + certificate" } else { "certificate" };
        println!("entry {} ({key})", entry.alias.as_deref().unwrap_or("-"));
        if let Some(cert) = &entry.certificate {
            output::certificate(cert, 2);
        }
    }
}
