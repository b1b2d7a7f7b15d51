//! Taking over a prerendered page by leaving it alone.
//!
//! The build writes every route's HTML with these same components, inside
//! `<div id="app" data-prerendered data-route="…">`, so the reader sees the page before
//! any script runs. Most of the markup is static: cards and lists are handled by a few
//! page-wide listeners (`behaviour.rs`), and the controls (the post's toolbar and share
//! bar, the footer's reading tools) are small components mounted into their prerendered
//! places (`islands.rs`). So when the wasm arrives there is nothing big to rebuild: the
//! app mounts its router into the page's `<main>`, after the prerendered content, and
//! renders nothing for the route the page was written for. Cards, opened sections, scroll position, focus
//! and layout stay exactly as they are, and the takeover costs no data request and no
//! layout. The first in-app navigation removes the prerendered content and the router
//! renders from then on.
//!
//! Measured against the alternatives (`make bench-load`, 4x CPU slowdown): rebuilding the
//! page in a detached root and swapping it in one frame made the browser lay the whole
//! page out again, a 1.4 s task on the 247-card post; Leptos hydration walks every node
//! in one task as well, and needs a bigger wasm.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, Node};

use crate::router::Route;
use crate::{api, dom};

/// Id of the element the prerendered page lives in.
pub const ROOT_ID: &str = "app";
/// Id of the page's `<main>`, where the router mounts.
pub const MAIN_ID: &str = "main";

struct Prerendered {
    /// The route the page was written for.
    route: Route,
    /// The prerendered content of `<main>`, removed on the first navigation away.
    nodes: Vec<Node>,
}

thread_local! {
    static PAGE: RefCell<Option<Prerendered>> = const { RefCell::new(None) };
    /// The site's absolute root URL as the prerendered page's `og:url` has it.
    static SITE_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The site's absolute root URL, as the build wrote it into the prerendered page (its
/// `og:url` less the page's route); `None` without a prerendered page or without one
/// (the 404 page).
pub fn site_url() -> Option<String> {
    SITE_URL.with(|s| s.borrow().clone())
}

/// The prerendered page's `<main>`, where the router mounts; `None` on a page without one
/// (the app then renders the whole page itself).
pub fn begin() -> Option<HtmlElement> {
    let doc = dom::document()?;
    let root = doc
        .get_element_by_id(ROOT_ID)
        .filter(|r| r.has_attribute("data-prerendered"))?;
    let main = doc
        .get_element_by_id(MAIN_ID)?
        .dyn_into::<HtmlElement>()
        .ok()?;
    let route = Route::parse(
        &root.get_attribute("data-route").unwrap_or_default(),
        &api::base_path(),
    );
    let og_url = doc
        .query_selector(r#"meta[property="og:url"]"#)
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"));
    let site_url = route.path().zip(og_url).and_then(|(path, url)| {
        let path = matome_model::rules::encode_path(&path);
        url.strip_suffix(path.as_str()).map(str::to_string)
    });
    SITE_URL.with(|s| *s.borrow_mut() = site_url);
    let children = main.child_nodes();
    let nodes = (0..children.length())
        .filter_map(|i| children.item(i))
        .collect();
    PAGE.with(|p| *p.borrow_mut() = Some(Prerendered { route, nodes }));
    Some(main)
}

/// Whether the router should leave the prerendered page in place for `route`: it is the
/// route the page was written for, and nothing was navigated yet. The search page is
/// always rendered by the app (it needs its input and results live).
pub fn adopting(route: &Route) -> bool {
    PAGE.with(|p| {
        p.borrow()
            .as_ref()
            .is_some_and(|page| &page.route == route && *route != Route::Search)
    })
}

/// Removes the prerendered content (the router is about to render a page of its own).
/// Text typed into the prerendered search box goes into the URL, where the search page
/// reads its query.
pub fn release() {
    let Some(page) = PAGE.with(|p| p.borrow_mut().take()) else {
        return;
    };
    crate::islands::release_page();
    for node in &page.nodes {
        if let Some(el) = node.dyn_ref::<web_sys::Element>() {
            let typed = el
                .query_selector("input[name=q]")
                .ok()
                .flatten()
                .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .filter(|v| !v.is_empty());
            if let Some(q) = typed {
                dom::replace_query(&q);
            }
        }
        if let Some(parent) = node.parent_node() {
            let _ = parent.remove_child(node);
        }
    }
}

/// `<html data-app="live">`: the app handles the page from now on (tests and benchmarks
/// key on it; no style does, so setting it costs the page no style recalculation).
pub fn mark_live() {
    if let Some(root) = dom::document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-app", "live");
    }
}
