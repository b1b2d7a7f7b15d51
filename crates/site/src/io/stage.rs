//! The staging folder of a sync publish: made beside the site folder by tempfile
//! (`.<name>.matome-new-XXXXXX`, so a rename to the site folder stays on one file system
//! unless the site folder is a mount point) and removed by it when the publish ends,
//! whether it succeeded or returned an error.
//!
//! A publish that is killed runs no destructor, so its staging folder stays behind. To
//! tell such a leftover from the folder of a publish still running, each publish holds an
//! advisory lock (`flock`) on its staging folder; the kernel drops the lock when the
//! process dies, and the next publish removes every folder of that name whose lock it can
//! take. (A publish starting in the instant between another one creating its folder and
//! locking it could remove that folder; two publishes into one site folder at once are
//! not supported anyway: each would swap in its own site.)

use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// A locked staging folder; dropping it removes the folder and what it holds.
#[derive(Debug)]
pub(super) struct Stage {
    dir: TempDir,
    /// Holds the lock while the publish runs.
    _lock: File,
}

impl Stage {
    /// Removes the leftovers of killed publishes into `out`, then makes a new staging
    /// folder beside it.
    pub(super) fn beside(out: &Path) -> std::io::Result<Self> {
        let (parent, prefix) = parent_and_prefix(out);
        std::fs::create_dir_all(&parent)?;
        remove_leftovers(&parent, &prefix);
        let dir = tempfile::Builder::new()
            .prefix(&prefix)
            // As a plain new folder (the umask applies): it becomes the site folder.
            .permissions(std::fs::Permissions::from_mode(0o777))
            .tempdir_in(&parent)?;
        let lock = File::open(dir.path())?;
        if !try_lock(&lock) {
            return Err(std::io::Error::last_os_error());
        }
        Ok(Stage { dir, _lock: lock })
    }

    /// The folder.
    pub(super) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Removes the folder and everything in it (after a swap: the previous site).
    pub(super) fn remove(self) -> std::io::Result<()> {
        super::empty_dir_parallel(self.dir.path());
        self.dir.close()
    }
}

/// The folder holding `out` (absolute) and the name prefix of its staging folders.
fn parent_and_prefix(out: &Path) -> (PathBuf, String) {
    let abs = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let parent = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    (parent, format!(".{name}.matome-new-"))
}

/// Takes an exclusive lock on `file` without waiting; false when another process has it.
fn try_lock(file: &File) -> bool {
    // SAFETY: a valid open descriptor; flock has no other preconditions.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

/// Removes the staging folders in `parent` named `prefix…` that no running publish holds
/// (best effort: what cannot be removed now is tried again next time).
fn remove_leftovers(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(prefix) {
            continue;
        }
        let path = entry.path();
        if File::open(&path).is_ok_and(|f| try_lock(&f)) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A staging folder whose publish is gone is removed by the next one; one still held
    // (here by a live Stage) is left alone; the new folder goes when its Stage does.
    #[test]
    fn leftovers_go_live_stages_stay() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("site");
        let dead = root.path().join(".site.matome-new-dead");
        std::fs::create_dir_all(dead.join("posts")).unwrap();
        std::fs::write(dead.join("posts/a.html"), "x").unwrap();
        let live = Stage::beside(&out).unwrap();
        assert!(!dead.exists(), "the leftover is removed");
        let second = Stage::beside(&out).unwrap();
        assert!(live.path().is_dir(), "a held staging folder stays");
        let other = root.path().join(".other.matome-new-x");
        std::fs::create_dir(&other).unwrap();
        let path = second.path().to_path_buf();
        second.remove().unwrap();
        drop(Stage::beside(&out).unwrap());
        assert!(!path.exists() && live.path().is_dir() && other.is_dir());
        let live_path = live.path().to_path_buf();
        drop(live);
        assert!(!live_path.exists());
    }
}
