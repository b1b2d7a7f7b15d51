//! Fallback route: the 404 page.

use leptos::prelude::*;

use crate::components::not_found::NotFoundMessage;
use crate::dom;

/// Any URL the router does not know.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    dom::page_ready();
    view! { <NotFoundMessage /> }
}
