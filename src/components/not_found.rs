//! The "page not found" message (used by the 404 route and unknown posts, tags, months).

use leptos::prelude::*;

use crate::api;

/// A not-found message with the page's only `h1` and ways back.
#[component]
pub fn NotFoundMessage() -> impl IntoView {
    crate::pages::show_head(&crate::page::Page::NotFound);
    view! {
        <section class="not-found" data-not-found="">
            <p class="not-found-code">"404"</p>
            <h1 class="not-found-title">"ページが見つかりません"</h1>
            <p>"URLが間違っているか、記事が移動または削除された可能性があります。"</p>
            <p class="not-found-links">
                <a class="button" href=api::href("")>"トップへ"</a>
                <a class="button button-quiet" href=api::href("posts/")>"記事一覧へ"</a>
            </p>
        </section>
    }
}
