//! A folded "もっとコメントを表示" section: a native `<details>` disclosure, so it opens
//! without JavaScript on a prerendered page.

use leptos::prelude::*;
use matome_model::Comment;

use crate::components::comment_card::CommentCard;
use crate::{dom, format};

/// The stable hook is `details.more-comments`; its summary says how many cards it holds.
/// `data-section` numbers the post's sections from 1 (to reopen them on back/forward);
/// `data-accents` counts its coloured cards (absent when none).
#[component]
pub fn MoreComments(
    label: String,
    comments: Vec<Comment>,
    /// The post's route, for the cards' links.
    #[prop(into)]
    page: String,
    /// Position of the section among the post's sections.
    #[prop(optional)]
    index: usize,
) -> impl IntoView {
    let count = comments.len();
    // How many coloured cards it holds: ハイライトのみ opens these sections, hides the others.
    let accents = comments
        .iter()
        .filter(|c| c.color.as_deref().and_then(format::hex_color).is_some())
        .count();
    // In the browser the folded cards are built in a task of their own, one section at a
    // time, so a post with hundreds of comments shows its first cards without one long
    // task; opening the section builds them at once. At build time every card is written.
    let start_open = dom::restored_section_open(index);
    let (ready, set_ready) = signal(start_open || dom::window().is_none());
    // `try_set`: the page may be gone by the time the task runs.
    dom::later(
        move || {
            let _ = set_ready.try_set(true);
        },
        0,
    );
    let comments = StoredValue::new(comments);
    let label = if label.trim().is_empty() {
        "もっとコメントを表示".to_string()
    } else {
        format::label_count(&label)
    };
    view! {
        <details
            class=crate::hook!(section)
            data-section=index
            data-accents=(accents > 0).then_some(accents)
            open=start_open
            on:toggle=move |_| set_ready.set(true)
        >
            <summary class="more-comments-summary">
                <span class="more-comments-label">{label}</span>
                <span class="more-comments-count">{format!("{}件のコメント", format::thousands(count as u64))}</span>
            </summary>
            <div class="more-comments-list">
                {move || {
                    ready.get().then(|| {
                        let page = page.clone();
                        comments
                            .get_value()
                            .into_iter()
                            .map(|comment| view! { <CommentCard comment page=page.clone() /> })
                            .collect_view()
                    })
                }}
            </div>
        </details>
    }
}
