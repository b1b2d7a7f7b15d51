//! `/tags/`: every tag with its count, sortable by count or name.

use std::rc::Rc;

use leptos::prelude::*;
use matome_model::{TagEntry, TagIndex};
use wasm_bindgen::JsCast;

use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::pages::set_page_meta;
use crate::{api, format, takeover};

/// The tag list.
#[component]
pub fn TagsPage() -> impl IntoView {
    let load = Box::new(move || {
        boxed(async move {
            let index = api::fetch_tags().await?;
            set_page_meta(Some("タグ"), &format!("{}個のタグと記事数", index.tags.len()));
            let render: Render = Rc::new(move || view! { <TagsView index=index.clone() /> }.into_any());
            Ok(render)
        })
    });
    view! { <Loader load skeleton=Skeleton::List(3) /> }
}

/// The tag list's content: heading, sort switch and the tags, most used first.
#[component]
pub fn TagsView(index: TagIndex) -> impl IntoView {
    let (by_name, set_by_name) = signal(false);
    // On a prerendered page the (long) list is taken over as it is; it is built again
    // only when the reader sorts it.
    let adopted = takeover::adopt("tag-cloud");
    let (built, set_built) = signal(!adopted);
    let cloud = NodeRef::<leptos::html::Ul>::new();
    let sort = move |name: bool| {
        if !built.get_untracked() {
            if let Some(ul) = cloud.get_untracked() {
                remove_adopted_items(&ul);
            }
            set_built.set(true);
        }
        set_by_name.set(name);
    };
    let tags = index.tags;
    let items = move || {
        built.get().then(|| {
            let mut tags = tags.clone();
            sort_tags(&mut tags, by_name.get());
            tags.into_iter().map(tag_item).collect_view()
        })
    };
    view! {
        <h1 class="page-title">"タグ"</h1>
        <div class="sort-switch" role="group" aria-label="並べ替え">
            <button type="button" class="sort-button" aria-pressed=move || (!by_name.get()).to_string() on:click=move |_| sort(false)>
                "件数順"
            </button>
            <button type="button" class="sort-button" aria-pressed=move || by_name.get().to_string() on:click=move |_| sort(true)>
                "名前順"
            </button>
        </div>
        <ul class="tag-cloud" data-region="tag-cloud" node_ref=cloud>{items}</ul>
    }
}

/// Most used first (ties by name), or by name.
fn sort_tags(tags: &mut [TagEntry], by_name: bool) {
    if by_name {
        tags.sort_by_key(|t| t.name.to_lowercase());
    } else {
        tags.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    }
}

fn tag_item(t: TagEntry) -> impl IntoView {
    view! {
        <li>
            <a class="tag-cloud-link" href=api::tag_href(&t.slug)>
                <span class="tag-cloud-name">{t.name}</span>
                <span class="tag-cloud-count">{format::thousands(t.count.into())}</span>
            </a>
        </li>
    }
}

/// The prerendered items moved in by the takeover (Leptos owns only its own nodes).
fn remove_adopted_items(ul: &web_sys::HtmlUListElement) {
    let children = ul.children();
    let items: Vec<_> = (0..children.length()).filter_map(|i| children.item(i)).collect();
    for item in items {
        if let Ok(li) = item.dyn_into::<web_sys::HtmlLiElement>() {
            li.remove();
        }
    }
}
