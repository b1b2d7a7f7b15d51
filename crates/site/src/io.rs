//! File helpers that keep the path in the error.

use std::path::Path;

use crate::SiteError;

/// Reads a whole file.
pub fn read(path: &Path) -> Result<Vec<u8>, SiteError> {
    std::fs::read(path).map_err(|source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads and decodes a JSON file of the bundle.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, SiteError> {
    let bytes = read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| SiteError::Json {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Writes a file, creating its folder.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), SiteError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| SiteError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(path, bytes).map_err(|source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes through a temporary file and a rename, so readers (and a build killed
/// half-way) never see a partial file. Used for the image cache, shared by builds.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SiteError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).map_err(|source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    })
}
