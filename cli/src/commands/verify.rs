//! `qoltanba verify SIG`: is the signature intact, and (given trust anchors) is the signer trusted?

use super::{Outcome, read, write};
use crate::error::CliError;
use crate::output;
use qoltanba_pki::certificate::{CertificateView, parse_certificates};
use qoltanba_pki::chain::{ChainError, Combined, RevocationSource, ValidatedPath};
use qoltanba_pki::cms::{self, SignerStatus};
use qoltanba_pki::crl::{Crl, CrlSet};
use qoltanba_pki::ocsp::{OcspResponse, OcspSet};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::Decode;
use serde::Serialize;
use std::path::PathBuf;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The arguments of `verify`.
pub struct Request {
    pub signature: PathBuf,
    pub data: Option<PathBuf>,
    pub trust: Vec<PathBuf>,
    pub crl: Vec<PathBuf>,
    pub ocsp: Vec<PathBuf>,
    pub at: Option<String>,
    pub extract: Option<PathBuf>,
    pub json: bool,
}

/// The stable JSON answer: `signature`, `chain`, `signers`.
#[derive(Serialize)]
pub struct Report {
    signature: Verdict,
    chain: Chain,
    signers: Vec<SignerReport>,
}

#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Verdict {
    Valid,
    Invalid,
}

#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum Chain {
    Trusted,
    Untrusted,
    NotChecked,
}

/// One signer: the certificate view's fields, then what we found.
#[derive(Serialize)]
struct SignerReport {
    #[serde(flatten)]
    certificate: CertificateView,
    #[serde(with = "time::serde::rfc3339::option")]
    signing_time: Option<OffsetDateTime>,
    signature: Verdict,
    chain: Chain,
    /// Why the signature or the chain failed, when it did.
    problem: Option<String>,
}

pub fn run(request: &Request) -> Result<Outcome, CliError> {
    let input = read(&request.signature)?;
    let data = request.data.as_deref().map(read).transpose()?;
    let anchors = load_certificates(&request.trust)?;
    let crls = CrlSet { crls: load_all(&request.crl, |der| Crl::from_der(der).map_err(|e| e.to_string()))? };
    let ocsp = OcspSet {
        responses: load_all(&request.ocsp, |der| OcspResponse::from_der(der).map_err(|e| e.to_string()))?,
    };
    let at = match &request.at {
        Some(text) => OffsetDateTime::parse(text, &Rfc3339)
            .map_err(|e| CliError::Usage(format!("--at {text}: not an RFC 3339 time ({e})")))?,
        None => OffsetDateTime::now_utc(),
    };
    let der =
        qoltanba_pki::encoding::unarmor(&input).map_err(|e| CliError::unreadable(&request.signature, e))?.der;
    let verified =
        cms::verify(&der, data.as_deref()).map_err(|e| CliError::unreadable(&request.signature, e))?;
    let chains = (!anchors.is_empty()).then(|| {
        let revocation = Combined(vec![&crls, &ocsp]);
        let source = (!request.crl.is_empty() || !request.ocsp.is_empty())
            .then_some(&revocation as &dyn RevocationSource);
        verified.validate_chains(&anchors, at, source)
    });
    let report = Report::new(&verified, chains.as_deref());
    if let (Some(path), Some(content)) = (&request.extract, verified.content.as_deref()) {
        write(path, content)?;
    }
    if request.json {
        output::json(&report)
    } else {
        report.print()
    }
    if let Some(problem) = report.first_problem() {
        eprintln!("qoltanba: {}: {problem}", request.signature.display());
    }
    Ok(report.outcome())
}

/// The report `inspect` prints for a signature: signatures checked, chain not.
pub fn inspect_signature(bytes: &[u8]) -> Option<Report> {
    let der = qoltanba_pki::encoding::unarmor(bytes).ok()?.der;
    cms::verify(&der, None).ok().map(|verified| Report::new(&verified, None))
}

impl Report {
    /// `chains`: one path validation per signer, or `None` when no trust anchors were given.
    fn new(verified: &cms::Verified, chains: Option<&[Result<ValidatedPath, ChainError>]>) -> Self {
        let signers: Vec<SignerReport> = verified
            .signers
            .iter()
            .enumerate()
            .map(|(i, signer)| {
                let (signature, mut problem) = match &signer.status {
                    SignerStatus::Valid => (Verdict::Valid, None),
                    SignerStatus::Invalid(reason) => (Verdict::Invalid, Some(reason.to_string())),
                };
                let chain = match chains.map(|c| c.get(i)) {
                    None => Chain::NotChecked,
                    Some(Some(Ok(_))) => Chain::Trusted,
                    Some(Some(Err(reason))) => {
                        problem.get_or_insert(reason.to_string());
                        Chain::Untrusted
                    }
                    Some(None) => Chain::Untrusted,
                };
                SignerReport {
                    certificate: signer.view.clone(),
                    signing_time: signer.signing_time,
                    signature,
                    chain,
                    problem,
                }
            })
            .collect();
        let all = |f: &dyn Fn(&SignerReport) -> bool| !signers.is_empty() && signers.iter().all(f);
        let signature =
            if all(&|s| s.signature == Verdict::Valid) { Verdict::Valid } else { Verdict::Invalid };
        let chain = match chains {
            None => Chain::NotChecked,
            Some(_) if all(&|s| s.chain == Chain::Trusted) => Chain::Trusted,
            Some(_) => Chain::Untrusted,
        };
        Self { signature, chain, signers }
    }

    fn outcome(&self) -> Outcome {
        if self.signature == Verdict::Valid && self.chain != Chain::Untrusted {
            Outcome::Success
        } else {
            Outcome::Negative
        }
    }

    fn first_problem(&self) -> Option<String> {
        if self.signers.is_empty() {
            return Some("the signature has no signers".to_owned());
        }
        self.signers.iter().find_map(|s| s.problem.clone())
    }

    /// Human text.
    pub fn print(&self) {
        let verdict = match self.signature {
            Verdict::Valid => "valid",
            Verdict::Invalid => "INVALID",
        };
        let chain = match self.chain {
            Chain::Trusted => "trusted",
            Chain::Untrusted => "NOT trusted",
            Chain::NotChecked => "not checked (no --trust given)",
        };
        println!("signature: {verdict}");
        println!("chain:     {chain}");
        for (i, signer) in self.signers.iter().enumerate() {
            println!("signer {}:", i + 1);
            if let Some(t) = signer.signing_time {
                println!("  signed at:   {}", output::rfc3339(t));
            }
            if let Some(problem) = &signer.problem {
                println!("  problem:     {problem}");
            }
            output::certificate(&signer.certificate, 2);
        }
    }
}

fn load_certificates(paths: &[PathBuf]) -> Result<Vec<Certificate>, CliError> {
    let mut out = Vec::new();
    for path in paths {
        let bytes = read(path)?;
        out.extend(parse_certificates(&bytes).map_err(|e| CliError::unreadable(path, e))?);
    }
    Ok(out)
}

/// Reads every file (DER, PEM or base64) and decodes it with `decode`.
fn load_all<T>(paths: &[PathBuf], decode: impl Fn(&[u8]) -> Result<T, String>) -> Result<Vec<T>, CliError> {
    paths
        .iter()
        .map(|path| {
            let bytes = read(path)?;
            let der = qoltanba_pki::encoding::unarmor(&bytes).map_err(|e| CliError::unreadable(path, e))?.der;
            decode(&der).map_err(|e| CliError::unreadable(path, e))
        })
        .collect()
}
