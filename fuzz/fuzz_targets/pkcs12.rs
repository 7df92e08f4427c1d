//! Any bytes through the PKCS#12 reader, with the NCA test password (so that decryption paths run).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = qoltanba_pki::pkcs12::read(data, "Qwerty12");
});
