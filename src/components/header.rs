//! The header on every page: site title, main navigation, search and theme toggle.

use leptos::prelude::*;
use matome_model::paths;

use crate::{api, router};

/// Site header: static markup (prerendered on every page). Both theme icons are in it
/// and CSS shows the one that fits, so it shows the reader's theme before any script
/// runs; the skip link, the theme button and the current section of the navigation are
/// handled by `behaviour.rs`.
#[component]
pub fn Header(#[prop(into)] title: String) -> impl IntoView {
    let pathname = router::use_location().pathname.get_untracked();
    let nav = |route: String, label: &'static str| {
        let target = api::href(&route);
        let current = pathname.starts_with(&target).then_some("page");
        view! { <a class="site-nav-link" href=target aria-current=current>{label}</a> }
    };
    view! {
        // The page's own path: `#main` alone would resolve against <base href>.
        <a class="skip-link" href=format!("{pathname}#main")>"本文へスキップ"</a>
        <header class="site-header">
            <div class="site-header-inner">
                <a class="site-title" href=api::href("")>{title}</a>
                <nav class="site-nav" aria-label="メイン">
                    {nav(paths::page_route(1), "記事一覧")}
                    {nav(paths::MONTHS_ROUTE.to_string(), "月別アーカイブ")}
                    {nav(paths::TAGS_ROUTE.to_string(), "タグ")}
                </nav>
                <div class="site-tools">
                    <a
                        class="icon-button site-search-link"
                        href=api::href(paths::SEARCH_ROUTE)
                        aria-label="検索"
                        title="検索（/）"
                        aria-keyshortcuts="/"
                    >
                        <svg viewBox="0 0 24 24" aria-hidden="true" width="20" height="20">
                            <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2" />
                            <path d="M15.5 15.5L21 21" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
                        </svg>
                    </a>
                    <button
                        type="button"
                        class="icon-button theme-toggle"
                        aria-label="ライトモードとダークモードを切り替え"
                        title="ライト／ダーク"
                    >
                        // A sun (switch to light) in dark mode, a moon otherwise.
                        <svg class="theme-icon theme-icon-sun" viewBox="0 0 24 24" aria-hidden="true" width="20" height="20">
                            <path
                                d="M12 7a5 5 0 1 0 0 10a5 5 0 1 0 0-10zM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4"
                                fill="none"
                                stroke="currentColor"
                                stroke-width="2"
                                stroke-linecap="round"
                                stroke-linejoin="round"
                            />
                        </svg>
                        <svg class="theme-icon theme-icon-moon" viewBox="0 0 24 24" aria-hidden="true" width="20" height="20">
                            <path
                                d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z"
                                fill="none"
                                stroke="currentColor"
                                stroke-width="2"
                                stroke-linecap="round"
                                stroke-linejoin="round"
                            />
                        </svg>
                    </button>
                </div>
            </div>
        </header>
    }
}

/// The `/` shortcut: focuses the search box, opening the search page first when it is
/// not the current page. Keys typed into a form field are left alone.
pub fn init_search_shortcut() {
    use wasm_bindgen::JsCast;
    let location = router::use_location();
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
            return;
        }
        let typing = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.is_content_editable()
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
    crate::dom::document()?.get_element_by_id("search-input")?.dyn_into().ok()
}

fn focus_search_box() {
    if let Some(input) = search_box() {
        let _ = input.focus();
    }
}
