//! A folded "もっとコメントを表示" section: a native `<details>` disclosure.

use leptos::prelude::*;
use matome_model::Comment;

use crate::components::comment_card::CommentCard;

/// The stable hook is `details.more-comments`; its summary says how many cards it holds.
#[component]
pub fn MoreComments(
    label: String,
    comments: Vec<Comment>,
    /// Called after the section opened or closed.
    #[prop(optional, into)]
    on_toggle: Option<Callback<()>>,
) -> impl IntoView {
    let count = comments.len();
    let label = if label.trim().is_empty() { "もっとコメントを表示".to_string() } else { label };
    view! {
        <details
            class="more-comments"
            on:toggle=move |_| {
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
                {comments
                    .into_iter()
                    .map(|comment| view! { <CommentCard comment /> })
                    .collect_view()}
            </div>
        </details>
    }
}
