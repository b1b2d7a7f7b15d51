//! Where things are: the repo, `dist/`, the target dir, scratch dirs, and copies of a
//! built site that tests may break or rebuild.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root (this crate lives in `<root>/tests`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Cargo's target dir (`CARGO_TARGET_DIR` or `<root>/target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("target"),
    }
}

/// The release build under test (`MATOME_E2E_DIST` or `<root>/dist`); panics with what
/// to run when it has not been built.
pub fn dist_dir() -> PathBuf {
    let dist = match std::env::var_os("MATOME_E2E_DIST") {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("dist"),
    };
    assert!(
        dist.join("index.html").is_file(),
        "{} not found: build the site first with `make dist` (or run `make test-e2e`)",
        dist.join("index.html").display()
    );
    dist
}

/// The sample posts (`content/posts`).
pub fn sample_posts_dir() -> PathBuf {
    repo_root().join("content/posts")
}

/// A fresh empty directory under `target/e2e-tmp/`.
pub fn scratch_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = target_dir().join("e2e-tmp").join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies `from` into `to` recursively, skipping top-level entries named in `skip`.
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let src = entry.path();
        let dst = to.join(&name);
        if src.is_dir() {
            copy_tree(&src, &dst, &[]);
        } else {
            std::fs::copy(&src, &dst)
                .unwrap_or_else(|e| panic!("copy {} → {}: {e}", src.display(), dst.display()));
        }
    }
}

/// A scratch copy of `dist/` that a test may damage; removed on drop.
pub struct SiteCopy {
    /// The copy's root.
    pub dir: PathBuf,
}

impl SiteCopy {
    /// Copies the whole of `dist/`.
    pub fn of_dist(name: &str) -> SiteCopy {
        let dir = scratch_dir(name);
        copy_tree(&dist_dir(), &dir, &[]);
        SiteCopy { dir }
    }
}

impl Drop for SiteCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
