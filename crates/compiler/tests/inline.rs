//! The inline parser: fixture folders, named cases and every body of the real corpus.
//!
//! Fixtures live in `tests/fixtures/inline/<case>/`: `input.txt` is a comment body (one
//! trailing newline ignored), `input.md` a paragraph; the pretty JSON of the parsed nodes
//! is an insta snapshot, `tests/snapshots/integration__inline__parses_every_fixture_to_its_snapshot@<case>__<input>.snap`.
//! After a deliberate change, `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! --test integration inline` and `git diff`) updates them; review the diff like code.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use matome_compiler::inline::{parse_body, parse_paragraph};
use matome_model::Inline;

fn text(s: &str) -> Inline {
    Inline::Text(s.to_string())
}

fn link(href: &str, label: &str) -> Inline {
    Inline::Link {
        href: href.to_string(),
        children: vec![text(label)],
    }
}

fn url(href: &str) -> Inline {
    link(href, href)
}

// --- fixtures --------------------------------------------------------------------

// Every fixture folder parses to its snapshot.
#[test]
fn parses_every_fixture_to_its_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inline");
    let cases = fs::read_dir(&root).expect("fixture folder").count();
    assert!(cases >= 40, "only {cases} fixtures found");
    let mut seen = 0;
    insta::glob!("fixtures/inline", "*/input.*", |path| {
        seen += 1;
        let input = fs::read_to_string(path).unwrap();
        let nodes = match path.extension().and_then(|e| e.to_str()) {
            Some("txt") => parse_body(input.strip_suffix('\n').unwrap_or(&input)),
            Some("md") => parse_paragraph(&input),
            other => panic!("{}: unknown input kind {other:?}", path.display()),
        };
        insta::assert_snapshot!(serde_json::to_string_pretty(&nodes).unwrap());
    });
    assert_eq!(
        seen, cases,
        "every fixture folder has one input.txt or input.md"
    );
}

// --- named cases -----------------------------------------------------------------

// An empty body stays empty: no text node, no break.
#[test]
fn parses_empty_body_to_nothing() {
    assert_eq!(parse_body(""), []);
}

// Every break spelling of the corpus becomes a Break between the two texts.
#[test]
fn turns_every_break_spelling_into_a_break() {
    for br in [
        "<br>",
        "＜br＞",
        "＜br/＞",
        "‹br＞",
        "＜br>",
        "<br＞",
        "＜BR＞",
        "<br- ",
    ] {
        let nodes = parse_body(&format!("前{br}後"));
        let after = if br == "<br- " { "- 後" } else { "後" };
        assert_eq!(nodes, [text("前"), Inline::Break, text(after)], "{br}");
    }
}

// `<script>` is text the reader sees, never markup.
#[test]
fn keeps_script_tag_as_text() {
    let body = "<script src='x.js'></script>";
    assert_eq!(parse_body(body), [text(body)]);
}

// Tags and generics keep their angle brackets.
#[test]
fn keeps_img_tag_and_generics_as_text() {
    assert_eq!(
        parse_body("<img> と Vec<Box<T>>"),
        [text("<img> と Vec<Box<T>>")]
    );
}

// No spelling of a script URL becomes a link.
#[test]
fn never_links_javascript_urls() {
    for body in [
        "javascript:alert(1)",
        "[x](javascript:alert(1))",
        "<a href=”javascript:alert(1)”>x</a>",
        "<javascript:alert(1)>",
        "[x](JAVASCRIPT:alert(1))",
        "![x](data:image/png;base64,AAAA)",
        "<a href='vbscript:x'>x</a>",
    ] {
        let nodes = parse_body(body);
        assert!(links(&nodes).is_empty(), "{body}: {nodes:?}");
        assert_eq!(nodes, [text(body)], "{body}");
    }
}

// A URL glued to Japanese text ends at the first Japanese character.
#[test]
fn links_bare_url_before_japanese_text() {
    assert_eq!(
        parse_body("https://a.org/xを見て"),
        [url("https://a.org/x"), text("を見て")]
    );
    assert_eq!(
        parse_body("詳細：https://a.org/x）"),
        [text("詳細："), url("https://a.org/x"), text("）")]
    );
}

// Sentence punctuation after a URL is not part of it.
#[test]
fn leaves_trailing_punctuation_out_of_urls() {
    for tail in [".", ",", ";", ":", "!", "?", ")", "。", "」", "）"] {
        assert_eq!(
            parse_body(&format!("https://a.org/x{tail}")),
            [url("https://a.org/x"), text(tail)],
            "{tail}"
        );
    }
}

// A closing parenthesis that closes one inside the URL stays in it.
#[test]
fn keeps_balanced_parentheses_in_urls() {
    let href = "https://en.wikipedia.org/wiki/Foo_(bar)";
    assert_eq!(parse_body(href), [url(href)]);
}

// HN cuts long URLs with `...`; the link still works up to the cut.
#[test]
fn links_truncated_url_without_its_dots() {
    assert_eq!(
        parse_body("https://github.com/a/b/blob/7e125e5dd49..."),
        [url("https://github.com/a/b/blob/7e125e5dd49"), text("...")]
    );
}

// An anchor with typographic quotes around its URL becomes a link with its own text.
#[test]
fn links_anchor_with_typographic_quotes() {
    assert_eq!(
        parse_body("<a href=”https://a.org/”>ここ</a>"),
        [link("https://a.org/", "ここ")]
    );
    assert_eq!(
        parse_body("<a href=’https://a.org/’>ここ</a>"),
        [link("https://a.org/", "ここ")]
    );
}

// Full-width backslashes written by translators are repaired into a working URL.
#[test]
fn repairs_url_written_with_fullwidth_backslashes() {
    assert_eq!(
        parse_body("https:＼＼host.org＼path"),
        [url("https://host.org/path")]
    );
}

// `＞` and `>` at the start of a line quote it; the marker is dropped.
#[test]
fn turns_lines_starting_with_a_quote_marker_into_quote_lines() {
    assert_eq!(
        parse_body("＞ 引用<br>返事<br>>ASCII"),
        [
            Inline::QuoteLine(vec![text("引用")]),
            Inline::Break,
            text("返事"),
            Inline::Break,
            Inline::QuoteLine(vec![text("ASCII")]),
        ]
    );
}

// A `＞` inside a line is just a character.
#[test]
fn keeps_quote_marker_inside_a_line_as_text() {
    assert_eq!(parse_body("a＞b"), [text("a＞b")]);
}

// A fence written with `<br>` becomes one code block with real newlines.
#[test]
fn joins_fenced_lines_into_a_code_block() {
    assert_eq!(
        parse_body("前<br>```<br>a = 1<br>  b<br>```<br>後"),
        [
            text("前"),
            Inline::CodeBlock("a = 1\n  b".into()),
            text("後")
        ]
    );
}

// Entities are decoded into text, which is never markup; unknown ones stay as written.
#[test]
fn decodes_entities_as_text_and_keeps_unknown_ones() {
    assert_eq!(
        parse_body("&lt;b&gt; &amp; &mdash; &#38263; &myheader;"),
        [text("<b> & — 長 &myheader;")]
    );
}

// Markdown block syntax means nothing in a body: list and heading lines are text.
#[test]
fn keeps_list_and_heading_lines_as_text() {
    assert_eq!(
        parse_body("- a<br>1. b<br># c"),
        [
            text("- a"),
            Inline::Break,
            text("1. b"),
            Inline::Break,
            text("# c")
        ]
    );
}

// Emphasis works glued to Japanese text; snake_case and dunders stay text.
#[test]
fn reads_emphasis_in_japanese_but_not_inside_identifiers() {
    assert_eq!(
        parse_body("ナー**ド**な_本当_に"),
        [
            text("ナー"),
            Inline::Strong(vec![text("ド")]),
            text("な"),
            Inline::Emphasis(vec![text("本当")]),
            text("に"),
        ]
    );
    assert_eq!(
        parse_body("snake_case_name __init__.py"),
        [text("snake_case_name __init__.py")]
    );
}

// A markdown image is never an image: a link to its target, or its source as text.
#[test]
fn never_produces_an_image() {
    assert_eq!(
        parse_body("![logo](https://a.org/l.png)"),
        [link("https://a.org/l.png", "logo")]
    );
    assert_eq!(parse_body("![x](media/a.pdf)"), [text("![x](media/a.pdf)")]);
}

// A site-relative markdown link outside shortcodes becomes an internal route.
#[test]
fn turns_site_relative_paragraph_links_into_internal_links() {
    assert_eq!(
        parse_paragraph("[記事一覧へ](/posts/)"),
        [Inline::InternalLink {
            route: "posts/".into(),
            children: vec![text("記事一覧へ")]
        }]
    );
}

// Adjacent text pieces (entities, unmatched delimiters) come out as one node.
#[test]
fn merges_adjacent_text() {
    assert_eq!(
        parse_body("a &amp; *b _c [d] `e"),
        [text("a & *b _c [d] `e")]
    );
}

// --- the real corpus -------------------------------------------------------------

// Every body of `../shared/corpus/posts` parses without leftover breaks or unsafe links.
#[test]
fn parses_every_corpus_body_without_break_tags_or_unsafe_links() {
    let Some(corpus) = common::corpus_dir() else {
        common::skipped_without_corpus(
            "parses_every_corpus_body_without_break_tags_or_unsafe_links",
        );
        return;
    };
    let root = corpus.join("posts");
    let mut files = Vec::new();
    collect_markdown(&root, &mut files);
    let (mut bodies, mut problems) = (0usize, Vec::new());
    for file in &files {
        let source = fs::read_to_string(file).unwrap();
        for body in quote_bodies(&source) {
            bodies += 1;
            let nodes = parse_body(body);
            for t in texts(&nodes) {
                for br in ["<br>", "＜br＞", "＜br/＞", "＜BR＞"] {
                    if t.contains(br) {
                        problems.push(format!("{}: text contains {br}: {t:?}", file.display()));
                    }
                }
            }
            for href in links(&nodes) {
                if !(href.starts_with("http://") || href.starts_with("https://")) {
                    problems.push(format!("{}: link to {href:?}", file.display()));
                }
            }
        }
    }
    assert!(
        bodies > 10_000,
        "only {bodies} bodies found in {}",
        root.display()
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The `body="…"` values of the matomeQuote shortcodes (bodies never contain `"`).
fn quote_bodies(source: &str) -> impl Iterator<Item = &str> {
    source
        .split("{{<matomeQuote body=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
}

fn texts(nodes: &[Inline]) -> Vec<&str> {
    let mut out = Vec::new();
    walk(nodes, &mut |node| match node {
        Inline::Text(t) | Inline::Code(t) | Inline::CodeBlock(t) => out.push(t.as_str()),
        _ => {}
    });
    out
}

fn links(nodes: &[Inline]) -> Vec<&str> {
    let mut out = Vec::new();
    walk(nodes, &mut |node| {
        if let Inline::Link { href, .. } = node {
            out.push(href.as_str());
        }
    });
    out
}

fn walk<'a>(nodes: &'a [Inline], f: &mut impl FnMut(&'a Inline)) {
    for node in nodes {
        f(node);
        match node {
            Inline::Link { children, .. }
            | Inline::InternalLink { children, .. }
            | Inline::Emphasis(children)
            | Inline::Strong(children)
            | Inline::QuoteLine(children) => walk(children, f),
            _ => {}
        }
    }
}
