//! Page-wide listeners: one per kind of interaction instead of one per element, so
//! cards and lists are plain markup (cheap to build, nothing to hydrate) and prerendered
//! pages get the same behaviour once the app has taken them over.
//!
//! - the copy button of a comment card copies the card's URL;
//! - hovering or focusing a link to a post starts loading that post;
//! - an image that fails to load is hidden instead of leaving an empty frame.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::router::Route;
use crate::{api, dom};

/// How long the copy button says コピーしました.
const COPIED_MS: u64 = 1600;

/// Registers the listeners for as long as the app lives.
pub fn init() {
    let Some(doc) = dom::document() else { return };
    let click = window_event_listener(leptos::ev::click, |ev| {
        if let Some(button) = closest(ev.target(), ".comment-card-copy") {
            copy_card_link(&button);
        }
    });
    let hover = window_event_listener(leptos::ev::mouseover, |ev| prefetch_link(ev.target()));
    let focus = window_event_listener(leptos::ev::focusin, |ev| prefetch_link(ev.target()));
    let error = dom::on_capture(&doc, "error", |el| {
        if el.tag_name().eq_ignore_ascii_case("img") {
            let _ = el.set_attribute("hidden", "");
        }
    });
    on_cleanup(move || {
        click.remove();
        hover.remove();
        focus.remove();
        drop(error);
    });
}

fn closest(target: Option<web_sys::EventTarget>, selector: &str) -> Option<Element> {
    target?.dyn_into::<Element>().ok()?.closest(selector).ok().flatten()
}

fn copy_card_link(button: &Element) {
    let Some(card) = button.closest(".comment-card").ok().flatten() else { return };
    dom::copy_text(&dom::url_with_fragment(&card.id()));
    let Some(status) = button.query_selector(".comment-card-copied").ok().flatten() else {
        return;
    };
    status.set_text_content(Some("コピーしました"));
    dom::later(move || status.set_text_content(Some("")), COPIED_MS);
}

/// Starts loading the post a link points to (once; the cache keeps it).
fn prefetch_link(target: Option<web_sys::EventTarget>) {
    let Some(a) = closest(target, "a[href]").and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&a.href()) else { return };
    let same_origin = dom::window()
        .and_then(|w| w.location().origin().ok())
        .is_some_and(|o| o == url.origin());
    if !same_origin {
        return;
    }
    if let Route::Post(path) = Route::parse(&url.pathname(), &api::base_path()) {
        api::prefetch_post(&path);
    }
}
