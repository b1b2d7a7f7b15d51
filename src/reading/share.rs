//! Share links: X, LINE and はてなブックマーク as plain links (no third-party script),
//! and the Web Share API button where the browser has it.
//!
//! The post's bar is [`PostShare`]; a card's share button mounts a [`ShareBar`] into the
//! card with the card's URL (`…#cN`).

use std::cell::RefCell;

use leptos::prelude::*;
use matome_model::paths::encode_component as enc;
use web_sys::Element;

use crate::dom;
use crate::islands::{mount, Mounted};

/// The services: `data-share` value and label.
const SERVICES: [(&str, &str); 3] = [("x", "X"), ("line", "LINE"), ("hatena", "はてブ")];

/// The share URL of `kind` for `title` and `url`.
pub fn href(kind: &str, title: &str, url: &str) -> String {
    let (t, u) = (enc(title), enc(url));
    match kind {
        "x" => format!("https://x.com/intent/post?text={t}&url={u}"),
        "line" => format!("https://line.me/R/msg/text/?{t}%20{u}"),
        _ => format!("https://b.hatena.ne.jp/add?mode=confirm&url={u}&title={t}"),
    }
}

/// Absolute URL of a route of this site (the route itself at build time; the app fills
/// in the origin when it takes the page over).
fn absolute(route: &str) -> String {
    let origin = dom::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{route}")
}

fn native_supported() -> bool {
    dom::window()
        .is_some_and(|w| js_sys::Reflect::has(&w.navigator(), &"share".into()).unwrap_or(false))
}

thread_local! {
    /// The current post's title and route, for its cards' share bars (set by
    /// [`PostShare`]).
    static POST: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
    /// The share bars opened in cards, with the card's id.
    static CARD_BARS: RefCell<Vec<(String, Mounted)>> = const { RefCell::new(Vec::new()) };
}

/// The post's share bar (inside `div.post-share[data-island]`): `route` is the post's
/// route; its cards' share buttons show the same bar with the card's URL.
#[component]
pub fn PostShare(#[prop(into)] title: String, #[prop(into)] route: String) -> impl IntoView {
    if dom::window().is_some() {
        POST.with(|p| *p.borrow_mut() = (title.clone(), route.clone()));
    }
    let url = absolute(&route);
    view! { <ShareBar title url /> }
}

/// Share links for `title` and `url` (absolute once the app runs), and その他… where the
/// browser has a share sheet of its own.
#[component]
pub fn ShareBar(#[prop(into)] title: String, #[prop(into)] url: String) -> impl IntoView {
    let links = SERVICES
        .into_iter()
        .map(|(kind, label)| {
            view! {
                <a class="share-link" data-share=kind href=href(kind, &title, &url) target="_blank" rel="noopener noreferrer">
                    {label}
                </a>
            }
        })
        .collect_view();
    let share = move |_| {
        let Some(w) = dom::window() else { return };
        let data = web_sys::ShareData::new();
        data.set_title(&title);
        data.set_url(&url);
        let _ = w.navigator().share_with_data(&data);
    };
    view! {
        <div class="share-bar">
            <span class="share-label">"共有"</span>
            {links}
            <button type="button" class="share-native" hidden=!native_supported() on:click=share>
                "その他…"
            </button>
        </div>
    }
}

/// A card's share button: shows (or hides again) a [`ShareBar`] for that card, below
/// the card's meta line. Cards are plain markup, hundreds per post, so their buttons
/// share one page-wide listener (`behaviour.rs`) that calls this.
pub fn toggle_card(button: &Element) {
    let Some(card) = button.closest(crate::class_selector!(card)).ok().flatten() else {
        return;
    };
    let id = card.id();
    let open = button.get_attribute("aria-expanded").as_deref() == Some("true");
    // A bar left from a page the reader has since left goes too.
    let old = CARD_BARS.with(|b| {
        let mut bars = b.borrow_mut();
        let i = bars.iter().position(|(card, _)| *card == id);
        i.map(|i| bars.swap_remove(i))
    });
    drop(old);
    if open {
        let _ = button.set_attribute("aria-expanded", "false");
        return;
    }
    let (title, route) = POST.with(|p| p.borrow().clone());
    let url = absolute(&format!("{route}#{id}"));
    // After the meta line (the card's header), before its body.
    let meta = button.closest("header").ok().flatten();
    let before = meta.and_then(|m| m.next_sibling());
    let bar = mount(&card, before.as_ref(), move || {
        view! { <ShareBar title url /> }.into_any()
    });
    CARD_BARS.with(|b| b.borrow_mut().push((id, bar)));
    let _ = button.set_attribute("aria-expanded", "true");
}
