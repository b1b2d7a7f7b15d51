//! The per-post passes (front matter, shortcodes, blocks) on hand-written fixtures.
//!
//! Each `tests/fixtures/posts/<case>/index.md` is compiled with `parse_post` and compared
//! with its insta snapshot (`tests/snapshots/integration__passes__compiles_every_fixture_to_its_snapshot@<case>__index.md.snap`):
//! front-matter fields, lead, source, refs and the block structure. Comment bodies appear
//! as their plain text only: the inline nodes are the inline parser's business and are
//! tested there. After a deliberate change, `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test integration passes` and `git diff`) updates them; review
//! the diff like code.

use std::fs;
use std::path::Path;

use matome_compiler::front_matter::{normalise_date, split_front_matter};
use matome_compiler::shortcode::{scan_shortcodes, Name};
use matome_compiler::text::plain_text;
use matome_compiler::{parse_post, site::ParsedPost};
use matome_model::{Block, Comment, Inline};
use serde_json::{json, Value};

fn text(nodes: &[Inline]) -> String {
    let mut s = String::new();
    plain_text(nodes, &mut s);
    s
}

fn comment(c: &Comment) -> Value {
    json!({ "n": c.n, "user": c.user, "created_at": c.created_at, "color": c.color, "text": text(&c.body) })
}

/// The reviewable shape of a parsed post.
fn snapshot(p: &ParsedPost) -> Value {
    let blocks: Vec<Value> = p
        .body
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(nodes) => json!({ "paragraph": text(nodes) }),
            Block::Comment(c) => json!({ "comment": comment(c) }),
            Block::More { label, comments } => {
                json!({ "more": { "label": label, "comments": comments.iter().map(comment).collect::<Vec<_>>() } })
            }
            Block::RecentList { limit, .. } => json!({ "recent_list": { "limit": limit } }),
        })
        .collect();
    let f = &p.front;
    json!({
        "front": { "title": f.title, "date": f.date, "month": [f.month.0, f.month.1], "draft": f.draft,
                   "tags": f.tags, "featureimage": f.featureimage },
        "lead": p.body.lead,
        "source": p.body.source,
        "comments": p.body.comments,
        "refs": p.body.refs.iter().map(|(r, _)| r).collect::<Vec<_>>(),
        "blocks": blocks,
    })
}

// Every fixture post compiles to the structure recorded in its snapshot.
#[test]
fn compiles_every_fixture_to_its_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/posts");
    let cases = fs::read_dir(&root).unwrap().count();
    assert!(
        cases >= 5,
        "fixture folders missing under {}",
        root.display()
    );
    let mut seen = 0;
    insta::glob!("fixtures/posts", "*/index.md", |path| {
        seen += 1;
        let src = fs::read_to_string(path).unwrap();
        let post =
            parse_post("index.md", &src).unwrap_or_else(|e| panic!("{}: {}", path.display(), e[0]));
        insta::assert_snapshot!(serde_json::to_string_pretty(&snapshot(&post)).unwrap());
    });
    assert_eq!(seen, cases, "every fixture folder has an index.md");
}

// Quote cards are numbered 1..n in source order across top level and details blocks.
#[test]
fn numbers_comments_in_source_order_across_details() {
    let src = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/posts/toml_old_layout/index.md"),
    )
    .unwrap();
    let post = parse_post("x", &src).unwrap();
    let mut numbers = Vec::new();
    for b in &post.body.blocks {
        match b {
            Block::Comment(c) => numbers.push(c.n),
            Block::More { comments, .. } => numbers.extend(comments.iter().map(|c| c.n)),
            _ => {}
        }
    }
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
}

// Both createdAt shapes normalise to the same ISO form.
#[test]
fn parses_created_at_with_dashes_and_with_slashes() {
    let post = |created: &str| {
        let src = format!(
            "+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n{{{{<matomeQuote body=\"b\" userName=\"u\" createdAt=\"{created}\" color=\"\">}}}}\n"
        );
        match &parse_post("x", &src).unwrap().body.blocks[0] {
            Block::Comment(c) => c.created_at.clone(),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(post("2025-04-14T18:04:41"), "2025-04-14T18:04:41");
    assert_eq!(post("2025/09/27 15:01:17"), "2025-09-27T15:01:17");
}

// The scanner records names, closers, unquoted values and exact byte spans.
#[test]
fn scans_shortcodes_with_byte_spans() {
    let src = "a {{< details summary=\"s\" class=\"c\" >}} b {{</details>}} {{< list limit=2 >}} [x]({{% ref \"/posts/\" %}})";
    let (found, errors) = scan_shortcodes(src, 0);
    assert!(errors.is_empty(), "{errors:?}");
    let names: Vec<(Name, bool)> = found.iter().map(|s| (s.name, s.closing)).collect();
    assert_eq!(
        names,
        [
            (Name::Details, false),
            (Name::Details, true),
            (Name::List, false),
            (Name::Ref, false)
        ]
    );
    assert_eq!(
        &src[found[0].span.clone()],
        "{{< details summary=\"s\" class=\"c\" >}}"
    );
    assert_eq!(&src[found[1].span.clone()], "{{</details>}}");
    assert_eq!(found[2].args[0].key, Some("limit"));
    assert_eq!(found[2].args[0].value, "2");
    assert_eq!(found[3].args[0].key, None);
    assert_eq!(&src[found[3].args[0].span.clone()], "/posts/");
}

// `}}` and `{{ … }}` inside a quoted body do not end or start a shortcode.
#[test]
fn keeps_template_braces_inside_a_body() {
    let src = "+++\ntitle = 't'\ndate = '2025-01-01'\n+++\n{{<matomeQuote body=\"{{ ctx.output }} と }} と {{<\" userName=\"u\" createdAt=\"2025-01-01T00:00:00\" color=\"\">}}\n";
    let post = parse_post("x", src).unwrap();
    assert_eq!(post.body.comments, 1);
}

// Dates with a zone or fractional seconds keep their wall-clock time; bad ones are refused.
#[test]
fn normalises_front_matter_dates() {
    assert_eq!(
        normalise_date("2025-02-07").as_deref(),
        Some("2025-02-07T00:00:00")
    );
    assert_eq!(
        normalise_date("2025-02-07T00:00:01+09:00").as_deref(),
        Some("2025-02-07T00:00:01")
    );
    assert_eq!(
        normalise_date("2024-02-29T10:00:00.5Z").as_deref(),
        Some("2024-02-29T10:00:00")
    );
    assert_eq!(normalise_date("2025-02-29"), None);
    assert_eq!(normalise_date("2025-13-01"), None);
    assert_eq!(normalise_date("2025-01-01T25:00:00"), None);
    assert_eq!(normalise_date("2025-02-31"), None);
    assert_eq!(
        normalise_date("2024-02-29").as_deref(),
        Some("2024-02-29T00:00:00")
    );
    assert_eq!(normalise_date("2025-01-01T24:00:00"), None);
    assert_eq!(normalise_date("2025-01-01T99:00:00"), None);
    assert_eq!(normalise_date("2025-01-01T23:60:00"), None);
    // A leap second, as RFC 3339 allows, is kept as written.
    assert_eq!(
        normalise_date("2016-12-31T23:59:60Z").as_deref(),
        Some("2016-12-31T23:59:60")
    );
    assert_eq!(normalise_date("2025-01-01T00:00:61"), None);
    // Slashes, a space, minutes only, a long fraction and a negative zone.
    assert_eq!(
        normalise_date(" 2025/09/27 15:01 ").as_deref(),
        Some("2025-09-27T15:01:00")
    );
    assert_eq!(
        normalise_date("2025-09-27T15:01:17.1234567890123-05:30").as_deref(),
        Some("2025-09-27T15:01:17")
    );
}

// Spellings other date parsers take are refused: posts keep one documented set.
#[test]
fn refuses_date_spellings_outside_the_documented_set() {
    for bad in [
        "2025-2-07",
        "20250207",
        "2025-02-07T10",
        "2025-02-07t10:00",
        "2025-02-07T10:00[Asia/Tokyo]",
        "2025-02-07T10:00+0900",
        "2025-02-07T10:00+09",
        "2025-02-07T10:00:00,5",
        "2025-02-07T10:00:00.",
        "2025/02-07",
        "+002025-02-07",
        "2025-02-07 x",
        "2025-02-07T",
        "２０２５-02-07",
    ] {
        assert_eq!(normalise_date(bad), None, "{bad:?}");
    }
}

// A TOML datetime (unquoted) is accepted like the quoted string form.
#[test]
fn accepts_unquoted_toml_datetimes() {
    let (fm, _) =
        split_front_matter("+++\ntitle = 't'\ndate = 2025-02-06T10:00:00\n+++\n").unwrap();
    assert_eq!(fm.date, "2025-02-06T10:00:00");
    assert_eq!(fm.month, (2025, 2));
}

// YAML flow lists, quoted scalars and a draft flag are read.
#[test]
fn reads_yaml_flow_lists_and_booleans() {
    let (fm, body) =
        split_front_matter("---\ntitle: 'It''s'\ndate: \"2025-05-01\"\ndraft: true\ntags: [a, \"b c\", 'd']\n---\nbody").unwrap();
    assert_eq!(fm.title, "It's");
    assert!(fm.draft);
    assert_eq!(fm.tags, ["a", "b c", "d"]);
    assert_eq!(&"---\ntitle: 'It''s'\ndate: \"2025-05-01\"\ndraft: true\ntags: [a, \"b c\", 'd']\n---\nbody"[body..], "body");
}
