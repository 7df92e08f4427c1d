//! PKCS#12 against real peers: the NCA test key stores, the `openssl` CLI and Java `keytool`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use der::{Decode, Encode};
use qoltanba_pki::pkcs12::{self, Entry, Format, KeyStore, Pkcs12Error, WriteOptions};
use qoltanba_pki::signer::Signer;
use x509_cert::Certificate;

const PASSWORD: &str = "Qwerty12";
const NCA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/nca-test");

/// Every NCA `.p12` with the SKI hex its file name carries.
fn nca_files() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for dir in ["personal-active", "organization-active"] {
        let dir = Path::new(NCA_DIR).join(dir);
        for entry in std::fs::read_dir(&dir).expect("NCA vectors present") {
            let path = entry.expect("directory entry").path();
            if path.extension().is_some_and(|e| e == "p12") {
                let stem = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 name").to_owned();
                let ski = stem.rsplit('_').next().expect("SKI in name").to_owned();
                files.push((path, ski));
            }
        }
    }
    assert_eq!(files.len(), 3, "expected the three NCA key stores");
    files
}

fn nca_sign() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        std::fs::read(
            Path::new(NCA_DIR).join("personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12"),
        )
        .expect("NCA SIGN key store")
    })
}

fn nca_store() -> KeyStore {
    pkcs12::read(nca_sign(), PASSWORD).expect("NCA store opens")
}

#[test]
fn opens_every_nca_key_store_with_its_ski_alias() {
    for (path, ski) in nca_files() {
        let bytes = std::fs::read(&path).expect("read p12");
        let store = pkcs12::read(&bytes, PASSWORD).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(store.entries.len(), 1, "{}", path.display());
        let entry = &store.entries[0];
        assert!(entry.has_private_key());
        assert_eq!(entry.alias.as_deref(), Some(ski.as_str()));
        assert_eq!(entry.local_key_id.as_deref().map(hex::encode), Some(ski.clone()));
        let cert = entry.certificate.as_ref().expect("certificate");
        let cer = std::fs::read(path.with_extension("cer")).expect("read .cer");
        let expected = <Certificate as der::DecodePem>::from_pem(&cer).expect("PEM certificate");
        assert_eq!(cert, &expected);
        let signer = entry.signer().expect("RSA signer");
        assert_eq!(
            signer.public_key().expect("public key").to_der().expect("der"),
            cert.tbs_certificate().subject_public_key_info().to_der().expect("der")
        );
    }
}

#[test]
fn rejects_wrong_password() {
    assert!(matches!(pkcs12::read(nca_sign(), "Qwerty13"), Err(Pkcs12Error::WrongPassword)));
    let modern = pkcs12::write(&nca_store(), "right", &fast(Format::Modern)).expect("write");
    assert!(matches!(pkcs12::read(&modern, "wrong"), Err(Pkcs12Error::WrongPassword)));
}

#[test]
fn reports_bad_mac_when_the_mac_is_altered() {
    let mut bytes = nca_sign().to_vec();
    let at = mac_digest_offset(&bytes);
    bytes[at] ^= 0x01;
    assert!(matches!(pkcs12::read(&bytes, PASSWORD), Err(Pkcs12Error::BadMac)));
}

#[test]
fn reports_bad_mac_when_the_content_is_altered() {
    // A byte inside the shrouded key's ciphertext: the certificate safe still decrypts.
    let mut bytes = nca_sign().to_vec();
    bytes[600] ^= 0x80;
    assert!(matches!(pkcs12::read(&bytes, PASSWORD), Err(Pkcs12Error::BadMac)));
}

#[test]
fn reports_truncated_files_as_truncated() {
    let bytes = nca_sign();
    for cut in 0..bytes.len() {
        match pkcs12::read(&bytes[..cut], PASSWORD) {
            Err(Pkcs12Error::Truncated) => {}
            Err(Pkcs12Error::Malformed(_)) if cut < 4 => {}
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn detects_every_single_byte_change_without_panicking() {
    let original = nca_sign();
    for at in (0..original.len()).step_by(3) {
        let mut bytes = original.to_vec();
        bytes[at] ^= 0x5a;
        assert!(pkcs12::read(&bytes, PASSWORD).is_err(), "change at {at} went unnoticed");
    }
}

#[test]
fn rejects_garbage_without_panicking() {
    for input in [&b""[..], b"\x30", b"\x30\x80", b"\x30\x80\x00\x00", b"not a key store", &[0xff; 64]] {
        assert!(pkcs12::read(input, PASSWORD).is_err());
    }
}

#[test]
fn refuses_passwords_outside_the_basic_multilingual_plane() {
    assert!(matches!(pkcs12::read(nca_sign(), "Qwerty12😀"), Err(Pkcs12Error::PasswordNotBmp)));
    assert!(matches!(
        pkcs12::write(&nca_store(), "😀", &fast(Format::Legacy)),
        Err(Pkcs12Error::PasswordNotBmp)
    ));
}

/// BER with every length indefinite and the authenticated safe as a constructed OCTET STRING in
/// two segments, as some Windows and Java tools write. Built from `der` encodings of the parts.
fn rewrite_as_constructed_ber(der_pfx: &[u8]) -> Vec<u8> {
    let pfx = ::pkcs12::Pfx::from_der(der_pfx).expect("DER PFX");
    let content =
        der::asn1::OctetString::from_der(&pfx.auth_safe.content.to_der().expect("der")).expect("octets");
    let (first, second) = content.as_bytes().split_at(content.as_bytes().len() / 2);
    let segment = |part: &[u8]| der::asn1::OctetString::new(part).expect("segment").to_der().expect("der");
    let eoc = [0u8, 0];
    let mut out = vec![0x30, 0x80];
    out.extend(::pkcs12::pfx::Version::V3.to_der().expect("der"));
    out.extend([0x30, 0x80]);
    out.extend(pfx.auth_safe.content_type.to_der().expect("der"));
    out.extend([0xA0, 0x80, 0x24, 0x80]);
    out.extend(segment(first));
    out.extend(segment(second));
    out.extend(eoc.repeat(3));
    out.extend(pfx.mac_data.expect("MAC").to_der().expect("der"));
    out.extend(eoc);
    out
}

#[test]
fn reads_constructed_indefinite_length_ber() {
    let store = nca_store();
    let der = pkcs12::write(&store, "p", &fast(Format::Modern)).expect("write");
    let ber = rewrite_as_constructed_ber(&der);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_temp(&dir, "ber.p12", &ber);
    // The fixture itself must be a valid key store for OpenSSL.
    let _ = ok("openssl", &["pkcs12", "-in", &file, "-passin", "pass:p", "-nodes", "-noout"], None);
    assert_same_store(&pkcs12::read(&ber, "p").expect("BER opens"), &store);
    assert!(matches!(
        pkcs12::read(&ber[..ber.len() - 1], "p"),
        Err(Pkcs12Error::Truncated | Pkcs12Error::Malformed(_))
    ));
}

fn fast(format: Format) -> WriteOptions {
    WriteOptions { format, iterations: 64 }
}

fn assert_same_store(read_back: &KeyStore, original: &KeyStore) {
    assert_eq!(read_back.entries.len(), original.entries.len());
    for (got, want) in read_back.entries.iter().zip(&original.entries) {
        assert_eq!(got.alias, want.alias);
        assert_eq!(got.local_key_id, want.local_key_id);
        assert_eq!(got.certificate, want.certificate);
        assert_eq!(got.private_key_pkcs8(), want.private_key_pkcs8());
    }
    assert_eq!(read_back.extra_certificates, original.extra_certificates);
}

#[test]
fn round_trips_both_formats() {
    let mut original = nca_store();
    original.extra_certificates.push(auth_certificate());
    for format in [Format::Modern, Format::Legacy] {
        let bytes = pkcs12::write(&original, "pass word ü", &fast(format)).expect("write");
        let read_back = pkcs12::read(&bytes, "pass word ü").expect("read back");
        assert_same_store(&read_back, &original);
    }
}

#[test]
fn writes_ski_as_default_key_id_and_pairs_by_it() {
    let nca = nca_store();
    let cert = nca.entries[0].certificate.clone();
    let key = zeroize::Zeroizing::new(nca.entries[0].private_key_pkcs8().expect("key").to_vec());
    let store =
        KeyStore { entries: vec![Entry::new(Some("mine".into()), cert, key)], extra_certificates: vec![] };
    let bytes = pkcs12::write(&store, "p", &fast(Format::Legacy)).expect("write");
    let read_back = pkcs12::read(&bytes, "p").expect("read");
    assert_eq!(read_back.entries[0].alias.as_deref(), Some("mine"));
    assert_eq!(read_back.entries[0].local_key_id, nca.entries[0].local_key_id);
}

#[test]
fn names_files_as_nca_does() {
    use qoltanba_pki::certificate::Purpose;
    for (path, ski) in nca_files() {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name").to_owned();
        let purpose = if name.starts_with("AUTH_") { Purpose::Auth } else { Purpose::Sign };
        assert_eq!(pkcs12::nca_file_name(purpose, &hex::decode(&ski).expect("hex")), name);
    }
}

// ---- peers -------------------------------------------------------------------------------------

fn auth_certificate() -> Certificate {
    let pem = std::fs::read(
        Path::new(NCA_DIR).join("personal-active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.cer"),
    )
    .expect("AUTH certificate");
    <Certificate as der::DecodePem>::from_pem(&pem).expect("PEM certificate")
}

/// Runs a peer tool; `None` (after saying so) when it is not installed.
fn run(program: &str, args: &[&str], stdin: Option<&[u8]>) -> Option<std::process::Output> {
    use std::io::Write;
    let mut command = Command::new(program);
    command.args(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    command.stdin(if stdin.is_some() { std::process::Stdio::piped() } else { std::process::Stdio::null() });
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("SKIPPED: `{program}` is not installed");
            return None;
        }
        Err(e) => panic!("{program}: {e}"),
    };
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input).expect("write stdin");
    }
    Some(child.wait_with_output().expect("tool runs"))
}

/// Runs a tool that must succeed; returns its stdout.
fn ok(program: &str, args: &[&str], stdin: Option<&[u8]>) -> Option<Vec<u8>> {
    let out = run(program, args, stdin)?;
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out.stdout)
}

fn spki_der(cert: &Certificate) -> Vec<u8> {
    cert.tbs_certificate().subject_public_key_info().to_der().expect("SPKI")
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path.to_str().expect("utf-8 path").to_owned()
}

/// What `openssl pkcs12` says about a file, and the public key of the private key it extracts.
fn openssl_open(file: &str, password: &str, legacy: bool) -> Option<(String, Vec<u8>)> {
    let pass = format!("pass:{password}");
    let mut args = vec!["pkcs12", "-in", file, "-passin", &pass, "-nodes", "-info"];
    if legacy {
        args.push("-legacy");
    }
    let out = run("openssl", &args, None)?;
    assert!(out.status.success(), "openssl pkcs12: {}", String::from_utf8_lossy(&out.stderr));
    let info = String::from_utf8_lossy(&out.stderr).to_string();
    let public = ok("openssl", &["pkey", "-pubout", "-outform", "DER"], Some(&out.stdout))?;
    Some((info, public))
}

#[test]
fn openssl_opens_our_modern_output() {
    let store = nca_store();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_temp(
        &dir,
        "modern.p12",
        &pkcs12::write(&store, "s3cret", &fast(Format::Modern)).expect("write"),
    );
    let Some((info, public)) = openssl_open(&file, "s3cret", false) else { return };
    assert!(info.contains("MAC: sha256"), "{info}");
    assert!(info.contains("PBES2, PBKDF2, AES-256-CBC"), "{info}");
    assert_eq!(public, spki_der(store.entries[0].certificate.as_ref().expect("cert")));
}

#[test]
fn openssl_opens_our_legacy_output() {
    let store = nca_store();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write_temp(
        &dir,
        "legacy.p12",
        &pkcs12::write(&store, "s3cret", &fast(Format::Legacy)).expect("write"),
    );
    let Some((info, public)) = openssl_open(&file, "s3cret", true) else { return };
    assert!(info.contains("MAC: sha1"), "{info}");
    assert!(info.contains("pbeWithSHA1And3-KeyTripleDES-CBC"), "{info}");
    assert!(info.contains("pbeWithSHA1And40BitRC2-CBC"), "{info}");
    assert_eq!(public, spki_der(store.entries[0].certificate.as_ref().expect("cert")));
}

/// The NCA key and certificate as one PEM file, extracted by OpenSSL itself.
fn nca_pem(dir: &tempfile::TempDir) -> Option<String> {
    let nca = write_temp(dir, "nca.p12", nca_sign());
    let pem = ok("openssl", &["pkcs12", "-legacy", "-in", &nca, "-passin", "pass:Qwerty12", "-nodes"], None)?;
    Some(write_temp(dir, "nca.pem", &pem))
}

#[test]
fn reads_openssl_exports_default_and_legacy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(pem) = nca_pem(&dir) else { return };
    let chain = write_temp(
        &dir,
        "auth.pem",
        &std::fs::read(
            Path::new(NCA_DIR)
                .join("personal-active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.cer"),
        )
        .expect("AUTH cert"),
    );
    let nca = nca_store();
    for legacy in [false, true] {
        let out = dir.path().join(format!("openssl-{legacy}.p12"));
        let out = out.to_str().expect("path");
        let mut args = vec![
            "pkcs12",
            "-export",
            "-in",
            &pem,
            "-certfile",
            &chain,
            "-name",
            "from openssl",
            "-out",
            out,
            "-passout",
            "pass:pw",
        ];
        if legacy {
            args.push("-legacy");
        }
        if ok("openssl", &args, None).is_none() {
            return;
        }
        let store =
            pkcs12::read(&std::fs::read(out).expect("read export"), "pw").expect("our reader opens it");
        assert_eq!(store.entries.len(), 1);
        assert_eq!(store.entries[0].alias.as_deref(), Some("from openssl"));
        assert_eq!(store.entries[0].certificate, nca.entries[0].certificate);
        assert_eq!(store.entries[0].private_key_pkcs8(), nca.entries[0].private_key_pkcs8());
        assert_eq!(store.extra_certificates, vec![auth_certificate()]);
    }
}

fn keytool_list(file: &str, password: &str) -> Option<String> {
    let out = ok(
        "keytool",
        &["-list", "-v", "-keystore", file, "-storetype", "PKCS12", "-storepass", password],
        None,
    )?;
    Some(String::from_utf8_lossy(&out).to_string())
}

#[test]
fn keytool_lists_our_output_as_private_key_entry() {
    let store = nca_store();
    let alias = store.entries[0].alias.clone().expect("alias");
    let dir = tempfile::tempdir().expect("temp dir");
    for format in [Format::Modern, Format::Legacy] {
        let file =
            write_temp(&dir, "ours.p12", &pkcs12::write(&store, "s3cret", &fast(format)).expect("write"));
        let Some(listing) = keytool_list(&file, "s3cret") else { return };
        assert!(listing.contains("Entry type: PrivateKeyEntry"), "{format:?}: {listing}");
        assert!(listing.contains(&format!("Alias name: {alias}")), "{format:?}: {listing}");
    }
}

#[test]
fn reads_keytool_genkeypair_store() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("java.p12");
    let file = file.to_str().expect("path");
    let args = [
        "-genkeypair",
        "-storetype",
        "PKCS12",
        "-keystore",
        file,
        "-storepass",
        "javapass",
        "-alias",
        "javakey",
        "-keyalg",
        "EC",
        "-dname",
        "CN=Java Test",
        "-validity",
        "10",
    ];
    if ok("keytool", &args, None).is_none() {
        return;
    }
    let store = pkcs12::read(&std::fs::read(file).expect("read"), "javapass").expect("our reader opens it");
    assert_eq!(store.entries.len(), 1);
    let entry = &store.entries[0];
    assert_eq!(entry.alias.as_deref(), Some("javakey"));
    assert!(entry.has_private_key());
    let cert = entry.certificate.as_ref().expect("certificate");
    assert_eq!(cert.tbs_certificate().subject().to_string(), "CN=Java Test");
    assert!(matches!(entry.signer(), Err(Pkcs12Error::UnusableKey)), "an EC key is not an RSA signer");
    assert!(matches!(
        pkcs12::read(&std::fs::read(file).expect("read"), "nope"),
        Err(Pkcs12Error::WrongPassword)
    ));
}

#[test]
fn reads_stores_keytool_rewrites_from_ours() {
    let store = nca_store();
    let dir = tempfile::tempdir().expect("temp dir");
    let ours =
        write_temp(&dir, "ours.p12", &pkcs12::write(&store, "s3cret", &fast(Format::Modern)).expect("write"));
    for legacy in [false, true] {
        let dest = dir.path().join(format!("java-{legacy}.p12"));
        let dest = dest.to_str().expect("path");
        let mut args = vec![];
        if legacy {
            args.push("-J-Dkeystore.pkcs12.legacy");
        }
        args.extend([
            "-importkeystore",
            "-srckeystore",
            &ours,
            "-srcstoretype",
            "PKCS12",
            "-srcstorepass",
            "s3cret",
            "-destkeystore",
            dest,
            "-deststoretype",
            "PKCS12",
            "-deststorepass",
            "javapass",
            "-noprompt",
        ]);
        if ok("keytool", &args, None).is_none() {
            return;
        }
        let java =
            pkcs12::read(&std::fs::read(dest).expect("read"), "javapass").expect("our reader opens it");
        assert_eq!(java.entries.len(), 1, "legacy={legacy}");
        assert_eq!(java.entries[0].alias, store.entries[0].alias);
        assert_eq!(java.entries[0].certificate, store.entries[0].certificate);
        let signer = java.entries[0].signer().expect("RSA signer");
        let signature = signer.sign(b"asdasd").expect("sign");
        assert_eq!(signature, store.entries[0].signer().expect("signer").sign(b"asdasd").expect("sign"));
    }
}

/// Offset of the first byte of the MAC value in a PFX.
fn mac_digest_offset(bytes: &[u8]) -> usize {
    let pfx = ::pkcs12::Pfx::from_der(bytes).expect("DER PFX");
    let digest = pfx.mac_data.expect("MAC").mac.digest.as_bytes().to_vec();
    bytes.windows(digest.len()).rposition(|w| w == digest.as_slice()).expect("digest in file")
}
