//! Bringing a CA up: make it on first start (`ca init` or an empty database), or load it and open its key.

use crate::ca::{self, Authority, CaError, InitConfig};
use crate::config::CaConfig;
use crate::storage::audit::NewAuditEntry;
use crate::storage::ca::CaRole;
use crate::storage::{Storage, StorageError};
use qoltanba_pki::x509::Certificate;
use qoltanba_pki::x509::der::{Decode, Encode};
use time::OffsetDateTime;

/// Why the CA could not be brought up.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// The database failed.
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    /// Making or opening the CA failed.
    #[error("CA: {0}")]
    Ca(#[from] CaError),
    /// `ca init` on a database that already has a CA.
    #[error("this database already has a CA")]
    AlreadyInitialised,
    /// A stored CA certificate does not decode.
    #[error("the stored {0} CA certificate is damaged")]
    DamagedCertificate(&'static str),
    /// The demo relying party (`/demo/bank`, `--dev` only) could not be registered.
    #[error("demo bank: {0}")]
    DemoBank(#[source] crate::ra::RaError),
}

/// Creates the root and issuing CA (keys in their sources, certificates in the database), audited.
pub async fn init_ca(
    storage: &Storage,
    config: &CaConfig,
    now: OffsetDateTime,
) -> Result<(), BootstrapError> {
    let mut tx = storage.begin().await?;
    if crate::storage::ca::current(&mut tx, CaRole::Issuing).await?.is_some() {
        return Err(BootstrapError::AlreadyInitialised);
    }
    let base = config.public_url.trim_end_matches('/');
    let init = InitConfig {
        root_crl_url: None,
        root_certificate_url: Some(format!("{base}{}", crate::config::paths::ROOT_CERTIFICATE)),
        ..InitConfig::default()
    };
    let material = ca::init(&config.root_key(), &config.issuing_key(), &init, now)?;
    let der = |c: &Certificate| c.to_der().map_err(|_| BootstrapError::DamagedCertificate("new"));
    let root_reference = config.key_dir.join("root-ca.key.pem").display().to_string();
    crate::storage::ca::insert(&mut tx, CaRole::Root, &der(&material.root)?, &root_reference, now).await?;
    let issuing_reference = config.issuing_key_reference();
    crate::storage::ca::insert(&mut tx, CaRole::Issuing, &der(&material.issuing)?, &issuing_reference, now)
        .await?;
    let details = serde_json::json!({ "issuing_key": issuing_reference });
    let entry = NewAuditEntry {
        at: now,
        actor: "system",
        action: "ca.init",
        subject: "issuing-ca",
        details: &details,
    };
    crate::storage::audit::append(&mut tx, &entry).await?;
    tx.commit().await.map_err(StorageError::from)?;
    tracing::info!(key = %issuing_reference, "CA created");
    Ok(())
}

/// Loads the CA from the database and opens the issuing key; on an empty database, creates it first.
pub async fn open_authority(
    storage: &Storage,
    config: &CaConfig,
    now: OffsetDateTime,
) -> Result<Authority, BootstrapError> {
    let mut conn = storage.acquire().await?;
    let has_ca = crate::storage::ca::current(&mut conn, CaRole::Issuing).await?.is_some();
    drop(conn);
    if !has_ca {
        init_ca(storage, config, now).await?;
    }
    let mut conn = storage.acquire().await?;
    let root = load(&mut conn, CaRole::Root, "root").await?;
    let issuing = load(&mut conn, CaRole::Issuing, "issuing").await?;
    let signer = config.issuing_key().open()?;
    Ok(Authority::new(root, issuing, signer, config.urls())?)
}

async fn load(
    conn: &mut sqlx::AnyConnection,
    role: CaRole,
    name: &'static str,
) -> Result<Certificate, BootstrapError> {
    let record =
        crate::storage::ca::current(conn, role).await?.ok_or(BootstrapError::DamagedCertificate(name))?;
    Certificate::from_der(&record.certificate_der).map_err(|_| BootstrapError::DamagedCertificate(name))
}
