//! The index of the previous build, kept in the cache folder so that a build cuts into
//! keys only the posts whose indexed text (title, tag names, search text) changed.
//!
//! One file, `search/index.txt`: a header line naming the format and a fingerprint of
//! the key cutter and the postings encoding (a matome whose cutter or encoding differs
//! ignores the file), the number of posts, each post's [`Digest`] in id order, then the
//! entries `key<TAB>postings` as written into the shards. A post whose digest is in the
//! previous file keeps its postings (under its new id); the others are cut again and
//! the ids of posts gone or changed are dropped, so the result is the index a build
//! without the cache writes.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

use matome_model::search::{
    decode_postings, encode_postings, fold, index_keys, index_trigrams, trigram_key,
};
use rayon::prelude::*;

use super::Postings;

pub use crate::hash::Digest;
use crate::hash::{self, hex, Hasher};

/// First word of the file; bumped whenever its layout changes.
const FORMAT: &str = "matome-search-cache-5";

/// A post's [`Digest`]: its head text (title, tags) and the digest of its search text
/// ([`hash::digest`] of the text, which the parse cache keeps).
pub fn digest(head: &str, text: &Digest) -> Digest {
    let mut h = Hasher::new();
    h.part(head);
    h.update(text);
    h.digest()
}

/// Changes whenever cutting or encoding changes what it produces for a sample that
/// covers every class of characters (a stale file is then ignored, never reused).
fn fingerprint() -> String {
    const PROBE: &str =
        "Rust と WebAssembly で書いた まとめサイト、ｆｕｌｌ　ｗｉｄｔｈ ＡＢＣ１２３ \
        ガギグ ﾊﾟﾋﾟﾌﾟ naïve Ünïcödé 한국어 漢字かな交じり文 e-mail@example.com 2025年1月";
    let mut h = Hasher::new();
    h.update(FORMAT.as_bytes());
    index_keys(&fold(PROBE), |k| {
        h.update(k.as_bytes());
        h.update([0]);
    });
    index_trigrams(&fold(PROBE), |b| h.update(trigram_key(b).as_bytes()));
    for ids in [
        &[0u32, 1, 2, 40, 41, 1000, 70000][..],
        &(0..300).collect::<Vec<u32>>(),
    ] {
        h.update(encode_postings(ids).as_bytes());
        h.update([0]);
    }
    hex(&h.digest())
}

fn file(dir: &Path) -> PathBuf {
    dir.join("search").join("index.txt")
}

/// The previous build's index.
pub struct Previous {
    /// Each post's digest, in id order.
    pub digests: Vec<Digest>,
    /// Key and postings text, sorted by key.
    pub entries: Vec<(String, String)>,
}

/// The previous index in `dir`, if there is one this build can use.
pub fn load(dir: &Path) -> Option<Previous> {
    let text = std::fs::read_to_string(file(dir)).ok()?;
    let mut lines = text.split('\n');
    let header = lines.next()?;
    if header != format!("{FORMAT} {}", fingerprint()) {
        return None;
    }
    let n: usize = lines.next()?.parse().ok()?;
    let mut digests = Vec::with_capacity(n);
    for _ in 0..n {
        let line = lines.next()?;
        digests.push(hash::parse_hex(line)?);
    }
    let mut entries = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let (k, v) = line.split_once('\t')?;
        entries.push((k.to_string(), v.to_string()));
    }
    Some(Previous { digests, entries })
}

/// Replaces the file in `dir` (through a rename: a reader never sees half of it).
pub fn store(dir: &Path, digests: &[Digest], entries: &[(String, String)]) -> std::io::Result<()> {
    if entries
        .iter()
        .any(|(k, v)| k.contains(['\t', '\n']) || v.contains('\n'))
    {
        // Not representable in the format (no key holds these today).
        return Ok(());
    }
    let mut out = format!("{FORMAT} {}\n{}\n", fingerprint(), digests.len());
    for d in digests {
        out.push_str(&hex(d));
        out.push('\n');
    }
    for (k, v) in entries {
        out.push_str(k);
        out.push('\t');
        out.push_str(v);
        out.push('\n');
    }
    let path = file(dir);
    let folder = path.parent().expect("a file in a folder");
    std::fs::create_dir_all(folder)?;
    let tmp = folder.join(format!(".index.txt.{}.tmp", std::process::id()));
    std::fs::write(&tmp, out)?;
    std::fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

impl Previous {
    /// The postings of every post whose digest is in the previous index, under the ids
    /// `digests` gives them (ids of other posts dropped, keys left without a post
    /// removed), and the ids of the posts that must be cut into keys again (ascending).
    /// `None` when the file's postings do not decode.
    pub fn carry_over(
        &self,
        digests: &[Digest],
    ) -> Option<(HashMap<String, Postings>, Vec<usize>)> {
        let mut old_ids: HashMap<&Digest, VecDeque<usize>> = HashMap::new();
        for (id, d) in self.digests.iter().enumerate() {
            old_ids.entry(d).or_default().push_back(id);
        }
        let mut new_of_old: Vec<Option<u32>> = vec![None; self.digests.len()];
        let mut fresh = Vec::new();
        for (id, d) in digests.iter().enumerate() {
            match old_ids.get_mut(d).and_then(VecDeque::pop_front) {
                Some(old) => new_of_old[old] = Some(id as u32),
                None => fresh.push(id),
            }
        }
        if fresh.len() == digests.len() {
            return Some((HashMap::new(), fresh));
        }
        let map = |text: &str| -> Option<Vec<u32>> {
            let mut ids: Vec<u32> = decode_postings(text)?
                .into_iter()
                .filter_map(|old| new_of_old.get(old as usize).copied().flatten())
                .collect();
            ids.sort_unstable();
            Some(ids)
        };
        let keys: Option<Vec<Option<(String, Postings)>>> = self
            .entries
            .par_iter()
            .map(|(k, text)| {
                let (all, head) = text.split_once(' ').unwrap_or((text, ""));
                let all = map(all)?;
                let head = if head.is_empty() {
                    Vec::new()
                } else {
                    map(head)?
                };
                Some((!all.is_empty()).then(|| (k.clone(), Postings { all, head })))
            })
            .collect();
        Some((keys?.into_iter().flatten().collect(), fresh))
    }
}

#[cfg(test)]
mod digest_tests {
    use super::*;

    // A digest changes with the head and with the text.
    #[test]
    fn digest_tells_head_from_text() {
        let text = hash::digest(b"c");
        assert_ne!(digest("ab", &text), digest("a", &text));
        assert_ne!(digest("a", &text), digest("a", &hash::digest(b"d")));
    }
}
