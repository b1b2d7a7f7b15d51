//! `/tags/:tag/`: the posts of one tag.

use std::rc::Rc;

use leptos::prelude::*;
use matome_model::paths;

use crate::components::list_view::ListView;
use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::pages::set_page_meta;
use crate::{api, format};

/// Back link of a tag page.
pub const BACK: (&str, &str) = (paths::TAGS_ROUTE, "← タグ一覧へ");

/// Heading of a tag page.
pub fn heading(name: &str) -> String {
    format!("タグ: {name}")
}

/// Posts of one tag; an unknown tag shows the not-found page.
#[component]
pub fn TagPage(
    /// The tag's slug (decoded).
    slug: String,
) -> impl IntoView {
    let load = Box::new(move || {
        let slug = slug.clone();
        boxed(async move {
            let list = api::fetch_tag(&slug).await?;
            let heading = heading(&list.title);
            set_page_meta(
                Some(&heading),
                &format!(
                    "「{}」の記事{}本",
                    list.title,
                    format::thousands(list.total.into())
                ),
            );
            let render: Render = Rc::new(move || {
                view! { <ListView list=list.clone() heading=heading.clone() back=BACK /> }
                    .into_any()
            });
            Ok(render)
        })
    });
    view! { <Loader load skeleton=Skeleton::List(4) /> }
}
