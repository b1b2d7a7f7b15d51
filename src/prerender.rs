//! Build-time rendering: a route's page as HTML, from the same components the app
//! renders in the browser (native only; `matome-site` calls it for every route).
//!
//! Nothing here touches a browser: components ask [`crate::dom::window`], which is
//! `None` natively, and the few that start timers or effects leave them unstarted
//! (effects are dropped by the executor installed here).

use std::sync::Once;

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use leptos::prelude::*;

use crate::page::Page;
use crate::{api, router, takeover, Shell};

/// Where a page is rendered for.
pub struct Target<'a> {
    /// The site's title (header).
    pub site_title: &'a str,
    /// Base path the site is served under (`/` or `/sub/path/`).
    pub base_path: &'a str,
    /// The page's URL path, base path included (`/sub/path/posts/a/b/`).
    pub pathname: &'a str,
    /// The site's author, shown in the footer.
    pub author: Option<&'a matome_model::Author>,
}

/// Drops every task: at build time nothing runs after rendering.
struct NoTasks;

impl CustomExecutor for NoTasks {
    fn spawn(&self, _: PinnedFuture<()>) {}
    fn spawn_local(&self, _: PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// The page's root element, `<div id="app" data-prerendered data-route="…">…</div>`, as
/// HTML (`data-route` tells the app which route the page was written for).
pub fn render(page: Page, target: &Target) -> String {
    static EXECUTOR: Once = Once::new();
    EXECUTOR.call_once(|| {
        let _ = Executor::init_custom_executor(NoTasks);
    });
    api::set_base_path(target.base_path);
    let owner = Owner::new();
    // Untracked: at build time each reactive closure is read once and nothing reruns,
    // so the reads outside an effect are what is meant (debug builds would warn on each,
    // about 12,000 lines for a 2,000-post site).
    let html = owner.with(|| untrack(|| {
        router::provide_static(target.pathname);
        let content = page.view();
        view! { <Shell title=target.site_title.to_string() author=target.author.cloned()>{content}</Shell> }.to_html()
    }));
    drop(owner);
    let route = target
        .pathname
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    format!(
        r#"<div id="{}" data-prerendered="" data-route="{route}">{html}</div>"#,
        takeover::ROOT_ID
    )
}
