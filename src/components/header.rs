//! The header on every page: site title, main navigation, search and theme toggle.

use leptos::prelude::*;
use matome_model::paths;

use crate::{api, dom, islands, router};

/// Site header: prerendered on every page. Both theme icons are in it and CSS shows the
/// one that fits, so it shows the reader's theme before any script runs; its navigation and tools
/// are [`SiteNav`] and [`SiteTools`] (mounted into its place on a prerendered page, `islands.rs`); the skip
/// link is handled by `behaviour.rs`.
#[component]
pub fn Header(#[prop(into)] title: String) -> impl IntoView {
    let pathname = router::use_location().pathname.get_untracked();
    view! {
        // The page's own path: `#main` alone would resolve against <base href>.
        <a class=crate::hook!(skip_link) href=format!("{pathname}#main")>"本文へスキップ"</a>
        <header class="site-header">
            <div class="site-header-inner">
                <a class=crate::hook!(site_title) href=api::href("")>{title}</a>
                <nav class="site-nav" aria-label="メイン" data-island=islands::SITE_NAV>
                    <SiteNav />
                </nav>
                <div class="site-tools" data-island=islands::SITE_TOOLS>
                    <SiteTools />
                </div>
            </div>
        </header>
    }
}

/// The main navigation: its link to the section of the site the reader is in has
/// `aria-current="page"`, following the reader as they navigate.
#[component]
pub fn SiteNav() -> impl IntoView {
    let pathname = router::use_location().pathname;
    let nav = move |route: String, label: &'static str| {
        let target = api::href(&route);
        let href = target.clone();
        let current = move || pathname.with(|p| p.starts_with(&target)).then_some("page");
        view! { <a class="site-nav-link" href=href aria-current=current>{label}</a> }
    };
    view! {
        {nav(paths::page_route(1), "記事一覧")}
        {nav(paths::MONTHS_ROUTE.to_string(), "月別アーカイブ")}
        {nav(paths::TAGS_ROUTE.to_string(), "タグ")}
    }
}

/// The header's search link (pointing at it starts the search worker, so a click away it
/// has the post table read before the first keystroke) and the light/dark switch.
#[component]
pub fn SiteTools() -> impl IntoView {
    let switch_theme = move |_| {
        let next = if dom::current_theme() == "dark" {
            "light"
        } else {
            "dark"
        };
        dom::set_theme(next);
    };
    view! {
        <a
            class="icon-button site-search-link"
            href=api::href(paths::SEARCH_ROUTE)
            aria-label="検索"
            title="検索（/）"
            aria-keyshortcuts="/"
            on:mouseover=|_| crate::search::client::warm()
            on:focus=|_| crate::search::client::warm()
        >
            <span class="site-icon site-icon-search" aria-hidden="true"></span>
        </a>
        <button
            type="button"
            class="icon-button theme-toggle"
            aria-label="ライトモードとダークモードを切り替え"
            title="ライト／ダーク"
            on:click=switch_theme
        >
            // A sun (switch to light) in dark mode, a moon otherwise.
            // Icons drawn by CSS (`style/header.css`): on every page, so no inline SVG.
            <span class="site-icon theme-icon theme-icon-sun" aria-hidden="true"></span>
            <span class="site-icon theme-icon theme-icon-moon" aria-hidden="true"></span>
        </button>
    }
}

/// The `/` shortcut: focuses the search box, opening the search page first when it is
/// not the current page. Keys typed into a form field are left alone.
pub fn init_search_shortcut() {
    use wasm_bindgen::JsCast;
    let location = router::use_location();
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/"
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || ev.default_prevented()
        {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.is_content_editable()
            });
        if typing {
            return;
        }
        ev.prevent_default();
        match search_box() {
            Some(input) => {
                let _ = input.focus();
                input.select();
            }
            // Autofocus does not apply to a box inserted after the page loaded.
            None => {
                router::navigate(&api::href(paths::SEARCH_ROUTE), location);
                crate::dom::later(focus_search_box, 0);
            }
        }
    });
    on_cleanup(move || listener.remove());
}

fn search_box() -> Option<web_sys::HtmlInputElement> {
    use wasm_bindgen::JsCast;
    crate::dom::document()?
        .get_element_by_id("search-input")?
        .dyn_into()
        .ok()
}

fn focus_search_box() {
    if let Some(input) = search_box() {
        let _ = input.focus();
    }
}
