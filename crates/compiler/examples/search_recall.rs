//! Search index figures: recall on known answers drawn from the real posts (per kind,
//! on the real posts and on the synthetic site), index size per 1,000 posts, and bytes
//! a query fetches, cold.
//!
//! Writes a site of `--posts` posts whose titles, tags and comment cards are drawn from
//! the real corpus (so the text, and therefore the index, is real-like), builds it, then
//! answers typical two-word queries (a word of a post's title and one of its tags) the
//! way the app does: the post table, the key shards the query needs, and the post files
//! the first screen needs (confirmed until it is full). Sizes are raw and `gzip -9` (what a static host
//! with precompressed files sends). Figures, not pass/fail.
//!
//! ```text
//! cargo run --release -p matome-compiler --example search_recall -- \
//!     --corpus ../shared/corpus --posts 2000 --work target/search-bench
//! ```

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::{env, fs};

use matome_compiler::{compile, Config, Mode};
use matome_model::search::{self, IndexShard, SearchTable};

#[path = "../tests/common/recall.rs"]
mod recall;
use matome_model::{paths, Post, Site};
use recall::Rng;

/// Titles, tag lists and card shortcodes of the corpus.
#[derive(Default)]
struct Pool {
    titles: Vec<String>,
    tags: Vec<String>,
    cards: Vec<String>,
}

fn read_pool(corpus: &Path) -> Pool {
    let mut pool = Pool::default();
    let mut stack = vec![corpus.join("posts")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "index.md") {
                let src = fs::read_to_string(&path).unwrap();
                for line in src.lines() {
                    if let Some(t) = line.strip_prefix("title = ") {
                        pool.titles.push(t.to_string());
                    } else if let Some(t) = line.strip_prefix("tags = ") {
                        pool.tags.push(t.to_string());
                    } else if line.starts_with("{{<matomeQuote") && line.ends_with(">}}") {
                        pool.cards.push(line.to_string());
                    }
                }
            }
        }
    }
    pool
}

/// Writes `count` posts drawn from `pool` below `content`.
fn write_site(pool: &Pool, count: usize, content: &Path) {
    let mut rng = Rng(1);
    for i in 0..count {
        let (y, m, d) = (2020 + i / 360, 1 + (i / 30) % 12, 1 + i % 28);
        let dir = content.join(format!("{y}_{m:02}/{y}_{m:02}_{d:02}_p{i}"));
        fs::create_dir_all(&dir).unwrap();
        let title = &pool.titles[rng.below(pool.titles.len())];
        let tags = &pool.tags[rng.below(pool.tags.len())];
        let mut s = format!("+++\ndate = '{y}-{m:02}-{d:02}T00:00:00'\ndraft = false\ntitle = {title}\ntags = {tags}\n+++\n\n");
        let cards = 50 + rng.below(200);
        for c in 0..cards {
            if c == 10 {
                s.push_str("{{< details summary=\"もっとコメントを表示（1）\">}}\n\n");
            }
            s.push_str(&pool.cards[rng.below(pool.cards.len())]);
            s.push_str("\n\n");
        }
        if cards > 10 {
            s.push_str("{{< /details >}}\n");
        }
        fs::write(dir.join("index.md"), s).unwrap();
    }
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut child = Command::new("gzip")
        .arg("-9")
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip");
    let mut stdin = child.stdin.take().unwrap();
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out.stdout.len()
}

/// (raw, gzip) sizes of bundle files, cached.
struct Sizes {
    root: PathBuf,
    known: HashMap<String, (usize, usize)>,
}

impl Sizes {
    fn of(&mut self, name: &str) -> (usize, usize) {
        if let Some(&s) = self.known.get(name) {
            return s;
        }
        let bytes = fs::read(self.root.join(name)).unwrap();
        let s = (bytes.len(), gzip_len(&bytes));
        self.known.insert(name.to_string(), s);
        s
    }
}

fn main() {
    let mut corpus = PathBuf::from("../shared/corpus");
    let mut posts = 2000;
    let mut work = PathBuf::from("target/search-bench");
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().expect("a value after each flag");
        match arg.as_str() {
            "--corpus" => corpus = value.into(),
            "--posts" => posts = value.parse().expect("--posts N"),
            "--work" => work = value.into(),
            other => panic!("unknown flag {other}"),
        }
    }
    if !corpus.join("posts").is_dir() {
        eprintln!(
            "search_recall: no {}/posts: nothing to measure",
            corpus.display()
        );
        return;
    }
    let pool = read_pool(&corpus);
    let content = work.join(format!("content-{posts}"));
    let out = work.join(format!("out-{posts}"));
    let _ = fs::remove_dir_all(&content);
    write_site(&pool, posts, &content);
    let mut config = Config::new(content.clone(), out.clone());
    config.assets = corpus.join("assets");
    config.cache = work.join("cache");
    let report = compile(&config, Mode::Build, None).expect("build");
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    let site: Site =
        serde_json::from_slice(&fs::read(out.join(paths::SITE_JSON)).unwrap()).unwrap();
    let table = SearchTable::parse(&fs::read_to_string(out.join(&site.search.table)).unwrap());
    let mut sizes = Sizes {
        root: out.clone(),
        known: HashMap::new(),
    };

    let (mut raw, mut gz) = sizes.of(&site.search.table);
    for name in &site.search.shards {
        let (r, g) = sizes.of(name);
        raw += r;
        gz += g;
    }
    let per_k = |b: usize| b as f64 / posts as f64 * 1000.0 / 1e6;
    println!(
        "posts {posts}, comments {}, key shards {}",
        site.comment_count,
        site.search.shards.len()
    );
    println!(
        "index: {:.2} MB raw, {:.2} MB gzip; per 1,000 posts {:.2} MB raw, {:.2} MB gzip; post table {} B gzip",
        raw as f64 / 1e6,
        gz as f64 / 1e6,
        per_k(raw),
        per_k(gz),
        sizes.of(&site.search.table).1
    );

    // Known answers drawn from the real posts, run on the real posts and on this site.
    let real_out = work.join("out-corpus");
    let mut real = Config::new(corpus.join("posts"), real_out.clone());
    real.assets = corpus.join("assets");
    real.cache = work.join("cache-corpus");
    let report = compile(&real, Mode::Build, None).expect("build the corpus");
    assert!(report.errors.is_empty(), "{:?}", report.errors.first());
    let real_site = recall::Indexed::open(&real_out);
    let known = recall::known_answers(&real_site, 40, 1);
    let synthetic = recall::Indexed::open(&out);
    for (name, site) in [("the real posts", &real_site), ("this site", &synthetic)] {
        let tally = recall::run(site, &known);
        println!(
            "\nrecall on {name} ({} posts):\n{}",
            site.comments.len(),
            tally.table()
        );
        let mut costs = tally.costs.clone();
        let median = |costs: &mut Vec<(usize, usize, usize)>,
                      f: fn(&(usize, usize, usize)) -> usize| {
            let mut v: Vec<usize> = costs.iter().map(f).collect();
            v.sort_unstable();
            (v[v.len() / 2], v[v.len() * 9 / 10], v[v.len() - 1])
        };
        println!(
            "candidates median/p90/max {:?}; post files read {:?}; raw bytes {:?}",
            median(&mut costs, |c| c.0),
            median(&mut costs, |c| c.1),
            median(&mut costs, |c| c.2)
        );
        for m in tally.missed.iter().take(12) {
            println!("  missed: {m}");
        }
        for (posts, q, kind) in &tally.dearest {
            println!("  reads {posts} post files: {q} [{}]", recall::KINDS[*kind]);
        }
    }

    // Typical two-word queries: a Latin word or katakana run of a title, and a tag; and
    // the most common words.
    let mut rng = Rng(7);
    let mut queries = vec!["AI".to_string(), "使う".to_string(), "思う".to_string()];
    while queries.len() < 23 {
        let row = &table.posts[rng.below(table.posts.len())];
        let post: Post =
            serde_json::from_slice(&fs::read(out.join(paths::post_json(&row.0))).unwrap()).unwrap();
        let word = post
            .summary
            .title
            .split(|c: char| !(c.is_ascii_alphanumeric() || ('\u{30A1}'..='\u{30FC}').contains(&c)))
            .filter(|w| w.chars().count() >= 3)
            .max_by_key(|w| w.len());
        let tag = post
            .summary
            .tags
            .get(rng.below(post.summary.tags.len()))
            .map(|t| t.name.clone());
        if let (Some(w), Some(t)) = (word, tag) {
            if !t.contains(' ') && !w.eq_ignore_ascii_case(&t) {
                queries.push(format!("{w} {t}"));
            }
        }
    }
    println!(
        "\n{:<40} {:>6} {:>6} {:>6} {:>6} {:>10} {:>10}",
        "query", "cands", "shards", "posts", "shown", "raw B", "gzip B"
    );
    let mut totals = Vec::new();
    for q in &queries {
        let terms = search::parse_query(q);
        let n = site.search.shards.len();
        let wanted = search::shards_for(&terms, n);
        let mut fetched = vec![site.search.table.clone()];
        fetched.extend(wanted.iter().map(|&i| site.search.shards[i].clone()));
        let screen = synthetic.first_screen(q);
        // The posts the worker reads: the candidates, in order, as many as it confirmed.
        let shards: BTreeMap<usize, &IndexShard> =
            wanted.iter().map(|&i| (i, &synthetic.shards[i])).collect();
        let cands = search::candidates(&terms, n, |i| shards.get(&i).copied());
        for c in cands.iter().take(screen.posts_read) {
            fetched.push(paths::post_json(&table.posts[c.id as usize].0));
        }
        let (r, g) = fetched.iter().fold((0, 0), |(r, g), name| {
            let (a, b) = sizes.of(name);
            (r + a, g + b)
        });
        println!(
            "{:<40} {:>6} {:>6} {:>6} {:>6} {:>10} {:>10}",
            q,
            cands.len(),
            wanted.len(),
            screen.posts_read,
            screen.shown.len(),
            r,
            g
        );
        totals.push(g);
    }
    totals.sort_unstable();
    println!(
        "bytes per query (gzip, cold cache, table + shards + post files): median {} B, max {} B",
        totals[totals.len() / 2],
        totals[totals.len() - 1]
    );
}
