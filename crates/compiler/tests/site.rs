//! Site level: drafts, order, tags, months, prev/next, related, recent lists, list pages
//! and the files of the bundle, on small sites written into scratch folders (thumbnails:
//! `thumbnails.rs`).

use crate::common;

use std::path::Path;

use common::{post, Scratch};
use matome_compiler::{compile, parse_post, Mode};
use matome_model::{Block, ListPage, Post, Site, TagIndex};

fn read<T: serde::de::DeserializeOwned>(root: &Path, rel: &str) -> T {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn paths(list: &ListPage) -> Vec<&str> {
    list.posts.iter().map(|p| p.path.as_str()).collect()
}

/// Four posts: two on the same day (tie broken by path), tags in several spellings.
fn small_site(s: &Scratch) {
    s.write(
        "content/2025_03/c/index.md",
        post("C", "2025-03-10T00:00:00", &["ASUS", "Rust"], 3),
    );
    s.write(
        "content/2025_03/b/index.md",
        post("B", "2025-03-10T00:00:00", &["Asus"], 1),
    );
    s.write(
        "content/2025_02/a/index.md",
        post("A", "2025-02-01T00:00:00", &["Asus", "Rust", "AI"], 2),
    );
    s.write(
        "content/2025_04/d/index.md",
        post("D", "2025-04-01T09:00:00", &["AI"], 4),
    );
}

// Posts are listed newest first, same-date posts by path, split into pages of page_size.
#[test]
fn orders_posts_newest_first_with_ties_broken_by_path() {
    let s = Scratch::new("order");
    small_site(&s);
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    let out = s.path().join("out");
    let site: Site = read(&out, "data/site.json");
    assert_eq!(site.pages, ["data/pages/1.json", "data/pages/2.json"]);
    let p1: ListPage = read(&out, "data/pages/1.json");
    let p2: ListPage = read(&out, "data/pages/2.json");
    assert_eq!(paths(&p1), ["2025_04/d", "2025_03/b"]);
    assert_eq!(paths(&p2), ["2025_03/c", "2025_02/a"]);
    assert_eq!((p2.page, p2.page_count, p2.total), (2, 2, 4));
    assert_eq!((site.post_count, site.comment_count), (4, 10));
    assert_eq!(
        report.summary().split(" in ").next().unwrap(),
        "4 posts, 10 comments, 0 sections"
    );
}

// Prev is the next older post, next the next newer one; the ends have none.
#[test]
fn links_prev_and_next_in_date_order() {
    let s = Scratch::new("prevnext");
    small_site(&s);
    compile(&s.config(), Mode::Build, None).unwrap();
    let out = s.path().join("out");
    let b: Post = read(&out, "data/posts/2025_03/b.json");
    assert_eq!(b.prev.unwrap().path, "2025_03/c");
    assert_eq!(b.next.unwrap().path, "2025_04/d");
    let d: Post = read(&out, "data/posts/2025_04/d.json");
    assert!(d.next.is_none());
    let a: Post = read(&out, "data/posts/2025_02/a.json");
    assert!(a.prev.is_none());
}

// ASUS and Asus are one tag page named after the most used spelling.
#[test]
fn merges_tag_case_variants_under_the_most_used_spelling() {
    let s = Scratch::new("tags");
    small_site(&s);
    compile(&s.config(), Mode::Build, None).unwrap();
    let out = s.path().join("out");
    let index: TagIndex = read(&out, "data/tags.json");
    let tags: Vec<(&str, &str, u32)> = index
        .tags
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str(), t.count))
        .collect();
    assert_eq!(
        tags,
        [("asus", "Asus", 3), ("ai", "AI", 2), ("rust", "Rust", 2)]
    );
    let asus: ListPage = read(&out, "data/tags/asus.json");
    assert_eq!(paths(&asus), ["2025_03/b", "2025_03/c", "2025_02/a"]);
    assert_eq!(asus.title, "Asus");
    let c: Post = read(&out, "data/posts/2025_03/c.json");
    assert_eq!(c.summary.tags[0].name, "Asus");
    assert_eq!(c.summary.tags[0].slug, "asus");
}

// On a tie between spellings the one with capitals names the tag (SQLite, not sqlite),
// whichever post comes first.
#[test]
fn names_a_tied_tag_after_the_spelling_with_capitals() {
    let s = Scratch::new("tag-tie");
    s.write(
        "content/2025_03/new/index.md",
        post("New", "2025-03-10T00:00:00", &["sqlite"], 1),
    );
    s.write(
        "content/2025_02/old/index.md",
        post("Old", "2025-02-01T00:00:00", &["SQLite"], 1),
    );
    compile(&s.config(), Mode::Build, None).unwrap();
    let index: TagIndex = read(&s.path().join("out"), "data/tags.json");
    let tags: Vec<(&str, &str, u32)> = index
        .tags
        .iter()
        .map(|t| (t.slug.as_str(), t.name.as_str(), t.count))
        .collect();
    assert_eq!(tags, [("sqlite", "SQLite", 2)]);
}

// Months come newest first with their counts and a shard each.
#[test]
fn builds_months_with_counts() {
    let s = Scratch::new("months");
    small_site(&s);
    compile(&s.config(), Mode::Build, None).unwrap();
    let out = s.path().join("out");
    let site: Site = read(&out, "data/site.json");
    let months: Vec<(u16, u8, u32, &str)> = site
        .months
        .iter()
        .map(|m| (m.year, m.month, m.count, m.file.as_str()))
        .collect();
    assert_eq!(
        months,
        [
            (2025, 4, 1, "data/months/2025-04.json"),
            (2025, 3, 2, "data/months/2025-03.json"),
            (2025, 2, 1, "data/months/2025-02.json")
        ]
    );
    let march: ListPage = read(&out, "data/months/2025-03.json");
    assert_eq!(paths(&march), ["2025_03/b", "2025_03/c"]);
    assert_eq!(march.title, "2025年3月");
}

// Related posts share tags, most shared first, never the post itself, at most five.
#[test]
fn ranks_related_posts_by_shared_tags() {
    let s = Scratch::new("related");
    small_site(&s);
    for i in 0..6 {
        s.write(
            &format!("content/2025_01/x{i}/index.md"),
            post("X", "2025-01-01T00:00:00", &["AI"], 1),
        );
    }
    compile(&s.config(), Mode::Build, None).unwrap();
    let out = s.path().join("out");
    let a: Post = read(&out, "data/posts/2025_02/a.json");
    let related: Vec<&str> = a.related.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(related.len(), 5);
    // c shares Asus and Rust with a; everything else one tag at most.
    assert_eq!(related[0], "2025_03/c");
    assert!(!related.contains(&"2025_02/a"));
    let x0: Post = read(&out, "data/posts/2025_01/x0.json");
    assert!(x0
        .related
        .iter()
        .all(|p| p.tags.iter().any(|t| t.slug == "ai")));
}

// Drafts stay out of the bundle and the counts unless --drafts is given.
#[test]
fn excludes_drafts_unless_asked() {
    let s = Scratch::new("drafts");
    small_site(&s);
    let draft =
        post("Draft", "2025-05-01T00:00:00", &["AI"], 7).replace("draft = false", "draft = true");
    s.write("content/2025_05/draft/index.md", draft);
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert_eq!(report.drafts, ["2025_05/draft"]);
    assert_eq!(report.posts, 4);
    let out = s.path().join("out");
    assert!(!out.join("data/posts/2025_05/draft.json").exists());
    let mut config = s.config();
    config.drafts = true;
    let report = compile(&config, Mode::Build, None).unwrap();
    assert_eq!((report.posts, report.comments), (4, 10));
    let p1: ListPage = read(&out, "data/pages/1.json");
    assert_eq!(p1.posts[0].path, "2025_05/draft");
}

// `{{< list limit=N >}}` holds the N newest other posts.
#[test]
fn resolves_recent_lists_at_link_time() {
    let s = Scratch::new("recent");
    small_site(&s);
    let with_list = post("L", "2025-03-20T00:00:00", &[], 1)
        .replace("[記事一覧へ]", "{{< list limit=2 >}}\n\n[記事一覧へ]");
    s.write("content/2025_03/list/index.md", with_list);
    compile(&s.config(), Mode::Build, None).unwrap();
    let p: Post = read(&s.path().join("out"), "data/posts/2025_03/list.json");
    let list = p.blocks.iter().find_map(|b| match b {
        Block::RecentList { limit, posts } => Some((
            limit,
            posts.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
        )),
        _ => None,
    });
    assert_eq!(list, Some((&2, vec!["2025_04/d", "2025_03/b"])));
}

// Summaries carry the comment count, a reading time and an excerpt from the first card.
#[test]
fn summarises_comment_count_reading_time_and_excerpt() {
    let s = Scratch::new("summary");
    let long = "あ".repeat(1200);
    let text = post("T", "2025-01-01T00:00:00", &[], 2).replace("コメント0です", &long);
    s.write("content/2025_01/t/index.md", text);
    compile(&s.config(), Mode::Build, None).unwrap();
    let p: Post = read(&s.path().join("out"), "data/posts/2025_01/t.json");
    assert_eq!(p.summary.comments, 2);
    // 1,200 + a few Japanese characters at 500 per minute.
    assert_eq!(p.summary.reading_minutes, 3);
    assert_eq!(p.summary.excerpt.chars().count(), 121);
    assert!(p.summary.excerpt.starts_with("あああ") && p.summary.excerpt.ends_with('…'));
    assert_eq!(p.lead.as_deref(), Some("T"));
    assert_eq!(
        p.source.as_deref(),
        Some("https://news.ycombinator.com/item?id=1")
    );
}

// An empty content folder still builds a valid bundle.
#[test]
fn builds_an_empty_site() {
    let s = Scratch::new("empty");
    std::fs::create_dir_all(s.path().join("content")).unwrap();
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert_eq!(report.posts, 0);
    let out = s.path().join("out");
    let site: Site = read(&out, "data/site.json");
    assert_eq!(site.post_count, 0);
    let p1: ListPage = read(&out, "data/pages/1.json");
    assert!(p1.posts.is_empty());
    let tags: TagIndex = read(&out, "data/tags.json");
    assert!(tags.tags.is_empty());
}

// `check` validates without writing anything.
#[test]
fn check_writes_nothing() {
    let s = Scratch::new("check");
    small_site(&s);
    let report = compile(&s.config(), Mode::Check, None).unwrap();
    assert_eq!(report.posts, 4);
    assert!(!s.path().join("out").exists());
}

// The closing `[記事一覧へ]({{% ref "/posts/" %}})` becomes an internal link paragraph.
#[test]
fn turns_the_closing_ref_link_into_a_paragraph() {
    let s = Scratch::new("closing");
    small_site(&s);
    compile(&s.config(), Mode::Build, None).unwrap();
    let d: Post = read(&s.path().join("out"), "data/posts/2025_04/d.json");
    match d.blocks.last().unwrap() {
        Block::Paragraph(nodes) => {
            assert!(serde_json::to_string(nodes).unwrap().contains("記事一覧へ"))
        }
        other => panic!("{other:?}"),
    }
}

// A post folder whose name needs escaping in a URL is built, with a warning.
#[test]
fn warns_on_post_folders_that_urls_must_escape() {
    let s = Scratch::new("urlsafe");
    s.write(
        "content/2025_01/what? now/index.md",
        post("Q", "2025-01-01T00:00:00", &[], 1),
    );
    s.write(
        "content/2025_01/日本語_ok/index.md",
        post("J", "2025-01-01T00:00:00", &[], 1),
    );
    let report = compile(&s.config(), Mode::Check, None).unwrap();
    assert_eq!(report.posts, 2);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0].message.contains("'?'"),
        "{}",
        report.warnings[0]
    );
}

// Refs to existing pages (a post, the tag and month lists) resolve without errors.
#[test]
fn resolves_refs_to_posts_and_lists() {
    let s = Scratch::new("refs");
    small_site(&s);
    let links = "[a]({{% ref \"/posts/2025_02/a\" %}}) [b]({{% ref \"posts/2025_03/b/index.md\" %}}) [t]({{% ref \"/tags/\" %}}) [m]({{% ref \"/months/2025/03/\" %}})";
    s.write(
        "content/2025_05/links/index.md",
        post("L", "2025-05-01T00:00:00", &[], 1)
            .replace("[記事一覧へ]", &format!("{links}\n\n[記事一覧へ]")),
    );
    let report = compile(&s.config(), Mode::Check, None).unwrap();
    assert!(report.errors.is_empty(), "{}", report.errors[0]);
    let src = std::fs::read_to_string(s.path().join("content/2025_05/links/index.md")).unwrap();
    let refs: Vec<String> = parse_post("x", &src)
        .unwrap()
        .body
        .refs
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(
        refs,
        [
            "posts/2025_02/a/",
            "posts/2025_03/b/",
            "tags/",
            "months/2025/03/",
            "posts/"
        ]
    );
}
