//! Actions on the current page: its URL, reload, the clipboard, folded sections, capture
//! listeners and keyboard focus.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDetailsElement};

use super::{document, window};

/// The path of the current URL (no query, no fragment); empty at build time.
pub fn current_path() -> String {
    window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// Puts `q` into the URL's `?q=` without a new history entry (`q` empty: no query).
pub fn replace_query(q: &str) {
    let Some(window) = window() else { return };
    let path = current_path();
    let url = if q.is_empty() {
        path
    } else {
        format!("{path}?q={}", crate::api::encode_segment(q))
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Reloads the page (a new deployment needs the new app).
pub fn reload() {
    if let Some(w) = window() {
        let _ = w.location().reload();
    }
}

/// Copies text to the clipboard (best effort).
pub fn copy_text(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Full URL of the current page with a fragment.
pub fn url_with_fragment(fragment: &str) -> String {
    window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}#{fragment}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Opens (or, when all are open, closes) every folded section inside `root`.
/// Returns whether they are open afterwards.
pub fn toggle_all_sections(root: &Element) -> bool {
    let sections = sections_in(root);
    let open = sections.iter().any(|d| !d.open());
    for d in &sections {
        d.set_open(open);
    }
    open
}

/// Whether every folded section inside `root` is open.
pub fn all_sections_open(root: &Element) -> bool {
    sections_in(root).iter().all(|d| d.open())
}

/// The folded sections (`details.more-comments`) inside `root`.
pub fn sections_in(root: &Element) -> Vec<HtmlDetailsElement> {
    let Ok(list) = root.query_selector_all(concat!("details", crate::class_selector!(section)))
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlDetailsElement>().ok())
        .collect()
}

/// A listener added with [`on_capture`]; removed when dropped. (Wrapped so it can be
/// handed to `on_cleanup`; the app has one thread.)
pub struct Listener(#[allow(dead_code)] send_wrapper::SendWrapper<CaptureListener>);

#[doc(hidden)]
pub struct CaptureListener {
    target: web_sys::EventTarget,
    event: &'static str,
    callback: wasm_bindgen::closure::Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for CaptureListener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback_and_bool(
            self.event,
            self.callback.as_ref().unchecked_ref(),
            true,
        );
    }
}

/// Listens to `event` on `target` and its descendants in the capture phase (for events
/// that do not bubble: `toggle`, `error`, `focus`); `f` gets the element the event is for.
pub fn on_capture(
    target: &web_sys::EventTarget,
    event: &'static str,
    mut f: impl FnMut(Element) + 'static,
) -> Listener {
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
        move |ev: web_sys::Event| {
            if let Some(el) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                f(el);
            }
        },
    );
    let _ = target.add_event_listener_with_callback_and_bool(
        event,
        callback.as_ref().unchecked_ref(),
        true,
    );
    Listener(send_wrapper::SendWrapper::new(CaptureListener {
        target: target.clone(),
        event,
        callback,
    }))
}

/// Path of the current page with a fragment (a same-page link that ignores `<base>`).
pub fn path_with_fragment(fragment: &str) -> String {
    format!("{}#{fragment}", current_path())
}

/// Moves keyboard focus to the main content without scrolling.
pub fn focus_main() {
    let main = document().and_then(|d| d.get_element_by_id("main"));
    if let Some(main) = main.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = main.focus_with_options(&options);
    }
}
