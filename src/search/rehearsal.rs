//! The worker's rehearsal: before the reader's first query, the worker runs made-up
//! queries through the steps a real one takes (a key shard read, candidates, a post
//! decoded, folded and confirmed, snippets cut, the answer written as JSON), over a post
//! and a shard made up here, so nothing is downloaded for it.
//!
//! Why: a browser compiles each wasm function when it is first called, with a quick
//! baseline compiler, and compiles it again optimised once it has run a while. A cold
//! query otherwise pays both on its way to the first results. With Chromium told to
//! compile all wasm optimised up front (`--no-wasm-lazy-compilation --no-liftoff`, a
//! flag no reader has), cold first results on the 2,000-post benchmark site were 71 ms
//! median against 94 ms without (16 queries). The rehearsal gets part of that for
//! every reader: posts mostly decoded in 0.4–2 ms instead of 3.6–11 ms, and (with
//! the shorter post wait of the same change) first results 91.0 / 91.6 ms against
//! 107.9 / 101.8 ms (docs/performance.md, search). It costs the worker 4.5 KB of gzip wasm (110.2 → 114.7 KB).
//!
//! The engine runs it in short passes while no request has come ([`super::engine`]),
//! and stops at the first request: a query waits for one pass at most.

use matome_model::search::{self, IndexShard, Lookup, Term};
use matome_model::SCHEMA_VERSION;

use super::protocol::Answer;
use crate::api;

/// Lines the made-up comments are cut from: Japanese with Latin words, full- and
/// half-width forms and digits, as the posts mix them.
const LINES: [&str; 8] = [
    "索引の小さな断片を読んでから、投稿の本文で確かめる流れです。",
    "Rust と WebAssembly で書いた reader は、最初の検索の前に準備をします。",
    "ｶﾀｶﾅ の半角も、全角のカタカナも、ひらがなと同じに扱われます。",
    "ＡＢＣ（全角英字）や 2026 年の数字、version 0.8 のような表記も混ざります。",
    "Latency budgets matter more on phones than on desktops, so measure both.",
    "コメントの一部だけが一致しても、その投稿は候補として残ります。",
    "A prefix such as \"webassem\" still finds the whole word while typing.",
    "長い文章では二文字ずつ区切った鍵で、日本語の語の途中も見つけます。",
];

/// Queries the passes take in turn: CJK bigrams, Latin words and a prefix, a phrase and
/// an exclusion.
const QUERIES: [&str; 4] = [
    "準備 reader",
    "カタカナ 全角",
    "\"投稿の本文\" webassem",
    "日本語 -無関係",
];

/// The made-up files and the parsed queries.
pub struct Rehearsal {
    post_json: String,
    shard_text: String,
    queries: Vec<Vec<Term>>,
}

impl Default for Rehearsal {
    fn default() -> Rehearsal {
        Rehearsal::new()
    }
}

impl Rehearsal {
    /// The post's JSON is written here by hand, not by `Serialize`: the worker reads
    /// posts and carries no code to write them (0.6 KB of gzip wasm). The shard holds
    /// the keys the queries look up, each pointing at the one post.
    pub fn new() -> Rehearsal {
        let queries: Vec<Vec<Term>> = QUERIES.iter().map(|q| search::parse_query(q)).collect();
        // Sorted by insertion, as the shard's lookups need: a sort would add its own
        // code for strings to the worker.
        let mut keys: Vec<String> = Vec::new();
        for lookup in queries.iter().flatten().flat_map(Term::lookups) {
            let key = match lookup {
                Lookup::Key(k) | Lookup::Prefix(k) => k,
            };
            let at = keys.partition_point(|k| *k < key);
            if keys.get(at) != Some(&key) {
                keys.insert(at, key);
            }
        }
        let shard = IndexShard(keys.into_iter().map(|k| (k, "0".to_string())).collect());
        Rehearsal {
            post_json: made_up_post(),
            shard_text: shard.to_text(),
            queries,
        }
    }

    /// The made-up post, as the worker reads it.
    pub fn post_json(&self) -> &str {
        &self.post_json
    }

    /// How many made-up queries the passes take in turn.
    pub fn queries(&self) -> usize {
        self.queries.len()
    }

    /// One made-up query (`turn` picks which), start to answer (written as JSON too).
    pub fn pass(&self, turn: usize) -> Answer {
        let terms = &self.queries[turn % self.queries.len()];
        let shard = IndexShard::parse(&self.shard_text);
        let candidates = super::engine::candidates_in(terms, 1, &[(0, &shard)]).len() as u32;
        let found = api::post_from_text("rehearsal", &self.post_json)
            .ok()
            .and_then(|post| {
                let hit = search::SearchText::new(&post).confirm(terms)?;
                Some(super::engine::found(&post.summary, &hit))
            });
        let answer = Answer {
            candidates,
            found: found.into_iter().collect(),
            ..Answer::default()
        };
        std::hint::black_box(serde_json::to_string(&answer).ok());
        answer
    }
}

/// A JSON string.
fn s(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// `{"t":tag,"c":content}`, as the bundle writes a tagged node.
fn node(tag: &str, content: &str) -> String {
    format!(r#"{{"t":"{tag}","c":{content}}}"#)
}

/// The JSON of a post of 40 comment cards (half of them in a folded section) whose
/// bodies use the inline kinds real posts use.
fn made_up_post() -> String {
    let comment = |n: usize| {
        let line = |i: usize| s(LINES[(n + i) % LINES.len()]);
        let body = [
            node("Text", &line(0)),
            r#"{"t":"Break"}"#.to_string(),
            node("Emphasis", &format!("[{}]", node("Text", &line(1)))),
            node("Text", &line(2)),
            node(
                "Link",
                &format!(
                    r#"{{"href":"https://example.com/","children":[{}]}}"#,
                    node("Text", &line(3))
                ),
            ),
            node("Code", &s("fold(text)")),
            node("QuoteLine", &format!("[{}]", node("Text", &line(4)))),
        ];
        format!(
            r#"{{"n":{n},"user":"reader{n}","created_at":"2026-01-01T00:00:00","color":null,"body":[{}]}}"#,
            body.join(",")
        )
    };
    let mut blocks: Vec<String> = (1..=20).map(|n| node("Comment", &comment(n))).collect();
    let folded: Vec<String> = (21..=40).map(comment).collect();
    blocks.push(node(
        "More",
        &format!(
            r#"{{"label":{},"comments":[{}]}}"#,
            s("もっとコメントを表示（20）"),
            folded.join(",")
        ),
    ));
    let summary = format!(
        r#"{{"path":"2026_01/2026_01_01_rehearsal","title":{},"date":"2026-01-01T00:00:00","tags":[{{"slug":"search","name":{}}}],"thumbnail":null,"comments":40,"reading_minutes":1,"excerpt":""}}"#,
        s("検索の準備運動"),
        s("検索")
    );
    format!(
        r#"{{"schema":{SCHEMA_VERSION},"summary":{summary},"lead":null,"source":null,"blocks":[{}],"prev":null,"next":null,"related":[]}}"#,
        blocks.join(",")
    )
}
