//! Writes a synthetic matome corpus for benchmarks: posts in the real shape (TOML front
//! matter, lead blockquote, `引用元：`, 50–300 `matomeQuote` cards in both `createdAt`
//! layouts, colours, `<br>` and its broken spellings, URLs, anchors, code fences,
//! `details` sections, the closing `ref` link or a `list`). Deterministic for a seed.
//!
//! Tags are real-shaped: about five per post, drawn like the real site's (1,932 posts,
//! 3,525 tags, most of them on one post, a few on hundreds): each tag slot names a new
//! tag with probability 0.36, otherwise repeats a tag of an earlier slot (so popular tags
//! get more popular). The first tags are the fixed names below, case variants included.
//!
//! With `--text-from DIR` (a folder of real posts, e.g. `../shared/corpus`), titles and
//! most comment bodies are drawn from the real posts' titles and `matomeQuote` bodies
//! instead of the few template sentences below: the vocabulary, and so the search
//! index, is then shaped like a real site's (`make bench-search` uses it when the folder
//! exists). The template lines that carry syntax (quotes, links, code) stay.
//!
//! ```text
//! cargo run --profile native -p matome-compiler --example gen_corpus -- --posts 2000 --out DIR [--seed 1] [--text-from DIR]
//! ```
//!
//! Posts average about 35 KB, like the real site (~2,000 posts, ~70 MB).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs, process};

/// SplitMix64: tiny, fast and good enough for picking words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.next() as usize % items.len()]
    }
}

const SENTENCES: &[&str] = &[
    "これ本当に面白いプロジェクトだね。",
    "数年前に似たようなことを試したけど、結局パフォーマンスの問題で諦めたよ。",
    "個人的にはRustで書き直す価値はあると思うんだ。",
    "ドキュメントがもう少し充実していれば、もっと使われると思う。",
    "うちの会社でも同じ問題があって、結局PostgreSQLに移行したんだ。",
    "それってライセンス的に大丈夫なの？",
    "正直なところ、ベンチマークの条件がフェアじゃない気がする。",
    "LLMに任せると最初は速いけど、後でデバッグに時間を取られるんだよね。",
    "著者のブログ記事も読んだけど、かなり丁寧に説明されてたよ。",
    "これはHNで定期的に話題になるテーマだね。",
    "I think the real problem is incentives, not technology.",
    "このツールはmacOSでしか動かないのが残念。",
    "昔のUNIXの設計思想に近いものを感じる。",
    "メモリ使用量が半分になったって本当？",
    "反対意見だけど、複雑さを増やすだけだと思う。",
    "教育的な価値はすごく高いと思うよ。",
    "規制当局がどう判断するか見ものだね。",
    "自分で試してみたら、ちゃんと動いたよ！",
];

const WORDS: &[&str] = &[
    "API",
    "WebAssembly",
    "SQLite",
    "Linux",
    "GPU",
    "TPU",
    "Kubernetes",
    "JSON",
    "HTTP/3",
    "CRDT",
];

const URLS: &[&str] = &[
    "https://news.ycombinator.com/item?id=42891937",
    "https://github.com/rust-lang/rust/blob/7e125e5dd49...",
    "https://en.wikipedia.org/wiki/Unix_(operating_system)",
    "https://www.example.com/articles/2025/04/some-long-article-title?utm_source=hn&ref=top#section-2",
    "http://paulgraham.com/avg.html",
    "https://arxiv.org/abs/2504.01234",
];

const TAGS: &[&str] = &[
    "AI",
    "LLM",
    "Rust",
    "Python",
    "プログラミング",
    "セキュリティ",
    "Linux",
    "Apple",
    "Google",
    "OpenAI",
    "データベース",
    "Web開発",
    "オープンソース",
    "ハードウェア",
    "歴史",
    "科学",
    "宇宙",
    "経済",
    "プライバシー",
    "UI/UX",
    "ゲーム",
    "教育",
    "健康",
    "法律",
    "スタートアップ",
    "C#",
    "F#",
    ".NET",
    "Node.js",
    "ASUS",
];

const COLORS: &[&str] = &[
    "", "", "", "#38d3d3", "#ff6b6b", "#ffa94d", "#69db7c", "#748ffc", "#da77f2",
];

const THUMBS: &[&str] = &[
    "blue2",
    "cyan1",
    "green3",
    "orange4",
    "purple5",
    "red1",
    "light-orange4",
    "color2",
];

const USERS: &[&str] = &[
    "neilv",
    "alt227",
    "teddyh",
    "forgotpwd16",
    "_carljm",
    "3np",
    "jiggawatts",
    "a-dub",
    "pjmlp",
    "tptacek",
];

fn main() {
    let mut posts = 100usize;
    let mut out: Option<PathBuf> = None;
    let mut seed = 1u64;
    let mut text_from: Option<PathBuf> = None;
    let mut args = env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| usage(&format!("{arg} needs a value")));
        match arg.as_str() {
            "--posts" => {
                posts = value
                    .parse()
                    .unwrap_or_else(|_| usage("--posts takes a number"))
            }
            "--out" => out = Some(value.into()),
            "--text-from" => text_from = Some(PathBuf::from(value)),
            "--seed" => {
                seed = value
                    .parse()
                    .unwrap_or_else(|_| usage("--seed takes a number"))
            }
            _ => usage(&format!("unknown option {arg}")),
        }
    }
    let out = out.unwrap_or_else(|| usage("--out DIR is required"));
    let real = match &text_from {
        Some(dir) => RealText::read(dir),
        None => RealText::default(),
    };
    if text_from.is_some() {
        eprintln!(
            "gen_corpus: drawing from {} real titles and {} real comment bodies",
            real.titles.len(),
            real.bodies.len()
        );
    }
    let mut rng = Rng(seed);
    let mut tags = TagPool::default();
    let mut bytes = 0usize;
    let mut text = String::with_capacity(128 * 1024);
    for i in 0..posts {
        text.clear();
        let (month, day) = post(&mut rng, &real, &mut tags, i, &mut text);
        let folder = out
            .join(month)
            .join(format!("{day}_{:06}_generated_post", i));
        fs::create_dir_all(&folder).unwrap_or_else(|e| fail(&folder, e));
        let file = folder.join("index.md");
        fs::write(&file, &text).unwrap_or_else(|e| fail(&file, e));
        bytes += text.len();
    }
    eprintln!(
        "wrote {posts} posts, {} tags, {:.1} MB, into {}",
        tags.names,
        bytes as f64 / 1e6,
        out.display()
    );
}

/// Tags handed out so far (see the module docs for the shape).
#[derive(Default)]
struct TagPool {
    /// How many distinct tags exist.
    names: usize,
    /// Every slot filled so far, as a tag number: picking a slot at random picks a tag
    /// in proportion to its use.
    slots: Vec<usize>,
}

impl TagPool {
    /// Share of slots that introduce a new tag (3,525 tags over ~9,700 slots).
    const NEW_PERCENT: u64 = 36;

    fn next(&mut self, rng: &mut Rng) -> usize {
        let tag = if self.slots.is_empty() || rng.chance(Self::NEW_PERCENT) {
            self.names += 1;
            self.names - 1
        } else {
            self.slots[rng.next() as usize % self.slots.len()]
        };
        self.slots.push(tag);
        tag
    }

    fn name(tag: usize) -> String {
        match TAGS.get(tag) {
            Some(name) => name.to_string(),
            None => format!("{}{tag}", WORDS[tag % WORDS.len()]),
        }
    }
}

/// One post into `text`; returns its month folder and its `YYYY_MM_DD` prefix.
fn post(
    rng: &mut Rng,
    real: &RealText,
    pool: &mut TagPool,
    i: usize,
    text: &mut String,
) -> (String, String) {
    // Spread posts over the months from 2019 on, about ten a day.
    let day_index = i as u64 / 10;
    let (year, month, day) = (
        2019 + day_index / 336,
        1 + (day_index / 28) % 12,
        1 + day_index % 28,
    );
    let newer_layout = rng.chance(60);
    let tag_count = rng.pick(&[3, 5, 5, 5, 7]);
    let mut tags: Vec<String> = Vec::new();
    while tags.len() < tag_count {
        let tag = TagPool::name(pool.next(rng));
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let title = if real.titles.is_empty() {
        format!("{}について議論する{}", rng.pick(WORDS), i)
    } else {
        format!(
            "{}（{i}）",
            real.titles[rng.next() as usize % real.titles.len()]
        )
    };
    let _ = writeln!(text, "+++");
    let _ = writeln!(text, "date = '{year}-{month:02}-{day:02}T00:00:00'");
    let _ = writeln!(text, "months = '{year}/{month:02}'");
    let _ = writeln!(text, "draft = {}", rng.chance(1));
    let _ = writeln!(text, "title = '{title}'");
    let tag_list: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    let _ = writeln!(text, "tags = [{}]", tag_list.join(", "));
    let _ = writeln!(text, "featureimage = 'thumbnails/{}.jpg'", rng.pick(THUMBS));
    let _ = writeln!(text, "+++\n\n> {title}\n");
    let source = format!("https://news.ycombinator.com/item?id={}", 40_000_000 + i);
    let _ = writeln!(text, "引用元：[{source}]({source})");
    let gap = if newer_layout { "\n\n\n\n" } else { "\n" };
    text.push_str(gap);

    // 50–300 cards, most posts near the low end (the real average is about 90).
    let u = rng.range(0, 1000) as f64 / 1000.0;
    let cards = 50 + (250.0 * u * u * u) as usize;
    let top = rng.range(3, 12).min(cards as u64) as usize;
    let mut section = 0;
    let mut n = 0;
    while n < cards {
        let in_details = n >= top;
        let size = if in_details {
            rng.range(8, 40).min((cards - n) as u64) as usize
        } else {
            1
        };
        if in_details {
            section += 1;
            let _ = writeln!(
                text,
                "{{{{< details summary=\"もっとコメントを表示（{section}）\">}}}}"
            );
        }
        for _ in 0..size {
            card(rng, real, newer_layout, year, month, day, text);
            text.push_str(gap);
            n += 1;
        }
        if in_details {
            text.push_str(if newer_layout {
                "{{</details>}}\n"
            } else {
                "{{< /details >}}\n"
            });
        }
    }
    if rng.chance(95) {
        text.push_str("\n\n[記事一覧へ]({{% ref \"/posts/\" %}})\n");
    } else {
        text.push_str("\n{{< list limit=2 >}}\n");
    }
    (
        format!("{year}_{month:02}"),
        format!("{year}_{month:02}_{day:02}"),
    )
}

/// One `matomeQuote` line.
fn card(
    rng: &mut Rng,
    real: &RealText,
    newer_layout: bool,
    year: u64,
    month: u64,
    day: u64,
    text: &mut String,
) {
    let (h, m, s) = (rng.range(0, 23), rng.range(0, 59), rng.range(0, 59));
    let created = if newer_layout {
        format!("{year}/{month:02}/{day:02} {h:02}:{m:02}:{s:02}")
    } else {
        format!("{year}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}")
    };
    text.push_str("{{<matomeQuote body=\"");
    body(rng, real, text);
    let _ = writeln!(
        text,
        "\" userName=\"{}\" createdAt=\"{created}\" color=\"{}\">}}}}",
        rng.pick(USERS),
        rng.pick(COLORS)
    );
}

/// A body: sentences joined by `<br>`, with the syntax real bodies contain.
fn body(rng: &mut Rng, real: &RealText, text: &mut String) {
    if rng.chance(1) {
        return; // body=""
    }
    if !real.bodies.is_empty() && rng.chance(70) {
        text.push_str(&real.bodies[rng.next() as usize % real.bodies.len()]);
        return;
    }
    let lines = rng.range(1, 4);
    for line in 0..lines {
        if line > 0 {
            text.push_str(if rng.chance(2) {
                rng.pick(&["＜br＞", "＜br/＞", "<br＞", "＜BR＞"])
            } else {
                "<br>"
            });
        }
        match rng.range(0, 99) {
            0..=11 => {
                text.push('＞');
                text.push_str(rng.pick(SENTENCES));
            }
            12..=19 => {
                text.push_str("詳しくはここ：");
                text.push_str(rng.pick(URLS));
            }
            20..=21 => {
                let _ = write!(text, "・<a href=”{}”>リンク</a>：参考資料", rng.pick(URLS));
            }
            22..=23 => text
                .push_str("```<br>fn main() {<br>    let v: Vec<Box<T>> = Vec::new();<br>}<br>```"),
            24..=27 => {
                let _ = write!(
                    text,
                    "`{}`の**設定**を*変える*と&lt;script&gt;みたいな<img>タグも文字のまま。",
                    rng.pick(WORDS)
                );
            }
            28..=31 => text.push_str("1. 最初の項目<br>2. 次の項目 → a > b"),
            _ => {
                for _ in 0..rng.range(1, 2) {
                    text.push_str(rng.pick(SENTENCES));
                }
            }
        }
    }
}

fn usage(message: &str) -> ! {
    eprintln!("gen_corpus: {message}\nusage: gen_corpus --posts N --out DIR [--seed S]");
    process::exit(2);
}

fn fail(path: &std::path::Path, error: std::io::Error) -> ! {
    eprintln!("gen_corpus: {}: {error}", path.display());
    process::exit(1);
}

/// Titles and comment bodies of real posts (`--text-from`).
#[derive(Default)]
struct RealText {
    titles: Vec<String>,
    bodies: Vec<String>,
}

impl RealText {
    /// Every `index.md` below `dir`, in path order: its `title = '…'` line and the
    /// `body="…"` of each `matomeQuote` (as written, so they go back in as they were).
    fn read(dir: &std::path::Path) -> RealText {
        let mut files = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for entry in fs::read_dir(&d).unwrap_or_else(|e| fail(&d, e)) {
                let path = entry.unwrap_or_else(|e| fail(&d, e)).path();
                if path.is_dir() {
                    todo.push(path);
                } else if path.file_name().is_some_and(|n| n == "index.md") {
                    files.push(path);
                }
            }
        }
        files.sort();
        let mut real = RealText::default();
        for file in &files {
            let text = fs::read_to_string(file).unwrap_or_else(|e| fail(file, e));
            for line in text.lines() {
                if let Some(t) = line
                    .strip_prefix("title = '")
                    .and_then(|t| t.strip_suffix('\''))
                {
                    real.titles.push(t.to_string());
                }
            }
            for piece in text.split("matomeQuote body=\"").skip(1) {
                if let Some((body, _)) = piece.split_once('"') {
                    if !body.is_empty() && !body.contains('\n') {
                        real.bodies.push(body.to_string());
                    }
                }
            }
        }
        if real.bodies.is_empty() {
            usage(&format!("no matomeQuote bodies below {}", dir.display()));
        }
        real
    }
}
