//! Site level: orders posts, builds tags, months, list pages, prev/next, related posts,
//! recent lists, thumbnails, and checks `ref` targets.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use matome_model::{
    paths, Block, Image, ListPage, MonthEntry, Post, PostSummary, Redirect, Site, TagEntry,
    TagIndex, TagRef, SCHEMA_VERSION,
};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::blocks::Body;
use crate::config::Config;
use crate::error::{ContentError, ErrorKind, Warning};
use crate::front_matter::FrontMatter;
use crate::slug;
use crate::spool::{Spool, SpoolRef};
use crate::text;

/// One post after parsing, before linking.
#[derive(Clone, Debug)]
pub struct ParsedPost {
    /// Folder below the content dir, `/`-separated: `2025_04/x`.
    pub path: String,
    /// The file, for messages.
    pub file: String,
    /// `feature.jpg` (or .jpeg/.png/.webp) beside `index.md`: wins over `featureimage`.
    pub feature: Option<PathBuf>,
    /// Front matter.
    pub front: FrontMatter,
    /// Body blocks; `body.blocks` is empty once [`ParsedPost::pack`] has run.
    pub body: Body,
    /// The blocks as JSON with what linking needs from them, set by [`ParsedPost::pack`].
    pub packed: Option<Packed>,
    /// Where the post's [`text::search_text`] was spooled while parsing (builds only),
    /// so that the text of all posts is never in memory at once.
    pub search: Option<SpoolRef>,
}

/// A post's blocks serialised right after parsing, so that the trees of all posts are
/// never in memory at once; plus everything [`link_site`] reads from the blocks.
#[derive(Clone, Debug)]
pub struct Packed {
    /// `Vec<Block>` as compact JSON.
    pub blocks: Box<RawValue>,
    /// [`text::excerpt`] of the blocks.
    pub excerpt: String,
    /// [`text::reading_minutes`] of the title and blocks.
    pub reading_minutes: u32,
    /// Number of folded sections.
    pub sections: u32,
}

impl ParsedPost {
    /// Serialises the blocks and drops the tree. Posts with blocks that need site-level
    /// data (`RecentList`) keep their tree.
    pub fn pack(&mut self) {
        if self.packed.is_some()
            || self
                .body
                .blocks
                .iter()
                .any(|b| matches!(b, Block::RecentList { .. }))
        {
            return;
        }
        let blocks = std::mem::take(&mut self.body.blocks);
        self.packed = Some(Packed {
            blocks: serde_json::value::to_raw_value(&blocks).expect("blocks always serialise"),
            excerpt: text::excerpt(&blocks),
            reading_minutes: text::reading_minutes(&self.front.title, &blocks),
            sections: sections(&blocks),
        });
    }

    fn sections(&self) -> u32 {
        self.packed
            .as_ref()
            .map_or_else(|| sections(&self.body.blocks), |p| p.sections)
    }
}

fn sections(blocks: &[Block]) -> u32 {
    blocks
        .iter()
        .filter(|b| matches!(b, Block::More { .. }))
        .count() as u32
}

/// Everything the bundle holds, ready to be written.
#[derive(Clone, Debug)]
pub struct Linked {
    /// `data/site.json`.
    pub site: Site,
    /// `data/pages/<n>.json`, page 1 first.
    pub pages: Vec<List>,
    /// `data/tags.json`.
    pub tag_index: TagIndex,
    /// `data/tags/<slug>.json`, in the tag index's order.
    pub tags: Vec<List>,
    /// `data/months/<yyyy>-<mm>.json`, in `site.months` order.
    pub months: Vec<List>,
    /// `data/posts/<path>.json`, newest first.
    pub posts: Vec<LinkedPost>,
    /// Number of folded sections over the published posts.
    pub sections: u32,
    /// The spool that [`LinkedPost::search`] points into; set by the caller of
    /// [`link_site`]. Without it search text is taken from the blocks.
    pub spool: Option<Arc<Spool>>,
    /// The search index; empty until the caller of [`link_site`] builds it with
    /// [`crate::search_index::build_index`] (and names it in `site.search`).
    pub index: crate::search_index::SearchIndex,
}

/// A [`ListPage`] whose posts are indices into [`Linked::posts`]: each summary is held once.
#[derive(Clone, Debug)]
pub struct List {
    /// [`ListPage::title`].
    pub title: String,
    /// [`ListPage::page`].
    pub page: u32,
    /// [`ListPage::page_count`].
    pub page_count: u32,
    /// [`ListPage::total`].
    pub total: u32,
    /// The posts, as indices into [`Linked::posts`].
    pub posts: Vec<usize>,
}

/// A [`Post`] whose prev/next/related are indices into [`Linked::posts`].
#[derive(Clone, Debug)]
pub struct LinkedPost {
    /// [`Post::summary`].
    pub summary: PostSummary,
    /// [`Post::lead`].
    pub lead: Option<String>,
    /// [`Post::source`].
    pub source: Option<String>,
    /// [`Post::blocks`].
    pub blocks: Blocks,
    /// [`ParsedPost::search`].
    pub search: Option<SpoolRef>,
    /// [`Post::prev`].
    pub prev: Option<usize>,
    /// [`Post::next`].
    pub next: Option<usize>,
    /// [`Post::related`].
    pub related: Vec<usize>,
}

/// The blocks of a post: a tree, or JSON from [`ParsedPost::pack`]. Serialises the same.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Blocks {
    /// Kept as a tree (not packed, or holding a `RecentList`).
    Tree(Vec<Block>),
    /// `Vec<Block>` as JSON.
    Json(Box<RawValue>),
}

/// The [`Post`] file as written: [`Post`]'s fields in [`Post`]'s order, borrowed.
#[derive(Serialize)]
pub struct PostOut<'a> {
    schema: u32,
    summary: &'a PostSummary,
    lead: &'a Option<String>,
    source: &'a Option<String>,
    blocks: &'a Blocks,
    prev: Option<&'a PostSummary>,
    next: Option<&'a PostSummary>,
    related: Vec<&'a PostSummary>,
}

/// The [`ListPage`] file as written: [`ListPage`]'s fields in its order, borrowed.
#[derive(Serialize)]
pub struct ListOut<'a> {
    title: &'a str,
    page: u32,
    page_count: u32,
    total: u32,
    posts: Vec<&'a PostSummary>,
}

impl Linked {
    /// Post `i` as written to its file.
    pub fn post_out(&self, i: usize) -> PostOut<'_> {
        let p = &self.posts[i];
        let summary = |j: usize| &self.posts[j].summary;
        PostOut {
            schema: SCHEMA_VERSION,
            summary: &p.summary,
            lead: &p.lead,
            source: &p.source,
            blocks: &p.blocks,
            prev: p.prev.map(summary),
            next: p.next.map(summary),
            related: p.related.iter().map(|&j| summary(j)).collect(),
        }
    }

    /// A list as written to its file.
    pub fn list_out<'a>(&'a self, list: &'a List) -> ListOut<'a> {
        ListOut {
            title: &list.title,
            page: list.page,
            page_count: list.page_count,
            total: list.total,
            posts: list.posts.iter().map(|&i| &self.posts[i].summary).collect(),
        }
    }

    /// Post `i`'s [`text::search_text`]: from the spool ([`ParsedPost::search`]), else
    /// from its blocks.
    pub fn search_text(&self, i: usize) -> std::io::Result<String> {
        let p = &self.posts[i];
        if let (Some(at), Some(spool)) = (p.search, &self.spool) {
            return spool.get(at);
        }
        Ok(match &p.blocks {
            Blocks::Tree(b) => text::search_text(b),
            Blocks::Json(j) => {
                let blocks: Vec<Block> =
                    serde_json::from_str(j.get()).expect("packed blocks parse");
                text::search_text(&blocks)
            }
        })
    }

    /// Post `i` as the model type (packed blocks parsed back); for tests and tools.
    pub fn model_post(&self, i: usize) -> Post {
        let p = &self.posts[i];
        let summary = |j: usize| self.posts[j].summary.clone();
        Post {
            schema: SCHEMA_VERSION,
            summary: p.summary.clone(),
            lead: p.lead.clone(),
            source: p.source.clone(),
            blocks: match &p.blocks {
                Blocks::Tree(b) => b.clone(),
                Blocks::Json(j) => serde_json::from_str(j.get()).expect("packed blocks parse"),
            },
            prev: p.prev.map(summary),
            next: p.next.map(summary),
            related: p.related.iter().map(|&j| summary(j)).collect(),
        }
    }

    /// A list as the model type; for tests and tools.
    pub fn model_list(&self, list: &List) -> ListPage {
        ListPage {
            title: list.title.clone(),
            page: list.page,
            page_count: list.page_count,
            total: list.total,
            posts: list
                .posts
                .iter()
                .map(|&i| self.posts[i].summary.clone())
                .collect(),
        }
    }
}

/// How thumbnails are turned into [`Image`]s: `build` copies/resizes into the output,
/// `check` only describes them.
pub type PrepareImage<'a> = dyn Fn(&Path, &str) -> Result<Image, String> + Sync + 'a;

/// Links parsed posts into the site (drafts must already be filtered by the caller).
pub fn link_site(
    mut posts: Vec<ParsedPost>,
    config: &Config,
    prepare: &PrepareImage<'_>,
    warnings: &mut Vec<Warning>,
) -> Result<Linked, Vec<ContentError>> {
    // Newest first; ties by path so the order never depends on the file system.
    posts.sort_by(|a, b| {
        b.front
            .date
            .cmp(&a.front.date)
            .then_with(|| a.path.cmp(&b.path))
    });

    let tags = TagTable::new(&posts);
    let thumbnails = thumbnails(&posts, config, prepare, warnings);
    check_refs(&posts, &tags)?;

    let related = related_posts(&posts, &tags);
    let published: Vec<bool> = posts.iter().map(|p| !p.front.draft).collect();
    let month_of: Vec<(u16, u8)> = posts.iter().map(|p| p.front.month).collect();
    let post_count = published.iter().filter(|&&b| b).count() as u32;
    let comment_count = posts
        .iter()
        .filter(|p| !p.front.draft)
        .map(|p| p.body.comments)
        .sum();
    let sections = posts
        .iter()
        .filter(|p| !p.front.draft)
        .map(ParsedPost::sections)
        .sum();

    let redirects = alias_redirects(&posts, config, warnings);
    let full_posts = full_posts(posts, thumbnails, &tags, related);
    let page_size = config.page_size.max(1) as usize;
    let pages = list_pages(full_posts.len(), page_size);
    let (tag_index, tag_lists) = tag_shards(&tags);
    let (month_entries, month_lists) = month_shards(&month_of, &published);
    let site = Site {
        schema: SCHEMA_VERSION,
        title: config.title.clone(),
        description: config.description.clone(),
        base_url: config.base_url.clone(),
        base_path: config.base_path.clone(),
        page_size: page_size as u32,
        post_count,
        comment_count,
        pages: (1..=pages.len() as u32).map(paths::page_json).collect(),
        tag_index: paths::TAGS_JSON.to_string(),
        months: month_entries,
        search: Default::default(),
        analytics: config.analytics.clone(),
        author: config.author.clone(),
        hugo_paginate: config.hugo_paginate,
        redirects,
    };
    Ok(Linked {
        site,
        pages,
        tag_index,
        tags: tag_lists,
        months: month_lists,
        posts: full_posts,
        sections,
        spool: None,
        index: Default::default(),
    })
}

/// The front matter `aliases` of published posts as redirects, sorted by old path. An
/// alias without a leading `/` is relative to the posts section (`posts/`), as in Hugo;
/// the base path is not part of it. One that names a post's own URL, or that an earlier
/// post (newest first) already claimed, is left out with a warning.
fn alias_redirects(
    posts: &[ParsedPost],
    config: &Config,
    warnings: &mut Vec<Warning>,
) -> Vec<Redirect> {
    let routes: HashSet<String> = posts.iter().map(|p| paths::post_route(&p.path)).collect();
    let base = config.base_path.trim_matches('/');
    let mut taken: HashMap<String, &str> = HashMap::new();
    let mut out = Vec::new();
    for p in posts.iter().filter(|p| !p.front.draft) {
        for alias in &p.front.aliases {
            let mut from = match alias.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("posts/{alias}"),
            };
            // An alias written with the base path (`/sub/old/`) means the same page.
            if !base.is_empty() {
                if let Some(rest) = from.strip_prefix(base).and_then(|r| r.strip_prefix('/')) {
                    from = rest.to_string();
                }
            }
            let last = from.rsplit('/').next().unwrap_or("");
            if !from.ends_with('/') && !last.contains('.') {
                from.push('/');
            }
            let to = paths::post_route(&p.path);
            if routes.contains(&from) {
                warnings.push(Warning {
                    path: p.file.clone(),
                    message: format!("alias \"{alias}\" is the URL of a post; left out"),
                });
            } else if let Some(first) = taken.get(&from) {
                warnings.push(Warning {
                    path: p.file.clone(),
                    message: format!("alias \"{alias}\" is already an alias of {first}; left out"),
                });
            } else {
                taken.insert(from.clone(), &p.file);
                out.push(Redirect { from, to });
            }
        }
    }
    out.sort_by(|a, b| a.from.cmp(&b.from));
    out
}

/// The post files: summary, prev/next, related, and recent lists filled in.
fn full_posts(
    posts: Vec<ParsedPost>,
    thumbnails: Vec<Option<Image>>,
    tags: &TagTable,
    related: Vec<Vec<usize>>,
) -> Vec<LinkedPost> {
    let count = posts.len();
    let mut full: Vec<LinkedPost> = posts
        .into_par_iter()
        .zip(thumbnails)
        .zip(related)
        .enumerate()
        .map(|(i, ((p, thumbnail), related))| {
            let (excerpt, reading_minutes, blocks) = match p.packed {
                Some(packed) => (
                    packed.excerpt,
                    packed.reading_minutes,
                    Blocks::Json(packed.blocks),
                ),
                None => (
                    text::excerpt(&p.body.blocks),
                    text::reading_minutes(&p.front.title, &p.body.blocks),
                    Blocks::Tree(p.body.blocks),
                ),
            };
            LinkedPost {
                summary: PostSummary {
                    path: p.path,
                    title: p.front.title,
                    date: p.front.date,
                    tags: tags.refs(&p.front.tags),
                    thumbnail,
                    comments: p.body.comments,
                    reading_minutes,
                    excerpt,
                },
                lead: p.body.lead,
                source: p.body.source,
                blocks,
                search: p.search,
                prev: (i + 1 < count).then_some(i + 1),
                next: i.checked_sub(1),
                related,
            }
        })
        .collect();
    // Rare: recent lists need every summary, so they are filled in last.
    let recent: Vec<(usize, Vec<Block>)> = full
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match &p.blocks {
            Blocks::Tree(b) if b.iter().any(|b| matches!(b, Block::RecentList { .. })) => {
                let mut blocks = b.clone();
                for block in &mut blocks {
                    if let Block::RecentList { limit, posts: list } = block {
                        *list = full
                            .iter()
                            .filter(|s| s.summary.path != p.summary.path)
                            .take(*limit as usize)
                            .map(|s| s.summary.clone())
                            .collect();
                    }
                }
                Some((i, blocks))
            }
            _ => None,
        })
        .collect();
    for (i, blocks) in recent {
        full[i].blocks = Blocks::Tree(blocks);
    }
    full
}

/// All posts in pages of `page_size`; an empty site still has page 1.
fn list_pages(count: usize, page_size: usize) -> Vec<List> {
    let page_count = count.div_ceil(page_size).max(1);
    (0..page_count)
        .map(|n| List {
            title: "記事一覧".into(),
            page: n as u32 + 1,
            page_count: page_count as u32,
            total: count as u32,
            posts: (n * page_size..count.min((n + 1) * page_size)).collect(),
        })
        .collect()
}

/// The tag index (by count, then name) and one list per tag, in the same order.
fn tag_shards(tags: &TagTable) -> (TagIndex, Vec<List>) {
    let mut order: Vec<&TagInfo> = tags.entries.iter().collect();
    order.sort_by(|a, b| {
        b.posts
            .len()
            .cmp(&a.posts.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    let lists = order
        .iter()
        .map(|e| list(&e.name, e.posts.clone()))
        .collect();
    let index = TagIndex {
        tags: order
            .iter()
            .map(|e| TagEntry {
                slug: e.slug.clone(),
                name: e.name.clone(),
                count: e.posts.len() as u32,
                file: paths::tag_json(&e.slug),
            })
            .collect(),
    };
    (index, lists)
}

/// Months newest first with their published counts, and one list per month.
fn month_shards(month_of: &[(u16, u8)], published: &[bool]) -> (Vec<MonthEntry>, Vec<List>) {
    let mut order: Vec<usize> = (0..month_of.len()).collect();
    // Stable within a month: posts keep their newest-first order.
    order.sort_by(|&a, &b| month_of[b].cmp(&month_of[a]).then(a.cmp(&b)));
    let mut months: Vec<((u16, u8), Vec<usize>)> = Vec::new();
    for i in order {
        match months.last_mut() {
            Some((m, list)) if *m == month_of[i] => list.push(i),
            _ => months.push((month_of[i], vec![i])),
        }
    }
    let entries = months
        .iter()
        .map(|((y, m), list)| MonthEntry {
            year: *y,
            month: *m,
            count: list.iter().filter(|&&i| published[i]).count() as u32,
            file: paths::month_json(*y, *m),
        })
        .collect();
    let lists = months
        .into_iter()
        .map(|((y, m), list)| self::list(&format!("{y}年{m}月"), list))
        .collect();
    (entries, lists)
}

fn list(title: &str, posts: Vec<usize>) -> List {
    List {
        title: title.to_string(),
        page: 1,
        page_count: 1,
        total: posts.len() as u32,
        posts,
    }
}

/// Tags merged case-insensitively, with slugs and posting lists (indices, newest first).
struct TagTable {
    entries: Vec<TagInfo>,
    by_key: HashMap<String, usize>,
}

struct TagInfo {
    name: String,
    slug: String,
    posts: Vec<usize>,
}

impl TagTable {
    fn new(posts: &[ParsedPost]) -> TagTable {
        struct Key {
            key: String,
            /// Spellings with their number of uses.
            spellings: Vec<(String, usize)>,
            posts: Vec<usize>,
        }
        let mut keys: Vec<Key> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (i, p) in posts.iter().enumerate() {
            for tag in &p.front.tags {
                let key = tag.to_lowercase();
                let k = *by_key.entry(key.clone()).or_insert_with(|| {
                    keys.push(Key {
                        key,
                        spellings: Vec::new(),
                        posts: Vec::new(),
                    });
                    keys.len() - 1
                });
                let entry = &mut keys[k];
                if entry.posts.last() != Some(&i) {
                    entry.posts.push(i);
                }
                match entry.spellings.iter_mut().find(|(s, _)| s == tag) {
                    Some((_, n)) => *n += 1,
                    None => entry.spellings.push((tag.clone(), 1)),
                }
            }
        }
        // Slugs are assigned by priority (most posts, then key) so suffixes are stable.
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| {
            keys[b]
                .posts
                .len()
                .cmp(&keys[a].posts.len())
                .then_with(|| keys[a].key.cmp(&keys[b].key))
        });
        let slugs = slug::assign_slugs(order.iter().map(|&k| keys[k].key.as_str()));
        let mut slug_of = vec![String::new(); keys.len()];
        for (&k, s) in order.iter().zip(slugs) {
            slug_of[k] = s;
        }
        let entries = keys
            .into_iter()
            .zip(slug_of)
            .map(|(k, slug)| {
                // Most used spelling; on a tie the one with more capitals (`SQLite` over
                // `sqlite`: names get lowercased by mistake, rarely the other way round),
                // then the one seen first (in the newest post).
                let rank =
                    |s: &(String, usize)| (s.1, s.0.chars().filter(|c| c.is_uppercase()).count());
                let name = k
                    .spellings
                    .iter()
                    .fold(
                        &k.spellings[0],
                        |best, s| if rank(s) > rank(best) { s } else { best },
                    )
                    .0
                    .clone();
                TagInfo {
                    name,
                    slug,
                    posts: k.posts,
                }
            })
            .collect();
        TagTable { entries, by_key }
    }

    fn refs(&self, tags: &[String]) -> Vec<TagRef> {
        let mut seen = HashSet::new();
        tags.iter()
            .filter_map(|t| self.by_key.get(&t.to_lowercase()).copied())
            .filter(|&k| seen.insert(k))
            .map(|k| TagRef {
                slug: self.entries[k].slug.clone(),
                name: self.entries[k].name.clone(),
            })
            .collect()
    }
}

/// Candidates looked at per tag for related posts: the nearest posts in date order. Keeps
/// the work linear in the number of posts even when one tag is on half of them.
const RELATED_WINDOW: usize = 64;

/// Up to 5 posts sharing the most tags with each post (then the nearest in time).
fn related_posts(posts: &[ParsedPost], tags: &TagTable) -> Vec<Vec<usize>> {
    posts
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut shared: HashMap<usize, u32> = HashMap::new();
            let mut seen = HashSet::new();
            for t in &p.front.tags {
                let Some(&k) = tags.by_key.get(&t.to_lowercase()) else {
                    continue;
                };
                if !seen.insert(k) {
                    continue;
                }
                let list = &tags.entries[k].posts;
                let at = list.binary_search(&i).unwrap_or_else(|x| x);
                let lo = at.saturating_sub(RELATED_WINDOW / 2);
                let hi = (at + RELATED_WINDOW / 2 + 1).min(list.len());
                for &j in &list[lo..hi] {
                    if j != i {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            let mut ranked: Vec<(usize, u32)> = shared.into_iter().collect();
            ranked.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| a.0.abs_diff(i).cmp(&b.0.abs_diff(i)))
                    .then(a.0.cmp(&b.0))
            });
            ranked.into_iter().take(5).map(|(j, _)| j).collect()
        })
        .collect()
}

/// Names beside `index.md` that win over `featureimage`, as in Blowfish (first found wins).
pub const FEATURE_FILES: [&str; 4] = ["feature.jpg", "feature.jpeg", "feature.png", "feature.webp"];

/// Folder of the bundle that thumbnails go to. The image step names its files by content
/// hash, so thumbnails from different folders cannot collide there.
pub const IMAGES_DIR: &str = "images";

/// Resolves each post's thumbnail, preparing each distinct image file once.
fn thumbnails(
    posts: &[ParsedPost],
    config: &Config,
    prepare: &PrepareImage<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<Option<Image>> {
    let wanted: Vec<Option<PathBuf>> = posts
        .iter()
        .map(|p| {
            if let Some(f) = &p.feature {
                return Some(f.clone());
            }
            let rel = p.front.featureimage.as_deref()?;
            let rel_path = Path::new(rel.trim_start_matches('/'));
            if rel_path
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                warnings.push(Warning {
                    path: p.file.clone(),
                    message: format!(
                        "featureimage \"{rel}\" leaves the assets folder; no thumbnail"
                    ),
                });
                return None;
            }
            let src = config.assets.join(rel_path);
            if !src.is_file() {
                warnings.push(Warning {
                    path: p.file.clone(),
                    message: format!(
                        "featureimage \"{rel}\" not found at {}; no thumbnail",
                        src.display()
                    ),
                });
                return None;
            }
            Some(src)
        })
        .collect();
    let mut distinct: Vec<&PathBuf> = wanted.iter().flatten().collect();
    distinct.sort();
    distinct.dedup();
    let prepared: HashMap<&PathBuf, Result<Image, String>> = distinct
        .par_iter()
        .map(|&src| (src, prepare(src, IMAGES_DIR)))
        .collect();
    wanted
        .iter()
        .zip(posts)
        .map(|(w, p)| match prepared.get(w.as_ref()?)? {
            Ok(img) => Some(img.clone()),
            Err(e) => {
                warnings.push(Warning {
                    path: p.file.clone(),
                    message: format!("thumbnail could not be prepared: {e}"),
                });
                None
            }
        })
        .collect()
}

/// Every `{{% ref %}}` must name a page the site has.
fn check_refs(posts: &[ParsedPost], tags: &TagTable) -> Result<(), Vec<ContentError>> {
    let post_routes: HashSet<String> = posts.iter().map(|p| paths::post_route(&p.path)).collect();
    let tag_routes: HashSet<String> = tags
        .entries
        .iter()
        .map(|t| paths::tag_route(&t.slug))
        .collect();
    let fixed = [
        "",
        "posts/",
        paths::TAGS_ROUTE,
        paths::MONTHS_ROUTE,
        paths::SEARCH_ROUTE,
    ];
    let errors: Vec<ContentError> = posts
        .iter()
        .flat_map(|p| p.body.refs.iter().map(move |r| (p, r)))
        .filter(|(_, (route, _))| {
            !(fixed.contains(&route.as_str())
                || post_routes.contains(route)
                || tag_routes.contains(route)
                || is_month_or_page_route(route))
        })
        .map(|(p, (route, offset))| {
            // Rare: the file is read again to place the error.
            let kind = ErrorKind::BrokenRef(format!("/{route}"));
            match std::fs::read_to_string(&p.file) {
                Ok(src) => ContentError::at(&p.file, &src, *offset, kind),
                Err(_) => ContentError::whole_file(&p.file, kind),
            }
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn is_month_or_page_route(route: &str) -> bool {
    let parts: Vec<&str> = route.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        ["months", y, m] => {
            y.len() == 4 && m.len() == 2 && y.parse::<u16>().is_ok() && m.parse::<u8>().is_ok()
        }
        ["posts", "page", n] => n.parse::<u32>().is_ok(),
        _ => false,
    }
}
