//! [`Writer`]: where the files of one publish go.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use matome_compiler::swap::{self, par_io, same_content};

use super::stage::Stage;
use super::{io_error, link, move_file, read, remove_if_present, write};
use crate::SiteError;

/// Where the files of one publish go.
///
/// - *Direct*: the bundle's folder is the output; files
///   are written as they come and shards renamed in place.
/// - *Sync* (`matome publish`): the bundle is read from its own folder and the site
///   folder is replaced as a whole, never left half old, half new. A file whose bytes (or
///   inode) are those already in the site folder is left alone; a changed or new one is
///   written into a staging folder beside it ([`super::stage`]). When nothing
///   changed, [`Writer::finish`] leaves the site folder untouched (no file written, not
///   even a modification time). Otherwise it hard-links the unchanged files into the
///   staging folder (same inodes, same modification times, so upload tools still skip
///   them) and swaps the two folders in one `rename` (Linux `RENAME_EXCHANGE`); the old
///   tree is then removed. A publish killed at any point leaves the site folder either
///   as it was or complete (a killed publish's staging folder is removed by the next one,
///   a failed publish's by its own end).
///   Where the swap is not possible (another OS, a site folder that is a mount point)
///   the staged files are moved in one by one, as a fallback without that guarantee.
#[derive(Debug)]
pub struct Writer {
    src: PathBuf,
    out: PathBuf,
    sync: bool,
    /// Sync: the folder new and changed files go to until [`Writer::finish`] (empty when
    /// direct), and its owner, which removes it when done.
    stage: PathBuf,
    stage_guard: Mutex<Option<Stage>>,
    /// Sync: every file produced (relative names), the bundle files already placed
    /// under another name (hashed shards), and the produced files written into the
    /// staging folder (the others are the site folder's, unchanged).
    produced: Mutex<HashSet<String>>,
    consumed: Mutex<HashSet<String>>,
    staged: Mutex<HashSet<String>>,
    /// Sync: the spare site folder ([`matome_compiler::swap`]), if any.
    spare: Option<PathBuf>,
    written: AtomicUsize,
    reused: AtomicUsize,
}

impl Writer {
    /// Reads the bundle from `root` and writes into it.
    pub fn direct(root: &Path) -> Self {
        Self::new(root, root, None)
    }

    /// Reads the bundle from `src` and replaces `out` (see the type's docs); makes the
    /// staging folder.
    pub fn sync(src: &Path, out: &Path) -> Result<Self, SiteError> {
        let stage = Stage::beside(out).map_err(io_error(out))?;
        Ok(Self::new(src, out, Some(stage)))
    }

    /// Sync: keeps the previous site in `dir` after a swap and brings it up to date
    /// for the next one ([`matome_compiler::swap`]) instead of linking every file anew.
    pub fn with_spare(mut self, dir: &Path) -> Self {
        if self.sync {
            self.spare = Some(dir.to_path_buf());
        }
        self
    }

    fn new(src: &Path, out: &Path, stage: Option<Stage>) -> Self {
        Writer {
            src: src.to_path_buf(),
            out: out.to_path_buf(),
            sync: stage.is_some(),
            stage: stage
                .as_ref()
                .map(|s| s.path().to_path_buf())
                .unwrap_or_default(),
            stage_guard: Mutex::new(stage),
            produced: Mutex::default(),
            consumed: Mutex::default(),
            staged: Mutex::default(),
            spare: None,
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

    /// Keeps the site folder's file `rel` as it is (sync; the caller knows it is current).
    pub fn keep(&self, rel: &str) -> Result<(), SiteError> {
        if !self.sync || !self.out.join(rel).is_file() {
            return Err(SiteError::Io {
                path: self.out.join(rel),
                source: std::io::Error::other("no such file in the site folder to keep"),
            });
        }
        self.mark(rel, true);
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
    /// those in `skip` (a name, or a folder as `name/`). Direct: nothing (the bundle is
    /// already in place).
    pub fn put_tree(&self, dir: &Path, skip: &[&str]) -> Result<(), SiteError> {
        if !self.sync {
            return Ok(());
        }
        let files = swap::list(dir).map_err(io_error(dir))?;
        let taken: HashSet<String> = {
            let produced = self.produced.lock().expect("no panics while held");
            let consumed = self.consumed.lock().expect("no panics while held");
            files
                .iter()
                .filter(|f| {
                    produced.contains(*f)
                        || consumed.contains(*f)
                        || skip
                            .iter()
                            .any(|s| *s == f.as_str() || (s.ends_with('/') && f.starts_with(s)))
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
        let files = swap::list(&self.out).map_err(io_error(&self.out))?;
        let produced = self.produced.lock().expect("no panics while held");
        let staged = self.staged.lock().expect("no panics while held");
        let stale = files.iter().filter(|f| !produced.contains(*f)).count();
        if staged.is_empty() && stale == 0 {
            return Ok(0);
        }
        if let Some(spare) = self.spare.as_deref() {
            // The spare becomes the new site, the site the spare; the staging folder
            // (its files linked into the spare) goes.
            let staged: &HashSet<String> = &staged;
            let from = |f: &str| {
                if staged.contains(f) {
                    self.stage.join(f)
                } else {
                    self.out.join(f)
                }
            };
            if swap::swap_in_spare(spare, &self.out, &produced, from).is_ok() {
                return self.remove_stage().map(|()| stale);
            }
        }
        if cfg!(target_os = "linux") && std::fs::create_dir_all(&self.stage).is_ok() {
            // The staging folder becomes the whole new site: the unchanged files join it
            // as hard links, then one rename swaps it with the site folder.
            let kept: Vec<&String> = produced.iter().filter(|f| !staged.contains(*f)).collect();
            let dirs: HashSet<&str> = kept
                .iter()
                .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d))
                .collect();
            let dirs: Vec<&str> = dirs.into_iter().collect();
            par_io(&dirs, |d| {
                let dir = self.stage.join(d);
                std::fs::create_dir_all(&dir).map_err(io_error(&dir))
            })?;
            par_io(&kept, |f| link(&self.out.join(f), &self.stage.join(f)))?;
            if let Ok(meta) = std::fs::metadata(&self.out) {
                // The folder keeps its mode (a served folder may be group-readable).
                let _ = std::fs::set_permissions(&self.stage, meta.permissions());
            }
            if swap::exchange(&self.stage, &self.out).is_ok() {
                // The staging folder's name now holds the previous site.
                return self.remove_stage().map(|()| stale);
            }
        }
        // Fallback, file by file: changed files replaced by a rename, stale ones removed.
        for f in staged.iter() {
            move_file(&self.stage.join(f), &self.out.join(f))?;
        }
        for f in files.iter().filter(|f| !produced.contains(*f)) {
            remove_if_present(&self.out.join(f))?;
        }
        swap::remove_empty_dirs(&self.out).map_err(io_error(&self.out))?;
        self.remove_stage().map(|()| stale)
    }

    fn remove_stage(&self) -> Result<(), SiteError> {
        match self
            .stage_guard
            .lock()
            .expect("no panics while held")
            .take()
        {
            Some(stage) => stage.remove().map_err(io_error(&self.stage)),
            None => Ok(()),
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
