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
///   folder is replaced as a whole, never left half old, half new. A file whose bytes (or
///   inode) are those already in the site folder is left alone; a changed or new one is
///   written into a staging folder beside it (`.<name>.matome-new-<pid>`). When nothing
///   changed, [`Writer::finish`] leaves the site folder untouched (no file written, not
///   even a modification time). Otherwise it hard-links the unchanged files into the
///   staging folder (same inodes, same modification times, so upload tools still skip
///   them) and swaps the two folders in one `rename` (Linux `RENAME_EXCHANGE`); the old
///   tree is then removed. A publish killed at any point leaves the site folder either
///   as it was or complete (a leftover staging folder is removed by the next publish).
///   Where the swap is not possible (another OS, a site folder that is a mount point)
///   the staged files are moved in one by one, as a fallback without that guarantee.
#[derive(Debug)]
pub struct Writer {
    src: PathBuf,
    out: PathBuf,
    sync: bool,
    /// Sync: the folder new and changed files go to until [`Writer::finish`].
    stage: PathBuf,
    /// Sync: every file produced (relative names), the bundle files already placed
    /// under another name (hashed shards), and the produced files written into the
    /// staging folder (the others are the site folder's, unchanged).
    produced: Mutex<HashSet<String>>,
    consumed: Mutex<HashSet<String>>,
    staged: Mutex<HashSet<String>>,
    written: AtomicUsize,
    reused: AtomicUsize,
}

impl Writer {
    /// Reads the bundle from `root` and writes into it.
    pub fn direct(root: &Path) -> Self {
        Self::new(root, root, false)
    }

    /// Reads the bundle from `src` and replaces `out` (see the type's docs).
    pub fn sync(src: &Path, out: &Path) -> Self {
        Self::new(src, out, true)
    }

    fn new(src: &Path, out: &Path, sync: bool) -> Self {
        let stage = if sync {
            remove_stale_stages(out);
            stage_name(out, &format!("matome-new-{}", std::process::id()))
        } else {
            PathBuf::new()
        };
        Writer {
            src: src.to_path_buf(),
            out: out.to_path_buf(),
            sync,
            stage,
            produced: Mutex::default(),
            consumed: Mutex::default(),
            staged: Mutex::default(),
            written: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// The folder the bundle is read from.
    pub fn src(&self) -> &Path {
        &self.src
    }

    /// The folder written into (sync: the site folder, replaced by [`Writer::finish`]).
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Where the produced file `rel` can be read back before [`Writer::finish`]: in the
    /// staging folder when this publish wrote it, else in the output folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        if self.sync
            && self
                .staged
                .lock()
                .expect("no panics while held")
                .contains(rel)
        {
            self.stage.join(rel)
        } else {
            self.out.join(rel)
        }
    }

    fn stage_file(&self, rel: &str) -> PathBuf {
        self.staged
            .lock()
            .expect("no panics while held")
            .insert(rel.to_string());
        self.stage.join(rel)
    }

    fn mark(&self, rel: &str, reused: bool) {
        if self.sync {
            self.produced
                .lock()
                .expect("no panics while held")
                .insert(rel.to_string());
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
        let current = self.path(rel);
        let same = std::fs::metadata(&current).is_ok_and(|m| m.len() == bytes.len() as u64)
            && std::fs::read(&current).is_ok_and(|b| b == bytes);
        if !same {
            write(&self.stage_file(rel), bytes)?;
        }
        self.mark(rel, same);
        Ok(())
    }

    /// Places the file `from` as `rel` by a hard link (sync: unless the file there is
    /// the same file or holds the same bytes).
    pub fn put_file(&self, rel: &str, from: &Path) -> Result<(), SiteError> {
        let same = self.sync && same_content(from, &self.path(rel));
        if !same {
            let dest = if self.sync {
                self.stage_file(rel)
            } else {
                self.out.join(rel)
            };
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir).map_err(io_error(dir))?;
            }
            link(from, &dest)?;
        }
        self.mark(rel, same);
        Ok(())
    }

    /// Gives the bundle file `name` its content-hashed name ([`crate::shards`]) and
    /// returns that name.
    pub fn place_hashed(
        &self,
        name: &str,
        hashed: impl Fn(&[u8]) -> String,
    ) -> Result<String, SiteError> {
        let from = self.src.join(name);
        let new = hashed(&read(&from)?);
        if !self.sync {
            if new != name {
                std::fs::rename(&from, self.out.join(&new)).map_err(io_error(&from))?;
            }
            self.mark(&new, false);
            return Ok(new);
        }
        self.consumed
            .lock()
            .expect("no panics while held")
            .insert(name.to_string());
        if self.path(&new).is_file() {
            // The name carries the content's hash.
            self.mark(&new, true);
            Ok(new)
        } else {
            self.put_file(&new, &from).map(|()| new)
        }
    }

    /// Writes `bytes` under the name `hashed` gives them, in place of the bundle file
    /// `name`; returns the new name.
    pub fn put_hashed(
        &self,
        name: &str,
        bytes: &[u8],
        hashed: impl Fn(&[u8]) -> String,
    ) -> Result<String, SiteError> {
        let new = hashed(bytes);
        if self.sync {
            self.consumed
                .lock()
                .expect("no panics while held")
                .insert(name.to_string());
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
                .filter(|f| {
                    produced.contains(*f) || consumed.contains(*f) || skip.contains(&f.as_str())
                })
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
        let mut files: Vec<String> = self
            .produced
            .lock()
            .expect("no panics while held")
            .iter()
            .cloned()
            .collect();
        files.sort();
        files
    }

    /// Whether this writer syncs a separate site folder.
    pub fn is_sync(&self) -> bool {
        self.sync
    }

    /// Sync: makes the site folder what this publish produced (see the type's docs).
    /// Returns how many files of the previous site are gone.
    pub fn finish(&self) -> Result<usize, SiteError> {
        if !self.sync {
            return Ok(0);
        }
        let mut files = Vec::new();
        list_files(&self.out, "", &mut files)?;
        let produced = self.produced.lock().expect("no panics while held");
        let staged = self.staged.lock().expect("no panics while held");
        let stale = files.iter().filter(|f| !produced.contains(*f)).count();
        if staged.is_empty() && stale == 0 {
            return Ok(0);
        }
        if cfg!(target_os = "linux") && std::fs::create_dir_all(&self.stage).is_ok() {
            // The staging folder becomes the whole new site: the unchanged files join it
            // as hard links, then one rename swaps it with the site folder.
            let kept: Vec<&String> = produced.iter().filter(|f| !staged.contains(*f)).collect();
            let dirs: HashSet<&str> = kept
                .iter()
                .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d))
                .collect();
            for d in dirs {
                let dir = self.stage.join(d);
                std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
            }
            kept.par_iter()
                .try_for_each(|f| link(&self.out.join(f), &self.stage.join(f)))?;
            if let Ok(meta) = std::fs::metadata(&self.out) {
                // The folder keeps its mode (a served folder may be group-readable).
                let _ = std::fs::set_permissions(&self.stage, meta.permissions());
            }
            if swap(&self.stage, &self.out).is_ok() {
                // The staging folder's name now holds the previous site.
                std::fs::remove_dir_all(&self.stage).map_err(io_error(&self.stage))?;
                return Ok(stale);
            }
        }
        // Fallback, file by file: changed files replaced by a rename, stale ones removed.
        for f in staged.iter() {
            move_file(&self.stage.join(f), &self.out.join(f))?;
        }
        for f in files.iter().filter(|f| !produced.contains(*f)) {
            remove_if_present(&self.out.join(f))?;
        }
        remove_empty_dirs(&self.out)?;
        match std::fs::remove_dir_all(&self.stage) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(&self.stage)(e)),
            _ => Ok(stale),
        }
    }

    /// `(files written, files left as they were)`.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.written.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
        )
    }
}

/// `<parent>/.<name>.<suffix>`: a folder beside `out`, on the same file system as far as
/// a rename cares (unless `out` is a mount point).
fn stage_name(out: &Path, suffix: &str) -> PathBuf {
    let abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    abs.with_file_name(format!(".{name}.{suffix}"))
}

/// Removes the staging folders of publishes that were killed (best effort: a folder of a
/// publish still running elsewhere is left to it when its process is alive).
fn remove_stale_stages(out: &Path) {
    let prefix = stage_name(out, "matome-new-");
    let (Some(parent), Some(prefix)) =
        (prefix.parent(), prefix.file_name().and_then(|n| n.to_str()))
    else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(prefix) else {
            continue;
        };
        let alive = pid != std::process::id().to_string() && Path::new("/proc").join(pid).exists();
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Swaps the folders `a` and `b` in one step (`b` may be missing: then a rename).
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    if !b.exists() {
        return std::fs::rename(a, b);
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other)
        };
        let (ca, cb) = (c(a)?, c(b)?);
        // SAFETY: two valid NUL-terminated paths, relative to the working directory.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
    #[cfg(not(target_os = "linux"))]
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Moves a file into place by a rename, or by a copy and a rename across file systems.
fn move_file(from: &Path, to: &Path) -> Result<(), SiteError> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    let tmp = tmp_name(to);
    remove_if_present(&tmp)?;
    std::fs::copy(from, &tmp).map_err(io_error(from))?;
    std::fs::rename(&tmp, to).map_err(io_error(to))
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
    ma.len() == mb.len() && matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
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
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
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
