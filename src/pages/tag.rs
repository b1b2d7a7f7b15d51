//! `/tags/:tag/`: the posts of one tag.

use std::rc::Rc;

use leptos::prelude::*;
use matome_model::{paths, ListPage};

use crate::api;
use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::components::post_card::PostCard;
use crate::pages::set_page_meta;

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
            let heading = format!("タグ: {}", list.title);
            set_page_meta(Some(&heading), &format!("「{}」の記事{}本", list.title, list.total));
            Ok(list_render(list, heading, (paths::TAGS_ROUTE, "← タグ一覧へ")))
        })
    });
    view! { <Loader load skeleton=Skeleton::List(4) /> }
}

/// A tag or month list: heading, count, post cards and a way back.
pub fn list_render(list: ListPage, heading: String, back: (&'static str, &'static str)) -> Render {
    Rc::new(move || {
        view! {
            <h1 class="page-title">{heading.clone()}</h1>
            <p class="page-subtitle">{format!("{}本の記事", list.total.max(list.posts.len() as u32))}</p>
            <div class="post-grid">
                {list.posts.clone().into_iter().map(|summary| view! { <PostCard summary /> }).collect_view()}
            </div>
            <p class="back-link"><a class="button button-quiet" href=api::href(back.0)>{back.1}</a></p>
        }
        .into_any()
    })
}
