//! `/search/?q=…`: title, tag and excerpt hits at once from the month lists, then the
//! full text of the comments from the month search shards, newest month first.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use futures::future::AbortHandle;
use leptos::prelude::*;
use matome_model::search::fold;
use matome_model::{paths, MonthEntry, PostSummary, SearchDoc};

use crate::api::{self, FetchError};
use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::components::post_card::PostCard;
use crate::pages::set_page_meta;

const MAX_RESULTS: usize = 50;
/// Months searched in full text before the reader is asked to go on.
const MONTHS_PER_STEP: usize = 12;
/// Characters of a full-text snippet, about a third of them before the hit.
const SNIPPET_CHARS: usize = 60;
/// Pause after the last keystroke before the full text is searched.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// Search page with a live filter; the query is kept in the URL (`?q=`).
#[component]
pub fn SearchPage() -> impl IntoView {
    let (query, set_query) = signal(query_from_url());
    // Set by the results once loaded: starts the full-text search of a settled query.
    let settle: StoredValue<Option<Settle>> = StoredValue::new(None);
    let load = Box::new(move || {
        boxed(async move {
            let all = api::fetch_all_summaries().await?;
            let months = api::fetch_site().await?.months;
            let data = Arc::new(Data { all, months });
            let render: Render = Rc::new(move || view! { <Results data=data.clone() query settle /> }.into_any());
            Ok(render)
        })
    });
    set_page_meta(Some("検索"), "記事のタイトル・タグ・コメントを検索");
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let clear_timer = move || {
        if let Some(Some(t)) = timer.try_update_value(Option::take) {
            t.clear();
        }
    };
    on_cleanup(clear_timer);
    let on_input = move |ev| {
        let q = event_target_value(&ev);
        replace_query_in_url(&q);
        set_query.set(q.clone());
        clear_timer();
        let fire = move || {
            if let Some(Some(settle)) = settle.try_get_value() {
                settle(q);
            }
        };
        timer.set_value(set_timeout_with_handle(fire, DEBOUNCE).ok());
    };
    view! {
        <h1 class="page-title">"検索"</h1>
        <form
            class="search-form"
            role="search"
            action=api::href(paths::SEARCH_ROUTE)
            method="get"
            on:submit=|ev| ev.prevent_default()
        >
            <label class="visually-hidden" for="search-input">"検索語"</label>
            <input
                id="search-input"
                class="search-input"
                type="search"
                name="q"
                placeholder="タイトル・タグ・コメントで検索"
                autocomplete="off"
                prop:value=query
                on:input=on_input
                autofocus
            />
        </form>
        <Loader load skeleton=Skeleton::List(3) />
    }
}

/// The search page as the build writes it: heading, the same form, and a note for
/// readers without JavaScript.
#[component]
pub fn SearchIntro() -> impl IntoView {
    view! {
        <h1 class="page-title">"検索"</h1>
        <form class="search-form" role="search" action=api::href(paths::SEARCH_ROUTE) method="get">
            <label class="visually-hidden" for="search-input">"検索語"</label>
            <input
                id="search-input"
                class="search-input"
                type="search"
                name="q"
                placeholder="タイトル・タグ・コメントで検索"
                autocomplete="off"
                autofocus
            />
        </form>
        <noscript>
            <p class="search-noscript">"検索にはJavaScriptが必要です。記事一覧・タグ・月別アーカイブからお探しください。"</p>
        </noscript>
    }
}

/// Every post summary (newest first) and the months to search.
struct Data {
    all: Vec<PostSummary>,
    months: Vec<MonthEntry>,
}

/// A post found in the full text, with the text around the first hit.
#[derive(Clone, Debug, PartialEq)]
struct Hit {
    summary: PostSummary,
    snippet: String,
}

/// Starts the full-text search of a query.
type Settle = Arc<dyn Fn(String) + Send + Sync>;

/// Where the full-text search of the current query stands.
#[derive(Clone, Debug, Default)]
struct State {
    /// The folded words searched for.
    terms: Vec<String>,
    hits: Vec<Hit>,
    /// Months searched so far (a prefix of `site.months`).
    searched: usize,
    /// Months to search before stopping.
    limit: usize,
    error: Option<FetchError>,
    running: bool,
}

/// The full-text search: its state and the task that runs it.
#[derive(Clone, Copy)]
struct FullText {
    state: RwSignal<State>,
    task: StoredValue<Option<AbortHandle>>,
}

impl FullText {
    fn new() -> FullText {
        FullText { state: RwSignal::new(State::default()), task: StoredValue::new(None) }
    }

    /// Stops the running search; its in-flight request is aborted with it.
    fn stop(self) {
        if let Some(Some(task)) = self.task.try_update_value(Option::take) {
            task.abort();
        }
        self.state.try_update(|s| s.running = false);
    }

    /// Forgets the results and searches `query` from the newest month.
    fn restart(self, data: Arc<Data>, query: &str) {
        self.stop();
        self.state.try_set(State { terms: terms(query), limit: MONTHS_PER_STEP, ..State::default() });
        self.resume(data);
    }

    /// Searches the months from `searched` up to `limit`, one shard at a time.
    fn resume(self, data: Arc<Data>) {
        self.stop();
        let Some(state) = self.state.try_get_untracked() else { return };
        let (from, to) = (state.searched, state.limit.min(data.months.len()));
        if state.terms.is_empty() || from >= to {
            return;
        }
        self.state.update(|s| {
            s.running = true;
            s.error = None;
        });
        let (task, handle) = futures::future::abortable(self.search(data, state.terms, from, to));
        self.task.set_value(Some(handle));
        leptos::task::spawn_local(async move {
            let _ = task.await;
        });
    }

    async fn search(self, data: Arc<Data>, terms: Vec<String>, from: usize, to: usize) {
        for i in from..to {
            let name = &data.months[i].search;
            // Bundles from before search shards name none: nothing to search there.
            let found = if name.is_empty() {
                Ok(Vec::new())
            } else {
                api::fetch_search(name)
                    .await
                    .map(|shard| shard.posts.iter().filter_map(|doc| hit(&data, doc, &terms)).collect::<Vec<_>>())
            };
            let failed = found.is_err();
            self.state.try_update(|s| match found {
                Ok(found) => {
                    s.hits.extend(found);
                    s.searched = i + 1;
                }
                Err(e) => {
                    s.error = Some(e);
                    s.running = false;
                }
            });
            if failed {
                return;
            }
        }
        self.state.try_update(|s| s.running = false);
    }
}

/// The post of `doc` when its text holds every term and it is not a title hit already.
fn hit(data: &Data, doc: &SearchDoc, terms: &[String]) -> Option<Hit> {
    if !terms.iter().all(|t| doc.text.contains(t.as_str())) {
        return None;
    }
    // Only for hits, which are few: a scan costs less code than an index.
    let summary = data.all.iter().find(|p| p.path == doc.path)?;
    if matches(summary, terms) {
        return None;
    }
    Some(Hit { summary: summary.clone(), snippet: snippet(&doc.text, terms) })
}

/// About [`SNIPPET_CHARS`] characters of `text` around the earliest hit of any term.
fn snippet(text: &str, terms: &[String]) -> String {
    let at = terms.iter().filter_map(|t| text.find(t.as_str())).min().unwrap_or(0);
    let start = text[..at].char_indices().rev().take(SNIPPET_CHARS / 3).last().map_or(at, |(i, _)| i);
    let end = text[start..].char_indices().nth(SNIPPET_CHARS).map_or(text.len(), |(i, _)| start + i);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(text[start..end].trim());
    if end < text.len() {
        out.push('…');
    }
    out
}

#[component]
fn Results(data: Arc<Data>, query: ReadSignal<String>, settle: StoredValue<Option<Settle>>) -> impl IntoView {
    let full = FullText::new();
    // The query from the URL waits like a typed one: title hits show first.
    let first_data = data.clone();
    set_timeout(
        move || {
            if let Some(q) = query.try_get_untracked() {
                full.restart(first_data, &q);
            }
        },
        DEBOUNCE,
    );
    let settle_data = data.clone();
    settle.set_value(Some(Arc::new(move |q: String| full.restart(settle_data.clone(), &q))));
    on_cleanup(move || full.stop());
    let title_data = data.clone();
    let title_hits = move || {
        let terms = terms(&query.get());
        title_data.all.iter().filter(|p| !terms.is_empty() && matches(p, &terms)).cloned().collect::<Vec<_>>()
    };
    let listed = title_hits.clone();
    let total_posts = data.all.len();
    let months = data.months.len();
    let resume_data = data.clone();
    let go_on = move || full.resume(resume_data.clone());
    let state = full.state;
    view! {
        {move || {
            if terms(&query.get()).is_empty() {
                return view! { <p class="search-hint">{format!("{total_posts}本の記事から探せます。")}</p> }.into_any();
            }
            let status = state.with(|s| {
                let running = if s.running { "中…" } else { "" };
                format!("{}件 · {}/{months}か月分を検索{running}", title_hits().len() + s.hits.len(), s.searched)
            });
            view! { <p class="search-hint" role="status">{status}</p> }.into_any()
        }}
        <div class="post-list">
            {move || {
                let found = state.with(|s| s.hits.clone());
                let titles = listed().into_iter().map(|summary| Hit { summary, snippet: String::new() });
                titles
                    .chain(found)
                    .take(MAX_RESULTS)
                    .map(|hit| {
                        let snippet = (!hit.snippet.is_empty()).then(|| view! { <p class="search-snippet">{hit.snippet}</p> });
                        view! {
                            <div class="search-hit">
                                <PostCard summary=hit.summary compact=true />
                                {snippet}
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </div>
        {move || {
            // After a failed shard: the error and a retry; after the last month asked
            // for: a button that goes on with older months.
            let (error, more) = state.with(|s| {
                (s.error.clone(), !s.running && s.searched < months && !s.terms.is_empty())
            });
            let message = error.as_ref().map(|e| format!("一部の月を検索できませんでした（{e}）。"));
            let label = if error.is_some() { "再試行" } else { "さらに古い記事も検索" };
            let go_on = go_on.clone();
            let is_error = error.is_some();
            (is_error || more).then(|| {
                view! {
                    <p class="search-more" role=is_error.then_some("alert")>
                        {message}
                        <button
                            type="button"
                            class="button"
                            on:click=move |_| {
                                if !is_error {
                                    state.update(|s| s.limit += MONTHS_PER_STEP);
                                }
                                go_on();
                            }
                        >
                            {label}
                        </button>
                    </p>
                }
            })
        }}
    }
}

/// The folded words of a query.
fn terms(query: &str) -> Vec<String> {
    fold(query).split(' ').filter(|t| !t.is_empty()).map(str::to_string).collect()
}

fn matches(post: &PostSummary, terms: &[String]) -> bool {
    let mut haystack = post.title.clone();
    for t in &post.tags {
        haystack.push(' ');
        haystack.push_str(&t.name);
    }
    haystack.push(' ');
    haystack.push_str(&post.excerpt);
    let haystack = fold(&haystack);
    terms.iter().all(|t| haystack.contains(t.as_str()))
}

fn replace_query_in_url(q: &str) {
    let Some(window) = crate::dom::window() else { return };
    let path = window.location().pathname().unwrap_or_default();
    let url = if q.is_empty() { path } else { format!("{path}?q={}", api::encode_segment(q)) };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn query_from_url() -> String {
    let search = crate::dom::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("q"))
        .unwrap_or_default()
}
