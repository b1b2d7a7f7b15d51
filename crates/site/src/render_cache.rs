//! Skipping pages whose inputs did not change since the last publish into the same site
//! folder (sync only).
//!
//! Each route page's *key* is a SHA-256 of everything its file is made of: the running
//! `matome` executable (the app's components are compiled into it), the template, the
//! route, the bundle files its view's data was read from and its head tags. After a successful publish the
//! manifest `pages.txt` in the cache folder records, per page file, that key and the
//! identity of the file then in the site folder (device, inode, size, modification
//! time). A page whose key and file are both still those of the manifest is neither
//! rendered nor read nor written: its file stays as it is. Anything else (another
//! binary or template, changed data, a file touched since) renders it as before, so the
//! site is the same as a build without the cache.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use matome_compiler::hash::{hex, parse_hex, sha256, Hasher};
use matome_web::prerender::Target;
use rayon::prelude::*;

use crate::bundle::Digest;
use crate::head::PageMeta;
use crate::template::Template;

/// First word of the manifest; bumped whenever its layout or the keys change.
const FORMAT: &str = "matome-pages-1";
const MANIFEST: &str = "pages.txt";

/// SHA-256 of a page's inputs.
pub(crate) type Key = matome_compiler::hash::Sha256;

/// The identity of a file: device, inode, size, modification time (ns).
type FileId = (u64, u64, u64, i128);

/// The previous publish's manifest and what this one's keys start from.
pub(crate) struct RenderCache {
    dir: PathBuf,
    salt: Key,
    previous: HashMap<String, (Key, FileId)>,
}

fn file_id(path: &Path) -> Option<FileId> {
    let m = std::fs::symlink_metadata(path).ok()?;
    m.is_file().then(|| {
        let mtime = i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec());
        (m.dev(), m.ino(), m.len(), mtime)
    })
}

impl RenderCache {
    /// The cache in `dir` for pages filled into `template`; `None` when the running
    /// executable cannot be read (nothing is skipped then).
    pub(crate) fn open(dir: &Path, template: &Template) -> Option<Self> {
        let exe = std::fs::read(std::env::current_exe().ok()?).ok()?;
        let mut feed = Hasher::new();
        feed.update(FORMAT.as_bytes());
        feed.update(sha256(&exe));
        write!(feed, "{template:?}").ok()?;
        let salt: Key = feed.finalize();
        let previous = std::fs::read_to_string(dir.join(MANIFEST))
            .ok()
            .and_then(|text| parse(&text, &salt))
            .unwrap_or_default();
        Some(RenderCache {
            dir: dir.to_path_buf(),
            salt,
            previous,
        })
    }

    /// The key of the page `file` showing a view of `kind` for `target` under the
    /// head `meta`; `sources` are the digests of the bundle files the view's data was
    /// read from (hashing them is much faster than hashing the data itself).
    pub(crate) fn key(
        &self,
        file: &str,
        kind: &str,
        sources: &[&Digest],
        target: &Target,
        meta: &PageMeta,
    ) -> Key {
        let mut f = Hasher::new();
        f.update(self.salt);
        // Length-prefixed fields: no two different inputs write the same text.
        f.part(file);
        f.part(kind);
        f.part(target.site_title);
        f.part(target.base_path);
        f.part(target.pathname);
        // `Debug` of the data: every field, strings quoted and escaped.
        let _ = write!(f, "{:?}|{meta:?}|", target.author);
        f.update((sources.len() as u64).to_le_bytes());
        for d in sources {
            f.update(d);
        }
        f.finalize()
    }

    /// Whether the file `file` in the site folder `out` is the one the last publish
    /// wrote for `key`.
    pub(crate) fn fresh(&self, out: &Path, file: &str, key: &Key) -> bool {
        match self.previous.get(file) {
            Some((k, id)) => k == key && file_id(&out.join(file)).as_ref() == Some(id),
            None => false,
        }
    }

    /// Records the page files now in `out` with their keys (after a successful publish).
    pub(crate) fn store(&self, out: &Path, pages: &[(String, Key)]) -> std::io::Result<()> {
        let lines: Vec<Option<String>> = pages
            .par_iter()
            .map(|(file, key)| {
                let (dev, ino, size, mtime) = file_id(&out.join(file))?;
                (!file.contains(['\t', '\n']))
                    .then(|| format!("{file}\t{}\t{dev}\t{ino}\t{size}\t{mtime}\n", hex(key)))
            })
            .collect();
        let mut text = format!("{FORMAT} {}\n", hex(&self.salt));
        text.extend(lines.into_iter().flatten());
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(MANIFEST);
        let tmp = self
            .dir
            .join(format!(".{MANIFEST}.{}.tmp", std::process::id()));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

/// The manifest's entries, if it was written for `salt`.
fn parse(text: &str, salt: &Key) -> Option<HashMap<String, (Key, FileId)>> {
    let mut lines = text.lines();
    if lines.next()? != format!("{FORMAT} {}", hex(salt)) {
        return None;
    }
    let mut out = HashMap::new();
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let [file, key, dev, ino, size, mtime] = f[..] else {
            return None;
        };
        let k: Key = parse_hex(key)?;
        let id = (
            dev.parse().ok()?,
            ino.parse().ok()?,
            size.parse().ok()?,
            mtime.parse().ok()?,
        );
        out.insert(file.to_string(), (k, id));
    }
    Some(out)
}
