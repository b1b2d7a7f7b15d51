//! Read marks on the device: the posts the reader opened (the newest [`LIMIT`]) and how
//! many cards each had then. Lists mark opened posts `.post-card[data-read]` with 既読;
//! a post opened again marks the cards added since 新着.
//!
//! Stored in localStorage as lines `cards<TAB>path`, oldest first.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use crate::router::Route;
use crate::{api, dom};

const KEY: &str = "matome-read";
/// How many posts are remembered; the oldest are forgotten first.
pub const LIMIT: usize = 5000;

thread_local! {
    static CACHE: RefCell<Option<Vec<(u32, String)>>> = const { RefCell::new(None) };
}

fn storage() -> Option<web_sys::Storage> {
    dom::window()?.local_storage().ok().flatten()
}

fn with_marks<R>(f: impl FnOnce(&mut Vec<(u32, String)>) -> R) -> R {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let marks = c.get_or_insert_with(|| {
            let text = storage()
                .and_then(|s| s.get_item(KEY).ok().flatten())
                .unwrap_or_default();
            text.lines()
                .filter_map(|l| l.split_once('\t'))
                .filter_map(|(n, p)| Some((n.parse().ok()?, p.to_string())))
                .collect()
        });
        f(marks)
    })
}

/// Whether the post at `path` was opened before (never at build time).
pub fn is_read(path: &str) -> bool {
    dom::window().is_some() && with_marks(|m| m.iter().any(|(_, p)| p == path))
}

/// Records that the post at `path` with `cards` cards is shown, and marks the cards
/// added since the previous visit 新着.
pub fn post_shown(path: &str, cards: u32) {
    let Some(storage) = storage() else { return };
    let before = with_marks(|m| {
        let before = m.iter().position(|(_, p)| p == path).map(|i| m.remove(i).0);
        m.push((cards, path.to_string()));
        let extra = m.len().saturating_sub(LIMIT);
        m.drain(..extra);
        let text: String = m.iter().map(|(n, p)| format!("{n}\t{p}\n")).collect();
        let _ = storage.set_item(KEY, &text);
        before
    });
    if let Some(before) = before.filter(|b| *b < cards) {
        mark_new(path.to_string(), before + 1, cards, 20);
    }
}

/// How many cards one step of a scan looks at (a step stays well under 50 ms at 4x CPU
/// slowdown).
const SLICE: u32 = 40;

/// Marks the prerendered page: its list's read posts, or its post as shown (and the cards
/// added since the last visit 新着), a slice of cards per step.
pub fn init() {
    let Some(doc) = dom::document() else { return };
    if let Some(post) = doc
        .query_selector(concat!(crate::class_selector!(post), "[data-path]"))
        .ok()
        .flatten()
    {
        let path = post.get_attribute("data-path").unwrap_or_default();
        post_shown(&path, super::cards_of(&post));
    } else {
        mark_lists(0);
    }
}

/// 新着 on cards `from..=to` of the post at `path`, waiting a little for cards that are
/// not built yet; a slice per step.
fn mark_new(path: String, from: u32, to: u32, tries: u32) {
    let Some(doc) = dom::document() else { return };
    let same = doc
        .query_selector(concat!(crate::class_selector!(post), "[data-path]"))
        .ok()
        .flatten()
        .and_then(|p| p.get_attribute("data-path"))
        .is_some_and(|p| p == path);
    if !same {
        return;
    }
    for n in from..=to {
        if n >= from + SLICE {
            dom::step_next(move || mark_new(path, n, to, tries));
            return;
        }
        let Some(card) = doc.get_element_by_id(&format!("c{n}")) else {
            if tries > 0 {
                dom::later(move || mark_new(path, n, to, tries - 1), 50);
            }
            return;
        };
        if card.class_list().contains("is-new") {
            continue;
        }
        let _ = card.class_list().add_1("is-new");
        add_label(
            &doc,
            &card,
            crate::class_selector!(card_number),
            "comment-card-new",
            "新着",
        );
    }
}

/// A small label after `after` inside `el` (text only).
fn add_label(doc: &Document, el: &Element, after: &str, class: &str, text: &str) {
    let Ok(label) = doc.create_element("span") else {
        return;
    };
    label.set_class_name(class);
    label.set_text_content(Some(text));
    match el.query_selector(after).ok().flatten() {
        Some(anchor) => {
            let _ = anchor.after_with_node_1(&label);
        }
        None => {
            let _ = el.append_child(&label);
        }
    }
}

/// Marks the post cards of a prerendered list (the app's own lists mark themselves),
/// from the `from`th on, a slice per step.
fn mark_lists(from: u32) {
    let Some(doc) = dom::document() else { return };
    let Ok(cards) = doc.query_selector_all(crate::class_selector!(post_card)) else {
        return;
    };
    if cards.length() > from + SLICE {
        dom::step_next(move || mark_lists(from + SLICE));
    }
    let doc = &doc;
    let base = api::base_path();
    let slice = (from..cards.length().min(from + SLICE)).filter_map(|i| cards.item(i));
    for card in slice.filter_map(|n| n.dyn_into::<Element>().ok()) {
        if card.has_attribute("data-read") {
            continue;
        }
        let Some(a) = card
            .query_selector("a.post-card-link")
            .ok()
            .flatten()
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        else {
            continue;
        };
        let Ok(url) = web_sys::Url::new(&a.href()) else {
            continue;
        };
        if let Route::Post(path) = Route::parse(&url.pathname(), &base) {
            if is_read(&path) {
                let _ = card.set_attribute("data-read", "");
                add_label(
                    doc,
                    &card,
                    crate::class_selector!(post_card_comments),
                    crate::hook!(post_card_read),
                    "既読",
                );
            }
        }
    }
}

/// Forgets every read mark (the footer's control) and unmarks the page.
pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
    CACHE.with(|c| *c.borrow_mut() = Some(Vec::new()));
    let Some(doc) = dom::document() else { return };
    if let Ok(list) = doc.query_selector_all(concat!(
        crate::class_selector!(post_card),
        "[data-read], ",
        crate::class_selector!(post_card_read)
    )) {
        for el in (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
        {
            if el.class_list().contains(crate::hook!(post_card_read)) {
                el.remove();
            } else {
                let _ = el.remove_attribute("data-read");
            }
        }
    }
}
