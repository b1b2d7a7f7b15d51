//! The index's files: `site.json`'s [`SearchInfo`], the post table ([`SearchTable`]),
//! the key shards ([`IndexShard`]) and their posting lists ([`encode_postings`]).

use serde::{Deserialize, Serialize};

/// `site.json`'s description of the search index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchInfo {
    /// Names of the key shards; a key lives in `shards[shard_of(key, shards.len())]`.
    pub shards: Vec<String>,
    /// Name of the [`SearchTable`] shard.
    pub table: String,
}

/// The post table: index ids (positions, newest first) to posts. Written as text
/// (see [`SearchTable::to_text`]): plain lines cost the wasm no deserialiser.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchTable {
    /// Tag display names; rows refer to them by position.
    pub tags: Vec<String>,
    /// One row per published post, newest first; a posting's id is a position here.
    pub posts: Vec<TableRow>,
}

/// One post of the [`SearchTable`]: path, day and tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow(
    /// Folder of the post below `content/posts/` (as [`crate::PostSummary::path`]).
    pub String,
    /// Day of publication, `YYYY-MM-DD`.
    pub String,
    /// Positions of the post's tags in [`SearchTable::tags`].
    pub Vec<u32>,
);

/// Tabs and line breaks separate fields and rows of the text files: never in a field.
fn field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

impl SearchTable {
    /// The file: `tags` and the tag names on the first line, tab-separated (the word
    /// first, so the file never starts like the HTML page a host may send for a missing
    /// file); then one line per post: `path`, tab, `YYYY-MM-DD`, tab, tag positions
    /// separated by commas.
    pub fn to_text(&self) -> String {
        let mut out = String::from("tags");
        for tag in &self.tags {
            out.push('\t');
            out.push_str(&field(tag));
        }
        for TableRow(path, day, tags) in &self.posts {
            let tags: Vec<String> = tags.iter().map(u32::to_string).collect();
            out.push_str(&format!(
                "\n{}\t{}\t{}",
                field(path),
                field(day),
                tags.join(",")
            ));
        }
        out
    }

    /// Reads [`SearchTable::to_text`]; fields that do not read as written are left
    /// empty, never a panic.
    pub fn parse(text: &str) -> SearchTable {
        let mut lines = text.split('\n');
        let tags = lines.next().map_or_else(Vec::new, |l| {
            l.split('\t').skip(1).map(str::to_string).collect()
        });
        let posts = lines
            .map(|line| {
                let mut f = line.split('\t');
                let (path, day) = (f.next().unwrap_or_default(), f.next().unwrap_or_default());
                let tags = f
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|t| t.parse().ok())
                    .collect();
                TableRow(path.to_string(), day.to_string(), tags)
            })
            .collect();
        SearchTable { tags, posts }
    }
}

/// One key shard: keys with their postings, sorted by key. A posting list is
/// [`encode_postings`] of the ids holding the key anywhere, then optionally a space and
/// those holding it in the title or a tag. Written as text, one `key`, tab, `postings`
/// line per key (keys never hold whitespace).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexShard(pub Vec<(String, String)>);

impl IndexShard {
    /// The file's text.
    pub fn to_text(&self) -> String {
        let lines: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{}\t{v}", field(k)))
            .collect();
        lines.join("\n")
    }

    /// Reads [`IndexShard::to_text`]; lines without a tab are skipped.
    pub fn parse(text: &str) -> IndexShard {
        IndexShard(
            text.split('\n')
                .filter_map(|l| l.split_once('\t'))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    /// The postings of `key`.
    pub fn get(&self, key: &str) -> Option<&String> {
        let at = self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        Some(&self.0[at].1)
    }

    /// The keys starting with `prefix`, with their postings.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = &'a (String, String)> + 'a {
        let from = self.0.partition_point(|(k, _)| k.as_str() < prefix);
        self.0[from..]
            .iter()
            .take_while(move |(k, _)| k.starts_with(prefix))
    }
}

/// Digits of [`encode_postings`]: 32 values end a number, 32 more continue it; as
/// six-bit groups they also spell bitmaps.
const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~!*";
/// Starts a posting list written as a bitmap.
const BITMAP: char = '=';

/// Ascending ids as text, whichever is shorter: the gaps (the first id, then the
/// distance to the previous one minus one) in base 32, high digits first, continued
/// digits from the upper half of [`DIGITS`] (posts close in time share words, so most
/// gaps take one character); or, for keys in many posts, `=` and a bitmap of six ids
/// per character.
pub fn encode_postings(ids: &[u32]) -> String {
    let mut out = String::new();
    let mut prev: Option<u32> = None;
    for &id in ids {
        let gap = match prev {
            Some(p) => id.saturating_sub(p).saturating_sub(1),
            None => id,
        };
        prev = Some(id);
        let mut digits = [0u8; 7];
        let mut n = 0;
        let mut v = gap;
        loop {
            digits[n] = (v & 31) as u8;
            n += 1;
            v >>= 5;
            if v == 0 {
                break;
            }
        }
        for i in (0..n).rev() {
            let more = if i > 0 { 32 } else { 0 };
            out.push(char::from(DIGITS[usize::from(digits[i] + more)]));
        }
    }
    let bitmap_len = prev.map_or(0, |max| max as usize / 6 + 2);
    if bitmap_len < out.len() {
        let mut bits = vec![0u8; bitmap_len - 1];
        for &id in ids {
            bits[id as usize / 6] |= 1 << (id % 6);
        }
        out.clear();
        out.push(BITMAP);
        out.extend(bits.into_iter().map(|b| char::from(DIGITS[usize::from(b)])));
    }
    out
}

/// The ids of [`encode_postings`]; `None` for text it cannot have written.
pub fn decode_postings(text: &str) -> Option<Vec<u32>> {
    let mut ids = Vec::new();
    if let Some(bits) = text.strip_prefix(BITMAP) {
        for (i, b) in bits.bytes().enumerate() {
            let d = DIGITS.iter().position(|&x| x == b)? as u32;
            ids.extend(
                (0..6)
                    .filter(|k| d & (1 << k) != 0)
                    .map(|k| i as u32 * 6 + k),
            );
        }
        return Some(ids);
    }
    let mut value: u32 = 0;
    let mut prev: Option<u32> = None;
    for b in text.bytes() {
        let d = DIGITS.iter().position(|&x| x == b)? as u32;
        value = value.checked_mul(32)?.checked_add(d & 31)?;
        if d < 32 {
            let id = match prev {
                Some(p) => p.checked_add(value)?.checked_add(1)?,
                None => value,
            };
            ids.push(id);
            prev = Some(id);
            value = 0;
        }
    }
    Some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Postings round-trip, small gaps take one character, bad text is refused.
    #[test]
    fn postings_round_trip() {
        let ids = [0, 1, 2, 40, 41, 5000, 1 << 30];
        let text = encode_postings(&ids);
        assert_eq!(decode_postings(&text).unwrap(), ids);
        assert_eq!(encode_postings(&[30, 31, 32]).len(), 3);
        assert_eq!(decode_postings("\"<"), None);
        assert_eq!(decode_postings("").unwrap(), Vec::<u32>::new());
        // Dense lists become bitmaps, and decode the same.
        let dense: Vec<u32> = (0..300).filter(|i| i % 3 != 0).collect();
        let text = encode_postings(&dense);
        assert!(text.starts_with('=') && text.len() <= 300 / 6 + 2, "{text}");
        assert_eq!(decode_postings(&text).unwrap(), dense);
        assert_eq!(decode_postings("=\""), None);
    }

    // The post table reads back as written; broken rows do not panic.
    #[test]
    fn post_table_round_trips_as_text() {
        let table = SearchTable {
            tags: vec!["Rust".into(), "a\tb".into()],
            posts: vec![
                TableRow("2025_01/a".into(), "2025-01-02".into(), vec![0, 1]),
                TableRow("2025_01/b".into(), "2025-01-01".into(), vec![]),
            ],
        };
        let back = SearchTable::parse(&table.to_text());
        assert_eq!(back.tags, ["Rust", "a b"]);
        assert_eq!(back.posts, table.posts);
        assert_eq!(SearchTable::parse("").posts.len(), 0);
        assert_eq!(SearchTable::parse("tags\n\t\tzz,1").posts[0].2, [1]);
        assert!(table.to_text().starts_with("tags\tRust\t"));
    }
}
