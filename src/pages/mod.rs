//! One file per route.

pub mod home;
pub mod loader;
pub mod month;
pub mod months;
pub mod not_found;
pub mod post;
pub mod post_list;
pub mod search;
pub mod tag;
pub mod tags;

use matome_model::{paths, PostSummary, Site};

use crate::page::Page;
use crate::{api, dom, format};

/// Sets the tab's title and the meta description from the page's head (the build wrote
/// the same into the page's HTML).
pub(crate) fn show_head(page: &Page) {
    let site_title = api::cached::<Site>(&api::href(paths::SITE_JSON))
        .map(|s| s.title)
        .unwrap_or_else(dom::initial_title);
    let head = page.head(&site_title);
    dom::set_meta(&head.title, &head.description);
}

/// Posts grouped by year, keeping their order: `[(2025, [...]), (2024, [...])]`.
pub(crate) fn group_by_year(posts: Vec<PostSummary>) -> Vec<(Option<u16>, Vec<PostSummary>)> {
    let mut groups: Vec<(Option<u16>, Vec<PostSummary>)> = Vec::new();
    for post in posts {
        let year = format::year(&post.date);
        match groups.last_mut() {
            Some((y, list)) if *y == year => list.push(post),
            _ => groups.push((year, vec![post])),
        }
    }
    groups
}
