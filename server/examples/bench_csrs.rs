//! Material for `bench/issuance`: the seeded citizens that have a registered phone, and `N` CSR pairs
//! (AUTH, SIGN; base64 DER) made ahead of time from `KEYS` RSA-2048 key pairs used in turn (key
//! generation is not what the bench measures). Prints one JSON document:
//! `{"citizens": [{"iin", "phone"}], "csrs": [{"auth", "sign"}]}`.
//!
//! Usage: `bench_csrs N [KEYS]` (KEYS defaults to 8).

use base64::Engine;
use qoltanba_pki::csr::{self, SubjectName};
use qoltanba_pki::key;
use qoltanba_pki::signer::SoftwareSigner;
use qoltanba_pki::x509::der::Encode;
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().ok_or("usage: bench_csrs N [KEYS]")?.parse()?;
    let keys: usize = args.next().map(|k| k.parse()).transpose()?.unwrap_or(8).max(1);
    let signers = (0..keys * 2)
        .map(|_| Ok(SoftwareSigner::new(key::generate_rsa(key::DEFAULT_RSA_BITS)?)?))
        .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
    let subject = SubjectName::new("BENCH", "BENCH", "000000000000");
    let base64 = |der: Vec<u8>| base64::engine::general_purpose::STANDARD.encode(der);
    let mut csrs = Vec::with_capacity(count);
    for i in 0..count {
        let pair = i % keys;
        let auth = csr::build(&subject, &signers[2 * pair])?.to_der()?;
        let sign = csr::build(&subject, &signers[2 * pair + 1])?.to_der()?;
        csrs.push(json!({ "auth": base64(auth), "sign": base64(sign) }));
    }
    let citizens: Vec<_> = qoltanba_server::seed::demo_records()
        .into_iter()
        .filter_map(|(citizen, phone)| phone.map(|p| json!({ "iin": citizen.iin, "phone": p })))
        .collect();
    println!("{}", json!({ "citizens": citizens, "csrs": csrs }));
    Ok(())
}
