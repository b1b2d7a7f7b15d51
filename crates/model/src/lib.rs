//! Types of the matome JSON bundle.
//!
//! The compiler (`crates/compiler`) writes these types as JSON; the reader app (root
//! package, wasm) reads them. This crate is the single definition of the schema, so it
//! depends on nothing but serde.
//!
//! # Bundle layout (relative to the site root, below the base path)
//!
//! | file | type | what |
//! | --- | --- | --- |
//! | `data/site.json` | [`Site`] | entry file: metadata, counts, months, names of the other shards |
//! | `data/pages/<n>.json` | [`ListPage`] | page `n` (1-based) of all posts, newest first |
//! | `data/tags.json` | [`TagIndex`] | every tag with its count and shard name |
//! | `data/tags/<slug>.json` | [`ListPage`] | posts of one tag |
//! | `data/months/<yyyy>-<mm>.json` | [`ListPage`] | posts of one month |
//! | `data/search/posts.txt` | [`search::SearchTable`] | index ids → post path, date, tags (text) |
//! | `data/search/<n>.txt` | [`search::IndexShard`] | index keys → posting lists (text; see [`search`]) |
//! | `data/posts/<section>/<slug>.json` | [`Post`] | one post |
//!
//! Shard names are never guessed by the app: `site.json` (short-lived, not hashed)
//! names them, so the deploy step may give them content-hashed names. Post files keep
//! the stable name from [`paths::post_json`] so a deep link needs one fetch only.

use serde::{Deserialize, Serialize};

pub mod config;
pub mod paths;
pub mod rules;
pub mod search;
mod tagged;

/// Version of the bundle schema; bumped on every incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// `data/site.json`: the entry file of the bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Schema version the bundle was written with ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// Site title shown in the header and `<title>`.
    pub title: String,
    /// Site description for meta tags and feeds.
    pub description: String,
    /// Absolute base URL of the deployed site, e.g. `https://example.com/sub/`.
    pub base_url: String,
    /// Path the site is served under, always starting and ending with `/`.
    pub base_path: String,
    /// Number of posts on a list page.
    pub page_size: u32,
    /// Number of published posts (drafts excluded).
    pub post_count: u32,
    /// Number of comment cards over all published posts.
    pub comment_count: u32,
    /// Names of the list pages, `pages[0]` is page 1 (the newest posts).
    pub pages: Vec<String>,
    /// Name of the [`TagIndex`] shard.
    pub tag_index: String,
    /// Months with posts, newest first.
    pub months: Vec<MonthEntry>,
    /// The full-text search index; empty in bundles written before it existed.
    #[serde(default)]
    pub search: search::SearchInfo,
    /// Analytics the site owner configured; none unless configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<Analytics>,
    /// The author and their links, shown in the footer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Author>,
    /// What the home page shows above the newest posts besides the title and description
    /// (Blowfish's hero: a banner image, the author's picture, a headline and a bio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<Home>,
    /// Posts per home page of the Hugo site this one replaces: its `/page/N/` URLs
    /// become redirects to the list page holding the same posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hugo_paginate: Option<u32>,
    /// Old URLs (front matter `aliases`) that redirect to a post, sorted by `from`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<Redirect>,
}

/// An analytics service, loaded after the first paint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analytics {
    /// Which service.
    pub provider: AnalyticsProvider,
    /// Google's measurement id (`G-…`), Plausible's site domain or Umami's website id.
    pub id: String,
    /// Script URL (Plausible and Umami; Google's is fixed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
}

/// `build.json`'s `precompress`: which files of the written site get `.gz`/`.br` copies.
/// Read with the rest of the config by the compiler; the deployment step acts on it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precompress {
    /// The app's wasm, JS and CSS and the large text files (the feeds).
    #[default]
    Large,
    /// Every text file worth compressing (nginx `gzip_static`).
    All,
    /// No copies.
    None,
}

/// The analytics services matome knows how to load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnalyticsProvider {
    /// Google Analytics 4 (gtag.js).
    Google,
    /// Plausible (its `script.js`, `data-domain`).
    Plausible,
    /// Umami (its `script.js`, `data-website-id`).
    Umami,
}

impl AnalyticsProvider {
    /// The name `build.json` spells it with.
    pub fn name(self) -> &'static str {
        match self {
            AnalyticsProvider::Google => "google",
            AnalyticsProvider::Plausible => "plausible",
            AnalyticsProvider::Umami => "umami",
        }
    }
}

/// The home page's introduction beyond the title and description; every part optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    /// A wide banner image across the top of the home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// The author's picture, shown round beside the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_image: Option<Image>,
    /// One line under the title (plain text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub headline: String,
    /// A short paragraph about the site or its author (plain text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub bio: String,
}

/// The site's author.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// Name shown in the footer (may be empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Profile links (X, YouTube, …), in the configured order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// A labelled link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Visible text, e.g. `X`.
    pub label: String,
    /// Target: an http(s) or mailto URL ([`rules::is_author_link`]).
    pub url: String,
}

/// An old URL path (below the base path, e.g. `old/post/`) answering with a redirect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redirect {
    /// The old path, relative to the base path, ending in `/`.
    pub from: String,
    /// The target path, relative to the base path.
    pub to: String,
}

/// One month of the archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthEntry {
    /// Year, e.g. 2025.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Number of posts in that month.
    pub count: u32,
    /// Name of the month's [`ListPage`] shard.
    pub file: String,
}

/// `data/tags.json`: every tag.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TagIndex {
    /// Tags sorted by count (descending), then by name.
    pub tags: Vec<TagEntry>,
}

/// One tag with its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagEntry {
    /// URL slug (Hugo-compatible): `/tags/<slug>/`.
    pub slug: String,
    /// Display name (the most used spelling among case variants).
    pub name: String,
    /// Number of posts carrying the tag.
    pub count: u32,
    /// Name of the tag's [`ListPage`] shard.
    pub file: String,
}

/// A list of post summaries: one page of all posts, or all posts of a tag or month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListPage {
    /// Heading of the list ("記事一覧", the tag's name, "2025年4月").
    pub title: String,
    /// 1-based page number (1 for tag and month lists).
    pub page: u32,
    /// Total number of pages of this list.
    pub page_count: u32,
    /// Total number of posts in the whole list (all pages).
    pub total: u32,
    /// The posts, newest first.
    pub posts: Vec<PostSummary>,
}

/// What a post card shows; also the prev/next/related links of a post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostSummary {
    /// Folder of the post below `content/posts/`, e.g. `2025_04/2025_04_14_deepseek`.
    pub path: String,
    /// Title from the front matter.
    pub title: String,
    /// Publication date, `YYYY-MM-DDTHH:MM:SS`.
    pub date: String,
    /// Tags of the post, in front-matter order.
    pub tags: Vec<TagRef>,
    /// Thumbnail, when the post has one.
    pub thumbnail: Option<Image>,
    /// Number of comment cards in the post.
    pub comments: u32,
    /// Estimated reading time in minutes (at least 1).
    pub reading_minutes: u32,
    /// Short plain-text excerpt (from the first comments) for cards and meta tags.
    pub excerpt: String,
}

/// A tag as attached to a post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRef {
    /// URL slug: `/tags/<slug>/`.
    pub slug: String,
    /// Display name.
    pub name: String,
}

/// An image with its resized variants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// URL of the fallback image, relative to the site root (no leading `/`).
    pub src: String,
    /// Intrinsic width of `src` in pixels (0 when unknown).
    pub width: u32,
    /// Intrinsic height of `src` in pixels (0 when unknown).
    pub height: u32,
    /// Resized variants for `srcset`, smallest first (may be empty).
    pub variants: Vec<ImageVariant>,
}

/// One resized variant of an [`Image`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageVariant {
    /// URL relative to the site root.
    pub src: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// MIME type, e.g. `image/webp` or `image/jpeg`.
    pub mime: String,
}

/// `data/posts/<path>.json`: one post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Schema version the bundle was written with.
    pub schema: u32,
    /// Card-level metadata (path, title, date, tags, thumbnail, counts).
    pub summary: PostSummary,
    /// The lead: the blockquote that repeats the title (may differ from it).
    pub lead: Option<String>,
    /// The source thread (`引用元`), an http(s) URL.
    pub source: Option<String>,
    /// The body in source order.
    pub blocks: Vec<Block>,
    /// The next older post.
    pub prev: Option<PostSummary>,
    /// The next newer post.
    pub next: Option<PostSummary>,
    /// Posts sharing the most tags with this one (at most 5).
    pub related: Vec<PostSummary>,
}

/// A block of a post body.
/// Read back by a hand-written reader (`tagged.rs`): the tag first, no buffering.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "t", content = "c")]
pub enum Block {
    /// Markdown text outside any shortcode.
    Paragraph(Vec<Inline>),
    /// One comment card (`matomeQuote`).
    Comment(Comment),
    /// A folded section (`details`) holding comment cards.
    More {
        /// Label as written, e.g. `もっとコメントを表示（1）`.
        label: String,
        /// The cards in the section.
        comments: Vec<Comment>,
    },
    /// `{{< list limit=N >}}`: the N most recent posts.
    RecentList {
        /// How many posts to show.
        limit: u32,
        /// The posts, resolved at build time.
        posts: Vec<PostSummary>,
    },
}

/// One comment card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    /// 1-based number of the card in the post, in source order; the anchor is `c<n>`.
    pub n: u32,
    /// Hacker News user name.
    pub user: String,
    /// Time of the comment, normalised to `YYYY-MM-DDTHH:MM:SS`.
    pub created_at: String,
    /// Highlight colour, a CSS hex colour (`#rgb` or `#rrggbb`), when set.
    pub color: Option<String>,
    /// The body as typed inline nodes; empty when the source body was empty.
    pub body: Vec<Inline>,
}

/// Inline content of comment bodies and paragraphs. Never HTML: the app renders each
/// node as a view, so text from posts cannot become markup.
/// Read back by a hand-written reader (`tagged.rs`): the tag first, no buffering.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "t", content = "c")]
pub enum Inline {
    /// Plain text (entities already decoded).
    Text(String),
    /// A line break.
    Break,
    /// A link; `href` is always an `http:` or `https:` URL.
    Link {
        /// Target URL (http or https only).
        href: String,
        /// Link text.
        children: Vec<Inline>,
    },
    /// A link to a page of this site (from `{{% ref %}}`), e.g. `posts/`; the app
    /// prefixes the base path and routes it without a reload.
    InternalLink {
        /// Route relative to the site root, no leading `/` (see [`paths`]).
        route: String,
        /// Link text.
        children: Vec<Inline>,
    },
    /// Inline code.
    Code(String),
    /// A code block (a fence, possibly written with `<br>` line breaks).
    CodeBlock(String),
    /// Emphasis (`*x*`, `_x_`).
    Emphasis(Vec<Inline>),
    /// Strong emphasis (`**x**`, `__x__`).
    Strong(Vec<Inline>),
    /// A quoted line (`＞ …` or `> …`), without the marker.
    QuoteLine(Vec<Inline>),
}
