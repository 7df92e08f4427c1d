//! Any bytes through CMS SignedData verification, attached and detached.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = qoltanba_pki::cms::verify(data, None);
    let _ = qoltanba_pki::cms::verify(data, Some(b"asdasd"));
});
