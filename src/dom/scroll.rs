//! Where the reader was: the element the URL fragment names (opened and scrolled to),
//! the scroll position and the open folded sections per URL, restored on back/forward.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDetailsElement};

use super::page::{current_path, focus_main};
use super::{document, window};

/// Opens every folded section around the element that the URL fragment names and
/// scrolls to it. Returns whether the fragment named an element.
pub fn open_fragment() -> bool {
    let Some(window) = window() else { return false };
    let hash = window.location().hash().unwrap_or_default();
    let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) else {
        return false;
    };
    let id = crate::api::decode_param(id);
    let Some(target) = document().and_then(|d| d.get_element_by_id(&id)) else {
        return false;
    };
    let mut node: Option<Element> = Some(target.clone());
    while let Some(el) = node {
        if let Some(details) = el.dyn_ref::<HtmlDetailsElement>() {
            details.set_open(true);
        }
        node = el.parent_element();
    }
    target.scroll_into_view();
    let _ = target.class_list().add_1(crate::hook!(targeted));
    true
}

thread_local! {
    static SCROLL: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
    static POP_PENDING: Cell<bool> = const { Cell::new(false) };
    static POP_AT: Cell<f64> = const { Cell::new(0.0) };
}

/// Path and query of the current URL.
pub fn location_key() -> String {
    window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

thread_local! {
    /// Folded sections the reader opened, per URL, by their order in the post.
    static OPEN_SECTIONS: RefCell<HashMap<String, HashSet<usize>>> = RefCell::default();
}

/// Records that section `index` of the current page was opened or closed, so
/// back/forward can bring the page back as it was left.
pub fn remember_section(index: usize, open: bool) {
    OPEN_SECTIONS.with(|m| {
        let mut m = m.borrow_mut();
        let set = m.entry(location_key()).or_default();
        if open {
            set.insert(index);
        } else {
            set.remove(&index);
        }
    });
}

/// Records which folded sections of the current page are open, under its URL; called
/// as the reader leaves the page, so a `toggle` event still queued cannot be lost.
pub fn remember_open_sections() {
    let Some(doc) = document() else { return };
    let Ok(list) =
        doc.query_selector_all(concat!(crate::class_selector!(section), "[data-section]"))
    else {
        return;
    };
    if list.length() == 0 {
        return;
    }
    let mut open = HashSet::new();
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        if el.has_attribute("open") {
            if let Some(index) = el
                .get_attribute("data-section")
                .and_then(|s| s.parse().ok())
            {
                open.insert(index);
            }
        }
    }
    OPEN_SECTIONS.with(|m| {
        m.borrow_mut().insert(location_key(), open);
    });
}

/// Whether section `index` should start open: only while a back/forward navigation is
/// being restored, and only if the reader had opened it. Otherwise the scroll position
/// restored afterwards would point into a shorter page.
pub fn restored_section_open(index: usize) -> bool {
    POP_PENDING.with(Cell::get)
        && OPEN_SECTIONS.with(|m| {
            m.borrow()
                .get(&location_key())
                .is_some_and(|s| s.contains(&index))
        })
}

/// Whether a page must be built whole at once rather than in slices: when the URL
/// names a card to scroll to, or back/forward is about to restore a scroll position.
pub fn needs_whole_page() -> bool {
    let has_fragment = window()
        .and_then(|w| w.location().hash().ok())
        .is_some_and(|h| h.len() > 1);
    has_fragment || POP_PENDING.with(Cell::get)
}

/// Remembers the scroll position per URL and restores it after back/forward.
/// Call once at start-up.
pub fn init_scroll_restoration() {
    let Some(win) = window() else { return };
    if let Ok(history) = win.history() {
        let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    let on_scroll = leptos::prelude::window_event_listener(leptos::ev::scroll, |_| {
        // While a back/forward page is still rendering the document is short and the
        // clamped position must not overwrite the one we are about to restore.
        let settling = js_sys::Date::now() - POP_AT.with(Cell::get) < 1500.0;
        if settling && POP_PENDING.with(Cell::get) {
            return;
        }
        if let Some(y) = window().and_then(|w| w.scroll_y().ok()) {
            SCROLL.with(|s| s.borrow_mut().insert(location_key(), y));
        }
    });
    let on_pop = leptos::prelude::window_event_listener(leptos::ev::popstate, |_| {
        POP_PENDING.with(|p| p.set(true));
        POP_AT.with(|t| t.set(js_sys::Date::now()));
    });
    leptos::prelude::on_cleanup(move || {
        on_scroll.remove();
        on_pop.remove();
    });
}

/// Called by a page once its content is in the DOM, with the path it was made for:
/// after back/forward, restores the remembered position; on a URL with a fragment,
/// opens and scrolls to its target (retrying briefly, since folded cards are built a
/// moment after the page). A page the reader has already left by the next frame does
/// nothing: the back/forward restore that is pending belongs to the page shown next.
pub fn page_ready(path: String) {
    if window().is_none() {
        return;
    }
    leptos::prelude::request_animation_frame(move || {
        if current_path() != path {
            return;
        }
        let popped = POP_PENDING.with(|p| p.replace(false));
        // The link that was clicked is gone with the old page: keep keyboard users in
        // the new content instead of back at the top of the document.
        let lost = document()
            .and_then(|d| d.active_element())
            .is_none_or(|el| el.tag_name().eq_ignore_ascii_case("body"));
        if lost {
            focus_main();
        }
        let has_fragment = window()
            .and_then(|w| w.location().hash().ok())
            .is_some_and(|h| h.len() > 1);
        if has_fragment {
            open_fragment_soon(10);
        } else if popped {
            let y = SCROLL.with(|s| s.borrow().get(&location_key()).copied());
            if let (Some(y), Some(w)) = (y, window()) {
                w.scroll_to_with_x_and_y(0.0, y);
            }
        }
    });
}

fn open_fragment_soon(tries: u32) {
    if open_fragment() || tries == 0 {
        return;
    }
    leptos::prelude::set_timeout(
        move || open_fragment_soon(tries - 1),
        std::time::Duration::from_millis(30),
    );
}
