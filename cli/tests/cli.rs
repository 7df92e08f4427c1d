//! The `qoltanba` command end to end: NCA's own files in, openssl as the independent judge.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use tempfile::TempDir;

const NCA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vectors/nca-test");
const PASSWORD: &str = "Qwerty12";
const SIGN_P12: &str = "personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.p12";
const SIGN_CMS: &str = "personal-active/RSA256_11c707bd54cbfcccb3815e39c4eb57b1dc7dfea9.cms";
const AUTH_P12: &str = "personal-active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12";
const AUTH_CMS: &str = "personal-active/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.cms";
const ORG_P12: &str = "organization-active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.p12";
const ORG_CMS: &str = "organization-active/AUTH_RSA256_d682726b55b3e62600ea8fe1c74e75fc96f47790.cms";
/// Inside the NCA test certificates' validity (2020-01-28 .. 2021-01-27).
const AT: &str = "2020-06-01T00:00:00Z";

fn nca(name: &str) -> PathBuf {
    Path::new(NCA).join(name)
}

fn qoltanba() -> Command {
    Command::cargo_bin("qoltanba").expect("the qoltanba binary is built")
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// stderr must be exactly one line starting `qoltanba:`.
fn assert_one_line_error(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "stderr: {err}");
    assert!(err.starts_with("qoltanba: "), "stderr: {err}");
    err
}

fn openssl(args: &[&str]) -> std::process::Output {
    Process::new("openssl").args(args).output().expect("openssl runs")
}

/// Signs `content` with the NCA SIGN key through the CLI; returns the signature path.
fn sign(dir: &TempDir, content: &[u8], extra: &[&str]) -> (PathBuf, PathBuf) {
    let data = dir.path().join("document.txt");
    std::fs::write(&data, content).unwrap();
    let sig = dir.path().join(format!("document{}.p7s", extra.join("")));
    qoltanba()
        .arg("sign")
        .arg(&data)
        .arg("--key")
        .arg(nca(SIGN_P12))
        .args(["--password", PASSWORD, "-o"])
        .arg(&sig)
        .args(extra)
        .assert()
        .success();
    (data, sig)
}

#[test]
fn inspect_classifies_every_nca_key_store() {
    for (file, purpose, holder, bin) in [
        (SIGN_P12, "sign", "individual", Value::Null),
        (AUTH_P12, "auth", "individual", Value::Null),
        (ORG_P12, "auth", "legal_entity", Value::from("123456789021")),
    ] {
        let out = qoltanba()
            .arg("inspect")
            .arg(nca(file))
            .args(["--password", PASSWORD, "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
        let v = json(&out);
        let entries = v["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), 1, "{file}");
        let entry = &entries[0];
        let ski = file.rsplit('_').next().unwrap().trim_end_matches(".p12");
        assert_eq!(entry["alias"], ski, "{file}");
        assert_eq!(entry["has_private_key"], true);
        let cert = &entry["certificate"];
        assert_eq!(cert["purpose"], purpose, "{file}");
        assert_eq!(cert["holder"], holder, "{file}");
        assert_eq!(cert["bin"], bin, "{file}");
        assert_eq!(cert["iin"], "123456789011");
        assert_eq!(cert["ski_hex"], ski);
        assert_eq!(cert["key"], "RSA-2048");
        assert!(cert["not_after"].as_str().unwrap().starts_with("2021-01-27T"), "{file}");
    }
}

#[test]
fn inspect_reads_certificates_and_signatures() {
    let out =
        qoltanba().arg("inspect").arg(nca(&SIGN_P12.replace(".p12", ".cer"))).arg("--json").output().unwrap();
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["purpose"], "sign");
    assert_eq!(v["common_name"], "ТЕСТОВ ТЕСТ");
    assert_eq!(v["patronymic"], "ТЕСТОВИЧ");
    assert_eq!(v["issuer_cn"], "ҰКО 3.0 (RSA TEST)");
    assert_eq!(v["not_before"], "2020-01-28T06:23:04Z");

    let out = qoltanba().arg("inspect").arg(nca(SIGN_CMS)).arg("--json").output().unwrap();
    assert!(out.status.success());
    let v = json(&out);
    assert_eq!(v["signature"], "valid");
    assert_eq!(v["chain"], "not_checked");
    assert_eq!(v["signers"][0]["purpose"], "sign");
}

#[test]
fn inspect_of_key_store_without_password_is_an_error() {
    let out = qoltanba().arg("inspect").arg(nca(SIGN_P12)).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(assert_one_line_error(&out).contains("--password"));
}

#[test]
fn verifies_every_nca_signature() {
    for file in [SIGN_CMS, AUTH_CMS, ORG_CMS] {
        let dir = TempDir::new().unwrap();
        let content = dir.path().join("content");
        let out = qoltanba()
            .arg("verify")
            .arg(nca(file))
            .args(["--at", AT, "--json", "--extract"])
            .arg(&content)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}: {}", String::from_utf8_lossy(&out.stderr));
        let v = json(&out);
        assert_eq!(v["signature"], "valid", "{file}");
        assert_eq!(v["chain"], "not_checked");
        assert_eq!(v["signers"][0]["iin"], "123456789011");
        assert_eq!(std::fs::read(&content).unwrap(), b"asdasd");
    }
}

#[test]
fn untrusted_anchor_gives_exit_one() {
    let dir = TempDir::new().unwrap();
    let ca = dir.path().join("other-ca.pem");
    let key = dir.path().join("other-ca.key");
    let made = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=Not NCA",
        "-days",
        "2",
        "-keyout",
        key.to_str().unwrap(),
        "-out",
        ca.to_str().unwrap(),
    ]);
    assert!(made.status.success());
    let out = qoltanba()
        .arg("verify")
        .arg(nca(SIGN_CMS))
        .args(["--at", AT, "--json", "--trust"])
        .arg(&ca)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["signature"], "valid");
    assert_eq!(v["chain"], "untrusted");
    assert_one_line_error(&out);
}

#[test]
fn attached_signature_verifies_with_openssl_and_with_us() {
    let dir = TempDir::new().unwrap();
    let (_, sig) = sign(&dir, "қолтаңба – signed text\n".as_bytes(), &[]);
    let out_path = dir.path().join("out.txt");
    let out = openssl(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-noverify",
        "-in",
        sig.to_str().unwrap(),
        "-out",
        out_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&out_path).unwrap(), "қолтаңба – signed text\n".as_bytes());
    let printed = openssl(&["cms", "-cmsout", "-print", "-inform", "DER", "-in", sig.to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&printed.stdout);
    for attribute in ["contentType", "signingTime", "messageDigest", "id-smime-aa-signingCertificateV2"] {
        assert!(printed.contains(attribute), "missing {attribute}");
    }
    qoltanba().arg("verify").arg(&sig).assert().code(0);
}

#[test]
fn detached_signature_verifies_with_openssl_and_with_us() {
    let dir = TempDir::new().unwrap();
    let (data, sig) = sign(&dir, b"detached content", &["--detached"]);
    let out = openssl(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-noverify",
        "-in",
        sig.to_str().unwrap(),
        "-content",
        data.to_str().unwrap(),
        "-out",
        "/dev/null",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    qoltanba().arg("verify").arg(&sig).arg("--data").arg(&data).assert().code(0);
}

#[test]
fn base64_output_verifies() {
    let dir = TempDir::new().unwrap();
    let (_, sig) = sign(&dir, b"text", &["--base64"]);
    let text = std::fs::read_to_string(&sig).unwrap();
    assert!(text.trim().chars().all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c)));
    qoltanba().arg("verify").arg(&sig).assert().code(0);
}

#[test]
fn tampered_content_is_invalid() {
    let dir = TempDir::new().unwrap();
    let (data, sig) = sign(&dir, b"pay 100 tenge", &["--detached"]);
    std::fs::write(&data, b"pay 900 tenge").unwrap();
    let out = qoltanba().arg("verify").arg(&sig).arg("--data").arg(&data).arg("--json").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["signature"], "invalid");
    assert_one_line_error(&out);
}

#[test]
fn tampered_signature_is_invalid() {
    let dir = TempDir::new().unwrap();
    let (_, sig) = sign(&dir, b"text", &[]);
    let mut der = std::fs::read(&sig).unwrap();
    // The RSA signature value is the last 256 bytes of the SignerInfo, at the very end of the file.
    let at = der.len() - 10;
    der[at] ^= 0x01;
    std::fs::write(&sig, &der).unwrap();
    let out = qoltanba().arg("verify").arg(&sig).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_one_line_error(&out);
}

#[test]
fn wrong_password_is_an_error_with_a_message() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("d");
    std::fs::write(&data, b"x").unwrap();
    let out = qoltanba()
        .arg("sign")
        .arg(&data)
        .arg("--key")
        .arg(nca(SIGN_P12))
        .args(["--password", "wrong", "-o"])
        .arg(dir.path().join("s"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(assert_one_line_error(&out).to_lowercase().contains("password"));
}

#[test]
fn truncated_files_are_errors_not_panics() {
    let dir = TempDir::new().unwrap();
    let p12 = std::fs::read(nca(SIGN_P12)).unwrap();
    let cut = dir.path().join("cut.p12");
    std::fs::write(&cut, &p12[..p12.len() / 2]).unwrap();
    let out = qoltanba().arg("inspect").arg(&cut).args(["--password", PASSWORD]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_one_line_error(&out);

    let (_, sig) = sign(&dir, b"text", &[]);
    let der = std::fs::read(&sig).unwrap();
    std::fs::write(&sig, &der[..der.len() - 40]).unwrap();
    let out = qoltanba().arg("verify").arg(&sig).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_one_line_error(&out);
}

#[test]
fn keygen_and_csr_make_a_request_openssl_accepts() {
    let dir = TempDir::new().unwrap();
    let key = dir.path().join("key.pem");
    let csr = dir.path().join("req.pem");
    qoltanba().arg("keygen").arg("-o").arg(&key).args(["--password", "secret"]).assert().success();
    let pem = std::fs::read_to_string(&key).unwrap();
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    qoltanba()
        .arg("csr")
        .arg("--key")
        .arg(&key)
        .args(["--password", "secret", "--iin", "900101300017", "--surname", "ӘБІЛОВ"])
        .args(["--name", "ҚАНАТ", "--patronymic", "СЕРІКҰЛЫ", "-o"])
        .arg(&csr)
        .assert()
        .success();
    let out = openssl(&[
        "req",
        "-in",
        csr.to_str().unwrap(),
        "-verify",
        "-noout",
        "-subject",
        "-nameopt",
        "utf8,sep_comma_plus",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let subject = String::from_utf8(out.stdout).unwrap();
    assert!(subject.contains("CN=ӘБІЛОВ ҚАНАТ"), "{subject}");
    assert!(subject.contains("serialNumber=IIN900101300017"), "{subject}");
    assert!(subject.contains("GN=СЕРІКҰЛЫ"), "{subject}");
}

#[test]
fn csr_refuses_an_iin_with_a_bad_check_digit() {
    let dir = TempDir::new().unwrap();
    let key = dir.path().join("key.pem");
    qoltanba().arg("keygen").arg("-o").arg(&key).assert().success();
    let out = qoltanba()
        .arg("csr")
        .arg("--key")
        .arg(&key)
        .args(["--iin", "123456789011", "--surname", "A", "--name", "B", "-o"])
        .arg(dir.path().join("r.pem"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(assert_one_line_error(&out).contains("check digit"));
}

/// A CA made by openssl and a SIGN key store made by us: keygen → csr → `openssl x509 -req` → pack.
struct Issued {
    dir: TempDir,
    p12: String,
}

impl Issued {
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_owned()
    }

    fn new() -> Self {
        let dir = TempDir::new().unwrap();
        let mut issued = Self { dir, p12: String::new() };
        let path = |name: &str| issued.path(name);
        let made = openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/C=KZ/CN=Test NCA",
            "-days",
            "30",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-keyout",
            &path("ca.key"),
            "-out",
            &path("ca.pem"),
        ]);
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        qoltanba().args(["keygen", "-o", &path("key.pem")]).assert().success();
        qoltanba()
            .args([
                "csr",
                "--key",
                &path("key.pem"),
                "--iin",
                "900101300017",
                "--surname",
                "ТЕСТОВ",
                "--name",
                "ТЕСТ",
            ])
            .args(["-o", &path("req.pem")])
            .assert()
            .success();
        std::fs::write(
            path("ext.cnf"),
            "keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection,1.2.398.3.3.4.1.1\n\
             certificatePolicies=1.2.398.3.3.2.3\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        )
        .unwrap();
        let signed = openssl(&[
            "x509",
            "-req",
            "-in",
            &path("req.pem"),
            "-CA",
            &path("ca.pem"),
            "-CAkey",
            &path("ca.key"),
            "-CAcreateserial",
            "-days",
            "10",
            "-extfile",
            &path("ext.cnf"),
            "-out",
            &path("cert.pem"),
        ]);
        assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
        let out = qoltanba()
            .args([
                "pack",
                "--key",
                &path("key.pem"),
                "--cert",
                &path("cert.pem"),
                "--chain",
                &path("ca.pem"),
            ])
            .args(["--password", "p12-pass", "-o", &path("")])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        issued.p12 = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        issued
    }

    /// Signs a small document with the packed key store; returns the signature's path.
    fn sign(&self) -> String {
        std::fs::write(self.path("doc"), b"contract").unwrap();
        qoltanba()
            .args(["sign", &self.path("doc"), "--key", &self.p12, "--password", "p12-pass"])
            .args(["-o", &self.path("doc.p7s")])
            .assert()
            .success();
        self.path("doc.p7s")
    }

    /// The issued certificate's serial, as openssl prints it (upper-case hex).
    fn serial(&self) -> String {
        let out = openssl(&["x509", "-in", &self.path("cert.pem"), "-noout", "-serial"]);
        String::from_utf8(out.stdout).unwrap().trim().trim_start_matches("serial=").to_owned()
    }

    /// Marks the certificate revoked a minute ago in an openssl CA database; returns its path.
    fn revoke(&self) -> String {
        let serial = self.serial();
        let stamp = |t: time::OffsetDateTime| {
            format!(
                "{:02}{:02}{:02}{:02}{:02}{:02}Z",
                t.year() % 100,
                t.month() as u8,
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        };
        let now = time::OffsetDateTime::now_utc();
        let line = format!(
            "R\t{}\t{}\t{serial}\tunknown\t/CN=ТЕСТОВ ТЕСТ\n",
            stamp(now + time::Duration::days(10)),
            stamp(now - time::Duration::minutes(1))
        );
        std::fs::write(self.path("index.txt"), line).unwrap();
        self.path("index.txt")
    }
}

#[test]
fn packed_key_store_signs_and_chains_to_its_ca() {
    let issued = Issued::new();
    let name = Path::new(&issued.p12).file_name().unwrap().to_str().unwrap().to_owned();
    assert!(name.starts_with("RSA256_") && name.ends_with(".p12"), "{name}");
    let listed = openssl(&["pkcs12", "-in", &issued.p12, "-passin", "pass:p12-pass", "-nokeys", "-info"]);
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));

    let sig = issued.sign();
    let out =
        qoltanba().args(["verify", &sig, "--trust", &issued.path("ca.pem"), "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["chain"], "trusted");
    assert_eq!(v["signers"][0]["purpose"], "sign");
    assert_eq!(v["signers"][0]["iin"], "900101300017");

    let verified = openssl(&[
        "cms",
        "-verify",
        "-binary",
        "-inform",
        "DER",
        "-in",
        &sig,
        "-CAfile",
        &issued.path("ca.pem"),
        "-purpose",
        "any",
        "-out",
        "/dev/null",
    ]);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
}

#[test]
fn certificate_revoked_by_an_openssl_crl_is_untrusted() {
    let issued = Issued::new();
    let sig = issued.sign();
    let index = issued.revoke();
    std::fs::write(issued.path("crlnumber"), "01\n").unwrap();
    std::fs::write(
        issued.path("ca.cnf"),
        format!(
            "[ca]\ndefault_ca=d\n[d]\ndatabase={index}\ncrlnumber={}\ndefault_md=sha256\ndefault_crl_days=7\n",
            issued.path("crlnumber")
        ),
    )
    .unwrap();
    let crl = openssl(&[
        "ca",
        "-gencrl",
        "-config",
        &issued.path("ca.cnf"),
        "-keyfile",
        &issued.path("ca.key"),
        "-cert",
        &issued.path("ca.pem"),
        "-out",
        &issued.path("crl.pem"),
    ]);
    assert!(crl.status.success(), "{}", String::from_utf8_lossy(&crl.stderr));

    let out = qoltanba()
        .args(["verify", &sig, "--trust", &issued.path("ca.pem"), "--crl", &issued.path("crl.pem"), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    assert_eq!(v["signature"], "valid");
    assert_eq!(v["chain"], "untrusted");
    assert!(assert_one_line_error(&out).contains("revoked"));
}

#[test]
fn ocsp_answers_from_openssl_decide_trust() {
    let issued = Issued::new();
    let sig = issued.sign();
    let ask = |index: &str, name: &str| {
        let request = issued.path(&format!("{name}.req"));
        let made = openssl(&[
            "ocsp",
            "-issuer",
            &issued.path("ca.pem"),
            "-cert",
            &issued.path("cert.pem"),
            "-no_nonce",
            "-reqout",
            &request,
        ]);
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        let response = issued.path(&format!("{name}.der"));
        let answered = openssl(&[
            "ocsp",
            "-index",
            index,
            "-CA",
            &issued.path("ca.pem"),
            "-rsigner",
            &issued.path("ca.pem"),
            "-rkey",
            &issued.path("ca.key"),
            "-reqin",
            &request,
            "-respout",
            &response,
            "-ndays",
            "1",
        ]);
        assert!(answered.status.success(), "{}", String::from_utf8_lossy(&answered.stderr));
        response
    };
    let serial = issued.serial();
    std::fs::write(issued.path("good.txt"), format!("V\t991231235959Z\t\t{serial}\tunknown\t/CN=x\n"))
        .unwrap();
    let good = ask(&issued.path("good.txt"), "good");
    let revoked = ask(&issued.revoke(), "revoked");

    let verify = |response: &str| {
        qoltanba()
            .args(["verify", &sig, "--trust", &issued.path("ca.pem"), "--ocsp", response, "--json"])
            .output()
            .unwrap()
    };
    let out = verify(&good);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out)["chain"], "trusted");
    let out = verify(&revoked);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json(&out)["chain"], "untrusted");
    assert!(assert_one_line_error(&out).contains("revoked"));
}

#[test]
fn password_comes_from_the_environment_and_its_absence_is_explained() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("d");
    std::fs::write(&data, b"x").unwrap();
    let sig = dir.path().join("d.p7s");
    qoltanba()
        .arg("sign")
        .arg(&data)
        .arg("--key")
        .arg(nca(SIGN_P12))
        .env("QOLTANBA_PASSWORD", PASSWORD)
        .arg("-o")
        .arg(&sig)
        .assert()
        .success();
    qoltanba().arg("verify").arg(&sig).assert().code(0);

    let out = qoltanba()
        .arg("sign")
        .arg(&data)
        .arg("--key")
        .arg(nca(SIGN_P12))
        .env_remove("QOLTANBA_PASSWORD")
        .arg("-o")
        .arg(&sig)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(assert_one_line_error(&out).contains("QOLTANBA_PASSWORD"));
}
