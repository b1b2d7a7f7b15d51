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
    // Folded cards are built in a task of their own, one section at a time, so a post
    // with hundreds of comments shows its first cards without one long task. Opening
    // the section first builds them at once.
    let (ready, set_ready) = signal(false);
    set_timeout(move || set_ready.set(true), std::time::Duration::ZERO);
    let comments = StoredValue::new(comments);
    let label = if label.trim().is_empty() { "もっとコメントを表示".to_string() } else { label };
    view! {
        <details
            class="more-comments"
            on:toggle=move |_| {
                set_ready.set(true);
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
