//! `/`: the newest posts.

use leptos::prelude::*;
use matome_model::{paths, ListPage, Site};

use crate::components::post_card::{PostCard, Thumbnail};
use crate::page::Page;
use crate::pages::loader::{boxed, Loader, Skeleton};
use crate::{api, format};

/// Home page: site introduction and the first list page as cards.
#[component]
pub fn HomePage() -> impl IntoView {
    let load = Box::new(|| {
        boxed(async {
            let (site, page) = api::fetch_page(1).await?;
            Ok(Page::Home {
                site: Box::new(site),
                page,
            })
        })
    });
    view! { <Loader load skeleton=Skeleton::List(4) /> }
}

/// The home page's content.
#[component]
pub fn HomeView(site: Site, page: ListPage) -> impl IntoView {
    let more = paths::page_route(if page.page_count > 1 { 2 } else { 1 });
    let home = site.home.unwrap_or_default();
    let hero = home.image.is_some() || home.author_image.is_some();
    let banner = home.image.map(|image| {
        view! { <Thumbnail image class="home-banner" sizes="(min-width: 64rem) 60rem, 100vw" eager=true /> }
    });
    let portrait = home.author_image.map(|image| {
        view! { <Thumbnail image class="home-portrait" sizes="6rem" eager=true /> }
    });
    let headline =
        (!home.headline.is_empty()).then(|| view! { <p class="home-headline">{home.headline}</p> });
    let bio = (!home.bio.is_empty()).then(|| view! { <p class="home-bio">{home.bio}</p> });
    view! {
        <section class="home-intro" class:home-hero=hero>
            {banner}
            {portrait}
            <h1 class="home-title">{site.title}</h1>
            {headline}
            <p class="home-lead">{site.description}</p>
            {bio}
            <p class="home-stats">
                {format!(
                    "{}本の記事・{}件のコメント",
                    format::thousands(site.post_count.into()),
                    format::thousands(site.comment_count.into()),
                )}
            </p>
        </section>
        <section class="home-latest" aria-labelledby="home-latest-heading">
            <h2 id="home-latest-heading" class="section-heading">"新着記事"</h2>
            <div class="post-grid">
                {page.posts.into_iter().map(|summary| view! { <PostCard summary /> }).collect_view()}
            </div>
            <p class="more-link">
                <a class="button" href=api::href(&more)>"すべての記事を見る →"</a>
            </p>
        </section>
    }
}
