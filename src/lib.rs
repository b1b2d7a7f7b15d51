//! The matome reader app: Leptos CSR, compiled to wasm by Trunk.
//!
//! `App` holds the router only; pages live in [`pages`], components in
//! [`components`], data access in [`api`].

pub mod api;
pub mod components;
pub mod dom;
pub mod format;
pub mod pages;

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::path;

use components::header::Header;
use pages::{
    home::HomePage, month::MonthPage, months::MonthsPage, not_found::NotFoundPage,
    post::PostPage, post_list::PostListPage, search::SearchPage, tag::TagPage, tags::TagsPage,
};

/// Root component: header and the routes, under the base path from `<base href>`.
#[component]
pub fn App() -> impl IntoView {
    dom::init_scroll_restoration();
    let base = api::base_path();
    view! {
        <Router base=base>
            <Header />
            <main id="main" class="site-main" tabindex="-1">
                <FlatRoutes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/posts") view=PostListPage />
                    <Route path=path!("/posts/page/:n") view=PostListPage />
                    <Route path=path!("/posts/:section/:slug") view=PostPage />
                    <Route path=path!("/tags") view=TagsPage />
                    <Route path=path!("/tags/:tag") view=TagPage />
                    <Route path=path!("/months") view=MonthsPage />
                    <Route path=path!("/months/:yyyy/:mm") view=MonthPage />
                    <Route path=path!("/search") view=SearchPage />
                </FlatRoutes>
            </main>
            <footer class="site-footer">
                <p>"Hacker Newsのスレッドを日本語で。"</p>
            </footer>
        </Router>
    }
}
