//! Search recall on known answers: queries a reader would type, drawn from real posts
//! (phrases copied from one comment, katakana words typed full and half width, hiragana
//! words, user names, Latin words, two-word queries), each run the way the search worker
//! runs it (the index's candidates, confirmed on the post text in candidate order by
//! [`search::next_batch`] until the first screen is full, then ranked), and checked
//! against a scan of every post.
//!
//! Used by the compiler's search tests (the corpus, with the recall targets) and by
//! `examples/search_recall.rs` (the table per kind, on the corpus and the synthetic site).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;

use matome_model::search::{self, IndexShard, SearchTable, SearchText, Term, FIRST_SCREEN};
use matome_model::{paths, Post, Site};

/// A built bundle with its whole index and every post's text in memory.
pub struct Indexed {
    pub table: SearchTable,
    pub shards: Vec<IndexShard>,
    /// Raw size of each shard file.
    pub shard_bytes: Vec<usize>,
    /// Each post's folded text (title, tags, comments), for a quick scan.
    folded: Vec<String>,
    texts: Vec<SearchText>,
    /// Each post's comments: (user, plain text).
    pub comments: Vec<Vec<(String, String)>>,
    /// Raw size of each post file.
    pub post_bytes: Vec<usize>,
}

/// What the first screen of results shows for a query, and what it took.
#[derive(Debug, Default)]
pub struct Screen {
    /// Post ids shown, best first (at most [`FIRST_SCREEN`]).
    pub shown: Vec<u32>,
    /// Candidates the index gave.
    pub candidates: usize,
    /// Post files read to fill the screen.
    pub posts_read: usize,
    /// Key shards read.
    pub shards_read: usize,
    /// Raw bytes of the shards and posts read.
    pub bytes: usize,
}

impl Indexed {
    /// Opens the bundle a compile wrote into `out`.
    pub fn open(out: &Path) -> Indexed {
        let read = |name: &str| {
            std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let site: Site = serde_json::from_str(&read(paths::SITE_JSON)).unwrap();
        let table = SearchTable::parse(&read(&site.search.table));
        let shard_texts: Vec<String> = site.search.shards.iter().map(|n| read(n)).collect();
        let mut me = Indexed {
            shard_bytes: shard_texts.iter().map(String::len).collect(),
            shards: shard_texts.iter().map(|t| IndexShard::parse(t)).collect(),
            table,
            folded: Vec::new(),
            texts: Vec::new(),
            comments: Vec::new(),
            post_bytes: Vec::new(),
        };
        for row in &me.table.posts {
            let text = read(&paths::post_json(&row.0));
            me.post_bytes.push(text.len());
            let post: Post = serde_json::from_str(&text).unwrap();
            let comments: Vec<(String, String)> = search::comments(&post.blocks)
                .map(|c| {
                    let mut body = String::new();
                    search::plain_text(&c.body, &mut body);
                    (c.user.clone(), body)
                })
                .collect();
            let mut all = post.summary.title.clone();
            for t in &post.summary.tags {
                all.push('\n');
                all.push_str(&t.name);
            }
            for (user, body) in &comments {
                all.push('\n');
                all.push_str(user);
                all.push('\n');
                all.push_str(body);
            }
            me.folded.push(search::fold(&all));
            me.texts.push(SearchText::new(&post));
            me.comments.push(comments);
        }
        me
    }

    /// Every post answering `query`, by a scan of every post's text (no index).
    pub fn truth(&self, query: &str) -> BTreeSet<u32> {
        let terms = search::parse_query(query);
        let wanted: Vec<&Term> = terms.iter().filter(|t| !t.exclude).collect();
        (0..self.texts.len())
            .filter(|&i| wanted.iter().all(|t| self.folded[i].contains(&t.text)))
            .filter(|&i| self.texts[i].confirm(&terms).is_some())
            .map(|i| i as u32)
            .collect()
    }

    /// The first screen for `query`, found as the search worker finds it.
    pub fn first_screen(&self, query: &str) -> Screen {
        let terms = search::parse_query(query);
        let n = self.shards.len();
        let wanted = search::shards_for(&terms, n);
        let candidates = search::candidates(&terms, n, |i| self.shards.get(i));
        let mut screen = Screen {
            candidates: candidates.len(),
            shards_read: wanted.len(),
            bytes: wanted.iter().map(|&i| self.shard_bytes[i]).sum(),
            ..Screen::default()
        };
        let mut found = Vec::new();
        let mut checked = 0;
        loop {
            let batch = search::next_batch(candidates.len(), checked, found.len(), FIRST_SCREEN);
            if batch == 0 {
                break;
            }
            for c in &candidates[checked..checked + batch] {
                let i = c.id as usize;
                screen.posts_read += 1;
                screen.bytes += self.post_bytes[i];
                if let Some(hit) = self.texts[i].confirm(&terms) {
                    found.push((hit.rank(c.id), c.id));
                }
            }
            checked += batch;
        }
        found.sort();
        screen.shown = found.into_iter().take(FIRST_SCREEN).map(|f| f.1).collect();
        screen
    }
}

/// The kinds of known answers.
pub const KINDS: [&str; 7] = [
    "phrase from one comment (6-12 chars)",
    "katakana word (1-6 posts)",
    "same word typed half-width",
    "hiragana word standing alone (1-6 posts)",
    "user name (1-6 posts)",
    "Latin word (1-6 posts)",
    "two words (1-6 posts)",
];

/// One known answer: a query of kind `KINDS[kind]`.
#[derive(Clone, Debug)]
pub struct Known {
    pub kind: usize,
    pub query: String,
}

/// SplitMix64, for drawing queries.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n.max(1) as u64) as usize
    }
}

/// Runs of characters of one kind in `text`, at least `min` long.
pub fn runs(text: &str, min: usize, kind: impl Fn(char) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(['\n']) {
        if kind(c) {
            run.push(c);
        } else {
            if run.chars().count() >= min {
                out.push(run.clone());
            }
            run.clear();
        }
    }
    out
}

pub fn katakana(c: char) -> bool {
    ('\u{30A1}'..='\u{30FA}').contains(&c) || c == 'ー'
}

fn hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{3096}').contains(&c)
}

/// Runs of four to eight hiragana that stand alone: no kanji or other kana right before
/// or after (`なるほど`, `たしかに`), so not the endings and particles around a kanji
/// (`良いことしたと`) a reader would not type on their own.
fn hiragana_words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let joins = |c: Option<&char>| c.is_some_and(|&c| japanese(c));
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !hiragana(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && hiragana(chars[i]) {
            i += 1;
        }
        let alone = !joins(start.checked_sub(1).and_then(|s| chars.get(s))) && !joins(chars.get(i));
        if alone && (4..=8).contains(&(i - start)) {
            out.push(chars[start..i].iter().collect());
        }
    }
    out
}

fn japanese(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}')
}

/// Half-width form of a katakana word (dakuten and handakuten as separate marks).
pub fn half_width(word: &str) -> String {
    const FULL: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
    let mut out = String::new();
    for c in word.chars() {
        // Voiced kana sit one after their base, semi-voiced two.
        let back = |k: u32| char::from_u32(c as u32 - k).filter(|p| FULL.contains(*p));
        let (base, mark) = match c {
            _ if FULL.contains(c) => (c, None),
            'ヴ' => ('ウ', Some('ﾞ')),
            _ => match (back(1), back(2)) {
                (Some(p), _) => (p, Some('ﾞ')),
                (None, Some(p)) => (p, Some('ﾟ')),
                _ => (c, None),
            },
        };
        match FULL.chars().position(|f| f == base) {
            Some(i) => out.push(char::from_u32(0xFF66 + i as u32).unwrap()),
            None => out.push(base),
        }
        out.extend(mark);
    }
    out
}

/// Up to `per_kind` known answers of each kind drawn from `site`'s comments (seeded, so
/// the same site gives the same set): a phrase must be in that one comment only, the
/// words and names in one to six posts.
pub fn known_answers(site: &Indexed, per_kind: usize, seed: u64) -> Vec<Known> {
    let mut rng = Rng(seed);
    let mut out: Vec<Known> = Vec::new();
    let mut seen = BTreeSet::new();
    let few = |q: &str| (1..=6).contains(&site.truth(q).len());
    let posts = site.comments.len();
    for kind in [0, 1, 3, 4, 5, 6] {
        let mut got = 0;
        for _ in 0..per_kind * 60 {
            if got == per_kind {
                break;
            }
            let p = rng.below(posts);
            let Some((user, body)) = site.comments[p].get(rng.below(site.comments[p].len())) else {
                continue;
            };
            let query = match kind {
                0 => {
                    let runs = runs(body, 6, japanese);
                    let Some(run) = runs.get(rng.below(runs.len())) else {
                        continue;
                    };
                    let chars: Vec<char> = run.chars().collect();
                    let len = 6 + rng.below(7).min(chars.len() - 6);
                    let at = rng.below(chars.len() - len + 1);
                    chars[at..at + len].iter().collect::<String>()
                }
                1 | 3 => {
                    let words = if kind == 1 {
                        runs(body, 3, katakana)
                    } else {
                        hiragana_words(body)
                    };
                    let Some(w) = words.get(rng.below(words.len())) else {
                        continue;
                    };
                    w.clone()
                }
                4 => user.clone(),
                5 => {
                    let words: Vec<&str> = body
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .filter(|w| w.len() >= 4 && w.chars().any(|c| c.is_ascii_alphabetic()))
                        .collect();
                    let Some(w) = words.get(rng.below(words.len())) else {
                        continue;
                    };
                    w.to_string()
                }
                _ => {
                    let mut words = runs(body, 3, katakana);
                    words.extend(
                        body.split(|c: char| !c.is_ascii_alphanumeric())
                            .filter(|w| w.len() >= 3 && w.chars().any(|c| c.is_ascii_alphabetic()))
                            .map(str::to_string),
                    );
                    if words.len() < 2 {
                        continue;
                    }
                    let a = rng.below(words.len());
                    let b = rng.below(words.len());
                    if search::fold(&words[a]) == search::fold(&words[b]) {
                        continue;
                    }
                    format!("{} {}", words[a], words[b])
                }
            };
            if query.trim().is_empty() || !seen.insert(search::fold(&query)) {
                continue;
            }
            let ok = match kind {
                // In this one comment's text only (the same text may be repeated).
                0 => {
                    let folded = search::fold(&query);
                    let holders: BTreeSet<String> = site
                        .truth(&query)
                        .into_iter()
                        .flat_map(|i| site.comments[i as usize].iter())
                        .filter(|(_, b)| search::fold(b).contains(&folded))
                        .map(|(_, b)| b.clone())
                        .collect();
                    holders.len() == 1 && holders.contains(body)
                }
                _ => few(&query),
            };
            if ok {
                out.push(Known {
                    kind,
                    query: query.clone(),
                });
                if kind == 1 {
                    out.push(Known {
                        kind: 2,
                        query: half_width(&query),
                    });
                }
                got += 1;
            }
        }
    }
    out
}

/// Found and asked per kind.
#[derive(Debug, Default)]
pub struct Tally {
    pub found: [usize; 7],
    pub asked: [usize; 7],
    /// The queries whose answers were not all on the first screen.
    pub missed: Vec<String>,
    /// Per query: candidates, posts read, raw bytes.
    pub costs: Vec<(usize, usize, usize)>,
    /// The queries that read the most post files: (posts read, query, kind).
    pub dearest: Vec<(usize, String, usize)>,
}

impl Tally {
    pub fn total(&self) -> (usize, usize) {
        (self.found.iter().sum(), self.asked.iter().sum())
    }

    /// Whether the whole set reaches `all` and every kind asked `each` (fractions).
    pub fn meets(&self, all: f64, each: f64) -> bool {
        let (f, a) = self.total();
        f as f64 >= all * a as f64
            && (0..7)
                .all(|k| self.asked[k] == 0 || self.found[k] as f64 >= each * self.asked[k] as f64)
    }

    /// The table per kind.
    pub fn table(&self) -> String {
        let mut s = String::from("| query kind | found on the first screen |\n| --- | --- |\n");
        for (k, kind) in KINDS.iter().enumerate() {
            let (found, asked) = (self.found[k], self.asked[k]);
            if asked > 0 {
                s.push_str(&format!(
                    "| {kind} | {found} / {asked} ({:.1}%) |\n",
                    100.0 * found as f64 / asked as f64
                ));
            }
        }
        let (f, a) = self.total();
        s.push_str(&format!(
            "| all | {f} / {a} ({:.1}%) |\n",
            100.0 * f as f64 / a.max(1) as f64
        ));
        s
    }
}

/// Runs `known` on `site`: a query counts as found when its first screen shows every
/// post answering it, or a full screen of them when more do.
pub fn run(site: &Indexed, known: &[Known]) -> Tally {
    let mut tally = Tally::default();
    for k in known {
        let truth = site.truth(&k.query);
        let screen = site.first_screen(&k.query);
        let shown_right = screen.shown.iter().filter(|id| truth.contains(id)).count();
        let ok = !truth.is_empty() && shown_right == truth.len().min(FIRST_SCREEN);
        tally.asked[k.kind] += 1;
        if ok {
            tally.found[k.kind] += 1;
        } else {
            tally.missed.push(format!(
                "{} [{}]: {} answers, {} shown, {} candidates",
                k.query,
                KINDS[k.kind],
                truth.len(),
                shown_right,
                screen.candidates
            ));
        }
        tally
            .costs
            .push((screen.candidates, screen.posts_read, screen.bytes));
        tally
            .dearest
            .push((screen.posts_read, k.query.clone(), k.kind));
    }
    tally.dearest.sort_by_key(|d| std::cmp::Reverse(d.0));
    tally.dearest.truncate(8);
    tally
}
