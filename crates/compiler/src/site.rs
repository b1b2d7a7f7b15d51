//! Site level: orders posts, builds tags, months, list pages, prev/next, related posts,
//! recent lists, thumbnails, and checks `ref` targets.
//!
//! This file is the linking pass itself ([`link_site`]) and the lists it builds; the
//! parts with a life of their own are beside it: the parsed and packed post
//! ([`packed`]), the linked output and its file shapes ([`linked`]), the tag table
//! ([`tags`]), related posts ([`related`]) and thumbnails ([`thumbnails`]).

mod home;
mod linked;
mod packed;
mod related;
mod tags;
mod thumbnails;

pub use linked::{Blocks, Linked, LinkedPost, List, ListOut, PostOut};
pub use packed::{Packed, ParsedPost};
pub use thumbnails::{FEATURE_FILES, IMAGES_DIR};

use related::related_posts;
use tags::{tag_shards, TagTable};
use thumbnails::thumbnails;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use matome_model::{paths, Block, Image, MonthEntry, PostSummary, Redirect, Site, SCHEMA_VERSION};
use rayon::prelude::*;

use crate::config::Config;
use crate::error::{ContentError, ErrorKind, Warning};
use crate::text;

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
    let home = home::home(config, prepare, warnings);
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
        home,
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
                search_digest: p.search_digest,
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
