//! `/posts/` and `/posts/page/:n/`: all posts, newest first, grouped by year.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::error_view::ErrorView;
use crate::components::not_found::NotFoundMessage;
use crate::components::pager::Pager;
use crate::components::post_card::PostCard;
use crate::components::skeleton::ListSkeleton;
use crate::pages::{group_by_year, set_page_meta};
use crate::{api, dom};

/// One page of the post list.
#[component]
pub fn PostListPage() -> impl IntoView {
    let params = use_params_map();
    let page_number = move || match params.read().get("n") {
        None => Some(1),
        Some(n) => n.parse::<u32>().ok().filter(|n| *n >= 1),
    };
    let data = LocalResource::new(move || {
        let n = page_number();
        async move {
            match n {
                Some(n) => api::fetch_page(n).await,
                None => Err(api::FetchError::NotFound),
            }
        }
    });
    view! {
        <Suspense fallback=|| view! { <ListSkeleton rows=6 /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((_, page)) => {
                        let heading = if page.page > 1 {
                            format!("記事一覧（{}ページ目）", page.page)
                        } else {
                            "記事一覧".to_string()
                        };
                        set_page_meta(Some(&heading), &format!("全{}本の記事を新しい順に", page.total));
                        dom::page_ready();
                        view! {
                            <h1 class="page-title">"記事一覧"</h1>
                            <p class="page-subtitle">
                                {format!("全{}本・{} / {}ページ", page.total, page.page, page.page_count.max(1))}
                            </p>
                            {group_by_year(page.posts)
                                .into_iter()
                                .map(|(year, posts)| {
                                    view! {
                                        <section class="year-group">
                                            <h2 class="year-group-heading">
                                                {year.map(|y| format!("{y}年")).unwrap_or_else(|| "日付なし".into())}
                                            </h2>
                                            <div class="post-list">
                                                {posts.into_iter().map(|summary| view! { <PostCard summary compact=true /> }).collect_view()}
                                            </div>
                                        </section>
                                    }
                                })
                                .collect_view()}
                            <Pager page=page.page page_count=page.page_count />
                        }
                        .into_any()
                    }
                    Err(api::FetchError::NotFound) => view! { <NotFoundMessage /> }.into_any(),
                    Err(error) => view! { <ErrorView error on_retry=move |_: ()| data.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
