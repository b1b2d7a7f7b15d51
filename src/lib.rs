//! The matome reader app (skeleton).
use leptos::prelude::*;

/// Root component.
#[component]
pub fn App() -> impl IntoView {
    view! { <main><h1>"matome"</h1></main> }
}
