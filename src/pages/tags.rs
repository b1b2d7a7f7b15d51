//! `/tags/`: every tag with its count, sortable by count or name.

use std::rc::Rc;

use leptos::prelude::*;

use crate::api;
use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::pages::set_page_meta;

/// The tag list.
#[component]
pub fn TagsPage() -> impl IntoView {
    let (by_name, set_by_name) = signal(false);
    let load = Box::new(move || {
        boxed(async move {
            let index = api::fetch_tags().await?;
            set_page_meta(Some("タグ"), &format!("{}個のタグと記事数", index.tags.len()));
            let render: Render = Rc::new(move || {
                let tags = index.tags.clone();
                view! {
                    <ul class="tag-cloud">
                        {move || {
                            let mut tags = tags.clone();
                            if by_name.get() {
                                tags.sort_by_key(|t| t.name.to_lowercase());
                            } else {
                                tags.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
                            }
                            tags.into_iter()
                                .map(|t| view! {
                                    <li>
                                        <a class="tag-cloud-link" href=api::tag_href(&t.slug)>
                                            <span class="tag-cloud-name">{t.name}</span>
                                            <span class="tag-cloud-count">{t.count}</span>
                                        </a>
                                    </li>
                                })
                                .collect_view()
                        }}
                    </ul>
                }
                .into_any()
            });
            Ok(render)
        })
    });
    view! {
        <h1 class="page-title">"タグ"</h1>
        <div class="sort-switch" role="group" aria-label="並べ替え">
            <button type="button" class="sort-button" aria-pressed=move || (!by_name.get()).to_string() on:click=move |_| set_by_name.set(false)>
                "件数順"
            </button>
            <button type="button" class="sort-button" aria-pressed=move || by_name.get().to_string() on:click=move |_| set_by_name.set(true)>
                "名前順"
            </button>
        </div>
        <Loader load skeleton=Skeleton::List(3) />
    }
}
