//! A small history-API router: the current location (a [`Route`], parsed by
//! [`crate::page`] from the path below the base path), and link clicks turned into
//! `pushState` navigations.
//!
//! Written for this app instead of pulling in a general router: the site has a fixed,
//! flat set of routes, and the wasm size budget is tight.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api;

pub use crate::page::Route;

/// The current location, provided as context by [`init`].
#[derive(Clone, Copy)]
pub struct Location {
    /// The path of the current URL (with the base path, percent-encoded).
    pub pathname: ReadSignal<String>,
    set_pathname: WriteSignal<String>,
}

/// The current location (panics outside the app, which always calls [`init`] first).
pub fn use_location() -> Location {
    use_context::<Location>().unwrap_or_else(|| {
        let (pathname, set_pathname) = signal(crate::dom::current_path());
        Location {
            pathname,
            set_pathname,
        }
    })
}

/// Provides a fixed [`Location`] for rendering one route at build time.
pub fn provide_static(pathname: &str) {
    let (pathname, set_pathname) = signal(pathname.to_string());
    provide_context(Location {
        pathname,
        set_pathname,
    });
}

/// Starts routing: provides the [`Location`], listens to link clicks and back/forward,
/// and returns the current route.
pub fn init() -> Memo<Route> {
    let (pathname, set_pathname) = signal(crate::dom::current_path());
    let location = Location {
        pathname,
        set_pathname,
    };
    provide_context(location);
    let on_click = window_event_listener(leptos::ev::click, move |ev| on_link_click(ev, location));
    let on_pop = window_event_listener(leptos::ev::popstate, move |_| {
        set_pathname.set(crate::dom::current_path());
    });
    // A fragment typed or pasted into the address bar may point into a folded section.
    let on_hash = window_event_listener(leptos::ev::hashchange, |_| {
        crate::dom::open_fragment();
    });
    on_cleanup(move || {
        on_click.remove();
        on_pop.remove();
        on_hash.remove();
    });
    let base = api::base_path();
    Memo::new(move |_| Route::parse(&pathname.get(), &base))
}

/// Goes to `href` (a path below the site, optionally with `?query` and `#fragment`).
pub fn navigate(href: &str, location: Location) {
    let Some(window) = crate::dom::window() else {
        return;
    };
    crate::dom::remember_open_sections();
    if let Ok(history) = window.history() {
        if history
            .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
            .is_err()
        {
            // Not a same-origin URL after all: let the browser go there.
            let _ = window.location().set_href(href);
            return;
        }
    }
    if !href.contains('#') {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
    location.set_pathname.set(crate::dom::current_path());
}

/// Turns a plain left click on a link inside the site into a client-side navigation.
fn on_link_click(ev: web_sys::MouseEvent, location: Location) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    let anchor = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a[href]").ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    let Some(a) = anchor else { return };
    let rel = a.rel();
    if !a.target().is_empty()
        || a.has_attribute("download")
        || rel.split(' ').any(|r| r == "external")
    {
        return;
    }
    let Ok(url) = web_sys::Url::new(&a.href()) else {
        return;
    };
    let Some(window) = crate::dom::window() else {
        return;
    };
    let here = window.location();
    if url.origin() != here.origin().unwrap_or_default() {
        return;
    }
    let path = url.pathname();
    let base = api::base_path();
    if !(path == base || path.starts_with(&format!("{base}/"))) {
        return;
    }
    let same_page = path == here.pathname().unwrap_or_default()
        && url.search() == here.search().unwrap_or_default();
    if same_page && !url.hash().is_empty() {
        // A fragment on this page: the browser scrolls and keeps history by itself.
        return;
    }
    ev.prevent_default();
    navigate(&format!("{path}{}{}", url.search(), url.hash()), location);
}
