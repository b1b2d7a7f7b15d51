//! One comment card: number (the card's permalink, which copies the link once the app
//! runs), user, time, body, colour accent and share button (`reading/share.rs` shows the
//! share links for the card).
//!
//! Pure markup, the same at build time and in the browser: the permalink's copy works
//! through one listener for the whole page (`behaviour.rs`), so a post with hundreds of
//! cards costs no per-card listeners or signals, and prerendered cards need no takeover.

use leptos::prelude::*;
use matome_model::Comment;

use crate::components::inline::Inlines;
use crate::format;

/// A comment card with the stable hook `.comment-card#c<n>`; `page` is the post's route
/// (the card's own link is `page#c<n>`, which works without JavaScript too).
#[component]
pub fn CommentCard(comment: Comment, #[prop(into)] page: String) -> impl IntoView {
    let Comment {
        n,
        user,
        created_at,
        color,
        body,
    } = comment;
    let id = format!("c{n}");
    let style = color
        .as_deref()
        .and_then(format::hex_color)
        .map(|c| format!("--accent:{c}"));
    let has_accent = style.is_some();
    let anchor = format!("{page}#{id}");
    let user_label = if user.trim().is_empty() {
        "匿名".to_string()
    } else {
        user
    };
    let body_view = if body.is_empty() {
        view! { <p class="comment-card-body comment-card-empty">"（本文なし）"</p> }.into_any()
    } else {
        view! { <div class="comment-card-body"><Inlines nodes=body /></div> }.into_any()
    };
    // The card is repeated hundreds of times per post, in the HTML and in the DOM, so its
    // markup stays lean: the number is the one link control, a permalink that works before
    // the app (and without JavaScript) and copies the card's URL once the app runs; its
    // link icon is drawn by CSS (`.comment-card-number::after`), its `title` and the
    // copied notice are added when used (`behaviour.rs`). Nothing is hidden until the app
    // starts, so taking the page over restyles nothing.
    view! {
        <article class=crate::hook!(card) class:has-accent=has_accent id=id style=style>
            <header class="comment-card-meta">
                <a class=crate::hook!(card_number) href=anchor>{format!("#{n}")}</a>
                <span class="comment-card-user">{user_label}</span>
                <time datetime=created_at.clone()>
                    {format::date_time(&created_at)}
                </time>
                <button class=crate::hook!(card_share) aria-expanded="false">"共有"</button>
            </header>
            {body_view}
        </article>
    }
}
