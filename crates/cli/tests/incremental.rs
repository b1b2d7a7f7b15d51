//! The caches of `matome publish` (search index, rendered pages, compressed copies,
//! thumbnails) never change what is published: a site brought up to date by warm
//! publishes is byte for byte the site a cold publish of the same content writes.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{matome, post, shown, tree, Scratch};

const APP_HTML: &str = "<!doctype html><html><head><title>t</title></head><body></body></html>";

fn setup(s: &Scratch) {
    s.write(
        "build.json",
        r#"{"content": "content", "assets": "assets", "output": "out", "cache": "cache",
            "title": "T", "description": "D", "base_url": "https://example.com/",
            "page_size": 4, "precompress": "all"}"#,
    );
    s.write("app/index.html", APP_HTML);
    s.write("app/app-0123.js", "console.log('app');".repeat(200));
    for i in 0..12 {
        let month = 1 + i % 3;
        let tags: &[&str] = match i % 3 {
            0 => &["rust", "web"],
            1 => &["rust"],
            _ => &["データ"],
        };
        s.write(
            &format!("content/2025_0{month}/p{i:02}/index.md"),
            post(
                &format!("記事{i}"),
                &format!("2025-0{month}-{:02}T00:00:00", 1 + i),
                tags,
                3 + i % 4,
            ),
        );
    }
}

fn publish(dir: &Path) {
    let out = matome(
        dir,
        &[
            "publish",
            "--config",
            "build.json",
            "--app",
            "app",
            "--site",
            "site",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
}

/// The names of the files that differ between two trees (missing on either side too).
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<&String> = a.keys().chain(b.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .cloned()
        .collect()
}

// Warm publishes after a post changed, a post was added, a page file was damaged in
// the site folder, then a post was deleted, a parse cache entry damaged and the search
// cache lost, give the site and bundle a cold publish of the final content gives.
#[test]
fn warm_publishes_equal_a_cold_one() {
    let warm = Scratch::new("incremental-warm");
    setup(&warm);
    publish(warm.path());
    let first = tree(&warm.path().join("site"));
    assert!(first.contains_key("posts/2025_01/p00/index.html"));
    assert!(
        warm.path().join("cache/search/index.txt").is_file()
            && warm.path().join("cache/pages/pages.txt").is_file(),
        "the caches are written"
    );

    publish(warm.path());
    assert!(
        differences(&first, &tree(&warm.path().join("site"))).is_empty(),
        "nothing changed, nothing differs"
    );

    // One post gets a comment (its page, lists, feeds, search index change), one post is
    // added (every search id shifts), and a page file is replaced behind matome's back.
    let changed = warm.path().join("content/2025_02/p04/index.md");
    let text = std::fs::read_to_string(&changed).unwrap().replace(
        "[記事一覧へ]",
        "{{<matomeQuote body=\"追記されたコメント\" userName=\"late\" createdAt=\"2025-03-01T00:00:00\" color=\"\">}}\n\n[記事一覧へ]",
    );
    std::fs::write(&changed, text).unwrap();
    warm.write(
        "content/2025_03/p99/index.md",
        post("新しい記事", "2025-03-30T00:00:00", &["rust", "新タグ"], 2),
    );
    let damaged = warm.path().join("site/posts/2025_01/p09/index.html");
    std::fs::remove_file(&damaged).unwrap();
    std::fs::write(&damaged, "damaged").unwrap();
    publish(warm.path());
    let entries = parse_cache_entries(warm.path());
    assert_eq!(
        entries.len(),
        13,
        "one parse cache entry per post: {entries:?}"
    );

    // One post is deleted (its entry goes with it), and the entry of an unchanged post
    // is damaged (that post is parsed again, never taken from the damaged entry).
    std::fs::remove_dir_all(warm.path().join("content/2025_01/p06")).unwrap();
    let victim = &entries[0];
    let mut bytes = std::fs::read(victim).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x01;
    std::fs::write(victim, bytes).unwrap();
    // Without the search cache, posts from the parse cache (whose text was not kept)
    // are cut into keys from their blocks.
    std::fs::remove_dir_all(warm.path().join("cache/search")).unwrap();
    publish(warm.path());
    assert_eq!(parse_cache_entries(warm.path()).len(), 12);
    let warm_site = tree(&warm.path().join("site"));
    let warm_bundle = tree(&warm.path().join("out"));

    let cold = Scratch::new("incremental-cold");
    setup(&cold);
    std::fs::copy(&changed, cold.path().join("content/2025_02/p04/index.md")).unwrap();
    cold.write(
        "content/2025_03/p99/index.md",
        post("新しい記事", "2025-03-30T00:00:00", &["rust", "新タグ"], 2),
    );
    std::fs::remove_dir_all(cold.path().join("content/2025_01/p06")).unwrap();
    publish(cold.path());
    let cold_site = tree(&cold.path().join("site"));
    let diff = differences(&warm_bundle, &tree(&cold.path().join("out")));
    assert!(diff.is_empty(), "warm and cold bundles differ in {diff:?}");
    assert!(!warm_site.contains_key("posts/2025_01/p06/index.html"));

    assert!(
        String::from_utf8_lossy(&warm_site["posts/2025_02/p04/index.html"])
            .contains("追記されたコメント"),
        "the changed post's page is rendered again"
    );
    assert!(warm_site.contains_key("posts/2025_03/p99/index.html"));
    assert_ne!(warm_site["posts/2025_01/p09/index.html"], b"damaged");
    let diff = differences(&warm_site, &cold_site);
    assert!(diff.is_empty(), "warm and cold sites differ in {diff:?}");
    assert_ne!(first, warm_site, "the content did change");
}

/// The entries of the parse cache, sorted.
fn parse_cache_entries(dir: &Path) -> Vec<std::path::PathBuf> {
    let salts: Vec<_> = std::fs::read_dir(dir.join("cache/parse"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(salts.len(), 1, "one compiler's entries: {salts:?}");
    let mut entries: Vec<_> = std::fs::read_dir(&salts[0])
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "post"))
        .collect();
    entries.sort();
    entries
}

/// The thumbnail cache's keys: the distinct hash prefixes of its entries.
fn cached_images(cache: &Path) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") || n.ends_with(".jpg"))
        .filter_map(|n| n.get(..64).map(str::to_string))
        .collect()
}

// After a publish, the thumbnail cache holds the images the posts use and no other.
#[test]
fn the_thumbnail_cache_keeps_only_used_images() {
    let s = Scratch::new("incremental-thumbs");
    s.write(
        "build.json",
        r#"{"content": "content", "assets": "assets", "output": "out", "cache": "cache",
            "title": "T", "description": "D", "base_url": "https://example.com/"}"#,
    );
    s.write("app/index.html", APP_HTML);
    let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/thumbnails");
    let mut jpgs: Vec<_> = std::fs::read_dir(&public)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    jpgs.sort();
    assert!(
        jpgs.len() >= 2,
        "two sample thumbnails in public/thumbnails"
    );
    assert_ne!(
        std::fs::read(&jpgs[0]).unwrap(),
        std::fs::read(&jpgs[1]).unwrap()
    );
    std::fs::create_dir_all(s.path().join("assets/thumbnails")).unwrap();
    std::fs::copy(&jpgs[0], s.path().join("assets/thumbnails/one.jpg")).unwrap();
    std::fs::copy(&jpgs[1], s.path().join("assets/thumbnails/two.jpg")).unwrap();
    s.write(
        "content/2025_01/a/index.md",
        common::post_with_image("A", "thumbnails/one.jpg"),
    );
    s.write(
        "content/2025_01/b/index.md",
        common::post_with_image("B", "thumbnails/two.jpg"),
    );
    publish(s.path());
    let both = cached_images(&s.path().join("cache"));
    assert_eq!(both.len(), 2, "{both:?}");

    // B now shows A's image: the entry of the other one goes.
    s.write(
        "content/2025_01/b/index.md",
        common::post_with_image("B", "thumbnails/one.jpg"),
    );
    publish(s.path());
    let left = cached_images(&s.path().join("cache"));
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(both.is_superset(&left));
    let site = tree(&s.path().join("site"));
    let b = String::from_utf8_lossy(&site["posts/2025_01/b/index.html"]).into_owned();
    let a = String::from_utf8_lossy(&site["posts/2025_01/a/index.html"]).into_owned();
    let key = left.iter().next().unwrap();
    assert!(
        a.contains(&key[..12]) && b.contains(&key[..12]),
        "both pages show the kept image"
    );
}
