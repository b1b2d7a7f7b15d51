//! Loads a page's data and shows a skeleton, the page or an error with a retry.
//!
//! A page hands the loader a future of plain data ([`Loaded`]); the loader turns the
//! data into the page's `…View` component (the same components `prerender.rs` calls at
//! build time) and sets the page's `<title>` from it. Every page goes through this one
//! resource type and one suspense body: a generic loader would build one copy of the
//! resource and suspense code per page in the wasm.

use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use matome_model::{ListPage, MonthEntry, Post, Site, TagIndex};

use crate::api::FetchError;
use crate::components::error_view::ErrorView;
use crate::components::list_view::ListView;
use crate::components::skeleton::{ListSkeleton, PostSkeleton};
use crate::pages::home::HomeView;
use crate::pages::month::MonthView;
use crate::pages::months::MonthsView;
use crate::pages::post::PostView;
use crate::pages::post_list::PostListView;
use crate::pages::search::{Results, SearchData};
use crate::pages::tags::TagsView;
use crate::pages::{set_page_meta, tag};
use crate::{dom, format};

/// What a page loaded: data only. Views are made from it by [`Loader`].
#[derive(Clone)]
pub enum Loaded {
    /// `/`: the site and the first list page.
    Home { site: Box<Site>, page: ListPage },
    /// `/posts/page/:n/`.
    PostList(ListPage),
    /// `/posts/:section/:slug/`.
    Post(Box<Post>),
    /// `/tags/:tag/`.
    Tag(ListPage),
    /// `/months/:yyyy/:mm/`.
    Month {
        list: ListPage,
        year: u16,
        month: u8,
    },
    /// `/tags/`.
    Tags(TagIndex),
    /// `/months/`.
    Months(Vec<MonthEntry>),
    /// The search page's filters (its form is outside the loader).
    Search(SearchData),
}

impl Loaded {
    /// The page's title part and description; `None` when the page sets its own.
    pub fn meta(&self) -> Option<(Option<String>, String)> {
        let thousands = |n: u32| format::thousands(n.into());
        Some(match self {
            Loaded::Home { site, .. } => (None, site.description.clone()),
            Loaded::PostList(page) => (
                Some(if page.page > 1 {
                    format!("記事一覧（{}ページ目）", thousands(page.page))
                } else {
                    "記事一覧".to_string()
                }),
                format!("全{}本の記事を新しい順に", thousands(page.total)),
            ),
            Loaded::Post(post) => (
                Some(post.summary.title.clone()),
                post.summary.excerpt.clone(),
            ),
            Loaded::Tag(list) => (
                Some(tag::heading(&list.title)),
                format!("「{}」の記事{}本", list.title, thousands(list.total)),
            ),
            Loaded::Month { list, year, month } => {
                let heading = format::month_label(*year, *month);
                let description = format!("{heading}の記事{}本", thousands(list.total));
                (Some(heading), description)
            }
            Loaded::Tags(index) => (
                Some("タグ".to_string()),
                format!(
                    "{}個のタグと記事数",
                    format::thousands(index.tags.len() as u64)
                ),
            ),
            Loaded::Months(_) => (
                Some("月別アーカイブ".to_string()),
                "月ごとの記事一覧".into(),
            ),
            Loaded::Search(_) => return None,
        })
    }

    /// The page's view.
    fn view(self) -> AnyView {
        match self {
            Loaded::Home { site, page } => view! { <HomeView site=*site page /> }.into_any(),
            Loaded::PostList(page) => view! { <PostListView page /> }.into_any(),
            Loaded::Post(post) => view! { <PostView post=*post /> }.into_any(),
            Loaded::Tag(list) => {
                let heading = tag::heading(&list.title);
                view! { <ListView list heading back=tag::BACK /> }.into_any()
            }
            Loaded::Month { list, year, month } => {
                view! { <MonthView list year month /> }.into_any()
            }
            Loaded::Tags(index) => view! { <TagsView index /> }.into_any(),
            Loaded::Months(months) => view! { <MonthsView months /> }.into_any(),
            Loaded::Search(data) => view! { <Results data /> }.into_any(),
        }
    }
}

/// What a page loads: a future of its data; re-run when the signals it reads change.
pub type Load = Box<dyn Fn() -> LocalBoxFuture<'static, Result<Loaded, FetchError>>>;

/// The placeholder while loading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skeleton {
    /// A list of cards.
    List(usize),
    /// A post page.
    Post,
}

/// Loads with `load`, then renders; a 404 shows the not-found page, other errors a retry.
#[component]
pub fn Loader(load: Load, skeleton: Skeleton) -> impl IntoView {
    let data = LocalResource::new(load);
    // The page this loader was made for: a frame it asked for that runs after the
    // reader has gone elsewhere must leave the next page's restore alone.
    let path = dom::current_path();
    let fallback = move || match skeleton {
        Skeleton::List(rows) => view! { <ListSkeleton rows /> }.into_any(),
        Skeleton::Post => view! { <PostSkeleton /> }.into_any(),
    };
    view! {
        <Suspense fallback>
            {move || {
                let path = path.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(loaded) => {
                            if let Some((title, description)) = loaded.meta() {
                                set_page_meta(title.as_deref(), &description);
                            }
                            let view = loaded.view();
                            dom::page_ready(path);
                            view
                        }
                        Err(error) => view! { <ErrorView error on_retry=move |_: ()| data.refetch() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Wraps an async block as a [`Load`] future.
pub fn boxed<F>(fut: F) -> LocalBoxFuture<'static, Result<Loaded, FetchError>>
where
    F: std::future::Future<Output = Result<Loaded, FetchError>> + 'static,
{
    Box::pin(fut)
}
