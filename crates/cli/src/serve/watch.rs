//! What `matome serve` watches, on file events from the operating system (`notify`:
//! inotify, FSEvents, ReadDirectoryChangesW): nothing runs while nothing changes.
//!
//! Each root (a folder watched whole, or one file such as build.json) is watched together
//! with its parent folder, not recursively: a root saved by renaming a new file over it,
//! or a folder replaced whole (an app folder rebuilt), is then seen and watched again.
//!
//! Events are debounced: a change is reported once the roots have been quiet for
//! [`QUIET`] (at most [`MAX_WAIT`] after its first event), so an editor's write, rename
//! and touch of one save publish once.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long the roots must stay quiet before a change is reported.
pub(crate) const QUIET: Duration = Duration::from_millis(40);
/// A change is reported at the latest this long after its first event, even if files
/// keep changing.
pub(crate) const MAX_WAIT: Duration = Duration::from_millis(500);

/// The roots, watched; [`Watcher::next_change`] blocks until one of them changes.
pub(crate) struct Watcher {
    inner: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    /// Absolute paths of the folders and files whose changes count.
    roots: Vec<PathBuf>,
    /// What is registered with the operating system now.
    registered: BTreeSet<(PathBuf, bool)>,
}

/// One debounced change: the paths that changed (below the roots, without hidden ones).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) paths: BTreeSet<PathBuf>,
    /// The system dropped events (queue overflow) or reported an error: anything may
    /// have changed.
    pub(crate) rescan: bool,
}

impl Watcher {
    /// Watches `roots` (folders, whole, or single files; missing ones are watched for
    /// from their parent folder).
    pub(crate) fn new(roots: &[PathBuf]) -> notify::Result<Watcher> {
        let (tx, events) = channel();
        let inner = notify::recommended_watcher(move |e| {
            // The receiver is gone only when serve ends.
            let _ = tx.send(e);
        })?;
        let mut watcher = Watcher {
            inner,
            events,
            roots: Vec::new(),
            registered: BTreeSet::new(),
        };
        watcher.set_roots(roots);
        Ok(watcher)
    }

    /// Watches `roots` instead of the current ones (the config moved a folder).
    pub(crate) fn set_roots(&mut self, roots: &[PathBuf]) {
        self.roots = roots
            .iter()
            .map(|r| std::path::absolute(r).unwrap_or_else(|_| r.clone()))
            .collect();
        self.sync(false);
    }

    /// Blocks until the roots change, then returns the debounced change. Modified
    /// metadata alone (a new hard link to a file, as a publish makes) counts only for a
    /// file modified at or after `since` (`touch`): pass the time the last publish began.
    pub(crate) fn next_change(&mut self, since: SystemTime) -> Change {
        loop {
            if let Some(change) = self.wait(None, since) {
                return change;
            }
        }
    }

    /// [`Self::next_change`], giving up after `timeout` without a change.
    #[cfg(test)]
    pub(crate) fn change_within(&mut self, timeout: Duration, since: SystemTime) -> Option<Change> {
        self.wait(Some(Instant::now() + timeout), since)
    }

    fn wait(&mut self, give_up: Option<Instant>, since: SystemTime) -> Option<Change> {
        let mut change = Change::default();
        // Blocks, without a timeout when there is none: no wake-ups while idle.
        loop {
            let event = match give_up {
                None => self.events.recv().ok()?,
                Some(at) => self
                    .events
                    .recv_timeout(at.saturating_duration_since(Instant::now()))
                    .ok()?,
            };
            if self.record(event, since, &mut change) {
                break;
            }
        }
        let first = Instant::now();
        let mut last = first;
        loop {
            let until = (last + QUIET).min(first + MAX_WAIT);
            match self
                .events
                .recv_timeout(until.saturating_duration_since(Instant::now()))
            {
                Ok(event) => {
                    if self.record(event, since, &mut change) {
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        // A root (or its folder) created, removed or replaced: watch it anew.
        let replaced = change
            .paths
            .iter()
            .any(|p| self.roots.iter().any(|r| r == p));
        self.sync(replaced || change.rescan);
        Some(change)
    }

    /// Adds the event's paths that count to `change`; whether there were any.
    fn record(
        &self,
        event: notify::Result<notify::Event>,
        since: SystemTime,
        change: &mut Change,
    ) -> bool {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                eprintln!("matome serve: watching files: {e}");
                change.rescan = true;
                return true;
            }
        };
        if event.need_rescan() {
            change.rescan = true;
            return true;
        }
        match event.kind {
            // Reading a file (each publish reads every post) is no change.
            EventKind::Access(_) => return false,
            EventKind::Modify(ModifyKind::Metadata(_)) => {
                let touched = |p: &PathBuf| {
                    std::fs::metadata(p)
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t >= since)
                };
                if !event.paths.iter().any(touched) {
                    return false;
                }
            }
            _ => {}
        }
        let before = change.paths.len();
        change.paths.extend(
            event
                .paths
                .into_iter()
                .filter(|p| self.roots.iter().any(|r| counts(r, p))),
        );
        change.paths.len() > before
    }

    /// Registers what the roots need now: each existing folder root recursively, and
    /// each root's parent folder alone. `again` registers everything anew.
    fn sync(&mut self, again: bool) {
        let mut wanted = BTreeSet::new();
        for root in &self.roots {
            if root.is_dir() {
                wanted.insert((root.clone(), true));
            }
            if let Some(parent) = root.parent().filter(|p| p.is_dir()) {
                wanted.insert((parent.to_path_buf(), false));
            }
        }
        for gone in self
            .registered
            .difference(&wanted)
            .cloned()
            .collect::<Vec<_>>()
        {
            // A folder removed from disk has lost its watch already.
            let _ = self.inner.unwatch(&gone.0);
            self.registered.remove(&gone);
        }
        for (path, recursive) in wanted {
            let key = (path, recursive);
            if self.registered.contains(&key) && !again {
                continue;
            }
            if again {
                let _ = self.inner.unwatch(&key.0);
            }
            let mode = if key.1 {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            match self.inner.watch(&key.0, mode) {
                Ok(()) => {
                    self.registered.insert(key);
                }
                Err(e) => {
                    self.registered.remove(&key);
                    eprintln!("matome serve: cannot watch {}: {e}", key.0.display());
                }
            }
        }
    }
}

/// Whether a change of `path` is one of `root`'s: the root itself or below it, and not
/// hidden (editors' swap files, Trunk's `.stage` while it builds).
fn counts(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|rest| {
        rest.components().all(|c| match c {
            Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
            _ => true,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Long enough for an event to arrive on a loaded machine.
    const PATIENCE: Duration = Duration::from_secs(5);

    fn since_now() -> SystemTime {
        SystemTime::now()
    }

    // Only the roots count, and not their hidden files.
    #[test]
    fn counts_changes_below_a_root_except_hidden_ones() {
        let root = Path::new("/site/posts");
        assert!(counts(root, Path::new("/site/posts")));
        assert!(counts(root, Path::new("/site/posts/2025_01/a/index.md")));
        assert!(!counts(root, Path::new("/site/posts/.a.md.swp")));
        assert!(!counts(root, Path::new("/site/posts/a/.stage/x.js")));
        assert!(!counts(root, Path::new("/site/postscript.md")));
        assert!(!counts(root, Path::new("/site/build.json")));
    }

    // Without a change nothing is reported (nothing polls); one save is one debounced
    // change naming the file, and nothing follows it.
    #[test]
    fn a_saved_file_is_one_change_and_no_change_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("posts");
        std::fs::create_dir_all(posts.join("2025_01/a")).unwrap();
        let post = posts.join("2025_01/a/index.md");
        std::fs::write(&post, "first").unwrap();
        let mut watcher = Watcher::new(&[posts]).unwrap();
        let since = since_now();
        assert_eq!(
            watcher.change_within(Duration::from_millis(700), since),
            None
        );

        // Written as editors do: truncated, written in two parts, closed.
        {
            use std::io::Write as _;
            let mut file = std::fs::File::create(&post).unwrap();
            file.write_all(b"second, ").unwrap();
            file.flush().unwrap();
            file.write_all(b"saved").unwrap();
        }
        let change = watcher.change_within(PATIENCE, since).expect("a change");
        assert!(!change.rescan);
        assert_eq!(
            change.paths.into_iter().collect::<Vec<_>>(),
            vec![std::path::absolute(&post).unwrap()]
        );
        assert_eq!(
            watcher.change_within(Duration::from_millis(500), since),
            None
        );
    }

    // Reading a post, a hidden swap file and a new hard link to a post (what a publish
    // does) are no change: serve does not publish again after its own publish.
    #[test]
    fn reads_hidden_files_and_new_links_are_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("posts");
        std::fs::create_dir_all(&posts).unwrap();
        let post = posts.join("index.md");
        std::fs::write(&post, "post").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let mut watcher = Watcher::new(std::slice::from_ref(&posts)).unwrap();
        let since = since_now();
        assert_eq!(std::fs::read_to_string(&post).unwrap(), "post");
        let _ = std::fs::read_dir(&posts).unwrap().count();
        std::fs::write(posts.join(".index.md.swp"), "draft").unwrap();
        std::fs::hard_link(&post, dir.path().join("site-copy.md")).unwrap();
        assert_eq!(
            watcher.change_within(Duration::from_millis(700), since),
            None
        );
    }

    // A config file saved by renaming a new file over it is a change, and so is the
    // next save (the file is watched through its folder, not by its old inode).
    #[test]
    fn a_file_root_replaced_by_rename_is_a_change_each_time() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("build.json");
        std::fs::write(&config, "{}").unwrap();
        std::fs::write(dir.path().join("other.txt"), "x").unwrap();
        let mut watcher = Watcher::new(std::slice::from_ref(&config)).unwrap();
        let since = since_now();
        std::fs::write(dir.path().join("other.txt"), "y").unwrap();
        assert_eq!(
            watcher.change_within(Duration::from_millis(500), since),
            None,
            "a sibling of the file is not watched"
        );
        for text in ["{\"title\": \"a\"}", "{\"title\": \"b\"}"] {
            let tmp = dir.path().join(".build.json.tmp");
            std::fs::write(&tmp, text).unwrap();
            std::fs::rename(&tmp, &config).unwrap();
            let change = watcher.change_within(PATIENCE, since).expect("a change");
            assert_eq!(
                change.paths.into_iter().collect::<Vec<_>>(),
                vec![std::path::absolute(&config).unwrap()]
            );
        }
    }

    // A watched folder removed and made again (an app folder rebuilt) is watched anew:
    // a file saved in the new folder is a change.
    #[test]
    fn a_folder_root_made_again_is_watched_again() {
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("app");
        std::fs::create_dir_all(&app).unwrap();
        let mut watcher = Watcher::new(std::slice::from_ref(&app)).unwrap();
        let since = since_now();
        std::fs::remove_dir_all(&app).unwrap();
        std::fs::create_dir_all(&app).unwrap();
        watcher
            .change_within(PATIENCE, since)
            .expect("the folder replaced");
        // The removal and the creation may come as two changes.
        while watcher
            .change_within(Duration::from_millis(300), since)
            .is_some()
        {}
        std::fs::write(app.join("index.html"), "<html>").unwrap();
        let change = watcher
            .change_within(PATIENCE, since)
            .expect("a file in it");
        assert!(
            change
                .paths
                .contains(&std::path::absolute(app.join("index.html")).unwrap()),
            "{change:?}"
        );
    }
}
