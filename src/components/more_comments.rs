//! A folded "もっとコメントを表示" section: a native `<details>` disclosure.

use leptos::prelude::*;
use matome_model::Comment;

use crate::components::comment_card::CommentCard;
use crate::dom;

/// The stable hook is `details.more-comments`; its summary says how many cards it holds.
#[component]
pub fn MoreComments(
    label: String,
    comments: Vec<Comment>,
    /// Position of the section among the post's sections (remembers it open on back).
    #[prop(optional)]
    index: usize,
    /// Called after the section opened or closed.
    #[prop(optional, into)]
    on_toggle: Option<Callback<()>>,
) -> impl IntoView {
    let count = comments.len();
    // Folded cards are built in a task of their own, one section at a time, so a post
    // with hundreds of comments shows its first cards without one long task. Opening
    // the section first builds them at once.
    let start_open = dom::restored_section_open(index);
    let (ready, set_ready) = signal(start_open);
    set_timeout(move || set_ready.set(true), std::time::Duration::ZERO);
    let comments = StoredValue::new(comments);
    let label = if label.trim().is_empty() { "もっとコメントを表示".to_string() } else { label };
    view! {
        <details
            class="more-comments"
            open=start_open
            on:toggle=move |ev| {
                set_ready.set(true);
                dom::remember_section(index, event_target::<web_sys::HtmlDetailsElement>(&ev).open());
                if let Some(cb) = on_toggle {
                    cb.run(());
                }
            }
        >
            <summary class="more-comments-summary">
                <span class="more-comments-label">{label}</span>
                <span class="more-comments-count">{format!("{count}件のコメント")}</span>
            </summary>
            <div class="more-comments-list">
                {move || {
                    ready.get().then(|| {
                        comments
                            .get_value()
                            .into_iter()
                            .map(|comment| view! { <CommentCard comment /> })
                            .collect_view()
                    })
                }}
            </div>
        </details>
    }
}
