//! The full-text search index: every post's title, tags, user names and comment text
//! cut into keys by [`matome_model::search`] (words, CJK characters and pairs, and
//! CJK trigrams hashed into buckets), postings per key, split into shards by key
//! so a query fetches only the shards its keys live in, plus a post table (id → path,
//! date, tags). Ids are positions in [`Linked::posts`] (newest first).

use std::collections::HashMap;
use std::path::Path;

use matome_model::paths;
use matome_model::search::{
    self, encode_postings, fold, index_keys, index_trigrams, shard_of, trigram_key, IndexShard,
    SearchInfo, SearchTable, TableRow,
};
use rayon::prelude::*;

use crate::site::Linked;

/// Raw size a key shard aims at: a query fetches a handful of these, one per lookup,
/// for the few hundred bytes of postings it needs in each. Measured at 2,000 posts of
/// real-like text (`make bench-search`): 8 KB instead of 24 KB shards cut a cold
/// query's key shard bytes from 55–62 KB to 22–23 KB and its first results on a
/// phone-like link from about 0.98 s to 0.75 s, for about 480 more files (720 shards).
pub const SHARD_BYTES: usize = 12 * 1024;

/// Posts tokenised at once; their key sets are merged before the next batch, so at
/// most this many posts' keys are in memory besides the postings.
const BATCH: usize = 256;

/// The index as written: the post table and the key shards.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    /// `data/search/posts.txt`.
    pub table: SearchTable,
    /// `data/search/<n>.txt`: key → postings text, sorted by key.
    pub shards: Vec<IndexShard>,
}

impl SearchIndex {
    /// What `site.json` says about the index (unhashed names).
    pub fn info(&self) -> SearchInfo {
        SearchInfo {
            shards: (0..self.shards.len()).map(paths::search_shard).collect(),
            table: paths::SEARCH_TABLE.to_string(),
        }
    }
}

mod cache;

/// Postings of one key while building: every post holding it, and those holding it in
/// the title or a tag.
#[derive(Default)]
struct Postings {
    all: Vec<u32>,
    head: Vec<u32>,
}

/// Builds the index over every post of `linked`. With a `cache` folder, the index of
/// the previous build is kept there ([`cache`]) and only the posts whose indexed text
/// changed are cut into keys again; the result is the same either way.
pub fn build_index(linked: &Linked, cache: Option<&Path>) -> std::io::Result<SearchIndex> {
    let n = linked.posts.len();
    let previous = cache.and_then(cache::load);
    // Each post's fingerprint (read batch by batch: the texts of all posts are never in
    // memory at once); only with a cache.
    let digests = match cache {
        Some(_) => Some(post_digests(linked)?),
        None => None,
    };
    let entries = match (previous, &digests) {
        (Some(prev), Some(d)) if prev.digests == *d => prev.entries,
        (previous, _) => {
            let carried = match (previous, &digests) {
                (Some(prev), Some(d)) => prev.carry_over(d),
                _ => None,
            };
            let (mut keys, fresh) = carried.unwrap_or_else(|| (HashMap::new(), (0..n).collect()));
            add_posts(linked, &fresh, &mut keys)?;
            let mut entries: Vec<(String, String)> = keys
                .into_par_iter()
                .map(|(k, mut p)| {
                    // Carried-over ids and new ones were pushed apart: put them in order.
                    p.all.sort_unstable();
                    p.head.sort_unstable();
                    let mut text = encode_postings(&p.all);
                    if !p.head.is_empty() {
                        text.push(' ');
                        text.push_str(&encode_postings(&p.head));
                    }
                    (k, text)
                })
                .collect();
            entries.sort_unstable();
            if let (Some(dir), Some(d)) = (cache, &digests) {
                // A cache that cannot be written only makes the next build slower.
                let _ = cache::store(dir, d, &entries);
            }
            entries
        }
    };
    // About six bytes of JSON around each entry.
    let bytes: usize = entries.iter().map(|(k, v)| k.len() + v.len() + 6).sum();
    let count = bytes.div_ceil(SHARD_BYTES).max(1);
    // Entries are sorted, so each shard is too.
    let mut shards = vec![IndexShard::default(); count];
    for (k, v) in entries {
        shards[shard_of(&k, count)].0.push((k, v));
    }
    Ok(SearchIndex {
        table: table(linked),
        shards,
    })
}

/// Cuts the posts `ids` (ascending) into keys and adds them to `keys`, in batches.
fn add_posts(
    linked: &Linked,
    ids: &[usize],
    keys: &mut HashMap<String, Postings>,
) -> std::io::Result<()> {
    for chunk in ids.chunks(BATCH) {
        let batch: Vec<std::io::Result<(Vec<String>, Vec<String>)>> =
            chunk.par_iter().map(|&i| post_keys(linked, i)).collect();
        for (&i, result) in chunk.iter().zip(batch) {
            let (all, head) = result?;
            let id = i as u32;
            for k in all {
                keys.entry(k).or_default().all.push(id);
            }
            for k in head {
                keys.entry(k).or_default().head.push(id);
            }
        }
    }
    Ok(())
}

/// The title and tag names of post `i`: the text of its "head" keys.
fn head_text(linked: &Linked, i: usize) -> String {
    let summary = &linked.posts[i].summary;
    let mut head_text = summary.title.clone();
    for tag in &summary.tags {
        head_text.push('\n');
        head_text.push_str(&tag.name);
    }
    head_text
}

/// Every post's [`cache::Digest`] of what its keys are cut from, in id order.
fn post_digests(linked: &Linked) -> std::io::Result<Vec<cache::Digest>> {
    let mut out = Vec::with_capacity(linked.posts.len());
    for start in (0..linked.posts.len()).step_by(BATCH) {
        let end = (start + BATCH).min(linked.posts.len());
        let batch: Vec<std::io::Result<cache::Digest>> = (start..end)
            .into_par_iter()
            .map(|i| {
                let text = match linked.posts[i].search_digest {
                    Some(d) => d,
                    None => crate::hash::digest(linked.search_text(i)?.as_bytes()),
                };
                Ok(cache::digest(&head_text(linked, i), &text))
            })
            .collect();
        for d in batch {
            out.push(d?);
        }
    }
    Ok(out)
}

/// Post `i`'s distinct keys: everywhere (title, tags, comments), and in the title or a
/// tag only.
fn post_keys(linked: &Linked, i: usize) -> std::io::Result<(Vec<String>, Vec<String>)> {
    // Keys are slices of the folded texts until they are known to be distinct: a post's
    // comments repeat most of their keys many times.
    let head_folded = fold(&head_text(linked, i));
    let mut head: Vec<&str> = Vec::new();
    index_keys(&head_folded, |k| head.push(k));
    head.sort_unstable();
    head.dedup();
    let body_folded = fold(&linked.search_text(i)?);
    let mut all = head.clone();
    index_keys(&body_folded, |k| all.push(k));
    all.sort_unstable();
    all.dedup();
    let owned = |keys: Vec<&str>, folded: &[&str]| {
        let mut buckets = Vec::new();
        for text in folded {
            index_trigrams(text, |b| buckets.push(b));
        }
        buckets.sort_unstable();
        buckets.dedup();
        let mut out: Vec<String> = keys.into_iter().map(str::to_string).collect();
        out.extend(buckets.into_iter().map(trigram_key));
        out
    };
    Ok((
        owned(all, &[&head_folded, &body_folded]),
        owned(head, &[&head_folded]),
    ))
}

/// The post table: path, day and tags of each post, tags by position.
fn table(linked: &Linked) -> SearchTable {
    let tags: Vec<String> = linked
        .tag_index
        .tags
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let by_slug: HashMap<&str, u32> = linked
        .tag_index
        .tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i as u32))
        .collect();
    let posts = linked
        .posts
        .iter()
        .map(|p| {
            let s = &p.summary;
            let day = s.date.get(..10).unwrap_or(&s.date).to_string();
            let tags = s
                .tags
                .iter()
                .filter_map(|t| by_slug.get(t.slug.as_str()).copied())
                .collect();
            TableRow(s.path.clone(), day, tags)
        })
        .collect();
    SearchTable { tags, posts }
}

/// The ids holding `key` per the index (for tests and tools): posts, and title/tag posts.
pub fn postings(index: &SearchIndex, key: &str) -> Option<(Vec<u32>, Vec<u32>)> {
    let text = index
        .shards
        .get(shard_of(key, index.shards.len()))?
        .get(key)?;
    let (all, head) = text.split_once(' ').unwrap_or((text, ""));
    Some((
        search::decode_postings(all)?,
        search::decode_postings(head)?,
    ))
}
