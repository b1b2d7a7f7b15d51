//! Small browser helpers: document head, theme, fragments and scroll restoration.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDetailsElement};

const THEME_KEY: &str = "matome-theme";

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

thread_local! {
    static STEPS: RefCell<std::collections::VecDeque<Box<dyn FnOnce()>>> = RefCell::default();
    static STEPPING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` in a task of its own once the steps queued before it have run, one step per
/// task: the app's start is a row of short steps with the browser free to paint and
/// handle input between them (a slow phone's budget is 50 ms per task). Nothing at build
/// time.
pub fn step(f: impl FnOnce() + 'static) {
    queue_step(Box::new(f), false);
}

/// Like [`step`], but ahead of the steps already queued: for the rest of a step's work
/// (a long scan done a slice per task) before whatever was queued after that step.
pub fn step_next(f: impl FnOnce() + 'static) {
    queue_step(Box::new(f), true);
}

fn queue_step(f: Box<dyn FnOnce()>, first: bool) {
    if window().is_none() {
        return;
    }
    STEPS.with(|s| {
        if first {
            s.borrow_mut().push_front(f)
        } else {
            s.borrow_mut().push_back(f)
        }
    });
    if !STEPPING.with(|r| r.replace(true)) {
        later(run_step, 0);
    }
}

fn run_step() {
    let next = STEPS.with(|s| s.borrow_mut().pop_front());
    match next {
        Some(f) => {
            f();
            later(run_step, 0);
        }
        None => STEPPING.with(|r| r.set(false)),
    }
}

/// Sets `<title>` and the meta description.
pub fn set_meta(title: &str, description: &str) {
    let Some(doc) = document() else { return };
    doc.set_title(title);
    let meta = doc
        .query_selector("meta[name=description]")
        .ok()
        .flatten()
        .or_else(|| {
            let el = doc.create_element("meta").ok()?;
            el.set_attribute("name", "description").ok()?;
            doc.head()?.append_child(&el).ok()?;
            Some(el)
        });
    if let Some(meta) = meta {
        let _ = meta.set_attribute("content", description);
    }
}

/// The site title as the prerendered header shows it; else from `<title>`, where pages
/// are titled `page | site`, so the last part is the site.
pub fn initial_title() -> String {
    thread_local!(static T: String = {
        let doc = document();
        let header = doc
            .as_ref()
            .and_then(|d| d.query_selector(".site-title").ok().flatten())
            .and_then(|el| el.text_content())
            .filter(|t| !t.trim().is_empty());
        header.or_else(|| {
            doc.map(|d| d.title().rsplit(" | ").next().unwrap_or_default().to_string())
        })
        .unwrap_or_default()
    });
    T.with(Clone::clone)
}

/// The theme in effect: `"dark"` or `"light"`.
pub fn current_theme() -> &'static str {
    let set = document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"));
    match set.as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ if prefers_dark() => "dark",
        _ => "light",
    }
}

fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Applies and remembers a theme chosen by the reader.
pub fn set_theme(theme: &str) {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme);
    }
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(THEME_KEY, theme);
    }
}

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
    let _ = target.class_list().add_1("is-targeted");
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
    let Ok(list) = doc.query_selector_all(".more-comments[data-section]") else {
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

/// Called by a page once its content is in the DOM: after back/forward, restores
/// the remembered position; on a URL with a fragment, opens and scrolls to its target
/// (retrying briefly, since folded cards are built a moment after the page).
pub fn page_ready() {
    if window().is_none() {
        return;
    }
    leptos::prelude::request_animation_frame(|| {
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

/// Puts `q` into the URL's `?q=` without a new history entry (`q` empty: no query).
pub fn replace_query(q: &str) {
    let Some(window) = window() else { return };
    let path = window.location().pathname().unwrap_or_default();
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

fn sections_in(root: &Element) -> Vec<HtmlDetailsElement> {
    let Ok(list) = root.query_selector_all("details.more-comments") else {
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
    let path = window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default();
    format!("{path}#{fragment}")
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
