//! Loads a page's data and shows a skeleton, the page or an error with a retry.
//!
//! A page hands the loader a future of its [`Page`] (plain data); the loader sets the
//! tab's title and description from the page's head (the one the build writes into the
//! page) and renders [`Page::view`] (the view the build renders). Every page goes through this one
//! resource type and one suspense body: a generic loader would build one copy of the
//! resource and suspense code per page in the wasm.

use futures::future::LocalBoxFuture;
use leptos::prelude::*;

use crate::api::FetchError;
use crate::components::error_view::ErrorView;
use crate::components::skeleton::{ListSkeleton, PostSkeleton};
use crate::dom;
use crate::page::Page;
use crate::pages::show_head;

/// What a page loads: a future of its data; re-run when the signals it reads change.
pub type Load = Box<dyn Fn() -> LocalBoxFuture<'static, Result<Page, FetchError>>>;

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
                        Ok(page) => {
                            show_head(&page);
                            let view = page.view();
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
pub fn boxed<F>(fut: F) -> LocalBoxFuture<'static, Result<Page, FetchError>>
where
    F: std::future::Future<Output = Result<Page, FetchError>> + 'static,
{
    Box::pin(fut)
}
