//! The SHA-256 of each bundle file from the last publish, kept beside the render cache
//! (`bundle.txt`) with the file's identity (device, inode, size, modification time), so
//! that a publish neither reads nor hashes the bundle files the compiler did not write
//! again (it leaves unchanged files as they are: same inode, same time). A file whose
//! identity differs from the one recorded is read and hashed as before.

use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use matome_compiler::hash::{hex, parse_hex};

use crate::bundle::Digest;

/// First line of the file; bumped whenever its layout changes.
const FORMAT: &str = "matome-bundle-digests-1";

/// Device, inode, size, modification time (ns).
pub(crate) type FileId = (u64, u64, u64, i128);

/// The identity of the file at `path`, if it is a file.
pub(crate) fn file_id(path: &Path) -> Option<FileId> {
    let m = std::fs::metadata(path).ok()?;
    m.is_file().then(|| {
        let mtime = i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec());
        (m.dev(), m.ino(), m.len(), mtime)
    })
}

/// The digests of the last publish and those of this one.
#[derive(Default)]
pub(crate) struct DigestMemo {
    file: Option<PathBuf>,
    previous: HashMap<PathBuf, (FileId, Digest)>,
    seen: Mutex<Vec<(PathBuf, FileId, Digest)>>,
}

impl DigestMemo {
    /// The memo in `dir` (`None`: a memo that remembers nothing).
    pub(crate) fn open(dir: Option<&Path>) -> Self {
        let Some(dir) = dir else {
            return Self::default();
        };
        let file = dir.join("bundle.txt");
        let previous = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| parse(&t))
            .unwrap_or_default();
        DigestMemo {
            file: Some(file),
            previous,
            seen: Mutex::default(),
        }
    }

    /// The digest recorded for `path` if it is still the file `id` names.
    pub(crate) fn get(&self, path: &Path, id: FileId) -> Option<Digest> {
        let (known, digest) = self.previous.get(path)?;
        let hit = (*known == id).then_some(*digest);
        if hit.is_some() {
            self.record(path, id, *digest);
        }
        hit
    }

    /// Records that the file `id` at `path` has `digest`.
    pub(crate) fn record(&self, path: &Path, id: FileId, digest: Digest) {
        if self.file.is_some() {
            self.seen
                .lock()
                .expect("no panics while held")
                .push((path.to_path_buf(), id, digest));
        }
    }

    /// Writes what this publish saw (best effort: a memo not written only makes the
    /// next publish hash again).
    pub(crate) fn store(&self) {
        let Some(file) = &self.file else { return };
        let seen = self.seen.lock().expect("no panics while held");
        let mut text = format!("{FORMAT}\n");
        for (path, (dev, ino, len, mtime), digest) in seen.iter() {
            let Some(p) = path.to_str().filter(|p| !p.contains(['\t', '\n'])) else {
                continue;
            };
            let hex = hex(digest);
            text.push_str(&format!("{hex}\t{dev}\t{ino}\t{len}\t{mtime}\t{p}\n"));
        }
        let _ = crate::io::write_atomic(file, text.as_bytes());
    }
}

fn parse(text: &str) -> Option<HashMap<PathBuf, (FileId, Digest)>> {
    let mut lines = text.lines();
    if lines.next()? != FORMAT {
        return None;
    }
    lines
        .map(|l| {
            let mut f = l.splitn(6, '\t');
            let d: Digest = parse_hex(f.next()?)?;
            let id = (
                f.next()?.parse().ok()?,
                f.next()?.parse().ok()?,
                f.next()?.parse().ok()?,
                f.next()?.parse().ok()?,
            );
            Some((PathBuf::from(f.next()?), (id, d)))
        })
        .collect()
}
