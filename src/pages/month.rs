//! `/months/:yyyy/:mm/`: the posts of one month.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use matome_model::paths;

use crate::components::error_view::ErrorView;
use crate::components::skeleton::ListSkeleton;
use crate::pages::set_page_meta;
use crate::pages::tag::ListView;
use crate::{api, dom, format};

/// Posts of one month; an unknown month shows the not-found page.
#[component]
pub fn MonthPage() -> impl IntoView {
    let params = use_params_map();
    let year_month = move || {
        let p = params.read();
        let year = p.get("yyyy")?.parse::<u16>().ok()?;
        let month = p.get("mm")?.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?;
        Some((year, month))
    };
    let data = LocalResource::new(move || {
        let ym = year_month();
        async move {
            let (y, m) = ym.ok_or(api::FetchError::NotFound)?;
            api::fetch_month(y, m).await.map(|list| (y, m, list))
        }
    });
    view! {
        <Suspense fallback=|| view! { <ListSkeleton rows=4 /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((y, m, list)) => {
                        let heading = format::month_label(y, m);
                        set_page_meta(Some(&heading), &format!("{heading}の記事{}本", list.total));
                        dom::page_ready();
                        view! { <ListView list heading back=(paths::MONTHS_ROUTE, "← 月別アーカイブへ") /> }.into_any()
                    }
                    Err(error) => view! { <ErrorView error on_retry=move |_: ()| data.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
