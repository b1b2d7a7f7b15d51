//! `/tags/:tag/`: the posts of one tag.

use leptos::prelude::*;
use matome_model::paths;

use crate::api;
use crate::page::Page;
use crate::pages::loader::{boxed, Loader, Skeleton};

/// Back link of a tag page.
pub const BACK: (&str, &str) = (paths::TAGS_ROUTE, "← タグ一覧へ");

/// Heading of a tag page.
pub fn heading(name: &str) -> String {
    format!("タグ: {name}")
}

/// Posts of one tag; an unknown tag shows the not-found page.
#[component]
pub fn TagPage(
    /// The tag's slug (decoded).
    slug: String,
) -> impl IntoView {
    let load = Box::new(move || {
        let slug = slug.clone();
        boxed(async move {
            let list = api::fetch_tag(&slug).await?;
            Ok(Page::Tag { slug, list })
        })
    });
    view! { <Loader load skeleton=Skeleton::List(4) /> }
}
