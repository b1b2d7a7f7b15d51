//! `/months/:yyyy/:mm/`: the posts of one month.

use std::rc::Rc;

use leptos::prelude::*;
use matome_model::paths;

use crate::api::{self, FetchError};
use crate::components::list_view::ListView;
use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::format;
use crate::pages::set_page_meta;

/// Back link of a month page.
pub const BACK: (&str, &str) = (paths::MONTHS_ROUTE, "← 月別アーカイブへ");

/// Posts of one month; an unknown month shows the not-found page.
#[component]
pub fn MonthPage(
    /// Year and month; `None` when the URL is malformed.
    month: Option<(u16, u8)>,
) -> impl IntoView {
    let load = Box::new(move || {
        let year_month = month;
        boxed(async move {
            let (y, m) = year_month.ok_or(FetchError::NotFound)?;
            let list = api::fetch_month(y, m).await?;
            let heading = format::month_label(y, m);
            set_page_meta(Some(&heading), &format!("{heading}の記事{}本", format::thousands(list.total.into())));
            let render: Render = Rc::new(move || {
                view! { <ListView list=list.clone() heading=heading.clone() back=BACK /> }.into_any()
            });
            Ok(render)
        })
    });
    view! { <Loader load skeleton=Skeleton::List(4) /> }
}
