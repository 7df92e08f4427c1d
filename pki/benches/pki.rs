//! Speed of the operations a phone and a CA repeat: CMS sign/verify, PKCS#12 open/write, certificate
//! reading. Run by `bench/pki.sh`, which prints `name=value` lines.

use criterion::{Criterion, criterion_group, criterion_main};
use qoltanba_pki::certificate::CertificateView;
use qoltanba_pki::cms::{self, SignOptions};
use qoltanba_pki::pkcs12::{self, WriteOptions};
use std::hint::black_box;

const NCA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/nca-test/personal-active");
const P12: &str = "RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12";
const CER: &str = "RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cer";

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{NCA}/{name}")).expect("the NCA test vectors are at ../shared")
}

fn benches(c: &mut Criterion) {
    let p12 = read(P12);
    let store = pkcs12::read(&p12, "Qwerty12").expect("NCA key store opens");
    let entry = &store.entries[0];
    let signer = entry.signer().expect("RSA key");
    let cert = entry.certificate.clone().expect("certificate");
    let document = vec![0x5a; 64 * 1024];
    let options = SignOptions { detached: false, signing_time: time::OffsetDateTime::UNIX_EPOCH };
    let signed = cms::sign(&document, &signer, &cert, &[], &options).expect("signs");
    let cer = read(CER);

    c.bench_function("certificate_view", |b| b.iter(|| CertificateView::parse(black_box(&cer))));
    c.bench_function("pkcs12_read_nca", |b| b.iter(|| pkcs12::read(black_box(&p12), "Qwerty12")));
    c.bench_function("pkcs12_write_modern", |b| {
        b.iter(|| pkcs12::write(black_box(&store), "Qwerty12", &WriteOptions::default()))
    });
    c.bench_function("cms_sign_64k", |b| {
        b.iter(|| cms::sign(black_box(&document), &signer, &cert, &[], &options))
    });
    c.bench_function("cms_verify_64k", |b| b.iter(|| cms::verify(black_box(&signed), None)));
}

criterion_group!(pki, benches);
criterion_main!(pki);
