//! Full-text search rules shared by the compiler (which builds the index) and the app
//! (which queries it), so both sides fold, cut and match text the same way.
//!
//! 1. [`fold`]: a hand-rolled subset of NFKC plus case and kana folding, only for the
//!    ranges Japanese text uses (full-width ASCII, half-width katakana with their
//!    voiced marks, combining voiced marks, katakana → hiragana), so the wasm carries
//!    no normalisation tables.
//! 2. [`index_keys`]: Latin and digit runs become whole words; CJK runs become their
//!    characters and overlapping bigrams (Japanese has no spaces).
//! 3. [`shard_of`]: every key lives in one shard chosen by a hash; Latin words are
//!    sharded by their first [`PREFIX_CHARS`] characters so a prefix finds its words in
//!    one shard.
//! 4. [`parse_query`] / [`Term::keys`]: words AND, `"phrase"`, `-exclude`, the last word
//!    a prefix while it is being typed.
//! 5. [`confirm`]: candidates from the index are checked against the post itself,
//!    which also finds the comments to show.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use crate::{Block, Comment, Inline, Post};

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

/// Latin words are sharded by this many leading characters (shorter words by all).
pub const PREFIX_CHARS: usize = 3;
/// Keys are cut to this many characters; longer words are confirmed on the post.
pub const MAX_KEY_CHARS: usize = 24;
/// Query text beyond this many characters is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Terms beyond this many are ignored.
pub const MAX_TERMS: usize = 10;
/// Candidates confirmed at once on their post files (fetched in parallel).
pub const CONFIRM_BATCH: usize = 4;
/// Batches confirmed for one answer, while none of them confirmed a post, before the
/// reader is asked to go on: bounds the bytes a query fetches.
pub const CONFIRM_BATCHES: usize = 3;

/// Folds one character's width and kana (case is folded in [`fold_mapped`]). Half-width voiced marks become combining ones, which
/// [`fold_mapped`] composes with the kana before them.
fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{FF61}'..='\u{FF9F}' => HALF_KANA
            .chars()
            .nth((c as u32 - 0xFF61) as usize)
            .map_or(c, fold_char),
        // Katakana to hiragana (ヴ too); the long vowel mark and ヷ–ヺ stay.
        '\u{30A1}'..='\u{30F6}' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// Half-width katakana U+FF61..=U+FF9F in order, full width.
const HALF_KANA: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン\u{3099}\u{309A}";

/// The hiragana `base` with a voiced (`mark` U+3099) or semi-voiced (U+309A) mark.
fn compose(base: char, mark: char) -> Option<char> {
    let b = base as u32;
    let voiced = mark == '\u{3099}';
    let ok = match b {
        // か…ぢ and つ…ど alternate plain/voiced; は…ぽ go in threes.
        0x304B..=0x3062 | 0x3064..=0x3069 => voiced && (b % 2 == 1) == (b < 0x3063),
        0x306F..=0x307D => (b - 0x306F).is_multiple_of(3),
        0x3046 => voiced,
        _ => false,
    };
    let add = match (b, voiced) {
        (0x3046, _) => 0x3094 - 0x3046,
        (_, true) => 1,
        (_, false) => 2,
    };
    if ok {
        char::from_u32(b + add)
    } else {
        None
    }
}

/// Text in its folded form with, for each folded byte, the byte offset in the source
/// where its character came from (plus one entry for the end).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Folded {
    /// The folded text: see [`fold`].
    pub text: String,
    /// `map[i]` is the source offset of folded byte `i`; `map[text.len()]` is the
    /// source's length.
    pub map: Vec<usize>,
}

impl Folded {
    /// The source range of the folded range `start..end`.
    pub fn source_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map.get(start).copied().unwrap_or(0);
        let e = match end {
            e if e >= self.text.len() => self.map.last().copied().unwrap_or(0),
            e => self.map.get(e).copied().unwrap_or(0),
        };
        (s, e.max(s))
    }
}

/// [`fold`] with the offsets back into `text`.
pub fn fold_mapped(text: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        map: Vec::with_capacity(text.len() + 1),
    };
    let mut space = false;
    for (at, c) in text.char_indices() {
        let c = fold_char(c);
        if c.is_whitespace() {
            space = !out.text.is_empty();
            continue;
        }
        if matches!(c, '\u{3099}' | '\u{309A}') {
            let last = out.text.chars().next_back();
            if let Some(composed) = last.and_then(|l| compose(l, c)) {
                let keep = out.text.len() - last.map_or(0, char::len_utf8);
                out.text.truncate(keep);
                // The composed character keeps the base's source offset.
                let from = out.map[keep];
                out.map.truncate(keep);
                push(&mut out, composed, from);
                continue;
            }
        }
        if space {
            push(&mut out, ' ', at);
            space = false;
        }
        if c.is_ascii() || is_cjk(c) {
            push(&mut out, c.to_ascii_lowercase(), at);
        } else {
            for l in c.to_lowercase() {
                push(&mut out, l, at);
            }
        }
    }
    out.map.push(text.len());
    out
}

fn push(out: &mut Folded, c: char, from: usize) {
    out.text.push(c);
    out.map.extend(std::iter::repeat_n(from, c.len_utf8()));
}

/// Case-, width- and kana-insensitive form with collapsed whitespace: ASCII and other
/// letters lowercased, full-width ASCII to ASCII, half-width katakana to full width
/// (`ｶﾞ` → `が`), katakana to hiragana, every run of whitespace (ideographic space
/// included) to one space, trimmed. `ＳＱＬｉｔｅ` and `sqlite` fold alike, and so do
/// `ﾃﾞｨｰﾌﾟ`, `ディープ` and `でぃーぷ`.
pub fn fold(text: &str) -> String {
    fold_mapped(text).text
}

/// Kinds of folded characters for cutting text into keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Letters and digits of space-separated scripts: make up words.
    Word,
    /// Kana, ideographs, hangul: cut into characters and bigrams.
    Cjk,
    /// Everything else separates.
    Other,
}

/// Whether `c` is written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007     // 々 〆 〇
        | 0x3041..=0x30FF   // hiragana, katakana, ー
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0xAC00..=0xD7AF   // hangul
        | 0x20000..=0x2FFFF)
}

/// The [`Class`] of a folded character.
pub fn class(c: char) -> Class {
    if c.is_ascii_alphanumeric() {
        Class::Word
    } else if c.is_ascii() {
        Class::Other
    } else if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// Runs of one class in folded text (Other runs skipped): `(class, run)`.
fn runs(folded: &str) -> impl Iterator<Item = (Class, &str)> {
    let mut rest = folded;
    std::iter::from_fn(move || loop {
        let first = rest.chars().next()?;
        let kind = class(first);
        let end = rest
            .char_indices()
            .find(|&(_, c)| class(c) != kind)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        rest = tail;
        if kind != Class::Other {
            return Some((kind, run));
        }
    })
}

/// First `n` characters of `s`.
fn head(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(i, _)| &s[..i])
}

/// Every index key of folded text, possibly repeated: whole words (cut to
/// [`MAX_KEY_CHARS`]), and each CJK character and each pair of neighbouring ones.
pub fn index_keys(folded: &str, mut key: impl FnMut(&str)) {
    for (kind, run) in runs(folded) {
        match kind {
            Class::Word => key(head(run, MAX_KEY_CHARS)),
            _ => {
                let starts: Vec<usize> = run
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([run.len()])
                    .collect();
                for w in starts.windows(3) {
                    key(&run[w[0]..w[1]]);
                    key(&run[w[0]..w[2]]);
                }
                if let [.., a, b] = starts[..] {
                    key(&run[a..b]);
                }
            }
        }
    }
}

/// The text that decides a key's shard: a Latin word's first [`PREFIX_CHARS`]
/// characters, any other key whole.
pub fn shard_text(key: &str) -> &str {
    match key.chars().next() {
        Some(c) if class(c) == Class::Word => head(key, PREFIX_CHARS),
        _ => key,
    }
}

/// The shard of a key among `shards` (FNV-1a of [`shard_text`]).
pub fn shard_of(key: &str, shards: usize) -> usize {
    let mut h: u32 = 0x811C_9DC5;
    for &b in shard_text(key).as_bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    (h as usize) % shards.max(1)
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

/// One part of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// Folded text to find (may hold spaces: a phrase).
    pub text: String,
    /// `-word`: posts holding it are left out.
    pub exclude: bool,
    /// The word being typed: its last Latin word may continue in the text.
    pub prefix: bool,
}

/// One index lookup for a [`Term`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// Posts holding exactly this key.
    Key(String),
    /// Posts holding any word starting with this (at least [`PREFIX_CHARS`] long).
    Prefix(String),
}

impl Lookup {
    /// The key or prefix.
    pub fn text(&self) -> &str {
        match self {
            Lookup::Key(k) | Lookup::Prefix(k) => k,
        }
    }
}

impl Term {
    /// Lookups whose posts all hold the term (necessary, not sufficient: [`confirm`]
    /// decides). Long CJK runs use every other bigram and the last one: they cover the
    /// run with fewer shards.
    pub fn lookups(&self) -> Vec<Lookup> {
        let mut out = Vec::new();
        let all: Vec<(Class, &str)> = runs(&self.text).collect();
        let last = all.len().saturating_sub(1);
        let ends_in_run = self
            .text
            .chars()
            .next_back()
            .is_some_and(|c| class(c) != Class::Other);
        for (i, (kind, run)) in all.into_iter().enumerate() {
            match kind {
                Class::Word => {
                    // The word being typed is a prefix once it is long enough to name
                    // its shard; shorter (or cut) words are looked up whole.
                    let typing = self.prefix && i == last && ends_in_run;
                    let len = run.chars().count();
                    let key = head(run, MAX_KEY_CHARS).to_string();
                    if typing && (PREFIX_CHARS..MAX_KEY_CHARS).contains(&len) {
                        out.push(Lookup::Prefix(key));
                    } else {
                        out.push(Lookup::Key(key));
                    }
                }
                _ => {
                    let starts: Vec<usize> = run
                        .char_indices()
                        .map(|(i, _)| i)
                        .chain([run.len()])
                        .collect();
                    let n = starts.len() - 1;
                    if n == 1 {
                        out.push(Lookup::Key(run.to_string()));
                        continue;
                    }
                    let mut at: Vec<usize> = (0..n - 1).step_by(2).collect();
                    if at.last() != Some(&(n - 2)) {
                        at.push(n - 2);
                    }
                    out.extend(
                        at.into_iter()
                            .map(|k| Lookup::Key(run[starts[k]..starts[k + 2]].to_string())),
                    );
                }
            }
        }
        out.dedup();
        out
    }

    /// Every place the term occurs in folded `text`, as folded byte ranges. A term that
    /// starts (ends) with a Latin letter or digit must not start (end) inside a word, so
    /// `rust` is not found in `trust`; the word being typed may end inside one.
    pub fn find_in(&self, text: &str) -> Vec<(usize, usize)> {
        let t = self.text.as_str();
        let (Some(first), Some(last)) = (t.chars().next(), t.chars().next_back()) else {
            return Vec::new();
        };
        let word_start = class(first) == Class::Word;
        let word_end = class(last) == Class::Word && !self.prefix;
        let is_word = |c: Option<char>| c.is_some_and(|c| class(c) == Class::Word);
        text.match_indices(t)
            .map(|(i, m)| (i, i + m.len()))
            .filter(|&(s, e)| {
                let joins_before = word_start && is_word(text[..s].chars().next_back());
                let joins_after = word_end && is_word(text[e..].chars().next());
                !joins_before && !joins_after
            })
            .collect()
    }
}

/// The shards (positions in [`SearchInfo::shards`], of `count`) that the wanted terms'
/// lookups live in.
pub fn shards_for(terms: &[Term], count: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for lookup in terms.iter().filter(|t| !t.exclude).flat_map(Term::lookups) {
        let shard = shard_of(lookup.text(), count);
        if !out.contains(&shard) {
            out.push(shard);
        }
    }
    out
}

/// A post that may answer a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Its index id.
    pub id: u32,
    /// How many wanted terms have all their keys in its title or tags.
    pub head_terms: usize,
}

/// Posts holding every key of every wanted term, title and tag hits first, then newest
/// (lowest id). `shard(i)` gives shard `i` of `count` (as [`shards_for`] named them);
/// a missing shard or postings that do not decode count as empty. Terms without keys
/// (punctuation only) do not narrow; a query with no keys at all has no candidates.
pub fn candidates<'a>(
    terms: &[Term],
    count: usize,
    shard: impl Fn(usize) -> Option<&'a IndexShard>,
) -> Vec<Candidate> {
    let mut all: Option<Vec<u32>> = None;
    let mut heads: Vec<Vec<u32>> = Vec::new();
    for term in terms.iter().filter(|t| !t.exclude) {
        let lookups = term.lookups();
        if lookups.is_empty() {
            continue;
        }
        let (mut term_all, mut term_head): (Option<Vec<u32>>, Option<Vec<u32>>) = (None, None);
        for lookup in &lookups {
            let (a, h) = shard(shard_of(lookup.text(), count))
                .map(|s| lookup_postings(s, lookup))
                .unwrap_or_default();
            term_all = Some(intersect(term_all, a));
            term_head = Some(intersect(term_head, h));
        }
        heads.push(term_head.unwrap_or_default());
        all = Some(intersect(all, term_all.unwrap_or_default()));
    }
    let found: Vec<Candidate> = all
        .unwrap_or_default()
        .into_iter()
        .map(|id| Candidate {
            id,
            head_terms: heads
                .iter()
                .filter(|h| h.binary_search(&id).is_ok())
                .count(),
        })
        .collect();
    // Ids come sorted; bucketing by title hits keeps them so (no sort code in the wasm).
    (0..=heads.len())
        .rev()
        .flat_map(|h| found.iter().filter(move |c| c.head_terms == h).copied())
        .collect()
}

/// The posts holding a key (or any word with a prefix), and those holding it in the
/// title or a tag.
fn lookup_postings(shard: &IndexShard, lookup: &Lookup) -> (Vec<u32>, Vec<u32>) {
    let decode = |text: &String| {
        let (all, head) = text.split_once(' ').unwrap_or((text, ""));
        (
            decode_postings(all).unwrap_or_default(),
            decode_postings(head).unwrap_or_default(),
        )
    };
    match lookup {
        Lookup::Key(k) => shard.get(k).map(decode).unwrap_or_default(),
        Lookup::Prefix(p) => {
            let (mut all, mut head) = (Vec::new(), Vec::new());
            for (_, text) in shard.with_prefix(p) {
                let (a, h) = decode(text);
                all = union(&all, &a);
                head = union(&head, &h);
            }
            (all, head)
        }
    }
}

/// Ids in either sorted list, sorted.
fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(a.len() + b.len()));
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                x
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                x
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (None, None) => break,
        };
        out.push(next);
    }
    out
}

/// Ids in both sorted lists (`None` is every id).
fn intersect(a: Option<Vec<u32>>, b: Vec<u32>) -> Vec<u32> {
    let Some(a) = a else { return b };
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Splits a query into terms: words separated by spaces, `"a phrase"` as one term,
/// `-word` or `-"phrase"` to exclude. The last term is a prefix when the query does not
/// end with a space or a closing quote. Text beyond [`MAX_QUERY_CHARS`] and terms
/// beyond [`MAX_TERMS`] are dropped.
pub fn parse_query(query: &str) -> Vec<Term> {
    let query = head(query, MAX_QUERY_CHARS);
    let folded = fold(query);
    let open_end = !query.ends_with(|c: char| c.is_whitespace());
    let mut terms = Vec::new();
    let mut rest = folded.as_str();
    let mut last_closed = false;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let exclude = rest.len() > 1 && rest.starts_with('-') && !rest[1..].starts_with(' ');
        if exclude {
            rest = &rest[1..];
        }
        let text;
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"');
            text = &quoted[..end.unwrap_or(quoted.len())];
            rest = end.map_or("", |e| &quoted[e + 1..]);
            last_closed = end.is_some();
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            text = &rest[..end];
            rest = &rest[end..];
            last_closed = false;
        }
        let text = text.trim();
        if !text.is_empty() {
            terms.push(Term {
                text: text.to_string(),
                exclude,
                prefix: false,
            });
        }
    }
    terms.truncate(MAX_TERMS);
    if open_end && !last_closed {
        if let Some(t) = terms.last_mut().filter(|t| !t.exclude) {
            t.prefix = true;
        }
    }
    terms
}

/// The searchable text of a comment: the user name, then the body's plain text.
pub fn comment_text(comment: &Comment) -> String {
    let mut out = comment.user.clone();
    out.push('\n');
    plain_text(&comment.body, &mut out);
    out
}

/// Appends the visible text of `nodes` to `out`; line breaks become `\n`.
pub fn plain_text(nodes: &[Inline], out: &mut String) {
    for node in nodes {
        match node {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::CodeBlock(t) => {
                line_start(out);
                out.push_str(t);
            }
            Inline::Break => out.push('\n'),
            Inline::Link { children, .. }
            | Inline::InternalLink { children, .. }
            | Inline::Emphasis(children)
            | Inline::Strong(children) => plain_text(children, out),
            Inline::QuoteLine(children) => {
                line_start(out);
                plain_text(children, out);
            }
        }
    }
}

/// Block-like nodes start on their own line; the `Break` after them ends it.
fn line_start(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Every comment card of a body in source order (folded sections included).
pub fn comments(blocks: &[Block]) -> impl Iterator<Item = &Comment> {
    blocks.iter().flat_map(|b| match b {
        Block::Comment(c) => std::slice::from_ref(c),
        Block::More { comments, .. } => comments.as_slice(),
        _ => &[],
    })
}

/// A comment that holds some of the query's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentHit {
    /// The card's number ([`Comment::n`]): its anchor is `c<n>`.
    pub n: u32,
    /// How many of the query's terms it holds.
    pub terms: usize,
    /// [`comment_text`] of the card.
    pub text: String,
    /// Where the terms are in `text` (byte ranges, sorted, not overlapping).
    pub marks: Vec<(usize, usize)>,
}

/// How a post answers a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostHit {
    /// How many terms the title or a tag holds.
    pub title_terms: usize,
    /// The comments holding terms, most terms first, then in source order.
    pub comments: Vec<CommentHit>,
}

impl PostHit {
    /// Sort key of the post with index id `id`, best first: title and tag matches, then
    /// more terms in one comment, then more matching comments, then newer.
    pub fn rank(&self, id: u32) -> (Reverse<usize>, Reverse<usize>, Reverse<usize>, u32) {
        let best = self.comments.first().map_or(0, |c| c.terms);
        (
            Reverse(self.title_terms),
            Reverse(best),
            Reverse(self.comments.len()),
            id,
        )
    }
}

/// Checks a post against the terms: every term that is not excluded must be in its
/// title, a tag or a comment, and no excluded term anywhere. `None` when it does not
/// answer the query (or the query has nothing to look for).
pub fn confirm(post: &Post, terms: &[Term]) -> Option<PostHit> {
    let wanted: Vec<&Term> = terms.iter().filter(|t| !t.exclude).collect();
    if wanted.is_empty() {
        return None;
    }
    let mut head = post.summary.title.clone();
    for tag in &post.summary.tags {
        head.push('\n');
        head.push_str(&tag.name);
    }
    let head = fold(&head);
    let mut found: Vec<bool> = wanted
        .iter()
        .map(|t| !t.find_in(&head).is_empty())
        .collect();
    let title_terms = found.iter().filter(|&&f| f).count();
    let mut hits = Vec::new();
    for comment in comments(&post.blocks) {
        let text = comment_text(comment);
        let folded = fold_mapped(&text);
        let mut marks = Vec::new();
        let mut count = 0;
        for (term, seen) in wanted.iter().zip(found.iter_mut()) {
            let at = term.find_in(&folded.text);
            if !at.is_empty() {
                count += 1;
                *seen = true;
                marks.extend(at.into_iter().map(|(s, e)| folded.source_range(s, e)));
            }
        }
        if terms
            .iter()
            .filter(|t| t.exclude)
            .any(|t| !t.find_in(&folded.text).is_empty())
        {
            return None;
        }
        if count > 0 {
            hits.push(CommentHit {
                n: comment.n,
                terms: count,
                text,
                marks: merge(marks),
            });
        }
    }
    if terms
        .iter()
        .filter(|t| t.exclude)
        .any(|t| !t.find_in(&head).is_empty())
        || found.contains(&false)
    {
        return None;
    }
    // Most terms first, in card order within (bucketed: no sort code in the wasm).
    let hits = (1..=wanted.len())
        .rev()
        .flat_map(|t| hits.iter().filter(move |h| h.terms == t).cloned())
        .collect();
    Some(PostHit {
        title_terms,
        comments: hits,
    })
}

/// Sorted, non-overlapping ranges.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    // Insertion sort: a comment holds few matches, and it adds no sort code to the wasm.
    for i in 1..ranges.len() {
        let mut j = i;
        while j > 0 && ranges[j - 1] > ranges[j] {
            ranges.swap(j - 1, j);
            j -= 1;
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// A piece of a snippet: text, and whether it is a match.
pub type Piece = (String, bool);

/// About `chars` characters of a comment around its first match, cut into plain and
/// matched pieces, with `…` where text was left out.
pub fn snippet(hit: &CommentHit, chars: usize) -> Vec<Piece> {
    let text = hit.text.as_str();
    let at = hit.marks.first().map_or(0, |m| m.0);
    let start = text[..at]
        .char_indices()
        .rev()
        .take(chars / 3)
        .last()
        .map_or(at, |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| start + i);
    let mut pieces: Vec<Piece> = Vec::new();
    // Whitespace runs (line breaks too) become one space, kept at the ends so that a
    // match does not run into the text before it.
    let plain = |s: &str, pieces: &mut Vec<Piece>| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if !c.is_whitespace() {
                out.push(c);
            } else if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        if !out.is_empty() {
            pieces.push((out, false));
        }
    };
    if start > 0 {
        pieces.push(("…".into(), false));
    }
    let mut pos = start;
    for &(s, e) in &hit.marks {
        let (s, e) = (s.max(pos), e.min(end));
        if s >= e {
            continue;
        }
        plain(&text[pos..s], &mut pieces);
        pieces.push((text[s..e].to_string(), true));
        pos = e;
    }
    plain(&text[pos..end], &mut pieces);
    if end < text.len() {
        pieces.push(("…".into(), false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    // Full-width letters, capitals, ideographic spaces and line breaks fold to one form.
    #[test]
    fn folds_case_width_and_whitespace() {
        assert_eq!(
            fold("ＳＱＬｉｔｅ\u{3000}と  Rust\n\tの話！ "),
            "sqlite と rust の話!"
        );
        assert_eq!(fold("  "), "");
        assert_eq!(fold("ｃ＋＋"), "c++");
        assert_eq!(fold("ÉCOLE Straße"), "école straße");
    }

    // Half-width katakana (voiced marks composed), katakana and hiragana fold alike.
    #[test]
    fn folds_half_width_katakana_and_kana() {
        assert_eq!(fold("ﾃﾞｨｰﾌﾟｼｰｸ"), fold("ディープシーク"));
        assert_eq!(fold("ディープシーク"), "でぃーぷしーく");
        assert_eq!(fold("ｳﾞｧｲｵﾘﾝ ﾊﾟﾊﾞ"), fold("ヴァイオリン パバ"));
        // Combining marks (NFD input) compose too; a mark after a non-kana stays.
        assert_eq!(fold("カ\u{3099}"), "が");
        assert_eq!(fold("a\u{3099}"), "a\u{3099}");
    }

    // Offsets map folded bytes back to the characters they came from.
    #[test]
    fn fold_mapped_keeps_source_offsets() {
        let f = fold_mapped("ﾃﾞｨ  ＲＵＳＴ");
        assert_eq!(f.text, "でぃ rust");
        let at = f.text.find("rust").unwrap();
        let (s, e) = f.source_range(at, at + 4);
        assert_eq!(&"ﾃﾞｨ  ＲＵＳＴ"[s..e], "ＲＵＳＴ");
        let (s, e) = f.source_range(0, 3);
        assert_eq!(&"ﾃﾞｨ  ＲＵＳＴ"[s..e], "ﾃﾞ");
    }

    // Words whole, CJK as characters and bigrams.
    #[test]
    fn cuts_words_and_bigrams() {
        let mut keys = Vec::new();
        index_keys(&fold("Rust製の高速DB"), |k| keys.push(k.to_string()));
        assert_eq!(
            keys,
            ["rust", "製", "製の", "の", "の高", "高", "高速", "速", "db"]
        );
    }

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

    // Words, phrases, exclusions and the word being typed.
    #[test]
    fn parses_queries() {
        let t = parse_query("Rust \"メモリ 安全\" -Go deep");
        let texts: Vec<(&str, bool, bool)> = t
            .iter()
            .map(|t| (t.text.as_str(), t.exclude, t.prefix))
            .collect();
        assert_eq!(
            texts,
            [
                ("rust", false, false),
                ("めもり 安全", false, false),
                ("go", true, false),
                ("deep", false, true)
            ]
        );
        assert!(!parse_query("deep ")[0].prefix);
        assert!(parse_query("").is_empty());
        assert!(parse_query("\"\" - ").iter().all(|t| t.text == "-"));
        assert_eq!(
            parse_query(&"あ".repeat(500))[0].text.chars().count(),
            MAX_QUERY_CHARS
        );
    }

    // Lookups: prefixes for the typed word, every other bigram of long runs.
    #[test]
    fn lookups_cover_terms() {
        let t = parse_query("オープンソース deeps");
        assert_eq!(
            t[0].lookups(),
            ["おー", "ぷん", "そー", "ーす"].map(|k| Lookup::Key(k.into()))
        );
        assert_eq!(t[1].lookups(), [Lookup::Prefix("deeps".into())]);
        assert_eq!(parse_query("a")[0].lookups(), [Lookup::Key("a".into())]);
        assert_eq!(parse_query("字")[0].lookups(), [Lookup::Key("字".into())]);
    }

    // Word boundaries: rust is not in trust; the typed word may go on.
    #[test]
    fn finds_terms_on_word_boundaries() {
        let done = Term {
            text: "rust".into(),
            exclude: false,
            prefix: false,
        };
        assert!(done.find_in("i trust it").is_empty());
        assert!(done.find_in("rustacean").is_empty());
        assert_eq!(done.find_in("rust製"), [(0, 4)]);
        let typing = Term {
            prefix: true,
            ..done
        };
        assert_eq!(typing.find_in("rustacean"), [(0, 4)]);
        assert!(typing.find_in("trust").is_empty());
    }

    // Candidates hold every key of every term; title hits come first; bad postings are empty.
    #[test]
    fn candidates_intersect_terms_and_rank_title_hits_first() {
        let text = [
            "broken\t<>".to_string(),
            format!(
                "rust\t{} {}",
                encode_postings(&[1, 2, 5]),
                encode_postings(&[5])
            ),
            format!("rustacean\t{}", encode_postings(&[7])),
            format!("安全\t{}", encode_postings(&[2, 5, 7])),
            "no tab here".to_string(),
        ]
        .join("\n");
        let shard = IndexShard::parse(&text);
        assert_eq!(shard.0.len(), 4);
        assert_eq!(IndexShard::parse(&shard.to_text()), shard);
        let ids = |q: &str| {
            candidates(&parse_query(q), 1, |_| Some(&shard))
                .iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("rust 安全 "), [5, 2]);
        assert_eq!(ids("安全 rust"), [5, 2, 7], "the typed word is a prefix");
        assert_eq!(ids("broken"), Vec::<u32>::new());
        assert_eq!(union(&[1, 3, 5], &[2, 3, 9]), [1, 2, 3, 5, 9]);
        assert_eq!(ids("!!"), Vec::<u32>::new());
        assert_eq!(shards_for(&parse_query("rust 安全"), 1).len(), 1);
    }

    // Snippets cut around the first match, mark it in the source text and keep one
    // space where the source had line breaks.
    #[test]
    fn snippets_mark_matches_around_the_first() {
        let text = format!("alice\n{}ﾃﾞｨｰﾌﾟｼｰｸの話", "あ".repeat(100));
        let f = fold_mapped(&text);
        let term = &parse_query("ディープシーク")[0];
        let marks = term
            .find_in(&f.text)
            .into_iter()
            .map(|(s, e)| f.source_range(s, e))
            .collect();
        let hit = CommentHit {
            n: 1,
            terms: 1,
            text: text.clone(),
            marks,
        };
        let pieces = snippet(&hit, 30);
        assert_eq!(
            pieces
                .iter()
                .filter(|p| p.1)
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>(),
            ["ﾃﾞｨｰﾌﾟｼｰｸ"]
        );
        assert_eq!(pieces[0].0, "…");
        let short = CommentHit {
            n: 1,
            terms: 1,
            text: "bob\nhello".into(),
            marks: vec![(4, 9)],
        };
        assert_eq!(
            snippet(&short, 30),
            [("bob ".to_string(), false), ("hello".to_string(), true)]
        );
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

    // Shards: a prefix's words share its shard.
    #[test]
    fn words_with_one_prefix_share_a_shard() {
        assert_eq!(shard_of("deepseek", 64), shard_of("dee", 64));
        assert_eq!(shard_of("x", 0), 0);
    }
}
