//! A typed view of an X.509 certificate, with the NCA purpose and holder classification.
//! (Being written; the signature of `CertificateView::from_certificate` is stable.)

use x509_cert::Certificate;

/// What a certificate shows about its holder and use.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CertificateView {
    /// The subject's common name.
    pub common_name: Option<String>,
}

impl CertificateView {
    /// Reads every field it can; a missing or malformed field becomes `None`, never an error.
    pub fn from_certificate(cert: &Certificate) -> Self {
        let _ = cert;
        Self { common_name: None }
    }
}

/// What a certificate is for, by NCA's profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Authentication (log in to egov): clientAuth, or policy 1.2.398.3.3.2.4 / .2.2.
    Auth,
    /// Signing: nonRepudiation, emailProtection, or policy 1.2.398.3.3.2.3 / .2.1.
    Sign,
    /// Neither (a CA certificate, a TLS server, …).
    Other,
}

/// Who holds a certificate, by NCA's extended key usages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// An individual (1.2.398.3.3.4.1.1).
    Individual,
    /// A legal entity's employee (1.2.398.3.3.4.1.2 and roles under it).
    LegalEntity,
}
