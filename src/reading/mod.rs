//! Reading features. The controls are components ([`PostToolbar`], [`ReadingTools`],
//! [`share::PostShare`]), in the prerendered HTML too and mounted into their places on
//! a prerendered page (`islands.rs`); the keyboard is one page-wide listener.
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

/// Registers the keyboard listener (the controls are components: [`PostToolbar`],
/// [`ReadingTools`], [`share::PostShare`]); the read marks follow in steps of their own
/// ([`marks::init`]).
pub fn init() {
    if dom::window().is_none() {
        return;
    }
    let keys = window_event_listener(leptos::ev::keydown, on_key);
    on_cleanup(move || keys.remove());
}

pub(crate) fn cards_of(post: &Element) -> u32 {
    post.get_attribute("data-cards")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
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
    let Some(post) = doc
        .query_selector(concat!(crate::class_selector!(post), "[data-path]"))
        .ok()
        .flatten()
    else {
        return false;
    };
    let total = cards_of(&post);
    let accent = accent || post.has_attribute("data-digest");
    let current = doc
        .query_selector(CURRENT_CARD)
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
        .query_selector(concat!(crate::class_selector!(post), "[data-path]"))
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
            Some(card) if accent && !card.class_list().contains(crate::hook!(accent)) => {}
            Some(card) => return make_current(&doc, &card),
        }
    }
}

/// `aria-current="true"` on `card` (and only there), its sections open, scrolled to.
fn make_current(doc: &Document, card: &Element) {
    if let Ok(old) = doc.query_selector_all(CURRENT_CARD) {
        for el in (0..old.length())
            .filter_map(|i| old.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
        {
            let _ = el.remove_attribute("aria-current");
            let _ = el.class_list().remove_1(crate::hook!(targeted));
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
    let link = doc
        .query_selector(concat!(crate::class_selector!(post_source), " a[href]"))
        .ok()
        .flatten();
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

/// The current card: the one `j`/`k` moved to, or the one a `#c<n>` link arrived at.
const CURRENT_CARD: &str = concat!(
    crate::class_selector!(card),
    "[aria-current=true], ",
    crate::class_selector!(card),
    ".",
    crate::hook!(targeted)
);

/// The font size in effect (`s`, `m`, `l`); `m` at build time.
pub fn font_size() -> String {
    dom::document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-font"))
        .filter(|f| f == "s" || f == "l")
        .unwrap_or_else(|| "m".into())
}

/// Applies and remembers a font size chosen by the reader.
fn set_font(size: &str) {
    if let Some(root) = dom::document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-font", size);
    }
    if let Some(storage) = dom::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(FONT_KEY, size);
    }
}

/// `"true"` / `"false"` for `aria-pressed`.
fn pressed(on: bool) -> &'static str {
    if on {
        "true"
    } else {
        "false"
    }
}

/// The post an event happened in: the `<article>` the control sits in.
fn post_of(ev: &web_sys::MouseEvent) -> Option<Element> {
    // The target, not the current target: Leptos may delegate the listener to the
    // document.
    ev.target()?
        .dyn_into::<Element>()
        .ok()?
        .closest("article[data-path]")
        .ok()
        .flatten()
}

/// The footer's reading controls (the shortcuts dialog, forgetting the read marks) and
/// the shortcuts dialog, once per page (in the shell, inside
/// `div.reading-tools[data-island]`).
#[component]
pub fn ReadingTools() -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let (cleared, set_cleared) = signal(false);
    let open = move |_| {
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let close = move |_| {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let clear = move |_| {
        marks::clear();
        set_cleared.set(true);
    };
    view! {
        <p class="site-footer-tools">
            <button type="button" class="button button-quiet shortcuts-open" on:click=open>"キーボード操作"</button>
            <button type="button" class="button button-quiet read-clear" on:click=clear>
                {move || if cleared.get() { "既読を消しました" } else { "既読をすべて消す" }}
            </button>
        </p>
        <dialog id="shortcuts" class="shortcuts" aria-labelledby="shortcuts-title" node_ref=dialog>
            <h2 id="shortcuts-title" class="shortcuts-title">"キーボード操作"</h2>
            <dl class="shortcuts-list">
                <dt><kbd>"j"</kbd>" / "<kbd>"k"</kbd></dt><dd>"次 / 前のコメント"</dd>
                <dt><kbd>"n"</kbd>" / "<kbd>"p"</kbd></dt><dd>"次 / 前のハイライト（色付き）コメント"</dd>
                <dt><kbd>"o"</kbd></dt><dd>"引用元のスレッドを開く"</dd>
                <dt><kbd>"/"</kbd></dt><dd>"検索"</dd>
                <dt><kbd>"?"</kbd></dt><dd>"この一覧"</dd>
            </dl>
            <button type="button" class="button button-quiet shortcuts-close" on:click=close>"閉じる"</button>
        </dialog>
    }
}

/// The post's toolbar (inside `div.post-toolbar[data-island]`, a child of the post's
/// `<article>`): font size, ハイライトのみ (when the post has coloured cards) and
/// すべて展開 (when it has folded sections), whose label follows the sections as they
/// are opened one by one.
#[component]
pub fn PostToolbar(accents: bool, sections: bool) -> impl IntoView {
    let (font, set_font_signal) = signal(font_size());
    let fonts = FONT_STEPS
        .into_iter()
        .map(|(size, label)| {
            let choose = move |_| {
                set_font(size);
                set_font_signal.set(size.to_string());
            };
            view! {
                <button
                    type="button"
                    class="font-size-button"
                    data-font=size
                    aria-pressed=move || pressed(font.get() == size)
                    aria-label=format!("文字サイズ{label}")
                    on:click=choose
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    let (digest, set_digest) = signal(false);
    let toggle_digest = move |ev: web_sys::MouseEvent| {
        let Some(post) = post_of(&ev) else { return };
        let on = !digest.get_untracked();
        if on {
            let _ = post.set_attribute("data-digest", "");
            // The sections holding coloured cards open.
            for d in dom::sections_in(&post) {
                if d.has_attribute("data-accents") {
                    d.set_open(true);
                }
            }
        } else {
            let _ = post.remove_attribute("data-digest");
        }
        set_digest.set(on);
    };
    let (all_open, set_all_open) = signal(false);
    let toggle_all = move |ev: web_sys::MouseEvent| {
        if let Some(post) = post_of(&ev) {
            set_all_open.set(dom::toggle_all_sections(&post));
        }
    };
    // The label follows the sections as the reader opens them one by one.
    let group = NodeRef::<leptos::html::Div>::new();
    if sections {
        Effect::new(move |_| {
            let Some(post) = group
                .get()
                .and_then(|g| g.closest("article[data-path]").ok().flatten())
            else {
                return;
            };
            let root = post.clone();
            let listener = dom::on_capture(&post, "toggle", move |el| {
                if el.tag_name().eq_ignore_ascii_case("details") {
                    set_all_open.set(dom::all_sections_open(&root));
                }
            });
            on_cleanup(move || drop(listener));
        });
    }
    view! {
        <div class="font-size" role="group" aria-label="文字サイズ" node_ref=group>
            <span class="font-size-label" aria-hidden="true">"文字"</span>
            {fonts}
        </div>
        {accents.then(|| view! {
            <button type="button" class="button button-quiet digest-toggle" aria-pressed=move || pressed(digest.get()) on:click=toggle_digest>
                "ハイライトのみ"
            </button>
        })}
        {sections.then(|| view! {
            <button type="button" class="button button-quiet expand-all" aria-pressed=move || pressed(all_open.get()) on:click=toggle_all>
                {move || if all_open.get() { "すべて閉じる" } else { "すべて展開" }}
            </button>
        })}
    }
}
