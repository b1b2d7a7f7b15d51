//! Controls mounted into their prerendered places ("islands" in effect).
//!
//! The build writes each control's markup with its component, inside a wrapper marked
//! `data-island="<name>"` (with the props the control needs as data attributes). The
//! prerendered page is taken over without hydration (`takeover.rs`), so when the app
//! starts, [`mount_prerendered`] renders each of these components again into its
//! wrapper, in place of the identical markup the build wrote: a few small nodes, no
//! layout change, and from then on the control is the component, with its own handlers
//! and signals. Pages the app renders itself contain the same components directly.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use leptos::tachys::view::{Mountable, Render};
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use crate::dom;

/// Attribute naming a prerendered island: `data-island="<name>"`.
pub const ISLAND_ATTR: &str = "data-island";
/// The post's toolbar (`data-accents`, `data-sections` say which buttons it has).
pub const POST_TOOLBAR: &str = "post-toolbar";
/// The post's share bar (`data-title`, `data-route`).
pub const POST_SHARE: &str = "post-share";
/// The footer's reading tools and the shortcuts dialog.
pub const READING_TOOLS: &str = "reading-tools";
/// The header's search link and theme switch.
pub const SITE_TOOLS: &str = "site-tools";
/// The header's navigation (its current section).
pub const SITE_NAV: &str = "site-nav";
/// The tag list's sort switch.
pub const TAG_SORT: &str = "tag-sort";

/// A component mounted by the app into an element it did not render; unmounted (and its
/// reactive owner cleaned up) when dropped.
pub struct Mounted {
    owner: Owner,
    state: AnyViewState,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.state.unmount();
        self.owner.cleanup();
    }
}

/// Renders `f` in an owner of its own into `parent`, before `before` (at the end when
/// `None`).
pub fn mount(parent: &Element, before: Option<&Node>, f: impl FnOnce() -> AnyView) -> Mounted {
    let owner = Owner::new();
    let state = owner.with(|| {
        let mut state = f().build();
        state.mount(parent, before);
        state
    });
    Mounted { owner, state }
}

thread_local! {
    /// Islands of the prerendered page, kept alive until the page is released.
    static PAGE_ISLANDS: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
    /// Islands outside `<main>` (the footer's), alive as long as the page.
    static SHELL_ISLANDS: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
}

/// Mounts every island of the prerendered page into its place (one query for all), an
/// island per step (`dom::step_next`, ahead of the steps queued after this one): on a
/// slow phone most of a first call's time is the browser compiling the wasm it reaches,
/// and each island reaches code of its own.
pub fn mount_prerendered() {
    let Some(doc) = dom::document() else { return };
    let Ok(places) = doc.query_selector_all(&format!("[{ISLAND_ATTR}]")) else {
        return;
    };
    let owner = Owner::current();
    // Queued in reverse: each `step_next` goes ahead of the one queued before it.
    for place in (0..places.length())
        .rev()
        .filter_map(|i| places.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
    {
        let owner = owner.clone();
        dom::step_next(move || match owner {
            Some(owner) => owner.with(|| mount_island(place)),
            None => mount_island(place),
        });
    }
}

/// Mounts the island `place` names into it, in place of its prerendered markup.
fn mount_island(place: Element) {
    let name = place.get_attribute(ISLAND_ATTR).unwrap_or_default();
    let data = |key: &str| place.get_attribute(&format!("data-{key}"));
    let view: Box<dyn FnOnce() -> AnyView> = match name.as_str() {
        POST_TOOLBAR => {
            let accents = data("accents").is_some();
            let sections = data("sections").is_some();
            Box::new(move || view! { <crate::reading::PostToolbar accents sections /> }.into_any())
        }
        POST_SHARE => {
            let title = data("title").unwrap_or_default();
            let route = data("route").unwrap_or_default();
            Box::new(move || view! { <crate::reading::share::PostShare title route /> }.into_any())
        }
        READING_TOOLS => Box::new(|| view! { <crate::reading::ReadingTools /> }.into_any()),
        SITE_NAV => Box::new(|| view! { <crate::components::header::SiteNav /> }.into_any()),
        SITE_TOOLS => Box::new(|| view! { <crate::components::header::SiteTools /> }.into_any()),
        TAG_SORT => Box::new(|| view! { <crate::pages::tags::TagSort /> }.into_any()),
        _ => return,
    };
    // A page the reader has already left keeps its islands unmounted.
    if !place.is_connected() {
        return;
    }
    // The component renders the same markup the build wrote: it replaces it whole.
    place.set_text_content(None);
    let mounted = mount(&place, None, view);
    let in_main = place
        .closest(&format!("#{}", crate::takeover::MAIN_ID))
        .ok()
        .flatten()
        .is_some();
    let list = if in_main {
        &PAGE_ISLANDS
    } else {
        &SHELL_ISLANDS
    };
    list.with(|l| l.borrow_mut().push(mounted));
}

/// Unmounts the islands of the prerendered content (the reader navigated away from it).
pub fn release_page() {
    let islands = PAGE_ISLANDS.with(|l| std::mem::take(&mut *l.borrow_mut()));
    drop(islands);
}
