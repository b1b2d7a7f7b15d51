//! Fallback route: the 404 page.

use leptos::prelude::*;

use crate::components::not_found::NotFoundMessage;

/// Any URL the router does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! { <NotFoundMessage /> }
}
