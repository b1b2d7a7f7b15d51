//! Share links: X, LINE and はてなブックマーク as plain links (no third-party script),
//! and the Web Share API button where the browser has it.
//!
//! The post's bar is rendered by [`ShareBar`]; a card's share button puts a copy of that
//! bar into the card with the card's URL (`…#cN`).

use leptos::prelude::*;
use matome_model::paths::encode_component as enc;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::dom;

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

/// The post's share bar. `route` is the post's route. The links hold nothing but
/// percent-encoded text (no `"`, `<` or `&`), so they are written as one string.
#[component]
pub fn ShareBar(#[prop(into)] title: String, #[prop(into)] route: String) -> impl IntoView {
    let url = absolute(&route);
    let mut html = String::from(r#"<span class="share-label">共有</span>"#);
    for (kind, label) in SERVICES {
        let href = href(kind, &title, &url).replace('&', "&amp;");
        html += &format!(
            r#"<a class="share-link" data-share="{kind}" href="{href}" target="_blank" rel="noopener noreferrer">{label}</a>"#
        );
    }
    let hidden = if native_supported() { "" } else { " hidden" };
    html += &format!(r#"<button type="button" class="share-native"{hidden}>その他…</button>"#);
    view! { <div class="share-bar" data-title=title data-url=url data-route=route inner_html=html></div> }
}

/// Points the bar's links at `title` and `url`.
fn fill(bar: &Element, title: &str, url: &str) {
    let _ = bar.set_attribute("data-title", title);
    let _ = bar.set_attribute("data-url", url);
    for (kind, _) in SERVICES {
        if let Some(a) = bar
            .query_selector(&format!("a[data-share={kind}]"))
            .ok()
            .flatten()
        {
            let _ = a.set_attribute("href", &href(kind, title, url));
        }
    }
}

/// On a prerendered page: the post's bar gets absolute URLs and, where the browser can
/// share, its その他 button.
pub fn prepare(doc: &Document) {
    let Some(bar) = doc.query_selector(".post-share .share-bar").ok().flatten() else {
        return;
    };
    let title = bar.get_attribute("data-title").unwrap_or_default();
    let route = bar.get_attribute("data-route").unwrap_or_default();
    fill(&bar, &title, &absolute(&route));
    if native_supported() {
        if let Some(b) = bar.query_selector(".share-native").ok().flatten() {
            let _ = b.remove_attribute("hidden");
        }
    }
}

/// A card's share button: shows (or hides again) the share bar for that card.
pub fn toggle_card(button: &Element) {
    let Some(card) = button.closest(".comment-card").ok().flatten() else {
        return;
    };
    if let Some(bar) = card.query_selector(".share-bar").ok().flatten() {
        bar.remove();
        let _ = button.set_attribute("aria-expanded", "false");
        return;
    }
    let Some(post_bar) = card
        .closest(".post")
        .ok()
        .flatten()
        .and_then(|p| p.query_selector(".post-share .share-bar").ok().flatten())
    else {
        return;
    };
    let Ok(bar) = post_bar
        .clone_node_with_deep(true)
        .map(|n| n.unchecked_into::<Element>())
    else {
        return;
    };
    let title = post_bar.get_attribute("data-title").unwrap_or_default();
    let route = post_bar.get_attribute("data-route").unwrap_or_default();
    fill(&bar, &title, &absolute(&format!("{route}#{}", card.id())));
    if native_supported() {
        if let Some(b) = bar.query_selector(".share-native").ok().flatten() {
            let _ = b.remove_attribute("hidden");
        }
    }
    let placed = card
        .query_selector(".comment-card-meta")
        .ok()
        .flatten()
        .map(|m| m.after_with_node_1(&bar));
    if placed.is_none() {
        let _ = card.append_child(&bar);
    }
    let _ = button.set_attribute("aria-expanded", "true");
}

/// その他…: the browser's own share sheet.
pub fn native(button: &Element) {
    let Some(bar) = button.closest(".share-bar").ok().flatten() else {
        return;
    };
    let Some(w) = dom::window() else { return };
    let data = web_sys::ShareData::new();
    data.set_title(&bar.get_attribute("data-title").unwrap_or_default());
    data.set_url(&bar.get_attribute("data-url").unwrap_or_default());
    let _ = w.navigator().share_with_data(&data);
}
