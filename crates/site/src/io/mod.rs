//! File helpers that keep the path in the error.
//!
//! Output folders hold hard links (to the app's files, the bundle, cached images and
//! compressed copies), so nothing here ever writes through an existing file: [`write`]
//! replaces the directory entry, leaving the other links' content as it was.

//! Replacing the site folder as a whole, with a spare kept between publishes, is the
//! compiler's [`matome_compiler::swap`], shared with the bundle.

use std::io::Write as _;
use std::path::Path;

use matome_compiler::swap::par_io;

use crate::SiteError;

mod stage;
mod writer;

pub use writer::Writer;

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> SiteError + '_ {
    move |source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads a whole file.
pub fn read(path: &Path) -> Result<Vec<u8>, SiteError> {
    std::fs::read(path).map_err(io_error(path))
}

/// Reads and decodes a JSON file of the bundle.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, SiteError> {
    let bytes = read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| SiteError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Writes a file as a new one (an existing file of that name is unlinked first, never
/// truncated: it may be a hard link into another folder), creating its folder.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), SiteError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    remove_if_present(path)?;
    std::fs::write(path, bytes).map_err(io_error(path))
}

fn remove_if_present(path: &Path) -> Result<(), SiteError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(path)(e)),
        _ => Ok(()),
    }
}

/// Hard-links `from` as `to` (replacing `to`), or copies it where links are not possible
/// (another file system).
pub fn link(from: &Path, to: &Path) -> Result<(), SiteError> {
    remove_if_present(to)?;
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to).map_err(io_error(from))?;
    }
    Ok(())
}

/// Writes through a temporary file and a rename, so readers (and a build killed
/// half-way) never see a partial file. Used for the caches, shared by builds.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SiteError> {
    let mut tmp = temp_file_beside(path)?;
    tmp.write_all(bytes).map_err(io_error(tmp.path()))?;
    tmp.persist(path).map_err(|e| io_error(path)(e.error))?;
    Ok(())
}

/// Moves a file into place by a rename, or by a copy and a rename across file systems.
fn move_file(from: &Path, to: &Path) -> Result<(), SiteError> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    let mut tmp = temp_file_beside(to)?;
    let mut source = std::fs::File::open(from).map_err(io_error(from))?;
    std::io::copy(&mut source, &mut tmp).map_err(io_error(from))?;
    tmp.persist(to).map_err(|e| io_error(to)(e.error))?;
    Ok(())
}

/// A new temporary file in the folder of `path` (created if missing), named after it
/// (`.<name>.XXXXXX.tmp`), with the permissions a plain new file gets; removed unless
/// persisted.
fn temp_file_beside(path: &Path) -> Result<tempfile::NamedTempFile, SiteError> {
    use std::os::unix::fs::PermissionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        // The umask applies, as to any new file (tempfile's default is owner-only).
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(io_error(dir))
}

/// Removes what `dir` holds, in parallel ([`par_io`], many threads: removals mostly
/// wait for the disk): first what its folders hold,
/// then those folders and its files; `dir` itself stays (best effort: what is left
/// goes with the folder).
pub(crate) fn empty_dir_parallel(dir: &Path) {
    let (mut inner, mut top) = (Vec::new(), Vec::new());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if let Ok(below) = std::fs::read_dir(entry.path()) {
                inner.extend(below.flatten().map(|e| e.path()));
            }
        }
        top.push(entry.path());
    }
    let remove = |p: &std::path::PathBuf| {
        let _ = match std::fs::symlink_metadata(p) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(p),
            _ => std::fs::remove_file(p),
        };
        Ok::<(), ()>(())
    };
    let _ = par_io(&inner, remove);
    let _ = par_io(&top, remove);
}
