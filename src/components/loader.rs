//! Loads a page's data and shows a skeleton, the content or an error with a retry.
//!
//! Every page goes through this one non-generic component (one resource type, one
//! suspense body), which keeps the wasm small.

use std::rc::Rc;

use futures::future::LocalBoxFuture;
use leptos::prelude::*;

use crate::api::FetchError;
use crate::components::error_view::ErrorView;
use crate::components::skeleton::{ListSkeleton, PostSkeleton};
use crate::dom;

/// Builds the loaded page's view (called again when the view is re-created).
pub type Render = Rc<dyn Fn() -> AnyView>;

/// What a page loads: a future of its renderer; re-run when the signals it reads change.
pub type Load = Box<dyn Fn() -> LocalBoxFuture<'static, Result<Render, FetchError>>>;

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
    let fallback = move || match skeleton {
        Skeleton::List(rows) => view! { <ListSkeleton rows /> }.into_any(),
        Skeleton::Post => view! { <PostSkeleton /> }.into_any(),
    };
    view! {
        <Suspense fallback>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(render) => {
                        let view = render();
                        dom::page_ready();
                        view
                    }
                    Err(error) => view! { <ErrorView error on_retry=move |_: ()| data.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Wraps an async block as a [`Load`] future.
pub fn boxed<F>(fut: F) -> LocalBoxFuture<'static, Result<Render, FetchError>>
where
    F: std::future::Future<Output = Result<Render, FetchError>> + 'static,
{
    Box::pin(fut)
}
