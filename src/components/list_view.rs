//! A tag's or a month's posts: heading, count, post cards and a way back.

use leptos::prelude::*;
use matome_model::ListPage;

use crate::components::post_card::PostCard;
use crate::{api, format};

/// The content of a tag or month page; `back` is the route and label of the way back,
/// `intro` goes between the heading and the posts (a month's ranking).
#[component]
pub fn ListView(
    list: ListPage,
    #[prop(into)] heading: String,
    back: (&'static str, &'static str),
    #[prop(optional)] intro: Option<AnyView>,
) -> impl IntoView {
    let count = list.total.max(list.posts.len() as u32);
    view! {
        <h1 class="page-title">{heading}</h1>
        <p class="page-subtitle">{format!("{}本の記事", format::thousands(count.into()))}</p>
        {intro}
        // The cards' titles are `h3`s: a heading of their level's parent keeps the
        // outline in order for screen readers (shown by the cards themselves).
        <h2 class="visually-hidden">"記事一覧"</h2>
        <div class="post-grid">
            {list.posts.into_iter().map(|summary| view! { <PostCard summary /> }).collect_view()}
        </div>
        <p class="back-link"><a class="button button-quiet" href=api::href(back.0)>{back.1}</a></p>
    }
}
