//! `publish` over a small bundle written from model values.

use crate::common;

use common::*;
use matome_model::{paths, search, Site, TagIndex};

const ROUTES: [&str; 13] = [
    "",
    "posts/",
    "posts/page/2/",
    "posts/2025_05/rust_news/",
    "posts/2025_04/hostile/",
    "posts/2025_04/sqlite/",
    "tags/",
    "tags/rust/",
    "tags/security/",
    "months/",
    "months/2025/05/",
    "months/2025/04/",
    "search/",
];

// Every route of the sample gets its own page, with a title and og:title of its own.
#[test]
fn writes_a_page_for_every_route() {
    let root = published("routes", "/");
    for route in ROUTES {
        let html = read(&root, &format!("{route}index.html"));
        assert_eq!(html.matches("<title>").count(), 1, "{route}");
        assert!(meta_content(&html, "og:title").is_some(), "{route}");
        assert!(
            html.contains(&format!(
                r#"<link rel="canonical" href="https://example.com/{route}">"#
            )),
            "{route}"
        );
        assert!(
            html.contains("/matome-web-1a2b3c_bg.wasm"),
            "{route} keeps the app"
        );
    }
    assert_eq!(title(&read(&root, "index.html")), Some("HNまとめ読み"));
    assert_eq!(
        title(&read(&root, "tags/rust/index.html")),
        Some("タグ: Rust | HNまとめ読み")
    );
    assert_eq!(
        title(&read(&root, "months/2025/04/index.html")),
        Some("2025年4月の記事 | HNまとめ読み")
    );
}

// A post page names the post everywhere a crawler or link preview looks.
#[test]
fn post_page_has_title_og_tags_canonical_and_content() {
    let root = published("post", "/");
    let html = read(&root, "posts/2025_05/rust_news/index.html");
    assert_eq!(title(&html), Some("Rustの新しいリリース | HNまとめ読み"));
    assert_eq!(
        meta_content(&html, "og:title").as_deref(),
        Some("Rustの新しいリリース")
    );
    assert_eq!(meta_content(&html, "og:type").as_deref(), Some("article"));
    assert_eq!(
        meta_content(&html, "description").as_deref(),
        Some("速くなった")
    );
    assert_eq!(
        meta_content(&html, "og:image").as_deref(),
        Some("https://example.com/thumbnails/a.0123456789ab-1200w.jpg")
    );
    assert_eq!(
        meta_content(&html, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert!(html
        .contains(r#"<link rel="canonical" href="https://example.com/posts/2025_05/rust_news/">"#));
    assert!(
        !html.contains(r#"href="/data/"#),
        "no data preloaded: the takeover fetches nothing"
    );
    assert!(
        !html.contains(r#"<link rel="preload" href="/matome-web-1a2b3c_bg.wasm""#),
        "the wasm is not preloaded: it would compete with the first paint"
    );
    // The page itself is in the HTML, as the app's components render it.
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(select(&doc, "h1").len(), 1);
    assert_eq!(text_of(&select(&doc, "h1")[0]), "Rustの新しいリリース");
    assert!(html.contains(r#"href="https://news.ycombinator.com/item?id=1""#));
    let cards = select(&doc, ".comment-card");
    assert_eq!(cards.len(), 2, "every card, folded ones included");
    assert_eq!(cards[0].value().attr("id"), Some("c1"));
    assert!(text_of(&cards[0]).contains("最初のコメント"));
    assert_eq!(select(&doc, ".comment-card .inline-quote").len(), 1);
    let sections = select(&doc, "details.more-comments");
    assert_eq!(sections.len(), 1);
    assert!(text_of(&sections[0]).contains("もっとコメントを表示（1）"));
    assert_eq!(select(&doc, "details.more-comments > summary").len(), 1);
    assert_eq!(select(&doc, "details.more-comments .comment-card").len(), 1);
    assert!(text_of(&sections[0]).contains("折りたたみ"));
    assert_eq!(
        select(&doc, "noscript").len(),
        0,
        "no second copy for noscript"
    );
}

// Hostile titles and comment bodies stay text; non-http links are not links.
#[test]
fn hostile_text_stays_inert() {
    let root = published("hostile", "/");
    let html = read(&root, "posts/2025_04/hostile/index.html");
    let doc = scraper::Html::parse_document(&html);
    let scripts = select(&doc, "script");
    assert!(
        scripts
            .iter()
            .all(|s| s.value().attr("type") == Some("module")),
        "only the app's module script"
    );
    for el in select(&doc, "*") {
        for (name, value) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event attribute {name}={value}");
            let v = value.trim().to_ascii_lowercase();
            if name == "href" || name == "src" {
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("data:"),
                    "{name}={value}"
                );
            }
        }
    }
    assert!(!html.contains("<script>alert"), "no script from content");
    assert!(!html.contains("<img src=x"), "no img from content");
    let h1 = select(&doc, "h1");
    assert_eq!(
        text_of(&h1[0]),
        r#"<script>alert("title")</script> & "quotes""#
    );
    let body = select(&doc, ".comment-card-body");
    assert!(body
        .iter()
        .any(|b| text_of(b).contains("<img src=x onerror=alert(1)> </noscript>")));
    let safe: Vec<_> = select(&doc, ".comment-card a.inline-link");
    assert!(safe
        .iter()
        .any(|a| a.value().attr("href") == Some("https://example.com/?a=1&b=2")));
    assert_eq!(
        meta_content(&html, "og:title").as_deref(),
        Some("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;")
    );
    // The home page lists the hostile post too.
    assert!(!read(&root, "index.html").contains("<script>alert"));
}

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(css).unwrap();
    doc.select(&selector).collect()
}

fn text_of(el: &scraper::ElementRef) -> String {
    el.text().collect::<String>().trim().to_string()
}

fn parse_xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML: {e}\n{text}"))
}

fn texts<'a>(doc: &'a roxmltree::Document, tag: &str) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == tag)
        .filter_map(|n| n.text())
        .collect()
}

fn post_urls() -> Vec<String> {
    summaries()
        .iter()
        .map(|s| format!("https://example.com/posts/{}/", s.path))
        .collect()
}

// RSS, Atom and the sitemap are well-formed and name every post.
#[test]
fn feeds_and_sitemap_parse_as_xml_and_list_every_post() {
    let root = published("feeds", "/");
    let rss = read(&root, "index.xml");
    let doc = parse_xml(&rss);
    let links = texts(&doc, "link");
    for url in post_urls() {
        assert!(links.contains(&url.as_str()), "rss lacks {url}");
    }
    assert!(
        texts(&doc, "title").contains(&common::HOSTILE_TITLE),
        "hostile title round-trips as text"
    );
    assert!(texts(&doc, "description").contains(&"速くなった（コメント2件）"));
    assert!(texts(&doc, "pubDate").contains(&"Fri, 02 May 2025 10:00:00 +0900"));

    let atom = read(&root, "atom.xml");
    let doc = parse_xml(&atom);
    let ids = texts(&doc, "id");
    for url in post_urls() {
        assert!(ids.contains(&url.as_str()), "atom lacks {url}");
    }

    let doc_text = read(&root, "sitemap.xml");
    let doc = parse_xml(&doc_text);
    let locs = texts(&doc, "loc");
    for url in post_urls() {
        assert!(locs.contains(&url.as_str()), "sitemap lacks {url}");
    }
    assert!(locs.contains(&"https://example.com/tags/security/"));
    assert!(read(&root, "robots.txt").contains("Sitemap: https://example.com/sitemap.xml"));

    let section = read(&root, "posts/index.xml");
    assert_eq!(
        parse_xml(&section)
            .descendants()
            .filter(|n| n.has_tag_name("item"))
            .count(),
        3
    );
    let tag_feed = read(&root, "tags/security/index.xml");
    assert_eq!(
        parse_xml(&tag_feed)
            .descendants()
            .filter(|n| n.has_tag_name("item"))
            .count(),
        2
    );
    let month = read(&root, "months/2025/04/index.xml");
    let doc = parse_xml(&month);
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("item")).count(),
        2
    );
}

// The list shards get content-hashed names and site.json / tags.json name exactly those.
#[test]
fn hashed_names_are_what_site_json_names() {
    let root = published("hashes", "/");
    let site: Site = serde_json::from_str(&read(&root, paths::SITE_JSON)).unwrap();
    let tags: TagIndex = serde_json::from_str(&read(&root, &site.tag_index)).unwrap();
    let mut names: Vec<&str> = site.pages.iter().map(String::as_str).collect();
    names.push(&site.tag_index);
    names.extend(site.months.iter().map(|m| m.file.as_str()));
    names.extend(tags.tags.iter().map(|t| t.file.as_str()));
    assert_eq!(names.len(), 7);
    for name in names {
        let hash = name.rsplit('.').nth(1).unwrap();
        assert_eq!(hash.len(), 16, "{name} carries a hash");
        let bytes = std::fs::read(root.join(name)).unwrap();
        assert!(
            sha256_hex(&bytes).starts_with(hash),
            "{name} is named after its content"
        );
    }
    assert!(
        !root.join(paths::page_json(1)).exists(),
        "the unhashed shard is gone"
    );
    assert!(
        root.join(paths::post_json("2025_04/sqlite")).exists(),
        "posts keep stable names"
    );
}

// The search index's shards and post table are hashed like the list shards and
// site.json names exactly those.
#[test]
fn search_shards_are_hashed_and_named_in_site_json() {
    let root = published("search-hashes", "/");
    let site: Site = serde_json::from_str(&read(&root, paths::SITE_JSON)).unwrap();
    assert_eq!(site.search.shards.len(), 1);
    for name in site.search.shards.iter().chain([&site.search.table]) {
        assert!(name.starts_with("data/search/"), "{name}");
        let hash = name.rsplit('.').nth(1).unwrap();
        assert_eq!(hash.len(), 16, "{name} carries a hash");
        let bytes = std::fs::read(root.join(name)).unwrap();
        assert!(
            sha256_hex(&bytes).starts_with(hash),
            "{name} is named after its content"
        );
    }
    let table = search::SearchTable::parse(&read(&root, &site.search.table));
    assert_eq!(table.posts.len(), site.post_count as usize);
    assert!(
        !root.join(paths::search_shard(0)).exists(),
        "the unhashed search shard is gone"
    );
    assert!(
        !root.join(paths::SEARCH_TABLE).exists(),
        "the unhashed post table is gone"
    );
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

// Under a sub-path every link, canonical and feed URL carries it; 404.html boots the app
// with absolute asset URLs.
#[test]
fn base_path_reaches_every_link_and_feed() {
    let root = published("subpath", "/sub/path/");
    let html = read(&root, "posts/2025_04/sqlite/index.html");
    assert!(html.contains(
        r#"<link rel="canonical" href="https://example.com/sub/path/posts/2025_04/sqlite/">"#
    ));
    assert!(html.contains(r#"<a href="/sub/path/tags/security/" class="tag-chip">"#));
    assert!(html.contains(r#"<base href="/sub/path/">"#));
    let home = read(&root, "index.html");
    assert!(
        home.contains(r#"<a href="/sub/path/posts/2025_05/rust_news/" class="post-card-link">"#)
    );
    assert!(read(&root, "index.xml")
        .contains("<link>https://example.com/sub/path/posts/2025_04/sqlite/</link>"));
    let not_found = read(&root, "404.html");
    assert!(not_found.contains("'/sub/path/matome-web-1a2b3c_bg.wasm'"));
    assert_eq!(
        meta_content(&not_found, "robots").as_deref(),
        Some("noindex")
    );
    assert!(!not_found.contains("rel=\"canonical\""));
}

// Hugo's `/posts/page/1/` alias still leads to the first page.
#[test]
fn first_page_alias_redirects_to_posts() {
    let root = published("alias", "/sub/");
    let alias = read(&root, "posts/page/1/index.html");
    assert!(alias.contains(r#"<meta http-equiv="refresh" content="0; url=/sub/posts/">"#));
}

// Publishing twice (a rebuild into the same folder) gives the same pages, no doubled tags.
#[test]
fn publishing_twice_is_stable() {
    let root = published("twice", "/");
    let first = read(&root, "index.html");
    matome_site::publish(&matome_site::PublishOptions::new(&*root, "/")).unwrap();
    assert_eq!(read(&root, "index.html"), first);
    let site: Site = serde_json::from_str(&read(&root, paths::SITE_JSON)).unwrap();
    assert!(
        site.pages.iter().all(|p| p.matches('.').count() == 2),
        "{:?}",
        site.pages
    );
}
