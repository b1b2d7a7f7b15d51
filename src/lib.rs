//! The matome reader app: Leptos CSR, compiled to wasm by Trunk. The same components are
//! rendered to HTML at build time ([`prerender`], native only), and the app takes the
//! prerendered page over without rebuilding it ([`takeover`]).
//!
//! [`Live`] holds the router only ([`router`]); pages live in [`pages`], components in
//! [`components`], data access in [`api`], page-wide listeners in [`behaviour`], the
//! controls' mounting into a prerendered page in [`islands`].

pub mod api;
pub mod behaviour;
pub mod components;
pub mod dom;
pub mod format;
pub mod hooks;
pub mod islands;
pub mod offline;
pub mod page;
pub mod pages;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod reading;
pub mod router;
pub mod search;
pub mod takeover;

use leptos::prelude::*;

use components::header::Header;
use router::Route;

/// The whole page, for a document without a prerendered one: [`Shell`] around [`Live`].
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Shell title=dom::initial_title()>
            <Live />
        </Shell>
    }
}

/// The live part of the app, mounted into the page's `<main>`: page-wide listeners and
/// the page of the current route (below the base path from `<base href>`). For the route
/// a prerendered page was written for, it renders nothing and leaves that page in place.
///
/// Mounting starts the router alone; the page-wide features follow in steps of their own
/// (`dom::step`, one task each), and the page is marked live once they are all in place.
#[component]
pub fn Live() -> impl IntoView {
    let route = use_context::<Memo<Route>>().unwrap_or_else(start_routing);
    if let Some(owner) = Owner::current() {
        let in_app = move |f: fn()| {
            let owner = owner.clone();
            dom::step(move || owner.with(f))
        };
        in_app(islands::mount_prerendered);
        in_app(behaviour::init);
        in_app(reading::init);
        in_app(components::header::init_search_shortcut);
        // Read marks scan the page a slice per step, before the page is marked live.
        in_app(reading::marks::init);
        dom::step(takeover::mark_live);
        // The service worker is registered when the browser is idle.
        dom::step(offline::init);
    }
    move || {
        let route = route.get();
        if takeover::adopting(&route) {
            return ().into_any();
        }
        takeover::release();
        route.live_view()
    }
}

/// Starts routing in the current owner (scroll restoration, the location and its
/// listeners) and provides the current route as context
/// for [`Live`]. The app's start runs this a task before it mounts `Live` (`main.rs`):
/// each is a short task on a slow phone, where most of a first call's time is the browser
/// compiling the wasm functions it reaches.
pub fn start_routing() -> Memo<Route> {
    dom::init_scroll_restoration();
    let route = router::init();
    provide_context(route);
    route
}

/// What every page has around its content: skip link, header, `main`, footer (with the
/// reading controls) and the shortcuts dialog.
#[component]
pub fn Shell(
    #[prop(into)] title: String,
    /// The author and their links (from the bundle; pages written at build time).
    #[prop(default = None)]
    author: Option<matome_model::Author>,
    children: Children,
) -> impl IntoView {
    // Only web and mail links: the config loader checks them, this never trusts it.
    let author = author.map(|a| {
        let links: Vec<_> = a.links.into_iter().filter(|l| matome_model::rules::is_author_link(&l.url)).collect();
        view! {
            <p class="site-author">
                {(!a.name.is_empty()).then(|| view! { <span class="site-author-name">{a.name}</span> })}
                <span class="site-author-links">
                    {links
                        .into_iter()
                        .map(|l| view! { <a href=l.url rel="me noopener">{l.label}</a> })
                        .collect::<Vec<_>>()}
                </span>
            </p>
        }
    });
    view! {
        <Header title />
        <main id=takeover::MAIN_ID class="site-main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>"Hacker Newsのスレッドを日本語で。"</p>
            {author}
            <div class="reading-tools" data-island=islands::READING_TOOLS>
                <reading::ReadingTools />
            </div>
        </footer>
    }
}
