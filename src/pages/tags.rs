//! `/tags/`: every tag with its count, sortable by count or name.

use leptos::prelude::*;
use matome_model::{TagEntry, TagIndex};

use crate::page::Page;
use crate::pages::loader::{boxed, Loader, Skeleton};
use crate::{api, format};

/// The tag list.
#[component]
pub fn TagsPage() -> impl IntoView {
    let load = Box::new(move || boxed(async move { Ok(Page::Tags(api::fetch_tags().await?)) }));
    view! { <Loader load skeleton=Skeleton::List(3) /> }
}

/// The tag list's content: heading, sort switch and the tags, most used first. The
/// switch re-orders the items in place (`behaviour.rs`), so the list is the same markup
/// with or without the app.
#[component]
pub fn TagsView(index: TagIndex) -> impl IntoView {
    let mut tags = index.tags;
    tags.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    view! {
        <h1 class="page-title">"タグ"</h1>
        <div class="sort-switch" role="group" aria-label="並べ替え">
            <button type="button" class=crate::hook!(sort_button) data-sort="count" aria-pressed="true">
                "件数順"
            </button>
            <button type="button" class=crate::hook!(sort_button) data-sort="name" aria-pressed="false">
                "名前順"
            </button>
        </div>
        <ul class=crate::hook!(tag_cloud)>{tags.into_iter().map(tag_item).collect_view()}</ul>
    }
}

fn tag_item(t: TagEntry) -> impl IntoView {
    // The name order's key: ASCII case folded (Unicode's case tables cost 8 KB gzip of
    // wasm; Japanese names have no case).
    let key = t.name.to_ascii_lowercase();
    view! {
        <li data-count=t.count data-name=key>
            <a class="tag-cloud-link" href=api::tag_href(&t.slug)>
                <span class="tag-cloud-name">{t.name}</span>
                <span class="tag-cloud-count">{format::thousands(t.count.into())}</span>
            </a>
        </li>
    }
}
