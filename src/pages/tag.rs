//! `/tags/:tag/`: the posts of one tag.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use matome_model::{paths, ListPage};

use crate::components::error_view::ErrorView;
use crate::components::post_card::PostCard;
use crate::components::skeleton::ListSkeleton;
use crate::pages::set_page_meta;
use crate::{api, dom};

/// Posts of one tag; an unknown tag shows the not-found page.
#[component]
pub fn TagPage() -> impl IntoView {
    let params = use_params_map();
    let data = LocalResource::new(move || {
        let slug = api::decode_param(&params.read().get("tag").unwrap_or_default());
        async move { api::fetch_tag(&slug).await }
    });
    view! {
        <Suspense fallback=|| view! { <ListSkeleton rows=4 /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => {
                        let heading = format!("タグ: {}", list.title);
                        set_page_meta(Some(&heading), &format!("「{}」の記事{}本", list.title, list.total));
                        dom::page_ready();
                        view! { <ListView list heading back=(paths::TAGS_ROUTE, "← タグ一覧へ") /> }.into_any()
                    }
                    Err(error) => view! { <ErrorView error on_retry=move |_: ()| data.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A tag or month list: heading, count and post cards.
#[component]
pub fn ListView(list: ListPage, heading: String, back: (&'static str, &'static str)) -> impl IntoView {
    view! {
        <h1 class="page-title">{heading}</h1>
        <p class="page-subtitle">{format!("{}本の記事", list.total.max(list.posts.len() as u32))}</p>
        <div class="post-grid">
            {list.posts.into_iter().map(|summary| view! { <PostCard summary /> }).collect_view()}
        </div>
        <p class="back-link"><a class="button button-quiet" href=api::href(back.0)>{back.1}</a></p>
    }
}
