//! Software RSA-2048 key generation speed, for `bench/core-enroll`: generates N keys (default 9, or the
//! first argument) with `qoltanba_pki::key::generate_rsa` and prints `keygen_rust_median_ms=<ms>`.

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(9);
    let mut millis: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            qoltanba_pki::key::generate_rsa(2048).map(|_| start.elapsed().as_secs_f64() * 1000.0)
        })
        .collect::<Result<_, _>>()?;
    millis.sort_by(f64::total_cmp);
    let median = millis.get(millis.len() / 2).ok_or("no runs")?;
    println!("keygen_rust_median_ms={median:.1}");
    Ok(())
}
