//! `/`: the newest posts.

use leptos::prelude::*;
use matome_model::paths;

use crate::components::error_view::ErrorView;
use crate::components::post_card::PostCard;
use crate::components::skeleton::ListSkeleton;
use crate::{api, dom, pages::set_page_meta};

/// Home page: site introduction and the first list page as cards.
#[component]
pub fn HomePage() -> impl IntoView {
    let data = LocalResource::new(|| api::fetch_page(1));
    view! {
        <Suspense fallback=|| view! { <ListSkeleton rows=4 /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((site, page)) => {
                        set_page_meta(None, &site.description);
                        dom::page_ready();
                        view! {
                            <section class="home-intro">
                                <h1 class="home-title">{site.title.clone()}</h1>
                                <p class="home-lead">{site.description.clone()}</p>
                                <p class="home-stats">
                                    {format!("{}本の記事・{}件のコメント", site.post_count, site.comment_count)}
                                </p>
                            </section>
                            <section class="home-latest" aria-labelledby="home-latest-heading">
                                <h2 id="home-latest-heading" class="section-heading">"新着記事"</h2>
                                <div class="post-grid">
                                    {page.posts.into_iter().map(|summary| view! { <PostCard summary /> }).collect_view()}
                                </div>
                                <p class="more-link">
                                    <a class="button" href=api::href(&paths::page_route(if page.page_count > 1 { 2 } else { 1 }))>
                                        "すべての記事を見る →"
                                    </a>
                                </p>
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorView error on_retry=move |_: ()| data.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
