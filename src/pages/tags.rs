//! `/tags/`: every tag with its count, sortable by count or name.

use leptos::prelude::*;

use crate::components::error_view::ErrorView;
use crate::components::skeleton::ListSkeleton;
use crate::pages::set_page_meta;
use crate::{api, dom};

/// The tag list.
#[component]
pub fn TagsPage() -> impl IntoView {
    let data = LocalResource::new(api::fetch_tags);
    let (by_name, set_by_name) = signal(false);
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
        <Suspense fallback=|| view! { <ListSkeleton rows=3 /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(index) => {
                        set_page_meta(Some("タグ"), &format!("{}個のタグと記事数", index.tags.len()));
                        dom::page_ready();
                        let tags = index.tags;
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
                    }
                    Err(error) => view! { <ErrorView error on_retry=move |_: ()| data.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
