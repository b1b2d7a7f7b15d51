//! Reading features, in the style of `behaviour.rs`: the markup is rendered by the
//! components (so it is in the prerendered HTML too), and one page-wide listener per kind
//! of event handles it, on the prerendered page after the takeover and on pages the app
//! builds itself.
//!
//! - keyboard: `j`/`k` next/previous comment card, `n`/`p` next/previous coloured card
//!   (folded sections open as needed), `o` the source thread, `?` the shortcuts;
//! - digest: ハイライトのみ shows only the coloured cards;
//! - font size: three steps, remembered on the device (applied before the first paint
//!   by the inline script of `index.html`);
//! - read marks ([`marks`]) and share links ([`share`]).

pub mod marks;
pub mod share;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlDetailsElement, HtmlElement, KeyboardEvent};

use crate::dom;

/// localStorage key of the font size (`s`, `m`, `l`); read by `index.html` too.
pub const FONT_KEY: &str = "matome-font";
/// The font-size steps: value and label.
pub const FONT_STEPS: [(&str, &str); 3] = [("s", "小"), ("m", "中"), ("l", "大")];

/// Registers the keyboard listener and prepares the prerendered page's controls (share
/// buttons, font-size state); its read marks follow in steps of their own
/// ([`marks::init`]).
pub fn init() {
    let Some(doc) = dom::document() else { return };
    let keys = window_event_listener(leptos::ev::keydown, on_key);
    on_cleanup(move || keys.remove());
    sync_font_buttons(&doc);
    share::prepare(&doc);
}

pub(crate) fn cards_of(post: &Element) -> u32 {
    post.get_attribute("data-cards")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

/// Clicks on the reading controls (called by the page-wide click listener of
/// `behaviour.rs`).
pub fn on_click(target: Option<web_sys::EventTarget>) {
    let find = |sel: &str| {
        target
            .clone()?
            .dyn_into::<Element>()
            .ok()?
            .closest(sel)
            .ok()
            .flatten()
    };
    if let Some(button) = find(".digest-toggle") {
        toggle_digest(&button);
    } else if let Some(button) = find(".font-size-button[data-font]") {
        set_font(button.get_attribute("data-font").as_deref().unwrap_or("m"));
    } else if find(".shortcuts-open").is_some() {
        show_shortcuts();
    } else if let Some(button) = find(".shortcuts-close") {
        if let Some(d) = button.closest("dialog").ok().flatten() {
            d.unchecked_into::<web_sys::HtmlDialogElement>().close();
        }
    } else if let Some(button) = find(".read-clear") {
        marks::clear();
        button.set_text_content(Some("既読を消しました"));
    } else if let Some(button) = find(".comment-card-share") {
        share::toggle_card(&button);
    } else if let Some(button) = find(".share-native") {
        share::native(&button);
    }
}

/// Whether keys go to a text field (or the shortcuts dialog) rather than to the page.
fn typing(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        })
}

fn on_key(ev: KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() || ev.is_composing()
    {
        return;
    }
    let Some(doc) = dom::document() else { return };
    let dialog_open = doc.query_selector("dialog[open]").ok().flatten().is_some();
    if typing(ev.target()) || dialog_open {
        return;
    }
    let handled = match ev.key().as_str() {
        "j" => step(&doc, true, false),
        "k" => step(&doc, false, false),
        "n" => step(&doc, true, true),
        "p" => step(&doc, false, true),
        "o" => open_source(&doc),
        "?" => show_shortcuts(),
        _ => false,
    };
    if handled {
        ev.prevent_default();
    }
}

/// Moves the current card forwards or backwards (only coloured cards with `accent`, and
/// in digest mode). Returns whether the page is a post.
fn step(doc: &Document, forward: bool, accent: bool) -> bool {
    let Some(post) = doc.query_selector(".post[data-path]").ok().flatten() else {
        return false;
    };
    let total = cards_of(&post);
    let accent = accent || post.has_attribute("data-digest");
    let current = doc
        .query_selector(".comment-card[aria-current=true], .comment-card.is-targeted")
        .ok()
        .flatten()
        .and_then(|c| c.id().strip_prefix('c').and_then(|n| n.parse::<u32>().ok()));
    let from = current.unwrap_or(if forward { 0 } else { total + 1 });
    seek(
        post.get_attribute("data-path").unwrap_or_default(),
        from,
        forward,
        accent,
        total,
        20,
    );
    true
}

/// Finds the next card after `from`; cards not built yet (a slice of a long post still
/// on its way) are waited for, a few times.
fn seek(path: String, from: u32, forward: bool, accent: bool, total: u32, tries: u32) {
    let Some(doc) = dom::document() else { return };
    let same_post = doc
        .query_selector(".post[data-path]")
        .ok()
        .flatten()
        .and_then(|p| p.get_attribute("data-path"))
        .is_some_and(|p| p == path);
    if !same_post {
        return;
    }
    let mut k = from;
    loop {
        k = if forward { k + 1 } else { k.saturating_sub(1) };
        if k == 0 || k > total {
            return;
        }
        match doc.get_element_by_id(&format!("c{k}")) {
            None => {
                if tries > 0 {
                    let from = if forward { k - 1 } else { k + 1 };
                    dom::later(
                        move || seek(path, from, forward, accent, total, tries - 1),
                        50,
                    );
                }
                return;
            }
            Some(card) if accent && !card.class_list().contains("has-accent") => {}
            Some(card) => return make_current(&doc, &card),
        }
    }
}

/// `aria-current="true"` on `card` (and only there), its sections open, scrolled to.
fn make_current(doc: &Document, card: &Element) {
    if let Ok(old) =
        doc.query_selector_all(".comment-card[aria-current], .comment-card.is-targeted")
    {
        for el in (0..old.length())
            .filter_map(|i| old.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
        {
            let _ = el.remove_attribute("aria-current");
            let _ = el.class_list().remove_1("is-targeted");
        }
    }
    let mut node = card.parent_element();
    while let Some(el) = node {
        if let Some(d) = el.dyn_ref::<HtmlDetailsElement>() {
            if !d.open() {
                d.set_open(true);
            }
        }
        node = el.parent_element();
    }
    let _ = card.set_attribute("aria-current", "true");
    card.scroll_into_view_with_bool(true);
}

/// `o`: opens the post's source thread (a new tab, as its link does).
fn open_source(doc: &Document) -> bool {
    let link = doc.query_selector(".post-source a[href]").ok().flatten();
    link.and_then(|l| l.dyn_into::<HtmlElement>().ok())
        .map(|l| l.click())
        .is_some()
}

/// `?`: the shortcuts dialog (in the page's shell).
fn show_shortcuts() -> bool {
    let dialog = dom::document()
        .and_then(|d| d.get_element_by_id("shortcuts"))
        .and_then(|d| d.dyn_into::<web_sys::HtmlDialogElement>().ok());
    dialog.map(|d| d.show_modal()).is_some()
}

/// ハイライトのみ: the post shows only its coloured cards; the sections that hold some
/// are opened.
fn toggle_digest(button: &Element) {
    let Some(post) = button.closest(".post").ok().flatten() else {
        return;
    };
    let on = !post.has_attribute("data-digest");
    if on {
        let _ = post.set_attribute("data-digest", "");
        if let Ok(list) = post.query_selector_all("details.more-comments[data-accents]") {
            for d in (0..list.length()).filter_map(|i| list.item(i)) {
                if let Ok(d) = d.dyn_into::<HtmlDetailsElement>() {
                    d.set_open(true);
                }
            }
        }
    } else {
        let _ = post.remove_attribute("data-digest");
    }
    let _ = button.set_attribute("aria-pressed", if on { "true" } else { "false" });
}

/// The font size in effect (`s`, `m`, `l`); `m` at build time.
pub fn font_size() -> String {
    dom::document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-font"))
        .filter(|f| f == "s" || f == "l")
        .unwrap_or_else(|| "m".into())
}

fn set_font(size: &str) {
    let Some(doc) = dom::document() else { return };
    if let Some(root) = doc.document_element() {
        let _ = root.set_attribute("data-font", size);
    }
    if let Some(storage) = dom::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(FONT_KEY, size);
    }
    sync_font_buttons(&doc);
}

/// The pressed state of every font-size button follows the size in effect.
fn sync_font_buttons(doc: &Document) {
    let size = font_size();
    let Ok(list) = doc.query_selector_all(".font-size-button[data-font]") else {
        return;
    };
    for b in (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
    {
        let pressed = b.get_attribute("data-font").is_some_and(|f| f == size);
        let _ = b.set_attribute("aria-pressed", if pressed { "true" } else { "false" });
    }
}

/// The shortcuts dialog (`?`) and the footer's reading controls: static markup, written
/// as one string so it costs the app no view code.
const SHELL_HTML: &str = concat!(
    r#"<p class="site-footer-tools">"#,
    r#"<button type="button" class="button button-quiet shortcuts-open">キーボード操作</button>"#,
    r#"<button type="button" class="button button-quiet read-clear">既読をすべて消す</button></p>"#,
    r#"<dialog id="shortcuts" class="shortcuts" aria-labelledby="shortcuts-title">"#,
    r#"<h2 id="shortcuts-title" class="shortcuts-title">キーボード操作</h2><dl class="shortcuts-list">"#,
    r#"<dt><kbd>j</kbd> / <kbd>k</kbd></dt><dd>次 / 前のコメント</dd>"#,
    r#"<dt><kbd>n</kbd> / <kbd>p</kbd></dt><dd>次 / 前のハイライト（色付き）コメント</dd>"#,
    r#"<dt><kbd>o</kbd></dt><dd>引用元のスレッドを開く</dd>"#,
    r#"<dt><kbd>/</kbd></dt><dd>検索</dd><dt><kbd>?</kbd></dt><dd>この一覧</dd></dl>"#,
    r#"<button type="button" class="button button-quiet shortcuts-close">閉じる</button></dialog>"#,
);

/// The footer's reading controls and the shortcuts dialog, once per page (in the shell).
#[component]
pub fn ReadingTools() -> impl IntoView {
    view! { <div class="reading-tools" inner_html=SHELL_HTML></div> }
}

/// The post's toolbar: font size, ハイライトのみ (when the post has coloured cards) and
/// すべて展開 (when it has folded sections). Static markup (no text of the post), so it
/// is written as a string.
pub fn toolbar_html(accents: bool, sections: bool) -> String {
    let font = font_size();
    let mut html = String::from(
        r#"<div class="font-size" role="group" aria-label="文字サイズ"><span class="font-size-label" aria-hidden="true">文字</span>"#,
    );
    for (size, label) in FONT_STEPS {
        let pressed = if font == size { "true" } else { "false" };
        html += &format!(
            r#"<button type="button" class="font-size-button" data-font="{size}" aria-pressed="{pressed}" aria-label="文字サイズ{label}">{label}</button>"#
        );
    }
    html += "</div>";
    if accents {
        html += r#"<button type="button" class="button button-quiet digest-toggle" aria-pressed="false">ハイライトのみ</button>"#;
    }
    if sections {
        html += r#"<button type="button" class="button button-quiet expand-all" aria-pressed="false">すべて展開</button>"#;
    }
    html
}
