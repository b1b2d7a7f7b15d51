//! `/months/:yyyy/:mm/`: the posts of one month, with 「コメントが多い記事」 above them.

use leptos::prelude::*;
use matome_model::{paths, ListPage, PostSummary};

use crate::api::{self, FetchError};
use crate::components::list_view::ListView;
use crate::format;
use crate::page::Page;
use crate::pages::loader::{boxed, Loader, Skeleton};

/// Back link of a month page.
pub const BACK: (&str, &str) = (paths::MONTHS_ROUTE, "← 月別アーカイブへ");

/// How many posts 「コメントが多い記事」 lists.
pub const RANKING_SIZE: usize = 10;

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
            Ok(Page::Month {
                list,
                year: y,
                month: m,
            })
        })
    });
    view! { <Loader load skeleton=Skeleton::List(4) /> }
}

/// A month page's content (in the browser and at build time): heading, the ranking,
/// every post of the month.
#[component]
pub fn MonthView(list: ListPage, year: u16, month: u8) -> impl IntoView {
    let ranking = view! { <MonthRanking posts=most_commented(&list.posts) /> }.into_any();
    view! { <ListView list heading=format::month_label(year, month) back=BACK intro=ranking /> }
}

/// The month's posts with the most comments, most first, at most [`RANKING_SIZE`]; ties
/// keep the list's order (newest first). The month's list shard holds every post of the
/// month with its comment count, so the ranking needs no file of its own.
pub fn most_commented(posts: &[PostSummary]) -> Vec<PostSummary> {
    let mut ranked: Vec<&PostSummary> = posts.iter().collect();
    ranked.sort_by_key(|p| std::cmp::Reverse(p.comments));
    ranked.into_iter().take(RANKING_SIZE).cloned().collect()
}

/// 「コメントが多い記事」: a numbered list of links with their comment counts (nothing
/// for a month of one post).
#[component]
fn MonthRanking(posts: Vec<PostSummary>) -> impl IntoView {
    (posts.len() > 1).then(|| {
        view! {
            <section class="month-ranking" aria-labelledby="month-ranking-heading">
                <h2 id="month-ranking-heading" class="month-ranking-heading">"コメントが多い記事"</h2>
                <ol class="month-ranking-list">
                    {posts
                        .into_iter()
                        .map(|p| view! {
                            <li class="month-ranking-item">
                                <a class="month-ranking-link" href=api::post_href(&p.path)>{p.title}</a>
                                <span class="month-ranking-count">
                                    {format!("コメント{}件", format::thousands(p.comments.into()))}
                                </span>
                            </li>
                        })
                        .collect_view()}
                </ol>
            </section>
        }
    })
}
