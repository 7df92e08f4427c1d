//! The CLI's one error type: everything that ends a command with exit code 2.

use std::path::PathBuf;

/// Why a command could not do its job (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The input is not a format this command reads.
    #[error("{path}: {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A PKCS#12 file could not be opened.
    #[error("{path}: {source}")]
    KeyStore {
        /// The file.
        path: PathBuf,
        /// The key store error (wrong password, damaged file, …).
        source: qoltanba_pki::pkcs12::Pkcs12Error,
    },
    /// An argument is invalid.
    #[error("{0}")]
    Usage(String),
    /// Signing or key generation failed.
    #[error("{0}")]
    Crypto(String),
}

impl CliError {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io { path: path.to_owned(), source }
    }

    /// Wraps a decoding failure with the file it concerns.
    pub fn unreadable(path: &std::path::Path, reason: impl std::fmt::Display) -> Self {
        Self::Unreadable { path: path.to_owned(), reason: reason.to_string() }
    }
}
