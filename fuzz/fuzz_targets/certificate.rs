//! Any bytes through the certificate reader (DER, PEM, base64): errors are fine, panics are not.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = qoltanba_pki::certificate::CertificateView::parse(data);
    let _ = qoltanba_pki::certificate::parse_certificates(data);
});
