//! Page-wide listeners: one per kind of interaction instead of one per element, so
//! cards and lists are plain markup (cheap to build, nothing to hydrate) and prerendered
//! pages get the same behaviour once the app has taken them over.
//!
//! - a comment card's number, its permalink (a plain link before the app and without
//!   JavaScript), copies the card's URL instead of following it, and is titled
//!   リンクをコピー when first hovered or focused;
//! - a comment card's 共有 shows the card's share bar (`reading/share.rs`);
//! - opened sections are remembered for back/forward;
//! - the skip link focuses the content;
//! - hovering or focusing a link to a post starts loading that post;
//! - an image that fails to load is hidden instead of leaving an empty frame.
//!
//! The controls (the post's toolbar and share bar, the footer's reading tools, the tag
//! list's sort switch, the update notice) are components with their own handlers
//! (`islands.rs` mounts them on a prerendered page). The card-level actions stay here:
//! a listener per card would mean hundreds of them on a long post during the takeover.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::router::Route;
use crate::{api, dom};

/// How long a card's permalink says コピーしました.
const COPIED_MS: u64 = 1600;

/// Registers the listeners for as long as the app lives.
pub fn init() {
    let Some(doc) = dom::document() else { return };
    let click = window_event_listener(leptos::ev::click, |ev| {
        let target = ev.target();
        if let Some(link) = closest(target.clone(), crate::class_selector!(card_number))
            .filter(|_| plain_click(&ev))
        {
            ev.prevent_default();
            copy_card_link(&link);
        } else if let Some(button) = closest(target.clone(), crate::class_selector!(card_share)) {
            crate::reading::share::toggle_card(&button);
        } else if closest(target, crate::class_selector!(skip_link)).is_some() {
            ev.prevent_default();
            dom::focus_main();
        }
    });
    let toggle = dom::on_capture(&doc, "toggle", |el| {
        // A toggle queued before the reader left the page belongs to that page, which
        // recorded its sections as it was left.
        if !el.class_list().contains(crate::hook!(section)) || !el.is_connected() {
            return;
        }
        if let Some(index) = el
            .get_attribute("data-section")
            .and_then(|i| i.parse().ok())
        {
            dom::remember_section(index, el.has_attribute("open"));
        }
    });
    let hover = window_event_listener(leptos::ev::mouseover, |ev| pointed_at(ev.target()));
    let focus = window_event_listener(leptos::ev::focusin, |ev| pointed_at(ev.target()));
    let error = dom::on_capture(&doc, "error", |el| {
        if el.tag_name().eq_ignore_ascii_case("img") {
            let _ = el.set_attribute("hidden", "");
        }
    });
    on_cleanup(move || {
        click.remove();
        hover.remove();
        focus.remove();
        drop((error, toggle));
    });
}

fn closest(target: Option<web_sys::EventTarget>, selector: &str) -> Option<Element> {
    target?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()
        .flatten()
}

/// A left click without modifier keys (the others open the permalink as a link does).
fn plain_click(ev: &web_sys::MouseEvent) -> bool {
    ev.button() == 0 && !(ev.meta_key() || ev.ctrl_key() || ev.shift_key() || ev.alt_key())
}

/// A link hovered or focused: a card's permalink gets its title (cards carry none, to
/// stay lean), a link to a post starts loading it.
fn pointed_at(target: Option<web_sys::EventTarget>) {
    if let Some(link) = closest(
        target.clone(),
        concat!(crate::class_selector!(card_number), ":not([title])"),
    ) {
        let _ = link.set_attribute("title", "リンクをコピー");
    }
    prefetch_link(target);
}

fn copy_card_link(button: &Element) {
    let Some(card) = button.closest(crate::class_selector!(card)).ok().flatten() else {
        return;
    };
    dom::copy_text(&dom::url_with_fragment(&card.id()));
    // The notice's live region is added on the first copy (cards carry no empty span
    // each); its text is set a task later, so the region exists before it changes.
    let status = match button
        .query_selector(crate::class_selector!(card_copied))
        .ok()
        .flatten()
    {
        Some(status) => status,
        None => {
            let Some(status) = dom::document().and_then(|d| d.create_element("span").ok()) else {
                return;
            };
            status.set_class_name(crate::hook!(card_copied));
            let _ = status.set_attribute("aria-live", "polite");
            let _ = button.append_child(&status);
            status
        }
    };
    dom::later(
        move || {
            status.set_text_content(Some("コピーしました"));
            dom::later(move || status.set_text_content(Some("")), COPIED_MS);
        },
        0,
    );
}

/// Starts loading the post a link points to (once; the cache keeps it).
fn prefetch_link(target: Option<web_sys::EventTarget>) {
    let Some(a) =
        closest(target, "a[href]").and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    let Ok(url) = web_sys::Url::new(&a.href()) else {
        return;
    };
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
