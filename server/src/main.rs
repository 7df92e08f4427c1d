//! `qoltanba-server`: wires configuration to the library; no logic lives here.

use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::process::ExitCode;

/// Qoltanba's reference registration + certification authority for remote EDS issuance.
#[derive(Debug, Parser)]
#[command(name = "qoltanba-server", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API, the operator console, OCSP and CRLs.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "QOLTANBA_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    qoltanba_server::telemetry::init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { listen } => serve(listen).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("qoltanba-server: {error}");
            ExitCode::from(2)
        }
    }
}

async fn serve(listen: SocketAddr) -> Result<(), String> {
    let metrics = qoltanba_server::web::Metrics::new();
    let app = metrics.layer(qoltanba_server::web::service_routes(metrics.clone()));
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("{listen}: {e}"))?;
    tracing::info!(%listen, "serving");
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await.map_err(|e| e.to_string())
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
}
