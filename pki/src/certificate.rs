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
