//! Crash-safe file replacement: a file is either absent, or complete with its old or its new content.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use super::names::TEMPORARY_PREFIX;

/// Writes `bytes` to `path` through a temporary file in the same directory: write, fsync, rename over
/// `path`, fsync the directory. A crash at any point leaves `path` as it was or as written, and at
/// worst a temporary file that [`remove_temporaries`] deletes.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().ok_or_else(|| std::io::Error::other("a file path has a parent"))?;
    let temporary = dir.join(format!("{TEMPORARY_PREFIX}{}", uuid::Uuid::new_v4()));
    let written = (|| {
        let mut file = File::create_new(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written?;
    sync_dir(dir)
}

/// Removes `path` (absent is fine) and makes the removal durable.
pub fn remove(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        other => other?,
    }
    path.parent().map_or(Ok(()), sync_dir)
}

/// Deletes what interrupted [`write`]s left in `dir`.
pub fn remove_temporaries(dir: &Path) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(TEMPORARY_PREFIX) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

/// Makes renames and removals in `dir` durable (POSIX: fsync the directory).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
