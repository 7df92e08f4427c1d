//! The database: SQLite (a file, the embedded default) or PostgreSQL, chosen by URL; one migration set
//! per backend; every query written once against `sqlx::Any`.
