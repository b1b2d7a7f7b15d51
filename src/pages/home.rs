//! `/`: the newest posts.

use std::rc::Rc;

use leptos::prelude::*;
use matome_model::paths;

use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::components::post_card::PostCard;
use crate::{api, pages::set_page_meta};

/// Home page: site introduction and the first list page as cards.
#[component]
pub fn HomePage() -> impl IntoView {
    let load = Box::new(|| {
        boxed(async {
            let (site, page) = api::fetch_page(1).await?;
            set_page_meta(None, &site.description);
            let render: Render = Rc::new(move || {
                let more = paths::page_route(if page.page_count > 1 { 2 } else { 1 });
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
                            {page.posts.clone().into_iter().map(|summary| view! { <PostCard summary /> }).collect_view()}
                        </div>
                        <p class="more-link">
                            <a class="button" href=api::href(&more)>"すべての記事を見る →"</a>
                        </p>
                    </section>
                }
                .into_any()
            });
            Ok(render)
        })
    });
    view! { <Loader load skeleton=Skeleton::List(4) /> }
}
