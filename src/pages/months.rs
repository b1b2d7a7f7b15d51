//! `/months/`: months with their post counts, grouped by year.

use leptos::prelude::*;

use crate::components::error_view::ErrorView;
use crate::components::skeleton::ListSkeleton;
use crate::pages::set_page_meta;
use crate::{api, dom};

/// The monthly archive.
#[component]
pub fn MonthsPage() -> impl IntoView {
    let data = LocalResource::new(api::fetch_site);
    view! {
        <h1 class="page-title">"月別アーカイブ"</h1>
        <Suspense fallback=|| view! { <ListSkeleton rows=3 /> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(site) => {
                        set_page_meta(Some("月別アーカイブ"), "月ごとの記事一覧");
                        dom::page_ready();
                        let mut years: Vec<(u16, Vec<_>)> = Vec::new();
                        for m in site.months {
                            match years.last_mut() {
                                Some((y, list)) if *y == m.year => list.push(m),
                                _ => years.push((m.year, vec![m])),
                            }
                        }
                        years
                            .into_iter()
                            .map(|(year, months)| view! {
                                <section class="year-group">
                                    <h2 class="year-group-heading">{format!("{year}年")}</h2>
                                    <ul class="month-grid">
                                        {months.into_iter().map(|m| view! {
                                            <li>
                                                <a class="month-link" href=api::month_href(m.year, m.month)>
                                                    <span class="month-link-name">{format!("{}月", m.month)}</span>
                                                    <span class="month-link-count">{format!("{}本", m.count)}</span>
                                                </a>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })
                            .collect_view()
                            .into_any()
                    }
                    Err(error) => view! { <ErrorView error on_retry=move |_: ()| data.refetch() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
