//! Hostile posts: markup, scripts hidden in link targets, bidi overrides, CSS in `color`.
//!
//! Each `tests/fixtures/hostile/<case>/index.md` is either compiled into a real bundle
//! and the written post file checked (every link is http(s), every hostile string listed
//! in `texts.txt` is there as text, the links are exactly those of `links.txt`), or it
//! must fail with exactly the errors of `errors.txt` (`line:column: message`).

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use common::Scratch;
use matome_compiler::{compile, parse_post, Mode};
use matome_model::rules::is_web_url;
use matome_model::{paths, Block, Inline, Post};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let mut cases: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 4,
        "fixture folders missing under {}",
        root.display()
    );
    cases
}

/// The text nodes, hrefs and internal routes of a post as written to the bundle.
#[derive(Default)]
struct Seen {
    text: Vec<String>,
    hrefs: Vec<String>,
    routes: Vec<String>,
}

impl Seen {
    fn nodes(&mut self, nodes: &[Inline]) {
        for node in nodes {
            match node {
                Inline::Text(t) | Inline::Code(t) | Inline::CodeBlock(t) => {
                    self.text.push(t.clone())
                }
                Inline::Link { href, children } => {
                    self.hrefs.push(href.clone());
                    self.nodes(children);
                }
                Inline::InternalLink { route, children } => {
                    self.routes.push(route.clone());
                    self.nodes(children);
                }
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::QuoteLine(c) => self.nodes(c),
                Inline::Break => {}
            }
        }
    }

    fn post(post: &Post) -> Seen {
        let mut seen = Seen::default();
        seen.text.push(post.summary.title.clone());
        seen.text.extend(post.lead.clone());
        for block in &post.blocks {
            match block {
                Block::Paragraph(nodes) => seen.nodes(nodes),
                Block::Comment(c) => {
                    seen.text.push(c.user.clone());
                    seen.nodes(&c.body);
                }
                Block::More { comments, .. } => comments.iter().for_each(|c| seen.nodes(&c.body)),
                Block::RecentList { .. } => {}
            }
        }
        seen
    }
}

/// Builds a site of `posts` (folder name, text) and reads each post's file back.
fn build(posts: &[(String, String)]) -> Vec<Post> {
    let s = Scratch::new("hostile");
    for (name, text) in posts {
        s.write(&format!("content/2025_01/{name}/index.md"), text);
    }
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert!(
        report.errors.is_empty(),
        "{}",
        report
            .errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    posts
        .iter()
        .map(|(name, _)| {
            let file = s
                .path()
                .join("out")
                .join(paths::post_json(&format!("2025_01/{name}")));
            serde_json::from_slice(
                &fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
            )
            .unwrap()
        })
        .collect()
}

fn assert_safe(name: &str, post: &Post, seen: &Seen) {
    for href in &seen.hrefs {
        assert!(is_web_url(href), "{name}: link to {href:?}");
        let lower = href.to_ascii_lowercase();
        assert!(
            lower.starts_with("https://") || lower.starts_with("http://"),
            "{name}: link to {href:?}"
        );
    }
    for route in &seen.routes {
        assert!(
            !route.starts_with(['/', '\\']) && !route.contains(['\\', ':']),
            "{name}: internal link to {route:?}"
        );
    }
    if let Some(source) = &post.source {
        assert!(is_web_url(source), "{name}: source {source:?}");
    }
    for c in post.blocks.iter().flat_map(|b| match b {
        Block::Comment(c) => std::slice::from_ref(c),
        Block::More { comments, .. } => comments.as_slice(),
        _ => &[],
    }) {
        if let Some(color) = &c.color {
            assert!(
                matome_model::rules::is_hex_colour(color),
                "{name}: colour {color:?}"
            );
        }
    }
}

// Fixtures that compile: nothing but http(s) links, the hostile text kept as text.
#[test]
fn hostile_posts_compile_to_text_and_http_links_only() {
    let accepted: Vec<PathBuf> = cases()
        .into_iter()
        .filter(|c| !c.join("errors.txt").exists())
        .collect();
    assert!(accepted.len() >= 3);
    let posts: Vec<(String, String)> = accepted
        .iter()
        .map(|c| {
            (
                c.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(c.join("index.md")).unwrap(),
            )
        })
        .collect();
    let built = build(&posts);
    for (case, post) in accepted.iter().zip(&built) {
        let name = case.file_name().unwrap().to_string_lossy();
        let seen = Seen::post(post);
        assert_safe(&name, post, &seen);
        let all_text = seen.text.join("\n");
        let texts = fs::read_to_string(case.join("texts.txt")).unwrap();
        for want in texts.lines().filter(|l| !l.is_empty()) {
            assert!(
                all_text.contains(want),
                "{name}: {want:?} is not in the text nodes:\n{all_text}"
            );
        }
        let links = fs::read_to_string(case.join("links.txt")).unwrap();
        let want: Vec<&str> = links.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(seen.hrefs, want, "{name}: links");
        assert_eq!(
            post.source, None,
            "{name}: a javascript: source is not a source"
        );
    }
}

// CSS in `color` (anything but a hex colour) is an error at the value.
#[test]
fn hostile_colours_are_rejected_with_their_position() {
    let rejected: Vec<PathBuf> = cases()
        .into_iter()
        .filter(|c| c.join("errors.txt").exists())
        .collect();
    assert!(!rejected.is_empty());
    for case in rejected {
        let src = fs::read_to_string(case.join("index.md")).unwrap();
        let errors = parse_post("index.md", &src).expect_err("hostile colours must be refused");
        let got: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{}: {}", e.line, e.column, e.kind))
            .collect();
        let want = fs::read_to_string(case.join("errors.txt")).unwrap();
        assert_eq!(got, want.lines().collect::<Vec<_>>(), "{}", case.display());
        // Each error's column is where the value starts, after `color="`.
        for e in &errors {
            let line: Vec<char> = e.line_text.chars().collect();
            let before: String = line[..e.column as usize - 1].iter().collect();
            assert!(before.ends_with("color=\""), "{e}");
        }
    }
}

// Very long URLs: an http(s) one stays one link, a long script URL stays text.
#[test]
fn very_long_urls_are_links_only_when_http() {
    let long = format!("https://example.com/{}", "a/".repeat(100_000));
    let script = format!("javascript:alert(1)//{}", "a".repeat(200_000));
    let fm = "+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n\n";
    let card = |body: &str| {
        format!("{{{{<matomeQuote body=\"{body}\" userName=\"u\" createdAt=\"2025-01-01T00:00:00\" color=\"\">}}}}\n\n")
    };
    let text = format!(
        "{fm}{}{}{}[x]({script})\n",
        card(&long),
        card(&format!("[x]({script})")),
        card(&format!("[y]({long})"))
    );
    let built = build(&[("long".to_string(), text)]);
    let seen = Seen::post(&built[0]);
    assert_safe("long", &built[0], &seen);
    assert_eq!(seen.hrefs, [long.as_str(), long.as_str()]);
    // In a body the whole source stays text; in a paragraph only the link text does.
    assert_eq!(
        seen.text.iter().filter(|t| t.contains(&script)).count(),
        1,
        "the script URL stays text"
    );
}
