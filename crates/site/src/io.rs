//! File helpers that keep the path in the error.
//!
//! Output folders hold hard links (to the app's files, the bundle, cached images and
//! compressed copies), so nothing here ever writes through an existing file: [`write`]
//! replaces the directory entry, leaving the other links' content as it was.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::SiteError;

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

/// Hard-links every file below `from` into `to` (folders created), replacing files of
/// the same name. Returns how many files were linked.
pub fn link_tree(from: &Path, to: &Path) -> Result<usize, SiteError> {
    std::fs::create_dir_all(to).map_err(io_error(to))?;
    let mut n = 0;
    for entry in std::fs::read_dir(from).map_err(io_error(from))? {
        let entry = entry.map_err(io_error(from))?;
        let (src, dest) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(io_error(&src))?.is_dir() {
            n += link_tree(&src, &dest)?;
        } else {
            link(&src, &dest)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Writes through a temporary file and a rename, so readers (and a build killed
/// half-way) never see a partial file. Used for the caches, shared by builds.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), SiteError> {
    let tmp = tmp_name(path);
    write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).map_err(io_error(path))
}

/// Where the files of one publish go.
///
/// - *Direct* (`matome pages`, the Trunk hook): the bundle's folder is the output; files
///   are written as they come and shards renamed in place.
/// - *Sync* (`matome publish`): the bundle is read from its own folder and the site
///   folder is brought up to date in place: a file whose bytes (or inode) are those
///   already there is left alone, a changed one is replaced by a rename (readers never
///   see half a file), and [`Writer::finish`] removes what this publish did not produce.
///   On a content-only rebuild almost nothing changes, and creating files is what costs
///   most on a busy disk.
#[derive(Debug)]
pub struct Writer {
    src: PathBuf,
    out: PathBuf,
    sync: bool,
    /// Sync: every file produced (relative names), and the bundle files already placed
    /// under another name (hashed shards).
    produced: Mutex<HashSet<String>>,
    consumed: Mutex<HashSet<String>>,
    written: AtomicUsize,
    reused: AtomicUsize,
}

impl Writer {
    /// Reads the bundle from `root` and writes into it.
    pub fn direct(root: &Path) -> Self {
        Self::new(root, root, false)
    }

    /// Reads the bundle from `src` and brings `out` up to date.
    pub fn sync(src: &Path, out: &Path) -> Self {
        Self::new(src, out, true)
    }

    fn new(src: &Path, out: &Path, sync: bool) -> Self {
        Writer {
            src: src.to_path_buf(),
            out: out.to_path_buf(),
            sync,
            produced: Mutex::default(),
            consumed: Mutex::default(),
            written: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// The folder the bundle is read from.
    pub fn src(&self) -> &Path {
        &self.src
    }

    /// The folder written into.
    pub fn out(&self) -> &Path {
        &self.out
    }

    fn mark(&self, rel: &str, reused: bool) {
        if self.sync {
            self.produced.lock().expect("no panics while held").insert(rel.to_string());
        }
        let counter = if reused { &self.reused } else { &self.written };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Writes `bytes` as `rel` (sync: unless the file there already holds them).
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), SiteError> {
        let dest = self.out.join(rel);
        if !self.sync {
            write(&dest, bytes)?;
            self.mark(rel, false);
            return Ok(());
        }
        let same = std::fs::metadata(&dest).is_ok_and(|m| m.len() == bytes.len() as u64)
            && std::fs::read(&dest).is_ok_and(|b| b == bytes);
        if !same {
            write_atomic(&dest, bytes)?;
        }
        self.mark(rel, same);
        Ok(())
    }

    /// Places the file `from` as `rel` by a hard link (sync: unless the file there is
    /// the same file or holds the same bytes).
    pub fn put_file(&self, rel: &str, from: &Path) -> Result<(), SiteError> {
        let dest = self.out.join(rel);
        let same = self.sync && same_content(from, &dest);
        if !same {
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir).map_err(io_error(dir))?;
            }
            if self.sync {
                let tmp = tmp_name(&dest);
                link(from, &tmp)?;
                std::fs::rename(&tmp, &dest).map_err(io_error(&dest))?;
            } else {
                link(from, &dest)?;
            }
        }
        self.mark(rel, same);
        Ok(())
    }

    /// Gives the bundle file `name` its content-hashed name ([`crate::shards`]) and
    /// returns that name.
    pub fn place_hashed(&self, name: &str, hashed: impl Fn(&[u8]) -> String) -> Result<String, SiteError> {
        let from = self.src.join(name);
        let new = hashed(&read(&from)?);
        if !self.sync {
            if new != name {
                std::fs::rename(&from, self.out.join(&new)).map_err(io_error(&from))?;
            }
            self.mark(&new, false);
            return Ok(new);
        }
        self.consumed.lock().expect("no panics while held").insert(name.to_string());
        if self.out.join(&new).is_file() {
            // The name carries the content's hash.
            self.mark(&new, true);
            Ok(new)
        } else {
            self.put_file(&new, &from).map(|()| new)
        }
    }

    /// Writes `bytes` under the name `hashed` gives them, in place of the bundle file
    /// `name`; returns the new name.
    pub fn put_hashed(&self, name: &str, bytes: &[u8], hashed: impl Fn(&[u8]) -> String) -> Result<String, SiteError> {
        let new = hashed(bytes);
        if self.sync {
            self.consumed.lock().expect("no panics while held").insert(name.to_string());
        } else if new != name {
            remove_if_present(&self.out.join(name))?;
        }
        self.put(&new, bytes).map(|()| new)
    }

    /// Sync: places every file below `dir` that nothing placed yet (nor consumed), except
    /// those in `skip`. Direct: nothing (the bundle is already in place).
    pub fn put_tree(&self, dir: &Path, skip: &[&str]) -> Result<(), SiteError> {
        if !self.sync {
            return Ok(());
        }
        let mut files = Vec::new();
        list_files(dir, "", &mut files)?;
        let taken: HashSet<String> = {
            let produced = self.produced.lock().expect("no panics while held");
            let consumed = self.consumed.lock().expect("no panics while held");
            files
                .iter()
                .filter(|f| produced.contains(*f) || consumed.contains(*f) || skip.contains(&f.as_str()))
                .cloned()
                .collect()
        };
        files
            .par_iter()
            .filter(|f| !taken.contains(*f))
            .try_for_each(|f| self.put_file(f, &dir.join(f)))
    }

    /// Relative names of the files produced so far (sync only; empty when direct).
    pub fn produced(&self) -> Vec<String> {
        let mut files: Vec<String> =
            self.produced.lock().expect("no panics while held").iter().cloned().collect();
        files.sort();
        files
    }

    /// Whether this writer syncs a separate site folder.
    pub fn is_sync(&self) -> bool {
        self.sync
    }

    /// Sync: removes every file of the site folder this publish did not produce, and the
    /// folders left empty. Returns how many files were removed.
    pub fn finish(&self) -> Result<usize, SiteError> {
        if !self.sync {
            return Ok(0);
        }
        let mut files = Vec::new();
        list_files(&self.out, "", &mut files)?;
        let produced = self.produced.lock().expect("no panics while held");
        let stale: Vec<&String> = files.iter().filter(|f| !produced.contains(*f)).collect();
        for f in &stale {
            remove_if_present(&self.out.join(f))?;
        }
        remove_empty_dirs(&self.out)?;
        Ok(stale.len())
    }

    /// `(files written, files left as they were)`.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.written.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
        )
    }
}

/// Whether `b` is `a` (one inode) or holds the same bytes.
fn same_content(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    if ma.dev() == mb.dev() && ma.ino() == mb.ino() {
        return true;
    }
    ma.len() == mb.len()
        && matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

fn tmp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Every file below `dir`, as `/`-separated names relative to it (`prefix` prepended).
fn list_files(dir: &Path, prefix: &str, files: &mut Vec<String>) -> Result<(), SiteError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && prefix.is_empty() => return Ok(()),
        Err(e) => return Err(io_error(dir)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        if entry.file_type().map_err(io_error(dir))?.is_dir() {
            list_files(&entry.path(), &rel, files)?;
        } else {
            files.push(rel);
        }
    }
    Ok(())
}

/// Removes the empty folders below `dir` (not `dir` itself); true when `dir` is empty.
fn remove_empty_dirs(dir: &Path) -> Result<bool, SiteError> {
    let mut empty = true;
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        if entry.file_type().map_err(io_error(dir))?.is_dir() && remove_empty_dirs(&entry.path())? {
            std::fs::remove_dir(entry.path()).map_err(io_error(&entry.path()))?;
        } else {
            empty = false;
        }
    }
    Ok(empty)
}
