//! The matome reader app: Leptos CSR, compiled to wasm by Trunk.
//!
//! `App` holds the router only ([`router`]); pages live in [`pages`], components in
//! [`components`], data access in [`api`].

pub mod api;
pub mod components;
pub mod dom;
pub mod format;
pub mod pages;
pub mod router;

use leptos::prelude::*;

use components::header::Header;
use router::Route;
use pages::{
    home::HomePage, month::MonthPage, months::MonthsPage, not_found::NotFoundPage,
    post::PostPage, post_list::PostListPage, search::SearchPage, tag::TagPage, tags::TagsPage,
};

/// Root component: header and the page of the current route (below the base path
/// from `<base href>`).
#[component]
pub fn App() -> impl IntoView {
    dom::init_scroll_restoration();
    let route = router::init();
    view! {
        <Header />
        <main id="main" class="site-main" tabindex="-1">
            {move || match route.get() {
                Route::Home => view! { <HomePage /> }.into_any(),
                Route::Posts(page) => view! { <PostListPage page /> }.into_any(),
                Route::Post(path) => view! { <PostPage path /> }.into_any(),
                Route::Tags => view! { <TagsPage /> }.into_any(),
                Route::Tag(slug) => view! { <TagPage slug /> }.into_any(),
                Route::Months => view! { <MonthsPage /> }.into_any(),
                Route::Month(month) => view! { <MonthPage month /> }.into_any(),
                Route::Search => view! { <SearchPage /> }.into_any(),
                Route::NotFound => view! { <NotFoundPage /> }.into_any(),
            }}
        </main>
        <footer class="site-footer">
            <p>"Hacker Newsのスレッドを日本語で。"</p>
        </footer>
    }
}
