//! Build-time rendering: a route's page as HTML, from the same components the app
//! renders in the browser (native only; `matome-site` calls it for every route).
//!
//! Nothing here touches a browser: components ask [`crate::dom::window`], which is
//! `None` natively, and the few that start timers or effects leave them unstarted
//! (effects are dropped by the executor installed here).

use std::sync::Once;

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use leptos::prelude::*;
use matome_model::{ListPage, MonthEntry, Post, Site, TagIndex};

use crate::components::list_view::ListView;
use crate::components::not_found::NotFoundMessage;
use crate::pages::{
    home::HomeView, month::MonthView, months::MonthsView, post::PostView, post_list::PostListView,
    search::SearchIntro, tag, tags::TagsView,
};
use crate::{api, router, takeover, Shell};

/// The content of one route.
pub enum Page {
    /// `/`: the site and the first list page.
    Home { site: Box<Site>, page: ListPage },
    /// `/posts/`, `/posts/page/N/`.
    Posts(ListPage),
    /// One post.
    Post(Box<Post>),
    /// `/tags/`.
    Tags(TagIndex),
    /// One tag's posts.
    Tag(ListPage),
    /// `/months/`.
    Months(Vec<MonthEntry>),
    /// One month's posts.
    Month {
        list: ListPage,
        year: u16,
        month: u8,
    },
    /// `/search/` (searching needs the app).
    Search,
    /// `404.html`.
    NotFound,
}

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
        let content = match page {
            Page::Home { site, page } => view! { <HomeView site=*site page /> }.into_any(),
            Page::Posts(page) => view! { <PostListView page /> }.into_any(),
            Page::Post(post) => view! { <PostView post=*post /> }.into_any(),
            Page::Tags(index) => view! { <TagsView index /> }.into_any(),
            Page::Tag(list) => {
                let heading = tag::heading(&list.title);
                view! { <ListView list heading back=tag::BACK /> }.into_any()
            }
            Page::Months(months) => view! { <MonthsView months /> }.into_any(),
            Page::Month { list, year, month } => view! { <MonthView list year month /> }.into_any(),
            Page::Search => view! { <SearchIntro /> }.into_any(),
            Page::NotFound => view! { <NotFoundMessage /> }.into_any(),
        };
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
