//! Tag and month chips linking to their archive pages.

use leptos::prelude::*;
use matome_model::TagRef;

use crate::api;

/// The tags of a post as chips.
#[component]
pub fn TagChips(tags: Vec<TagRef>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tag-chips">
                {tags
                    .into_iter()
                    .map(|t| {
                        view! {
                            <li>
                                <a class="tag-chip" href=api::tag_href(&t.slug)>{format!("#{}", t.name)}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
