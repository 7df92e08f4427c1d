//! Command-line arguments. Field names and flags are the stable interface other checks depend on.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

use crate::phone::text::Lang;

/// Qoltanba: NCA-compatible keys, certificates and signatures on the desktop.
#[derive(Debug, Parser)]
#[command(name = "qoltanba", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what a .p12 key store, a certificate (.cer/.pem/.der) or a CMS signature holds.
    Inspect {
        /// The file to inspect.
        file: PathBuf,
        /// The key store password (a .p12 needs one; asked for on a terminal when not given).
        #[arg(long, env = "QOLTANBA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Print stable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Sign a file: CAdES-BES CMS SignedData with SHA-256 and RSA.
    Sign {
        /// The file to sign.
        file: PathBuf,
        /// The signer's PKCS#12 key store (e.g. RSA256_<SKI>.p12).
        #[arg(long)]
        key: PathBuf,
        /// The key store password (asked for on a terminal when not given).
        #[arg(long, env = "QOLTANBA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Leave the content out of the signature (a detached signature).
        #[arg(long)]
        detached: bool,
        /// Write base64 text instead of DER.
        #[arg(long)]
        base64: bool,
        /// Where to write the signature.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Verify a CMS signature (DER, PEM or base64); exit 0 valid, 1 invalid or untrusted, 2 error.
    Verify {
        /// The signature file.
        signature: PathBuf,
        /// The signed content, for a detached signature.
        #[arg(long)]
        data: Option<PathBuf>,
        /// Trust anchors (PEM or DER certificates); repeat for several. Without any, the chain is not checked.
        #[arg(long = "trust")]
        trust: Vec<PathBuf>,
        /// CRLs to check revocation against; repeat for several.
        #[arg(long = "crl")]
        crl: Vec<PathBuf>,
        /// OCSP responses (DER) to check revocation against; repeat for several.
        #[arg(long = "ocsp")]
        ocsp: Vec<PathBuf>,
        /// Check the chain as of this time (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<String>,
        /// Where to write the signed content of an attached signature.
        #[arg(long)]
        extract: Option<PathBuf>,
        /// Print stable JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Generate an RSA key pair on this machine, written as PKCS#8 PEM.
    Keygen {
        /// Where to write the private key.
        #[arg(short, long)]
        output: PathBuf,
        /// Key size in bits.
        #[arg(long, default_value_t = 2048)]
        bits: usize,
        /// Encrypt the private key with this password (PBES2, AES-256).
        #[arg(long, env = "QOLTANBA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Also write the public key (SubjectPublicKeyInfo PEM) here.
        #[arg(long)]
        public: Option<PathBuf>,
    },
    /// Make a PKCS#10 certificate request with NCA's subject layout, written as PEM.
    Csr {
        /// The private key (PKCS#8 PEM from `qoltanba keygen`).
        #[arg(long)]
        key: PathBuf,
        /// The private key's password, when it is encrypted.
        #[arg(long, env = "QOLTANBA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// The holder's IIN (12 digits, check digit verified).
        #[arg(long)]
        iin: String,
        /// Surname, as in the ID card (e.g. ӘБІЛОВ).
        #[arg(long)]
        surname: String,
        /// Given name.
        #[arg(long)]
        name: String,
        /// Patronymic, if any.
        #[arg(long)]
        patronymic: Option<String>,
        /// E-mail address, if any.
        #[arg(long)]
        email: Option<String>,
        /// Where to write the request.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Put a private key and its issued certificate into an NCA-style PKCS#12 key store.
    Pack {
        /// The private key (PKCS#8 PEM from `qoltanba keygen`).
        #[arg(long)]
        key: PathBuf,
        /// The private key's password, when it is encrypted.
        #[arg(long)]
        key_password: Option<String>,
        /// The certificate issued for the key (PEM or DER).
        #[arg(long)]
        cert: PathBuf,
        /// Issuing CA certificates to store with it; repeat for several.
        #[arg(long)]
        chain: Vec<PathBuf>,
        /// The key store's password (asked for on a terminal when not given).
        #[arg(long, env = "QOLTANBA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Write the legacy layout (3DES, RC2-40, SHA-1 MAC) old NCA software and `openssl -legacy` read.
        #[arg(long)]
        legacy: bool,
        /// Where to write; a directory gets NCA's file name (AUTH_RSA256_<SKI>.p12 or RSA256_<SKI>.p12).
        #[arg(short, long, default_value = ".")]
        output: PathBuf,
    },
    /// Get an e-signature the way a phone does: the remote issuance flow against a Qoltanba server, in the
    /// terminal. Running it again with the same --state resumes where it stopped.
    Enroll {
        /// The issuance server's base URL.
        #[arg(long, env = "QOLTANBA_SERVER")]
        server: String,
        /// Where the flow's state, the key files (AUTH_RSA256_<SKI>.p12, RSA256_<SKI>.p12) and ca.pem live.
        #[arg(long)]
        state: PathBuf,
        /// Written answers (TOML: iin, phone, sms_code, selfie, id_card, pin, consent, email, key_storage,
        /// password); what is missing is asked for on the terminal.
        #[arg(long)]
        answers: Option<PathBuf>,
        /// The language of the prompts.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
    },
    /// List the signing requests services sent to the phone enrolled in --state: id, verification code,
    /// service, text, then the document and what may be done.
    Inbox {
        #[command(flatten)]
        phone: PhoneArgs,
        /// When nothing is pending, wait up to this many seconds (1 to 120) for a request.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=120))]
        wait: Option<u64>,
    },
    /// Approve a signing request: asks the PIN (and the key files' password), signs it with the SIGN key.
    Approve {
        /// The request's id (from `qoltanba inbox`).
        id: uuid::Uuid,
        #[command(flatten)]
        phone: PhoneArgs,
    },
    /// Refuse a signing request.
    Refuse {
        /// The request's id (from `qoltanba inbox`).
        id: uuid::Uuid,
        #[command(flatten)]
        phone: PhoneArgs,
    },
    /// Run the reference server in-process and enroll a demo citizen through the whole flow, taking the
    /// operator's part; leaves the two key files and ca.pem in --out and prints the password.
    Demo {
        /// Where to leave the key files and ca.pem.
        #[arg(long, default_value = "qoltanba-demo")]
        out: PathBuf,
        /// The key files' password (a random one is made and printed when not given).
        #[arg(long, env = "QOLTANBA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// The language of what is shown.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
    },
    /// Log in to a relying party's page as a phone does: read its QR code, show who asks and three numbers,
    /// pick the page's number and confirm with the PIN; the AUTH key of an enrolled --state signs.
    /// Exit 0 logged in, 1 declined or refused, 2 an error.
    Login {
        /// The QR code's text (qoltanba-login:…).
        #[arg(long, required_unless_present = "qr_image", conflicts_with = "qr_image")]
        qr: Option<String>,
        /// A PNG picture of the QR code (a screenshot of the page's).
        #[arg(long)]
        qr_image: Option<PathBuf>,
        /// The state directory of `qoltanba enroll` (the store and the key files).
        #[arg(long)]
        state: PathBuf,
        /// The server's base URL (default: the one `--state` enrolled with).
        #[arg(long, env = "QOLTANBA_SERVER")]
        server: Option<String>,
        /// Pick this number without asking.
        #[arg(long)]
        number: Option<u8>,
        /// Decline without asking (it is not me).
        #[arg(long, conflicts_with = "number")]
        decline: bool,
        /// The PIN (asked for on a terminal when not given).
        #[arg(long, env = "QOLTANBA_PIN", hide_env_values = true)]
        pin: Option<String>,
        /// The key files' password (asked for on a terminal when not given).
        #[arg(long, env = "QOLTANBA_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// The language shown.
        #[arg(long, value_enum, default_value_t = Lang::En)]
        lang: Lang,
    },
}

/// What `inbox`, `approve` and `refuse` share: the enrolled phone and how to talk to it.
#[derive(Debug, Args)]
pub struct PhoneArgs {
    /// The state directory `qoltanba enroll` filled.
    #[arg(long)]
    pub state: PathBuf,
    /// The server (default: the one the device registered with, else the one `--state` enrolled with).
    #[arg(long, env = "QOLTANBA_SERVER")]
    pub server: Option<String>,
    /// Written answers (TOML: `pin`, `password`; `password` also unlocks the AUTH key for the first
    /// registration); what is missing is asked for on the terminal.
    #[arg(long)]
    pub answers: Option<PathBuf>,
    /// The language of what is shown.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}
