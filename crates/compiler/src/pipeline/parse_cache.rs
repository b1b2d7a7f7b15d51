//! The parse cache: what passes 1–3 made of a post file, kept in the cache folder under
//! the [`Digest`] of the file's bytes (truncated SHA-256, [`crate::hash`]), so a build
//! parses only the posts whose file changed (the result of parsing depends on nothing
//! else).
//!
//! Entries live in `parse/<salt>/<digest>.post`, where the salt names this compiler (the
//! format below, the package version and a hash of the running executable): another
//! compiler never reads them, and [`ParseCache::prune`] removes the folders of others
//! and the entries no post of the last build used. An entry is one line of JSON (front
//! matter, lead, source, counts, refs, the digest of the search text, the length of
//! what follows and a checksum), then the packed blocks (JSON). An entry that is missing, unreadable, cut
//! short, fails its checksum or does not decode is a miss: the post is parsed again,
//! so the cache never changes what a build writes. Entries are written through a
//! rename, and only for posts that parsed without errors.
//!
//! So that a warm build need not read and digest every post file either, `files.txt`
//! beside the entries remembers each file's digest with its size and modification time
//! (as git's index does): a file whose size and time are those recorded is taken to
//! hold the bytes it held, any other is read and digested. A file modified within two
//! seconds of the build that saw it is not recorded (its time may not tell a later
//! edit apart).
//!
//! A long-running process (`matome serve`) also keeps the entries in memory between
//! builds ([`KeptPosts`]): an entry is read from disk once, and what a build takes from
//! memory is exactly what reading the entry would give (a new entry is kept as decoded
//! from its bytes), so keeping them changes nothing a build writes.
//!
//! Over 400 lines with its tests (the code is about 420): the entry format, its
//! reading, writing and pruning are one contract, kept together so a change to one
//! side is seen with the other.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::blocks::Body;
use crate::front_matter::FrontMatter;
use crate::hash::{self, Digest, Hasher};
use crate::site::{Packed, ParsedPost};

/// Bumped whenever the entry layout changes.
const FORMAT: &str = "matome-parse-cache-3";
/// The file stamps of the last build.
const FILES: &str = "files.txt";

/// The first line of an entry.
#[derive(Serialize, Deserialize)]
struct Head {
    front: FrontMatter,
    lead: Option<String>,
    source: Option<String>,
    comments: u32,
    refs: Vec<(String, usize)>,
    excerpt: String,
    reading_minutes: u32,
    sections: u32,
    /// [`Digest`] of the search text (the text itself is taken from the blocks in the
    /// rare build whose search index must cut the post again).
    search_digest: Digest,
    blocks_len: usize,
    /// [`Digest`] of the bytes after the first line.
    check: Digest,
}

/// A post file's size and modification time (ns since the epoch).
pub(super) type Stamp = (u64, u128);

/// The stamp of a file's metadata; `None` where the time is not known.
pub(super) fn stamp(meta: &std::fs::Metadata) -> Option<Stamp> {
    let t = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((meta.len(), t.as_nanos()))
}

/// Parse cache entries kept in memory across the builds of one process (`matome serve`
/// publishes on every save): without it each build reads and checks the entries of all
/// posts again (about 50 KB each). Pass the same value to every
/// [`compile_with`](super::compile_with) of the process.
#[derive(Default)]
pub struct KeptPosts {
    inner: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// The cache folder and its salted entry folder (hashing the executable takes a
    /// while, and it does not change while it runs).
    salted: Option<(PathBuf, PathBuf)>,
    /// Entries as decoded, by digest of the post file; only those the last build used.
    posts: HashMap<Digest, Arc<ParsedPost>>,
}

impl KeptPosts {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.lock().posts.len()
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The cache of one build.
pub(super) struct ParseCache<'k> {
    dir: PathBuf,
    kept: Option<&'k KeptPosts>,
    used: Mutex<HashSet<Digest>>,
    /// `files.txt` of the previous build: file → stamp and digest.
    known: HashMap<String, (Stamp, Digest)>,
    /// What this build saw, for the next one.
    seen: Mutex<Vec<(String, Stamp, Digest)>>,
}

/// A post taken from the cache (with its search digest, without its search text).
pub(super) struct Hit {
    pub(super) post: ParsedPost,
}

impl<'k> ParseCache<'k> {
    /// The cache below `cache_dir`, in memory too with `kept`; `None` when the running
    /// executable cannot be read (nothing is cached then).
    pub(super) fn open(cache_dir: &Path, kept: Option<&'k KeptPosts>) -> Option<Self> {
        let salted = kept.and_then(|k| {
            k.lock()
                .salted
                .as_ref()
                .filter(|(c, _)| c == cache_dir)
                .map(|(_, d)| d.clone())
        });
        let dir = match salted {
            Some(dir) => dir,
            None => {
                let dir = salted_dir(cache_dir)?;
                if let Some(k) = kept {
                    let mut k = k.lock();
                    // Entries of another cache folder are not this one's.
                    k.posts.clear();
                    k.salted = Some((cache_dir.to_path_buf(), dir.clone()));
                }
                dir
            }
        };
        let known = std::fs::read_to_string(dir.join(FILES))
            .map(|text| parse_files(&text))
            .unwrap_or_default();
        Some(ParseCache {
            dir,
            kept,
            used: Mutex::default(),
            known,
            seen: Mutex::default(),
        })
    }

    /// The digest recorded for `file` if its stamp is still `now`.
    pub(super) fn known_digest(&self, file: &str, now: Stamp) -> Option<Digest> {
        self.known
            .get(file)
            .filter(|(s, _)| *s == now)
            .map(|(_, d)| *d)
    }

    /// Records that `file`, stamped `now`, holds bytes of digest `key`.
    pub(super) fn saw(&self, file: &str, now: Stamp, key: Digest) {
        self.seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((file.to_string(), now, key));
    }

    fn file(&self, key: &Digest) -> PathBuf {
        self.dir.join(format!("{}.post", hash::hex(key)))
    }

    fn mark(&self, key: Digest) {
        self.used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key);
    }

    /// The post whose file has the digest `key`, if the cache holds a sound entry; `path`,
    /// `file` and `feature` are left for the caller to fill in.
    pub(super) fn get(&self, key: &Digest) -> Option<Hit> {
        let kept = self.kept.and_then(|k| k.lock().posts.get(key).cloned());
        let hit = match kept {
            // Cloned outside the lock: the posts of a build are taken in parallel.
            Some(post) => Hit {
                post: ParsedPost::clone(&post),
            },
            None => {
                let bytes = std::fs::read(self.file(key)).ok()?;
                let hit = decode(&bytes)?;
                self.keep(key, &hit.post);
                hit
            }
        };
        self.mark(*key);
        Some(hit)
    }

    fn keep(&self, key: &Digest, post: &ParsedPost) {
        if let Some(k) = self.kept {
            k.lock().posts.insert(*key, Arc::new(post.clone()));
        }
    }

    /// Keeps a packed post (with its search digest) under `key` (best effort: an entry
    /// that cannot be written only makes the next build parse the post again).
    pub(super) fn put(&self, key: &Digest, post: &ParsedPost) {
        let Some(bytes) = encode(post) else {
            return;
        };
        self.mark(*key);
        // Written even over an entry of that name: it was a miss, so it is damaged.
        let path = self.file(key);
        let _ = std::fs::create_dir_all(&self.dir);
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let tmp = self.dir.join(format!(
            ".{}.{}-{}.tmp",
            hash::hex(key),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        if self.kept.is_some() {
            // As the next build would read it back from disk.
            if let Some(hit) = decode(&bytes) {
                self.keep(key, &hit.post);
            }
        }
        if std::fs::write(&tmp, bytes).is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Removes the entries this build did not use and the folders of other compilers,
    /// and records the files this build saw (best effort).
    pub(super) fn prune(&self) {
        let used = self
            .used
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(k) = self.kept {
            k.lock().posts.retain(|key, _| used.contains(key));
        }
        let settled = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
            .saturating_sub(2_000_000_000);
        let mut text = String::from(FORMAT);
        text.push('\n');
        for (file, (len, time), key) in seen.iter() {
            if *time < settled && used.contains(key) && !file.contains(['\t', '\n']) {
                text.push_str(&format!("{}\t{len}\t{time}\t{file}\n", hash::hex(key)));
            }
        }
        let _ = std::fs::create_dir_all(&self.dir);
        let tmp = self
            .dir
            .join(format!(".{FILES}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, text).is_err()
            || std::fs::rename(&tmp, self.dir.join(FILES)).is_err()
        {
            let _ = std::fs::remove_file(&tmp);
        }
        if let Some(parent) = self.dir.parent() {
            for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
                if entry.path() != self.dir {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let keep = name == FILES
                || name
                    .to_str()
                    .and_then(|n| n.strip_suffix(".post"))
                    .and_then(hash::parse_hex)
                    .is_some_and(|d| used.contains(&d));
            if !keep {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The entry folder of this compiler below `cache_dir` (see the module docs); `None` when
/// the running executable cannot be read.
fn salted_dir(cache_dir: &Path) -> Option<PathBuf> {
    let exe = std::fs::read(std::env::current_exe().ok()?).ok()?;
    let mut salt = Hasher::new();
    salt.part(FORMAT);
    salt.part(env!("CARGO_PKG_VERSION"));
    salt.part(hash::sha256(&exe));
    Some(
        cache_dir
            .join("parse")
            .join(&hash::hex(&salt.digest())[..16]),
    )
}

/// `files.txt`: the format, then `digest<TAB>size<TAB>time<TAB>file` lines; an unknown
/// format or a broken line gives nothing.
fn parse_files(text: &str) -> HashMap<String, (Stamp, Digest)> {
    let mut lines = text.lines();
    if lines.next() != Some(FORMAT) {
        return HashMap::new();
    }
    let line = |l: &str| -> Option<(String, (Stamp, Digest))> {
        let mut parts = l.splitn(4, '\t');
        let key = hash::parse_hex(parts.next()?)?;
        let len = parts.next()?.parse().ok()?;
        let time = parts.next()?.parse().ok()?;
        Some((parts.next()?.to_string(), ((len, time), key)))
    };
    lines.map(line).collect::<Option<_>>().unwrap_or_default()
}

/// An entry's bytes; `None` for a post that kept its tree or has no search digest (not
/// cached).
fn encode(post: &ParsedPost) -> Option<Vec<u8>> {
    let packed = post.packed.as_ref()?;
    let search_digest = post.search_digest?;
    let blocks = packed.blocks.get().as_bytes();
    let head = Head {
        front: post.front.clone(),
        lead: post.body.lead.clone(),
        source: post.body.source.clone(),
        comments: post.body.comments,
        refs: post.body.refs.clone(),
        excerpt: packed.excerpt.clone(),
        reading_minutes: packed.reading_minutes,
        sections: packed.sections,
        search_digest,
        blocks_len: blocks.len(),
        check: hash::digest(blocks),
    };
    let mut out = serde_json::to_vec(&head).ok()?;
    out.push(b'\n');
    out.extend_from_slice(blocks);
    Some(out)
}

fn decode(bytes: &[u8]) -> Option<Hit> {
    let line = memchr::memchr(b'\n', bytes)?;
    let head: Head = serde_json::from_slice(&bytes[..line]).ok()?;
    let blocks = &bytes[line + 1..];
    if blocks.len() != head.blocks_len || hash::digest(blocks) != head.check {
        return None;
    }
    let blocks = RawValue::from_string(String::from_utf8(blocks.to_vec()).ok()?)
        .ok()?
        .into();
    Some(Hit {
        post: ParsedPost {
            path: String::new(),
            file: String::new(),
            feature: None,
            front: head.front,
            body: Body {
                lead: head.lead,
                source: head.source,
                blocks: Vec::new(),
                comments: head.comments,
                refs: head.refs,
            },
            packed: Some(Packed {
                blocks,
                excerpt: head.excerpt,
                reading_minutes: head.reading_minutes,
                sections: head.sections,
            }),
            search: None,
            search_digest: Some(head.search_digest),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: &str = "+++\ntitle = \"T\"\ndate = 2025-04-14T18:04:41\ntags = [\"a\"]\n+++\n\n> T\n\n{{<matomeQuote body=\"hello\" userName=\"u\" createdAt=\"2025-04-14T18:04:41\" color=\"\">}}\n";

    fn packed() -> ParsedPost {
        let mut post = crate::parse_post("x.md", POST).unwrap();
        let search = crate::text::search_text(&post.body.blocks);
        post.search_digest = Some(hash::digest(search.as_bytes()));
        post.pack();
        post
    }

    // An entry gives back the packed post and its search digest as they were put.
    #[test]
    fn round_trips_a_packed_post() {
        let post = packed();
        let hit = decode(&encode(&post).unwrap()).unwrap();
        assert_eq!(hit.post.search_digest, post.search_digest);
        assert_eq!(hit.post.front, post.front);
        let (a, b) = (hit.post.packed.unwrap(), post.packed.unwrap());
        assert_eq!(a.blocks.get(), b.blocks.get());
        assert_eq!((a.excerpt, a.sections), (b.excerpt, b.sections));
    }

    // A flipped byte, a cut-off entry or a broken head line are misses, never a post.
    #[test]
    fn damaged_entries_are_misses() {
        let good = encode(&packed()).unwrap();
        let mut flipped = good.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 0x20;
        assert!(decode(&flipped).is_none());
        assert!(decode(&good[..good.len() - 1]).is_none());
        assert!(decode(&good[1..]).is_none());
        assert!(decode(b"").is_none());
    }
}
