//! `/months/`: months with their post counts, grouped by year.

use leptos::prelude::*;
use matome_model::MonthEntry;

use crate::page::Page;
use crate::pages::loader::{boxed, Loader, Skeleton};
use crate::{api, format};

/// The monthly archive.
#[component]
pub fn MonthsPage() -> impl IntoView {
    let load = Box::new(|| boxed(async { Ok(Page::Months(api::fetch_site().await?.months)) }));
    view! { <Loader load skeleton=Skeleton::List(3) /> }
}

/// The archive's content: months grouped by year, newest first.
#[component]
pub fn MonthsView(months: Vec<MonthEntry>) -> impl IntoView {
    let mut years: Vec<(u16, Vec<MonthEntry>)> = Vec::new();
    for m in months {
        match years.last_mut() {
            Some((y, list)) if *y == m.year => list.push(m),
            _ => years.push((m.year, vec![m])),
        }
    }
    view! {
        <h1 class="page-title">"月別アーカイブ"</h1>
        {years
            .into_iter()
            .map(|(year, months)| view! {
                <section class="year-group">
                    <h2 class="year-group-heading">{format!("{year}年")}</h2>
                    <ul class="month-grid">
                        {months.into_iter().map(|m| view! {
                            <li>
                                <a class="month-link" href=api::month_href(m.year, m.month)>
                                    <span class="month-link-name">{format!("{}月", m.month)}</span>
                                    <span class="month-link-count">{format!("{}本", format::thousands(m.count.into()))}</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })
            .collect_view()}
    }
}
