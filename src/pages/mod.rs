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

use crate::{api, dom, format};

/// Sets `<title>` to `page | site` (or the site title alone) and the description.
pub(crate) fn set_page_meta(page: Option<&str>, description: &str) {
    let site = api::cached::<Site>(&api::href(paths::SITE_JSON));
    let site_title = site
        .as_ref()
        .map(|s| s.title.clone())
        .unwrap_or_else(dom::initial_title);
    let description = if description.is_empty() {
        site.map(|s| s.description).unwrap_or_default()
    } else {
        description.to_string()
    };
    let title = match page {
        Some(p) => format!("{p} | {site_title}"),
        None => site_title,
    };
    dom::set_meta(&title, &description);
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
