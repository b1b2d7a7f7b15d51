//! Loading placeholders shaped like the content they stand for, so nothing jumps.

use leptos::prelude::*;

/// Placeholder for a list of post cards.
#[component]
pub fn ListSkeleton(#[prop(default = 4)] rows: usize) -> impl IntoView {
    view! {
        <div class="skeleton-list" aria-busy="true" aria-label="読み込み中">
            {(0..rows)
                .map(|_| {
                    view! {
                        <div class="skeleton-card">
                            <div class="skeleton skeleton-line skeleton-title"></div>
                            <div class="skeleton skeleton-line skeleton-short"></div>
                            <div class="skeleton skeleton-line"></div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Placeholder for a post page.
#[component]
pub fn PostSkeleton() -> impl IntoView {
    view! {
        <div class="skeleton-post" aria-busy="true" aria-label="読み込み中">
            <div class="skeleton skeleton-hero"></div>
            <div class="skeleton skeleton-line skeleton-h1"></div>
            <div class="skeleton skeleton-line skeleton-short"></div>
            {(0..3)
                .map(|_| {
                    view! {
                        <div class="skeleton-card">
                            <div class="skeleton skeleton-line skeleton-short"></div>
                            <div class="skeleton skeleton-line"></div>
                            <div class="skeleton skeleton-line"></div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}
