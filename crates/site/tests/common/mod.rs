//! A small bundle written from model values, as the compiler would write it, and a
//! template shaped like Trunk's output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use matome_model::*;

/// A fresh, empty folder for one test, removed when dropped (every run used to leave
/// its published sites in the system temp folder).
pub fn temp_dir(name: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("matome-site-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// See [`temp_dir`]; used as the [`Path`] it is.
pub struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What Trunk writes for `--public-url <base>`.
pub fn trunk_index(base: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html lang="ja"><head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <base href="{base}">
    <title>HNまとめ読み</title>
<link rel="modulepreload" href="{base}matome-web-1a2b3c.js" crossorigin="anonymous">
<link rel="preload" href="{base}matome-web-1a2b3c_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<link rel="stylesheet" href="{base}main-4d5e6f.css">
<script type="module">
import init, * as bindings from '{base}matome-web-1a2b3c.js';
const wasm = await init({{ module_or_path: '{base}matome-web-1a2b3c_bg.wasm' }});
</script></head>
<body></body></html>
"#
    )
}

pub const HOSTILE_TITLE: &str = r#"<script>alert("title")</script> & "quotes""#;
pub const HOSTILE_BODY: &str =
    r#"<img src=x onerror=alert(1)> </noscript><script>alert(2)</script>"#;

fn tag(slug: &str, name: &str) -> TagRef {
    TagRef {
        slug: slug.into(),
        name: name.into(),
    }
}

fn summary(path: &str, title: &str, date: &str, tags: Vec<TagRef>, excerpt: &str) -> PostSummary {
    PostSummary {
        path: path.into(),
        title: title.into(),
        date: date.into(),
        tags,
        thumbnail: Some(Image {
            src: "thumbnails/a.0123456789ab-1200w.jpg".into(),
            width: 1200,
            height: 674,
            variants: vec![ImageVariant {
                src: "thumbnails/a.0123456789ab-600w.jpg".into(),
                width: 600,
                height: 337,
                mime: "image/jpeg".into(),
            }],
        }),
        comments: 2,
        reading_minutes: 1,
        excerpt: excerpt.into(),
    }
}

/// Three posts over two months and two tags; the middle one is hostile.
pub fn summaries() -> Vec<PostSummary> {
    vec![
        summary(
            "2025_05/rust_news",
            "Rustの新しいリリース",
            "2025-05-02T10:00:00",
            vec![tag("rust", "Rust")],
            "速くなった",
        ),
        summary(
            "2025_04/hostile",
            HOSTILE_TITLE,
            "2025-04-20T09:30:00",
            vec![tag("rust", "Rust"), tag("security", "Security")],
            "<b>excerpt</b> & more",
        ),
        summary(
            "2025_04/sqlite",
            "SQLiteの話",
            "2025-04-14T18:04:41",
            vec![tag("security", "Security")],
            "小さなDB",
        ),
    ]
}

fn list(title: &str, posts: Vec<PostSummary>, page: u32, page_count: u32, total: u32) -> ListPage {
    ListPage {
        title: title.into(),
        page,
        page_count,
        total,
        posts,
    }
}

fn write_json<T: serde::Serialize>(root: &Path, rel: &str, value: &T) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec(value).unwrap()).unwrap();
}

/// Writes the bundle (page size 2, so two list pages) and `index.html` into `root`.
pub fn write_site(root: &Path, base_path: &str) {
    let all = summaries();
    write_json(
        root,
        &paths::page_json(1),
        &list("記事一覧", all[..2].to_vec(), 1, 2, 3),
    );
    write_json(
        root,
        &paths::page_json(2),
        &list("記事一覧", all[2..].to_vec(), 2, 2, 3),
    );
    let tags = TagIndex {
        tags: vec![
            TagEntry {
                slug: "rust".into(),
                name: "Rust".into(),
                count: 2,
                file: paths::tag_json("rust"),
            },
            TagEntry {
                slug: "security".into(),
                name: "Security".into(),
                count: 2,
                file: paths::tag_json("security"),
            },
        ],
    };
    write_json(root, paths::TAGS_JSON, &tags);
    write_json(
        root,
        &paths::tag_json("rust"),
        &list("Rust", all[..2].to_vec(), 1, 1, 2),
    );
    write_json(
        root,
        &paths::tag_json("security"),
        &list("Security", all[1..].to_vec(), 1, 1, 2),
    );
    write_json(
        root,
        &paths::month_json(2025, 5),
        &list("2025年5月", all[..1].to_vec(), 1, 1, 1),
    );
    write_json(
        root,
        &paths::month_json(2025, 4),
        &list("2025年4月", all[1..].to_vec(), 1, 1, 2),
    );
    // A search index of one shard: each post's first title word.
    let rows = all
        .iter()
        .map(|s| search::TableRow(s.path.clone(), s.date[..10].to_string(), vec![]))
        .collect();
    let table = search::SearchTable {
        tags: vec![],
        posts: rows,
    };
    std::fs::create_dir_all(root.join("data/search")).unwrap();
    std::fs::write(root.join(paths::SEARCH_TABLE), table.to_text()).unwrap();
    let mut shard: Vec<(String, String)> = all
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                search::fold(&s.title)
                    .split(' ')
                    .next()
                    .unwrap_or("")
                    .to_string(),
                search::encode_postings(&[i as u32]),
            )
        })
        .collect();
    shard.sort();
    std::fs::write(
        root.join(paths::search_shard(0)),
        search::IndexShard(shard).to_text(),
    )
    .unwrap();
    for (i, s) in all.iter().enumerate() {
        let body = if s.path.contains("hostile") {
            vec![
                Inline::Text(HOSTILE_BODY.into()),
                Inline::Break,
                Inline::Link {
                    href: "javascript:alert(3)".into(),
                    children: vec![Inline::Text("click".into())],
                },
                Inline::Link {
                    href: "https://example.com/?a=1&b=2".into(),
                    children: vec![Inline::Text("safe".into())],
                },
            ]
        } else {
            vec![
                Inline::Text("最初のコメント".into()),
                Inline::Break,
                Inline::QuoteLine(vec![Inline::Text("引用".into())]),
            ]
        };
        let comment = |n: u32, body: Vec<Inline>| Comment {
            n,
            user: "alice".into(),
            created_at: "2025-04-14T18:04:41".into(),
            color: Some("#ffcc00".into()),
            body,
        };
        let post = Post {
            schema: SCHEMA_VERSION,
            summary: s.clone(),
            lead: Some(s.title.clone()),
            source: Some(if s.path.contains("hostile") {
                "javascript:alert(4)".into()
            } else {
                "https://news.ycombinator.com/item?id=1".into()
            }),
            blocks: vec![
                Block::Comment(comment(1, body)),
                Block::More {
                    label: "もっとコメントを表示（1）".into(),
                    comments: vec![comment(2, vec![Inline::Text("折りたたみ".into())])],
                },
            ],
            prev: all.get(i + 1).cloned(),
            next: i.checked_sub(1).map(|j| all[j].clone()),
            related: vec![],
        };
        write_json(root, &paths::post_json(&s.path), &post);
    }
    let site = Site {
        schema: SCHEMA_VERSION,
        title: "HNまとめ読み".into(),
        description: "Hacker Newsの話題を日本語で".into(),
        base_url: "https://example.com/".into(),
        base_path: base_path.into(),
        page_size: 2,
        post_count: 3,
        comment_count: 6,
        pages: vec![paths::page_json(1), paths::page_json(2)],
        tag_index: paths::TAGS_JSON.into(),
        months: vec![
            MonthEntry {
                year: 2025,
                month: 5,
                count: 1,
                file: paths::month_json(2025, 5),
            },
            MonthEntry {
                year: 2025,
                month: 4,
                count: 2,
                file: paths::month_json(2025, 4),
            },
        ],
        search: search::SearchInfo {
            shards: vec![paths::search_shard(0)],
            table: paths::SEARCH_TABLE.into(),
        },
        analytics: None,
        author: None,
        home: None,
        hugo_paginate: None,
        redirects: vec![],
    };
    write_json(root, paths::SITE_JSON, &site);
    std::fs::write(root.join("index.html"), trunk_index(base_path)).unwrap();
}

/// Writes the sample site into a fresh folder and publishes it.
pub fn published(name: &str, base_path: &str) -> TempDir {
    let root = temp_dir(name);
    write_site(&root, base_path);
    matome_site::publish(&matome_site::PublishOptions::new(&*root, base_path)).unwrap();
    root
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `content` of `<meta property|name="key" content="…">`, still escaped.
pub fn meta_content(html: &str, key: &str) -> Option<String> {
    let needle = format!(r#"="{key}" content=""#);
    let start = html.find(&needle)? + needle.len();
    Some(html[start..start + html[start..].find('"')?].to_string())
}

pub fn title(html: &str) -> Option<&str> {
    let start = html.find("<title>")? + "<title>".len();
    Some(&html[start..start + html[start..].find("</title>")?])
}
