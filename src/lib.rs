//! The matome reader app: Leptos CSR, compiled to wasm by Trunk. The same components are
//! rendered to HTML at build time ([`prerender`], native only), and the app takes the
//! prerendered page over ([`takeover`]).
//!
//! `App` holds the router only ([`router`]); pages live in [`pages`], components in
//! [`components`], data access in [`api`], page-wide listeners in [`behaviour`].

pub mod api;
pub mod behaviour;
pub mod components;
pub mod dom;
pub mod format;
pub mod pages;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod router;
pub mod takeover;

use leptos::prelude::*;

use components::header::Header;
use router::Route;
use pages::{
    home::HomePage, month::MonthPage, months::MonthsPage, not_found::NotFoundPage,
    post::PostPage, post_list::PostListPage, search::SearchPage, tag::TagPage, tags::TagsPage,
};

/// Root component: the page of the current route (below the base path from
/// `<base href>`) inside the site's [`Shell`].
#[component]
pub fn App() -> impl IntoView {
    dom::init_scroll_restoration();
    behaviour::init();
    let route = router::init();
    view! {
        <Shell title=dom::initial_title()>
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
        </Shell>
    }
}

/// What every page has around its content: skip link, header, `main`, footer.
#[component]
pub fn Shell(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <Header title />
        <main id="main" class="site-main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>"Hacker Newsのスレッドを日本語で。"</p>
        </footer>
    }
}
