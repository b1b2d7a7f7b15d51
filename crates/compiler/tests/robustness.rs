//! Property tests (a bounded version of the fuzz targets in `fuzz/`): arbitrary bytes
//! and post-shaped text through the post parser and the inline parsers never panic,
//! every accepted post survives the bundle types, every error points inside its file,
//! and every link goes to an http(s) URL. Plus the inputs fuzzing found, as regressions.

use matome_compiler::inline::{parse_body, parse_paragraph};
use matome_compiler::{limits, parse_post, ContentError};
use matome_model::rules::is_web_url;
use matome_model::{Block, Inline};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const FILE: &str = "content/posts/p/index.md";

/// Pieces posts are made of, so that generated text reaches deep into the parsers.
const PIECES: &[&str] = &[
    "+++\n",
    "---\n",
    "title = 't'\n",
    "date = '2025-01-01'\n",
    "tags = ['a', 'b']\n",
    "title: t\n",
    "date: 2025-01-01\n",
    "draft = true\n",
    "months = '2025/04'\n",
    "\n",
    "\r\n",
    "\u{feff}",
    "> ",
    "引用元：",
    "[",
    "]",
    "(",
    ")",
    "](",
    "https://a.org/x",
    "http://",
    "javascript:alert(1)",
    "&#106;",
    "&amp;",
    "&",
    ";",
    "<",
    ">",
    "<br>",
    "＜br＞",
    "<br",
    "<a href=”",
    "”>",
    "</a>",
    "<script>",
    "`",
    "```",
    "*",
    "**",
    "_",
    "__",
    "\\",
    "＞",
    "{{<",
    "{{%",
    ">}}",
    "%}}",
    "{{< /details >}}",
    "{{< details summary=\"s\" >}}",
    "matomeQuote",
    " body=\"",
    " userName=\"u\"",
    " createdAt=\"2025-01-01T00:00:00\"",
    " color=\"#fff\"",
    " color=\"red\"",
    "\"",
    "ref \"/posts/\"",
    "list limit=2",
    "=",
    " ",
    "\t",
    "あ",
    "ｊ",
    "\u{202e}",
    "\u{2028}",
    "\u{0}",
    "\u{7f}",
    "x",
    "1",
];

fn post_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![4 => prop::sample::select(PIECES).prop_map(str::to_string), 1 => any::<String>()];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// A valid front matter before generated body text, so the body passes run.
fn body_text() -> impl Strategy<Value = String> {
    post_text().prop_map(|body| format!("+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n{body}"))
}

/// Every error lies inside `src`: a line it has, a column on that line (or just past it).
fn assert_inside(src: &str, errors: &[ContentError]) {
    assert!(!errors.is_empty());
    let lines: Vec<&str> = src.split('\n').collect();
    for e in errors {
        assert!(
            e.line >= 1 && e.line as usize <= lines.len(),
            "{e}: file has {} lines",
            lines.len()
        );
        let mut line = lines[e.line as usize - 1];
        if e.line == 1 {
            // A byte order mark is not a column.
            line = line.strip_prefix('\u{feff}').unwrap_or(line);
        }
        let chars = line.chars().count() as u32;
        assert!(
            e.column >= 1 && e.column <= chars + 1,
            "{e}: line has {chars} characters"
        );
    }
}

fn assert_links_are_web(nodes: &[Inline]) {
    for node in nodes {
        match node {
            Inline::Link { href, children } => {
                assert!(is_web_url(href), "link to {href:?}");
                assert_links_are_web(children);
            }
            Inline::InternalLink { children, .. }
            | Inline::Emphasis(children)
            | Inline::Strong(children)
            | Inline::QuoteLine(children) => assert_links_are_web(children),
            Inline::Text(_) | Inline::Code(_) | Inline::CodeBlock(_) | Inline::Break => {}
        }
    }
}

fn round_trips<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) {
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, value);
}

/// What the fuzz target checks, for one input.
fn check_post(src: &str) -> bool {
    match parse_post(FILE, src) {
        Ok(post) => {
            round_trips(&post.body.blocks);
            for block in &post.body.blocks {
                match block {
                    Block::Paragraph(nodes) => assert_links_are_web(nodes),
                    Block::Comment(c) => assert_links_are_web(&c.body),
                    Block::More { comments, .. } => {
                        comments.iter().for_each(|c| assert_links_are_web(&c.body))
                    }
                    Block::RecentList { .. } => {}
                }
            }
            if let Some(source) = &post.body.source {
                assert!(is_web_url(source), "source {source:?}");
            }
            true
        }
        Err(errors) => {
            assert_inside(src, &errors);
            false
        }
    }
}

fn check_bytes(bytes: &[u8]) {
    match limits::decode(FILE, bytes.to_vec()) {
        Ok(src) => {
            check_post(&src);
        }
        Err(e) => assert_inside(&String::from_utf8_lossy(bytes), std::slice::from_ref(&e)),
    }
}

fn check_inline(text: &str) {
    for nodes in [parse_body(text), parse_paragraph(text)] {
        assert_links_are_web(&nodes);
        round_trips(&nodes);
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    // Arbitrary bytes, as `compile` reads a file.
    #[test]
    fn any_bytes_parse_or_fail_inside_the_file(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check_bytes(&bytes);
    }

    // Text made of the pieces of posts, anywhere in the file.
    #[test]
    fn post_shaped_text_parses_or_fails_inside_the_file(src in post_text()) {
        check_post(&src);
    }

    // Generated bodies under a valid front matter.
    #[test]
    fn post_bodies_parse_or_fail_inside_the_file(src in body_text()) {
        check_post(&src);
    }

    // Comment bodies and paragraphs.
    #[test]
    fn inline_text_gives_web_links_only_and_round_trips(text in post_text()) {
        check_inline(&text);
    }
}

// The generators do reach accepted posts with cards, not only errors.
#[test]
fn generated_bodies_include_accepted_posts() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = body_text();
    let accepted = (0..400)
        .filter(|_| check_post(&strategy.new_tree(&mut runner).unwrap().current()))
        .count();
    assert!(
        accepted >= 40,
        "only {accepted} of 400 generated posts were accepted"
    );
}

// Found by `make fuzz`: an unquoted shortcode value running into a multi-byte character
// sliced the text inside that character (a panic).
#[test]
fn unquoted_argument_with_a_multibyte_character_is_an_error_not_a_panic() {
    for src in [
        "+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n{{< list limit=＞>}}\n",
        "+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n{{< list limit=2あ>}}\n",
    ] {
        let errors = parse_post(FILE, src).expect_err("not a valid limit");
        assert_inside(src, &errors);
    }
    check_bytes(
        b"+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n{{<matomeQuote body=\"\" x=\xef\xbc\x9e>}}\n",
    );
}
