//! `/tags/`: every tag with its count, sortable by count or name.

use leptos::prelude::*;
use matome_model::{TagEntry, TagIndex};

use crate::page::Page;
use crate::pages::loader::{boxed, Loader, Skeleton};
use crate::{api, format};

/// The tag list.
#[component]
pub fn TagsPage() -> impl IntoView {
    let load = Box::new(move || boxed(async move { Ok(Page::Tags(api::fetch_tags().await?)) }));
    view! { <Loader load skeleton=Skeleton::List(3) /> }
}

/// The tag list's content: heading, sort switch and the tags, most used first. The
/// switch ([`TagSort`]) re-orders the items in place, so the list is the same markup with
/// or without the app (and thousands of tags are never rendered again).
#[component]
pub fn TagsView(index: TagIndex) -> impl IntoView {
    let mut tags = index.tags;
    tags.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    view! {
        <h1 class="page-title">"タグ"</h1>
        <div class="sort-switch" role="group" aria-label="並べ替え" data-island=crate::islands::TAG_SORT>
            <TagSort />
        </div>
        <ul class="tag-cloud">{tags.into_iter().map(tag_item).collect_view()}</ul>
    }
}

/// The tag list's sort switch: 件数順 (most used first) or 名前順. Inside
/// `div.sort-switch[data-island]`, whose next sibling is the list it re-orders.
#[component]
pub fn TagSort() -> impl IntoView {
    // One handler for both buttons (one copy in the wasm): the button says its order.
    let sort = move |ev: web_sys::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|t| t.closest("button[data-sort]").ok().flatten())
        else {
            return;
        };
        let Some(switch) = button.parent_element() else {
            return;
        };
        let by_name = button.get_attribute("data-sort").as_deref() == Some("name");
        let buttons = switch.children();
        for b in (0..buttons.length()).filter_map(|i| buttons.item(i)) {
            let _ = b.set_attribute("aria-pressed", if b == button { "true" } else { "false" });
        }
        if let Some(list) = switch.next_element_sibling() {
            sort_tags(&list, by_name);
        }
    };
    view! {
        <button type="button" class="sort-button" data-sort="count" aria-pressed="true" on:click=sort>
            "件数順"
        </button>
        <button type="button" class="sort-button" data-sort="name" aria-pressed="false" on:click=sort>
            "名前順"
        </button>
    }
}

/// The items of the tag list `list` sorted by name, or by count (most used first) then
/// name, in place.
fn sort_tags(list: &web_sys::Element, by_name: bool) {
    let items = list.children();
    let mut items: Vec<web_sys::Element> =
        (0..items.length()).filter_map(|i| items.item(i)).collect();
    // One key type for both orders (one sort in the wasm).
    items.sort_by_cached_key(|el| {
        let count: u32 = el
            .get_attribute("data-count")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (
            if by_name { 0 } else { u32::MAX - count },
            el.get_attribute("data-name").unwrap_or_default(),
        )
    });
    for item in items {
        let _ = list.append_child(&item);
    }
}

fn tag_item(t: TagEntry) -> impl IntoView {
    // The name order's key: ASCII case folded (Unicode's case tables cost 8 KB gzip of
    // wasm; Japanese names have no case).
    let key = t.name.to_ascii_lowercase();
    view! {
        <li data-count=t.count data-name=key>
            <a class="tag-cloud-link" href=api::tag_href(&t.slug)>
                <span class="tag-cloud-name">{t.name}</span>
                <span class="tag-cloud-count">{format::thousands(t.count.into())}</span>
            </a>
        </li>
    }
}
