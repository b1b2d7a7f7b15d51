//! The spare bundle: the bundle as it was before the last build that changed it, kept in
//! the cache folder so that the next such build brings it up to date (the files it
//! wrote, hard links to the unchanged ones of the output) and swaps it in, instead of
//! hard-linking every unchanged file into the staging folder. Nothing is assumed about
//! what the spare holds: [`fill`] removes every file that does not belong and links
//! each one that is not already the very file (inode) it must be.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

/// Every file below `dir`, as `/`-separated names relative to it (none if it is missing).
pub(super) fn list(dir: &Path) -> io::Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<String>) -> io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type()?.is_dir() {
                walk(&entry.path(), &rel, out)?;
            } else {
                out.push(rel);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    match walk(dir, "", &mut out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound && !dir.exists() => Ok(out),
        r => r.map(|()| out),
    }
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Removes the empty folders below `dir`; true when `dir` is empty.
fn remove_empty_dirs(dir: &Path) -> io::Result<bool> {
    let mut empty = true;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() && remove_empty_dirs(&entry.path())? {
            std::fs::remove_dir(entry.path())?;
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

/// Makes `spare` hold exactly `files`: each the file of that name in `from(name)` (a
/// hard link to it).
pub(super) fn fill(
    spare: &Path,
    files: &HashSet<String>,
    from: impl Fn(&str) -> PathBuf + Sync,
) -> io::Result<()> {
    use rayon::prelude::*;
    std::fs::create_dir_all(spare)?;
    let present = list(spare)?;
    let stale: Vec<&String> = present.iter().filter(|f| !files.contains(*f)).collect();
    stale
        .par_iter()
        .try_for_each(|f| std::fs::remove_file(spare.join(f)))?;
    if !stale.is_empty() {
        remove_empty_dirs(spare)?;
    }
    let present: HashSet<&String> = present.iter().collect();
    let mut dirs: Vec<&str> = files
        .iter()
        .filter(|f| !present.contains(f))
        .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    for d in dirs {
        std::fs::create_dir_all(spare.join(d))?;
    }
    let files: Vec<&String> = files.iter().collect();
    files.par_iter().try_for_each(|f| {
        let (src, dest) = (from(f), spare.join(f));
        if present.contains(f) {
            if same_file(&src, &dest) {
                return Ok(());
            }
            std::fs::remove_file(&dest)?;
        }
        std::fs::hard_link(&src, &dest)
    })
}
