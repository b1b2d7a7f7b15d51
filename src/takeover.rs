//! Taking over a prerendered page in one frame.
//!
//! The build writes every route's HTML with these same components, inside
//! `<div id="app" data-prerendered>`, so the reader sees the page before any script runs.
//! When the wasm has arrived, the app renders the same route into a detached root. The
//! heavy static parts of the page (regions, such as a post's cards) are not built again:
//! [`adopt`] tells a component to leave its region empty, and [`finish`] moves the
//! prerendered region's nodes into it, then swaps the two roots in one task, before the
//! next frame is painted. The markup is the same, so nothing moves; the moved nodes keep
//! their state (opened sections), and scroll position, focus and typed text are carried
//! over.
//!
//! Chosen over Leptos hydration, measured: hydration needs the whole tree walked in one
//! task (a 247-card post is one long task on a phone) and a bigger wasm; here the
//! takeover builds only the small live parts of a page.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::dom;

/// Id of the element the app lives in (prerendered and live).
pub const ROOT_ID: &str = "app";
/// What can hold keyboard focus, in document order (to carry focus over by position).
const FOCUSABLE: &str = "a[href], button, summary, input, select, textarea, [tabindex]";

struct Pending {
    /// The prerendered root, still in the document.
    old: Element,
    /// Where the app renders until the swap (detached).
    new: HtmlElement,
    /// The URL the prerendered page is for (only its own route may adopt regions).
    location: String,
    /// Regions left empty by the app, to be filled with the prerendered nodes.
    regions: Vec<String>,
}

thread_local! {
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

/// Where the app mounts. On a prerendered page: a new, detached root (taken over by
/// [`finish`]); otherwise the page's `#app` (or `<body>` on a page without one).
pub fn mount_point() -> Option<HtmlElement> {
    let doc = dom::document()?;
    let old = doc.get_element_by_id(ROOT_ID);
    match old {
        Some(old) if old.has_attribute("data-prerendered") => {
            let new = doc.create_element("div").ok()?.dyn_into::<HtmlElement>().ok()?;
            new.set_id(ROOT_ID);
            PENDING.with(|p| {
                *p.borrow_mut() = Some(Pending {
                    old,
                    new: new.clone(),
                    location: dom::location_key(),
                    regions: Vec::new(),
                })
            });
            Some(new)
        }
        Some(old) => old.dyn_into::<HtmlElement>().ok(),
        None => {
            mark_live(&doc);
            doc.body()
        }
    }
}

/// Whether a prerendered page is still waiting to be taken over.
pub fn pending() -> bool {
    PENDING.with(|p| p.borrow().is_some())
}

/// Called by a component for its region `key` (an element with `data-region=key`):
/// `true` when the prerendered page has that region for the current URL, in which case
/// the component renders the region empty and [`finish`] fills it.
pub fn adopt(key: &str) -> bool {
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        let Some(pending) = p.as_mut() else { return false };
        let here = pending.location == dom::location_key();
        let found = here && region(&pending.old, key).is_some();
        if found && !pending.regions.iter().any(|r| r == key) {
            pending.regions.push(key.to_string());
        }
        found
    })
}

fn region(root: &Element, key: &str) -> Option<Element> {
    root.query_selector(&format!("[data-region=\"{key}\"]")).ok().flatten()
}

/// Swaps the prerendered root for the app's, once the app's page is in its tree. Returns
/// whether a takeover happened.
pub fn finish() -> bool {
    let Some(Pending { old, new, regions, .. }) = PENDING.with(|p| p.borrow_mut().take()) else {
        return false;
    };
    let (Some(doc), Some(window)) = (dom::document(), dom::window()) else { return false };
    // Where the reader is, taken before anything moves.
    let scroll = (window.scroll_x().unwrap_or(0.0), window.scroll_y().unwrap_or(0.0));
    let focused = doc
        .active_element()
        .filter(|el| old.contains(Some(el)))
        .and_then(|el| position_of(&old, &el));
    let typed = typed_values(&old);

    for key in &regions {
        if let (Some(from), Some(to)) = (region(&old, key), region(&new, key)) {
            while let Some(child) = from.first_child() {
                let _ = to.append_child(&child);
            }
        }
    }
    let _ = old.replace_with_with_node_1(&new);

    for (index, value) in typed {
        let input = nth(&new, "input, textarea", index);
        if let Some(input) = input.and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            if input.value() != value {
                input.set_value(&value);
                if let Ok(ev) = web_sys::Event::new("input") {
                    let _ = input.dispatch_event(&ev);
                }
            }
        }
    }
    if let Some(index) = focused {
        if let Some(el) = nth(&new, FOCUSABLE, index).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = el.focus_with_options(&options);
        }
    }
    if (window.scroll_x().unwrap_or(0.0), window.scroll_y().unwrap_or(0.0)) != scroll {
        window.scroll_to_with_x_and_y(scroll.0, scroll.1);
    }
    mark_live(&doc);
    true
}

/// `<html data-app="live">`: the app handles the page from now on (styles and tests
/// key on it).
fn mark_live(doc: &web_sys::Document) {
    if let Some(root) = doc.document_element() {
        let _ = root.set_attribute("data-app", "live");
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

fn nth(root: &Element, selector: &str, index: usize) -> Option<Element> {
    all(root, selector).into_iter().nth(index)
}

fn position_of(root: &Element, el: &Element) -> Option<usize> {
    all(root, FOCUSABLE).iter().position(|e| e == el)
}

/// Text typed into the prerendered page's inputs before the app arrived.
fn typed_values(root: &Element) -> Vec<(usize, String)> {
    all(root, "input, textarea")
        .into_iter()
        .enumerate()
        .filter_map(|(i, el)| {
            let input = el.dyn_into::<web_sys::HtmlInputElement>().ok()?;
            let value = input.value();
            (!value.is_empty()).then_some((i, value))
        })
        .collect()
}
