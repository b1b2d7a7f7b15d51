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

use matome_model::{paths, rules, PostSummary, Site};

use crate::page::Page;
use crate::{api, dom, format, takeover};

/// Sets the tab's title, description, canonical link and OpenGraph tags from the page's
/// head (the build wrote the same into the page's HTML). Without the site's data (not
/// loaded yet), the site's URL is the one the prerendered page was written with.
pub(crate) fn show_head(page: &Page) {
    let site = api::cached::<Site>(&api::href(paths::SITE_JSON));
    let base = api::base_path();
    let (title, url) = match site {
        Some(s) => {
            let url = rules::site_url(&s.base_url, &base);
            (s.title, url)
        }
        None => {
            let url = takeover::site_url().unwrap_or_else(|| {
                let origin = dom::window()
                    .and_then(|w| w.location().origin().ok())
                    .unwrap_or_default();
                rules::site_url(&origin, &base)
            });
            (dom::initial_title(), url)
        }
    };
    dom::set_head(&page.head(&title).tags(&url, &title));
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
