//! `/posts/` and `/posts/page/:n/`: all posts, newest first, grouped by year.

use leptos::prelude::*;
use matome_model::ListPage;

use crate::api::{self, FetchError};
use crate::components::pager::Pager;
use crate::components::post_card::PostCard;
use crate::format;
use crate::page::Page;
use crate::pages::group_by_year;
use crate::pages::loader::{boxed, Loader, Skeleton};

/// One page of the post list; a page number out of range shows the not-found page.
#[component]
pub fn PostListPage(
    /// 1-based page number; `None` when the URL's number is malformed.
    page: Option<u32>,
) -> impl IntoView {
    let load = Box::new(move || {
        let n = page;
        boxed(async move {
            let (_, page) = api::fetch_page(n.ok_or(FetchError::NotFound)?).await?;
            Ok(Page::Posts(page))
        })
    });
    view! { <Loader load skeleton=Skeleton::List(6) /> }
}

/// One list page's content: posts grouped by year, and the pager.
#[component]
pub fn PostListView(page: ListPage) -> impl IntoView {
    view! {
        <h1 class="page-title">"記事一覧"</h1>
        <p class="page-subtitle">
            {format!(
                "全{}本・{} / {}ページ",
                format::thousands(page.total.into()),
                format::thousands(page.page.into()),
                format::thousands(page.page_count.max(1).into())
            )}
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
}
