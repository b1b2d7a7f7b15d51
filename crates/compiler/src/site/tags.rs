//! The tag table: tags merged case-insensitively, their slugs and posting lists, and the
//! tag index and per-tag lists built from it.

use std::collections::{HashMap, HashSet};

use matome_model::{paths, TagEntry, TagIndex, TagRef};

use super::{list, List, ParsedPost};
use crate::slug;

/// The tag index (by count, then name) and one list per tag, in the same order.
pub(super) fn tag_shards(tags: &TagTable) -> (TagIndex, Vec<List>) {
    let mut order: Vec<&TagInfo> = tags.entries.iter().collect();
    order.sort_by(|a, b| {
        b.posts
            .len()
            .cmp(&a.posts.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    let lists = order
        .iter()
        .map(|e| list(&e.name, e.posts.clone()))
        .collect();
    let index = TagIndex {
        tags: order
            .iter()
            .map(|e| TagEntry {
                slug: e.slug.clone(),
                name: e.name.clone(),
                count: e.posts.len() as u32,
                file: paths::tag_json(&e.slug),
            })
            .collect(),
    };
    (index, lists)
}

/// Tags merged case-insensitively, with slugs and posting lists (indices, newest first).
pub(super) struct TagTable {
    pub(super) entries: Vec<TagInfo>,
    pub(super) by_key: HashMap<String, usize>,
}

pub(super) struct TagInfo {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) posts: Vec<usize>,
}

impl TagTable {
    pub(super) fn new(posts: &[ParsedPost]) -> TagTable {
        struct Key {
            key: String,
            /// Spellings with their number of uses.
            spellings: Vec<(String, usize)>,
            posts: Vec<usize>,
        }
        let mut keys: Vec<Key> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (i, p) in posts.iter().enumerate() {
            for tag in &p.front.tags {
                let key = tag.to_lowercase();
                let k = *by_key.entry(key.clone()).or_insert_with(|| {
                    keys.push(Key {
                        key,
                        spellings: Vec::new(),
                        posts: Vec::new(),
                    });
                    keys.len() - 1
                });
                let entry = &mut keys[k];
                if entry.posts.last() != Some(&i) {
                    entry.posts.push(i);
                }
                match entry.spellings.iter_mut().find(|(s, _)| s == tag) {
                    Some((_, n)) => *n += 1,
                    None => entry.spellings.push((tag.clone(), 1)),
                }
            }
        }
        // Slugs are assigned by priority (most posts, then key) so suffixes are stable.
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| {
            keys[b]
                .posts
                .len()
                .cmp(&keys[a].posts.len())
                .then_with(|| keys[a].key.cmp(&keys[b].key))
        });
        let slugs = slug::assign_slugs(order.iter().map(|&k| keys[k].key.as_str()));
        let mut slug_of = vec![String::new(); keys.len()];
        for (&k, s) in order.iter().zip(slugs) {
            slug_of[k] = s;
        }
        let entries = keys
            .into_iter()
            .zip(slug_of)
            .map(|(k, slug)| {
                // Most used spelling; on a tie the one with more capitals (`SQLite` over
                // `sqlite`: names get lowercased by mistake, rarely the other way round),
                // then the one seen first (in the newest post).
                let rank =
                    |s: &(String, usize)| (s.1, s.0.chars().filter(|c| c.is_uppercase()).count());
                let name = k
                    .spellings
                    .iter()
                    .fold(
                        &k.spellings[0],
                        |best, s| if rank(s) > rank(best) { s } else { best },
                    )
                    .0
                    .clone();
                TagInfo {
                    name,
                    slug,
                    posts: k.posts,
                }
            })
            .collect();
        TagTable { entries, by_key }
    }

    pub(super) fn refs(&self, tags: &[String]) -> Vec<TagRef> {
        let mut seen = HashSet::new();
        tags.iter()
            .filter_map(|t| self.by_key.get(&t.to_lowercase()).copied())
            .filter(|&k| seen.insert(k))
            .map(|k| TagRef {
                slug: self.entries[k].slug.clone(),
                name: self.entries[k].name.clone(),
            })
            .collect()
    }
}
