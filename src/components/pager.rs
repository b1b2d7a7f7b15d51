//! Previous/next page links of the paginated post list.

use leptos::prelude::*;
use matome_model::paths;

use crate::{api, format};

/// `← 新しい記事 | 2 / 190 | 古い記事 →`.
#[component]
pub fn Pager(page: u32, page_count: u32) -> impl IntoView {
    let newer = (page > 1).then(|| {
        view! { <a class="pager-link" rel="prev" href=api::href(&paths::page_route(page - 1))>"← 新しい記事"</a> }
    });
    let older = (page < page_count).then(|| {
        view! { <a class="pager-link" rel="next" href=api::href(&paths::page_route(page + 1))>"古い記事 →"</a> }
    });
    view! {
        <nav class="pager" aria-label="ページ送り">
            <span class="pager-slot">{newer}</span>
            <span class="pager-status">{format!("{} / {}", format::thousands(page.into()), format::thousands(page_count.max(1).into()))}</span>
            <span class="pager-slot pager-slot-end">{older}</span>
        </nav>
    }
}
