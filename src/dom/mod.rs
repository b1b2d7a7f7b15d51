//! Small browser helpers, one file per responsibility, all re-exported here so callers
//! use `dom::…`: `steps` (the start-up's task queue), `head` (head tags,
//! theme), `scroll` (fragments, scroll and open-section restoration on back/forward) and
//! `page` (URL, clipboard, reload, folded sections, capture listeners, focus).

mod head;
mod page;
mod scroll;
mod steps;

pub use head::{current_theme, initial_title, set_head, set_theme};
pub use page::{
    all_sections_open, copy_text, current_path, focus_main, on_capture, path_with_fragment, reload,
    replace_query, sections_in, toggle_all_sections, url_with_fragment, CaptureListener, Listener,
};
pub use scroll::{
    init_scroll_restoration, location_key, needs_whole_page, open_fragment, page_ready,
    remember_open_sections, remember_section, restored_section_open,
};
pub use steps::{step, step_next};

/// The browser window; `None` when the app's components are rendered to HTML at build
/// time (natively, where every browser call would panic).
pub fn window() -> Option<web_sys::Window> {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window();
    #[cfg(not(target_arch = "wasm32"))]
    return None;
}

pub(crate) fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// Runs `f` after `ms` milliseconds in a task of its own; nothing at build time.
pub fn later(f: impl FnOnce() + 'static, ms: u64) {
    if window().is_some() {
        leptos::prelude::set_timeout(f, std::time::Duration::from_millis(ms));
    }
}
