//! Writing the bundle: compact JSON files under `data/`, into a staging folder that is
//! swapped in for the output folder only when everything was written.

use std::io;
use std::path::{Path, PathBuf};

use matome_model::paths;
use rayon::prelude::*;
use serde::Serialize;

use crate::site::Linked;

/// An output file or folder that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteError {
    /// The file or folder.
    pub path: PathBuf,
    /// The cause.
    pub source: io::Error,
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError { path: path.to_path_buf(), source }
}

/// Writes every file of the bundle below `root` (the staging folder).
pub fn write_bundle(linked: &Linked, root: &Path) -> Result<(), WriteError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    files.push((paths::SITE_JSON.to_string(), json(&linked.site)));
    files.push((paths::TAGS_JSON.to_string(), json(&linked.tag_index)));
    for (page, name) in linked.pages.iter().zip(&linked.site.pages) {
        files.push((name.clone(), json(page)));
    }
    for (list, entry) in linked.tags.iter().zip(&linked.tag_index.tags) {
        files.push((entry.file.clone(), json(list)));
    }
    for (list, entry) in linked.months.iter().zip(&linked.site.months) {
        files.push((entry.file.clone(), json(list)));
    }
    // Posts are most of the bytes: serialised and written in parallel.
    let small = files.into_par_iter().map(|(name, bytes)| write_file(root, &name, &bytes));
    let posts = linked.posts.par_iter().map(|post| {
        write_file(root, &paths::post_json(&post.summary.path), &json(post))
    });
    small.chain(posts).collect::<Result<(), WriteError>>()
}

fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    std::fs::write(&path, bytes).map_err(io_err(&path))
}

/// Compact JSON.
fn json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("bundle types always serialise")
}

/// A staging folder beside the output folder; [`Staging::commit`] swaps it in, dropping
/// it uncommitted removes it and leaves the previous output as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder next to `output` (same file system, so the swap is
    /// a rename).
    pub fn create(output: &Path) -> Result<Staging, WriteError> {
        let (parent, name) = split(output);
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        Ok(Staging { dir, output: output.to_path_buf(), committed: false })
    }

    /// The folder to write into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Replaces the output folder with the staging folder: old output renamed aside, new
    /// one renamed in, old one removed. If the second rename fails the old one is put back.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let (parent, name) = split(&self.output);
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let had_old = self.output.exists();
        if had_old {
            if old.exists() {
                std::fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            std::fs::rename(&self.output, &old).map_err(io_err(&self.output))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.output) {
            if had_old {
                let _ = std::fs::rename(&old, &self.output);
            }
            return Err(WriteError { path: self.output.clone(), source: e });
        }
        self.committed = true;
        if had_old {
            // The new output is in place; a leftover old copy is only disk space.
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes staging and old-output folders left by builds that were killed (their process
/// is gone). Only where `/proc` tells which processes live; elsewhere they stay.
fn remove_stale(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let Some(rest) = file.strip_prefix('.').and_then(|f| f.strip_prefix(name)) else { continue };
        let Some(pid) = rest.strip_prefix(".new-").or_else(|| rest.strip_prefix(".old-")) else { continue };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `a/b/out` → (`a/b`, `out`); a bare name gets `.` as parent.
fn split(output: &Path) -> (PathBuf, String) {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent, name)
}
