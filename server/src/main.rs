//! `qoltanba-server`: wires flags and environment to the library; no logic lives here.

use clap::{Args, Parser, Subcommand};
use qoltanba_server::app::Options;
use qoltanba_server::config::{CaConfig, default_key_dir};
use qoltanba_server::ra::SmsAppHash;
use qoltanba_server::signing::relying_parties;
use qoltanba_server::storage::Storage;
use qoltanba_server::{accounts, bootstrap, seed};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// Qoltanba's reference registration + certification authority for remote EDS issuance.
#[derive(Debug, Parser)]
#[command(name = "qoltanba-server", version, about)]
struct Cli {
    /// The database: `sqlite://PATH` (created and migrated on start) or `postgres://USER:PASS@HOST/DB`.
    #[arg(long, global = true, env = "QOLTANBA_DB", default_value = "sqlite://qoltanba.db")]
    db: String,
    #[command(flatten)]
    ca: CaArgs,
    #[command(subcommand)]
    command: Command,
}

/// Where the CA keys are and how the server names itself.
#[derive(Debug, Args)]
struct CaArgs {
    /// Directory of the CA key files (default: beside the SQLite file, else the working directory).
    #[arg(long, global = true, env = "QOLTANBA_CA_KEY_DIR")]
    ca_key_dir: Option<PathBuf>,
    /// Password that encrypts the CA key files (PBES2, AES-256).
    #[arg(long, global = true, env = "QOLTANBA_CA_KEY_PASSWORD", hide_env_values = true)]
    ca_key_password: Option<String>,
    /// Keep the issuing CA key in an HSM: an RFC 7512 PKCS#11 URI with `module-path`, e.g.
    /// `pkcs11:token=Qoltanba%20CA;object=issuing-ca?module-path=/usr/lib/softhsm/libsofthsm2.so`.
    #[arg(long, global = true, env = "QOLTANBA_CA_PKCS11")]
    ca_pkcs11: Option<String>,
    /// The token's user PIN (overrides a `pin-value` in the URI).
    #[arg(long, global = true, env = "QOLTANBA_CA_PKCS11_PIN", hide_env_values = true)]
    ca_pkcs11_pin: Option<String>,
    /// The server's public base URL, written into certificates (CRL, OCSP, CA certificate links).
    #[arg(long, global = true, env = "QOLTANBA_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    public_url: String,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API, OCSP and CRLs (an empty database gets its schema, and a CA, first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "QOLTANBA_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Development mode: the SMS outbox is readable at `GET /v1/dev/sms?phone=…` and on the page
        /// `/dev/sms`.
        #[arg(long, env = "QOLTANBA_DEV")]
        dev: bool,
        /// The Android app's 11-character SMS Retriever hash, appended to every SMS code so that the app
        /// reads the code itself (`keytool`-derived; see Google's SMS Retriever documentation).
        #[arg(long, env = "QOLTANBA_SMS_APP_HASH")]
        sms_app_hash: Option<SmsAppHash>,
    },
    /// Load the demo citizens (some with a registered phone, some without); running it again adds nothing.
    Seed,
    /// The certification authority.
    #[command(subcommand)]
    Ca(CaCommand),
    /// Operator accounts of the console.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Relying parties (services that ask citizens to sign).
    #[command(subcommand)]
    Rp(RpCommand),
    /// List what was issued for an IIN: serial, purpose, status.
    Certs {
        /// The holder's IIN.
        #[arg(long)]
        iin: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum CaCommand {
    /// Create the root and issuing CA (refuses when the database already has one).
    Init,
}

#[derive(Debug, Subcommand)]
enum RpCommand {
    /// Register a relying party; prints its API key and callback secret once (keep them: the server
    /// keeps only the key's hash).
    Add {
        /// Its name, shown on the citizen's phone (1-100 characters, unique).
        name: String,
        /// A host its callback URLs may name (repeat for several).
        #[arg(long = "callback-host")]
        callback_hosts: Vec<String>,
    },
    /// List the relying parties.
    List,
}

#[derive(Debug, Subcommand)]
enum OperatorCommand {
    /// Create an account. The password comes from QOLTANBA_OPERATOR_PASSWORD, else a prompt (not echoed);
    /// at least 12 characters.
    Add {
        /// Login name: 3-64 of a-z, 0-9, '.', '_', '-', starting with a letter.
        username: String,
    },
    /// List the accounts.
    List,
}

/// Environment variable with a new operator's password (for scripts; else a prompt).
const OPERATOR_PASSWORD_VAR: &str = "QOLTANBA_OPERATOR_PASSWORD";

#[tokio::main]
async fn main() -> ExitCode {
    qoltanba_server::telemetry::init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("qoltanba-server: {error}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let ca = ca_config(&cli.db, cli.ca)?;
    let storage = Storage::connect(&cli.db).await.map_err(|e| format!("{}: {e}", cli.db))?;
    let now = OffsetDateTime::now_utc();
    match cli.command {
        Command::Serve { listen, dev, sms_app_hash } => {
            serve(storage, &ca, listen, Options { dev, sms_app_hash }).await
        }
        Command::Seed => {
            let report = seed::load(&storage).await.map_err(|e| e.to_string())?;
            println!("citizens added: {}, phones added: {}", report.citizens_added, report.phones_added);
            Ok(())
        }
        Command::Ca(CaCommand::Init) => {
            bootstrap::init_ca(&storage, &ca, now).await.map_err(|e| e.to_string())
        }
        Command::Certs { iin, json } => certs(&storage, &iin, json, now).await,
        Command::Operator(command) => operator(&storage, command, now).await,
        Command::Rp(command) => relying_party(&storage, command, now).await,
    }
}

fn ca_config(db: &str, args: CaArgs) -> Result<CaConfig, String> {
    let pkcs11 = args
        .ca_pkcs11
        .map(|uri| qoltanba_hsm::Pkcs11Config::from_uri(&uri, args.ca_pkcs11_pin.map(Zeroizing::new)))
        .transpose()
        .map_err(|e| format!("--ca-pkcs11: {e}"))?;
    Ok(CaConfig {
        key_dir: args.ca_key_dir.unwrap_or_else(|| default_key_dir(db)),
        key_password: args.ca_key_password.map(Zeroizing::new),
        pkcs11,
        public_url: args.public_url,
    })
}

async fn serve(storage: Storage, ca: &CaConfig, listen: SocketAddr, options: Options) -> Result<(), String> {
    let app = qoltanba_server::app::router(storage, ca, &options).await.map_err(|e| e.to_string())?;
    let dev = options.dev;
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("{listen}: {e}"))?;
    tracing::info!(%listen, dev, "serving");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| e.to_string())
}

async fn certs(storage: &Storage, iin: &str, json: bool, now: OffsetDateTime) -> Result<(), String> {
    let mut conn = storage.acquire().await.map_err(|e| e.to_string())?;
    let records =
        qoltanba_server::storage::certificates::by_iin(&mut conn, iin).await.map_err(|e| e.to_string())?;
    let items: Vec<_> = records.iter().map(|r| r.item(now)).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&items).map_err(|e| e.to_string())?);
        return Ok(());
    }
    for item in &items {
        println!("{}  {:?}  {:?}  until {}", item.serial, item.purpose, item.status, item.not_after);
    }
    if items.is_empty() {
        println!("nothing issued for {iin}");
    }
    Ok(())
}

async fn operator(storage: &Storage, command: OperatorCommand, now: OffsetDateTime) -> Result<(), String> {
    match command {
        OperatorCommand::Add { username } => {
            let password = match std::env::var(OPERATOR_PASSWORD_VAR) {
                Ok(password) => Zeroizing::new(password),
                Err(_) => Zeroizing::new(
                    rpassword::prompt_password(format!("password for {username}: "))
                        .map_err(|e| e.to_string())?,
                ),
            };
            accounts::create(storage, &username, password, "cli", now).await.map_err(|e| e.to_string())?;
            println!("operator {username} created");
        }
        OperatorCommand::List => {
            for account in accounts::list(storage).await.map_err(|e| e.to_string())? {
                println!("{}  created {}", account.username, account.created_at);
            }
        }
    }
    Ok(())
}

async fn relying_party(storage: &Storage, command: RpCommand, now: OffsetDateTime) -> Result<(), String> {
    match command {
        RpCommand::Add { name, callback_hosts } => {
            let added = relying_parties::add(storage, &name, &callback_hosts, now)
                .await
                .map_err(|e| e.to_string())?;
            println!("relying party {} added ({})", added.relying_party.name, added.relying_party.id);
            println!("api key:         {}", added.api_key.as_str());
            println!("callback secret: {}", added.callback_secret.as_str());
            println!("(shown once; send the key as `Authorization: Bearer <api key>`)");
        }
        RpCommand::List => {
            for rp in relying_parties::list(storage).await.map_err(|e| e.to_string())? {
                println!("{}  {}  callback hosts: {}", rp.id, rp.name, rp.callback_hosts.join(", "));
            }
        }
    }
    Ok(())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
