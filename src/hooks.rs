//! The class names the app's own code finds elements by, each defined once: the
//! components that render an element and the listeners and queries that look for it both
//! name it through [`hook!`](crate::hook), so the two cannot drift apart. (The
//! stylesheet and the tests outside the app use the same names: DESIGN.md lists the
//! stable ones.)
//!
//! `hook!(card)` is the class as a string literal, so it also builds selectors at
//! compile time: `concat!(".", hook!(card), "[aria-current]")`.

/// The class name of a hook, as a string literal.
#[macro_export]
macro_rules! hook {
    // A post page's `<article>` (with `data-path` and `data-cards`).
    (post) => {
        "post"
    };
    // The paragraph with the link to the post's source thread.
    (post_source) => {
        "post-source"
    };
    // A comment card (`article#c<n>`).
    (card) => {
        "comment-card"
    };
    // A card that is coloured (highlighted by the author).
    (accent) => {
        "has-accent"
    };
    // The card a `#c<n>` link arrived at.
    (targeted) => {
        "is-targeted"
    };
    // A card's number: its permalink, which copies the card's URL.
    (card_number) => {
        "comment-card-number"
    };
    // A card's 共有 button.
    (card_share) => {
        "comment-card-share"
    };
    // The live region of a card's コピーしました.
    (card_copied) => {
        "comment-card-copied"
    };
    // A folded section (`details`, with `data-section`).
    (section) => {
        "more-comments"
    };
    // A post card of a list.
    (post_card) => {
        "post-card"
    };
    // A post card's link to its post.
    (post_card_link) => {
        "post-card-link"
    };
    // A post card's comment count, after which its 既読 label goes.
    (post_card_comments) => {
        "post-card-comments"
    };
    // A post card's 既読 label.
    (post_card_read) => {
        "post-card-read"
    };
    // The skip link to the content.
    (skip_link) => {
        "skip-link"
    };
    // The site's name in the header.
    (site_title) => {
        "site-title"
    };
}

/// The selector `.class` of a hook, as a string literal.
#[macro_export]
macro_rules! class_selector {
    ($name:ident) => {
        concat!(".", $crate::hook!($name))
    };
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use leptos::prelude::*;
    use matome_model::Comment;

    use crate::components::comment_card::CommentCard;

    fn card(color: Option<&str>) -> String {
        let comment = Comment {
            n: 7,
            user: "someone".into(),
            created_at: "2025-04-01T12:00:00".into(),
            color: color.map(Into::into),
            body: Vec::new(),
        };
        let owner = Owner::new();
        owner.with(|| view! { <CommentCard comment page="/posts/a/" /> }.to_html())
    }

    /// The one class a component names as a directive (`class:has-accent`) is the hook
    /// the keyboard's `n`/`p` look for.
    #[test]
    fn a_coloured_card_carries_the_accent_hook_and_a_plain_one_does_not() {
        let coloured = card(Some("#cc3300"));
        let plain = card(None);
        let accent_class = concat!(
            "class=\"",
            crate::hook!(card),
            " ",
            crate::hook!(accent),
            "\""
        );
        assert!(coloured.contains(accent_class), "{coloured}");
        assert!(!plain.contains(crate::hook!(accent)), "{plain}");
        for hook in [crate::hook!(card_number), crate::hook!(card_share)] {
            assert!(
                plain.contains(&format!("class=\"{hook}\"")),
                "{hook} in {plain}"
            );
        }
    }
}
