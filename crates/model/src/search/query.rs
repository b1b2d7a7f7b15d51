//! Queries: [`parse_query`] cuts the reader's text into [`Term`]s, [`Term::lookups`]
//! names the index keys each needs, and [`candidates`] reads them from the shards.
//!
//! Over 400 lines only with its unit tests (the code is about 320 lines).

use super::index::{decode_postings, IndexShard};
use super::text::{
    char_starts, class, fold, head, runs, shard_of, trigram_bucket, trigram_key, Class,
};
use super::{MAX_KEY_CHARS, MAX_QUERY_CHARS, MAX_TERMS, PREFIX_CHARS};

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
    /// Lookups whose posts all hold the term (necessary, not sufficient: [`confirm`](super::confirm)
    /// decides). Long CJK runs use every other bigram and the last one, and every other
    /// trigram bucket and the last one: they cover the run with fewer shards.
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
                    let starts = char_starts(run);
                    let n = starts.len() - 1;
                    if n == 1 {
                        out.push(Lookup::Key(run.to_string()));
                        continue;
                    }
                    // Pairs at 0, 2, 4, … and the last (exact), then trigram buckets the
                    // same way from three characters on (near exact once two or more
                    // meet: a phrase's posts, not every post with its pairs somewhere).
                    for width in [2, 3] {
                        out.extend(cover(n, width).map(|k| {
                            let gram = &run[starts[k]..starts[k + width]];
                            Lookup::Key(match width {
                                2 => gram.to_string(),
                                _ => trigram_key(trigram_bucket(gram)),
                            })
                        }));
                    }
                }
            }
        }
        super::text::junctions(&self.text, |k| out.push(Lookup::Key(k.to_string())));
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

/// Starts of `width`-character windows covering `n` characters: every other one and
/// the last (none when `n < width`).
fn cover(n: usize, width: usize) -> impl Iterator<Item = usize> {
    let last = n.checked_sub(width);
    let every_other = last.into_iter().flat_map(|l| (0..=l).step_by(2));
    let tail = last.filter(|l| l % 2 == 1);
    every_other.chain(tail)
}

/// The shards (positions in [`SearchInfo::shards`](super::SearchInfo::shards), of `count`) that the wanted terms'
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
    gather(terms, count, shard, false)
}

/// [`candidates`] from the shards at hand: a lookup whose shard is `None` does not
/// narrow (instead of counting as empty), so the answer holds every post [`candidates`]
/// gives once all the shards are there, and maybe more, in nearly the same order. The
/// search worker fetches the first of them while the last shards download.
pub fn likely_candidates<'a>(
    terms: &[Term],
    count: usize,
    shard: impl Fn(usize) -> Option<&'a IndexShard>,
) -> Vec<Candidate> {
    gather(terms, count, shard, true)
}

fn gather<'a>(
    terms: &[Term],
    count: usize,
    shard: impl Fn(usize) -> Option<&'a IndexShard>,
    skip_missing: bool,
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
            let (a, h) = match shard(shard_of(lookup.text(), count)) {
                Some(s) => lookup_postings(s, lookup),
                None if skip_missing => continue,
                None => Default::default(),
            };
            term_all = Some(intersect(term_all, a));
            term_head = Some(intersect(term_head, h));
        }
        heads.push(term_head.unwrap_or_default());
        if let Some(term_all) = term_all {
            all = Some(intersect(all, term_all));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::encode_postings;

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
        let tri = |t: &str| trigram_key(trigram_bucket(t));
        let mut want: Vec<Lookup> = ["おー", "ぷん", "そー", "ーす"]
            .map(|k| Lookup::Key(k.into()))
            .to_vec();
        want.extend(["おーぷ", "ぷんそ", "そーす"].map(|k| Lookup::Key(tri(k))));
        assert_eq!(t[0].lookups(), want);
        assert_eq!(
            parse_query("生成AI")[0].lookups(),
            [
                Lookup::Key("生成".into()),
                Lookup::Key("ai".into()),
                Lookup::Key("成a".into())
            ],
            "two characters: one pair, no trigram; the junction"
        );
        assert_eq!(
            parse_query("使い方")[0].lookups(),
            [
                Lookup::Key("使い".into()),
                Lookup::Key("い方".into()),
                Lookup::Key(tri("使い方"))
            ]
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

    // Likely candidates skip the lookups whose shard is missing: a superset of the
    // candidates, which stay empty while a shard is missing.
    #[test]
    fn likely_candidates_skip_missing_shards() {
        let (a, b) = (
            IndexShard::parse(&format!("rust\t{}", encode_postings(&[1, 2, 5]))),
            IndexShard::parse(&format!("安全\t{}", encode_postings(&[2, 7]))),
        );
        let terms = parse_query("rust 安全 ");
        let all = |i: usize| Some(if shard_of("rust", 64) == i { &a } else { &b });
        let without_b = |i: usize| (shard_of("rust", 64) == i).then_some(&a);
        let ids = |c: Vec<Candidate>| c.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_ne!(shard_of("rust", 64), shard_of("安全", 64));
        assert_eq!(ids(candidates(&terms, 64, all)), [2]);
        assert_eq!(ids(likely_candidates(&terms, 64, all)), [2]);
        assert_eq!(ids(candidates(&terms, 64, without_b)), Vec::<u32>::new());
        assert_eq!(ids(likely_candidates(&terms, 64, without_b)), [1, 2, 5]);
        assert_eq!(
            ids(likely_candidates(&terms, 64, |_| None)),
            Vec::<u32>::new()
        );
    }
}
