//! `/search/?q=…&tag=…&month=…`: full-text search over the compiler's index
//! ([`matome_model::search`]). A query fetches the post table and the key shards its
//! terms need, intersects their postings into candidates (title and tag hits first,
//! then newest), and confirms the candidates a batch at a time on their post files,
//! which also gives the comments to show and makes opening a hit instant. The post
//! table loads as soon as the page has `site.json`, while the reader types.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use futures::future::{join_all, AbortHandle, LocalBoxFuture};
use leptos::prelude::*;
use matome_model::search::{self, IndexShard, PostHit, SearchInfo, SearchTable, Term};
use matome_model::{paths, MonthEntry, PostSummary, TagEntry};

use crate::api::{self, FetchError};
use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::components::post_card::PostCard;
use crate::format::thousands;
use crate::pages::set_page_meta;

use search::{CONFIRM_BATCH as BATCH, CONFIRM_BATCHES as MAX_BATCHES};

/// Comment snippets shown per post.
const SNIPPETS: usize = 3;
/// Characters of a snippet, about a third of them before the first match.
const SNIPPET_CHARS: usize = 90;
/// Pause after a keystroke before searching when the query needs index files not read
/// yet (so a word being typed does not fetch the shards of each of its prefixes); a
/// query the index files in memory answer starts at once.
const DEBOUNCE: Duration = Duration::from_millis(40);

thread_local! {
    /// Index files this app has read, parsed, by name (names are hashed: a new
    /// deployment's files are new entries). Shared, not copied, by every later query.
    static READ: RefCell<Vec<(String, Rc<dyn Any>)>> = const { RefCell::new(Vec::new()) };
}

/// The index file `name`, from [`READ`] or fetched (and kept there).
async fn index_file<T: Clone + 'static>(
    name: &str,
    parse: fn(&str) -> T,
) -> Result<Rc<T>, FetchError> {
    let hit = READ.with(|r| r.borrow().iter().find(|e| e.0 == name).map(|e| e.1.clone()));
    if let Some(hit) = hit.and_then(|v| v.downcast::<T>().ok()) {
        return Ok(hit);
    }
    let value = Rc::new(api::fetch_index_file(name, parse).await?);
    READ.with(|r| {
        let mut r = r.borrow_mut();
        if !r.iter().any(|e| e.0 == name) {
            r.push((name.to_string(), value.clone()));
        }
    });
    Ok(value)
}

/// Whether every index file `q` needs is in memory already.
fn in_memory(info: &SearchInfo, q: &str) -> bool {
    let read = |name: &str| READ.with(|r| r.borrow().iter().any(|e| e.0 == name));
    let terms = search::parse_query(q);
    read(&info.table)
        && search::shards_for(&terms, info.shards.len())
            .into_iter()
            .all(|i| read(&info.shards[i]))
}

/// What a search asks for; the URL holds it (`?q=…&tag=…&month=YYYY-MM`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Request {
    q: String,
    tag: String,
    month: String,
}

/// Search page: the form at once, results as the reader types.
#[component]
pub fn SearchPage() -> impl IntoView {
    let request = RwSignal::new(request_from_url());
    // What the results answer: `request` once typing pauses (at once when the index
    // files the query needs are in memory).
    let settled = RwSignal::new(request.get_untracked());
    // The index's description once `site.json` is read.
    let index: StoredValue<Option<SearchInfo>> = StoredValue::new(None);
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
        let now = index.with_value(|i| i.as_ref().is_some_and(|i| in_memory(i, &q)));
        request.update(|r| r.q = q);
        clear_timer();
        let fire = move || {
            if let Some(r) = request.try_get_untracked() {
                replace_url(&r);
                settled.try_set(r);
            }
        };
        if now {
            fire();
        } else {
            timer.set_value(set_timeout_with_handle(fire, DEBOUNCE).ok());
        }
    };
    let load = Box::new(move || {
        boxed(async move {
            let site = api::fetch_site().await?;
            let tags = api::fetch_tags().await?.tags;
            index.set_value(Some(site.search.clone()));
            // Every query needs the post table: it loads while the reader types.
            if !site.search.table.is_empty() {
                let table = site.search.table.clone();
                leptos::task::spawn_local(async move {
                    let _ = index_file(&table, SearchTable::parse).await;
                });
            }
            let ctx = Ctx {
                info: site.search,
                months: site.months,
                tags,
                posts: site.post_count,
            };
            let render: Render =
                Rc::new(move || view! { <Results ctx=ctx.clone() request settled /> }.into_any());
            Ok(render)
        })
    });
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
                placeholder=PLACEHOLDER
                autocomplete="off"
                prop:value=move || request.with(|r| r.q.clone())
                on:input=on_input
                autofocus
            />
        </form>
        <Loader load skeleton=Skeleton::List(3) />
    }
}

const PLACEHOLDER: &str = "タイトル・タグ・コメントで検索（\"語句\" -除外）";

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
                placeholder=PLACEHOLDER
                autocomplete="off"
                autofocus
            />
        </form>
        <noscript>
            <p class="search-noscript">"検索にはJavaScriptが必要です。記事一覧・タグ・月別アーカイブからお探しください。"</p>
        </noscript>
    }
}

/// What the results need from `site.json` and the tag index.
#[derive(Clone)]
struct Ctx {
    info: SearchInfo,
    months: Vec<MonthEntry>,
    tags: Vec<TagEntry>,
    posts: u32,
}

/// A confirmed post.
#[derive(Clone, Debug)]
struct Found {
    id: u32,
    summary: PostSummary,
    hit: PostHit,
}

/// The answer to the settled request so far.
#[derive(Clone, Debug, Default)]
struct Answer {
    /// Index ids in the order they are confirmed: title/tag hits first, then newest.
    candidates: Vec<u32>,
    /// Candidates confirmed (or dropped) so far: a prefix of `candidates`.
    checked: usize,
    /// Confirmed posts, best first.
    found: Vec<Found>,
    running: bool,
    error: Option<FetchError>,
}

/// The parsed terms of an answer and the post table it was computed against.
type Answered = (Rc<Vec<Term>>, Rc<SearchTable>);

/// The search in progress: its answer and the task that computes it.
#[derive(Clone, Copy)]
struct Search {
    answer: RwSignal<Answer>,
    task: StoredValue<Option<AbortHandle>>,
    /// The parsed terms and post table of the current answer.
    state: StoredValue<Option<Answered>, LocalStorage>,
}

impl Search {
    fn new() -> Search {
        Search {
            answer: RwSignal::new(Answer::default()),
            task: StoredValue::new(None),
            state: StoredValue::new_local(None),
        }
    }

    /// Aborts the running task (its in-flight requests with it).
    fn abort(self) {
        if let Some(Some(task)) = self.task.try_update_value(Option::take) {
            task.abort();
        }
    }

    fn stop(self) {
        self.abort();
        self.answer.try_update(|a| a.running = false);
    }

    /// Runs `fut` as the search's one task (boxed: one `Abortable` for every task,
    /// which keeps the wasm smaller).
    fn spawn(self, fut: LocalBoxFuture<'static, ()>) {
        self.stop();
        self.answer.try_update(|a| {
            a.running = true;
            a.error = None;
        });
        let (task, handle) = futures::future::abortable(fut);
        self.task.try_set_value(Some(handle));
        leptos::task::spawn_local(async move {
            let _ = task.await;
        });
    }

    /// Answers `request` from scratch.
    fn start(self, ctx: Ctx, request: Request) {
        self.stop();
        self.state.set_value(None);
        self.answer.try_set(Answer::default());
        let terms = Rc::new(search::parse_query(&request.q));
        if terms.iter().all(|t| t.exclude) {
            return;
        }
        self.spawn(Box::pin(async move {
            let found: LocalBoxFuture<'_, _> = Box::pin(candidates(&ctx, &terms, &request));
            match found.await {
                Ok((table, ids)) => {
                    self.answer.try_update(|a| a.candidates = ids);
                    self.state.set_value(Some((terms, table)));
                    self.confirm().await;
                }
                Err(e) => self.fail(e),
            }
        }));
    }

    /// Confirms more candidates (after "さらに表示" or a failed batch); when even the
    /// index could not be read, starts `request` again.
    fn more(self, ctx: Ctx, request: Request) {
        if self.state.with_value(Option::is_none) {
            return self.start(ctx, request);
        }
        self.spawn(self.confirm());
    }

    fn fail(self, e: FetchError) {
        self.answer.try_update(|a| {
            a.error = Some(e);
            a.running = false;
        });
    }

    /// Confirms batches until one confirms a post, the candidates run out or
    /// [`MAX_BATCHES`] batches are done. Boxed, so the two tasks that run it share one
    /// copy of its code.
    fn confirm(self) -> LocalBoxFuture<'static, ()> {
        Box::pin(self.confirm_batches())
    }

    async fn confirm_batches(self) {
        let Some(Some((terms, table))) = self.state.try_get_value() else {
            self.answer.try_update(|a| a.running = false);
            return;
        };
        let Some(before) = self.answer.try_with_untracked(|a| a.found.len()) else {
            return;
        };
        for _ in 0..MAX_BATCHES {
            let Some(todo) = self.answer.try_with_untracked(|a| {
                a.candidates[a.checked..(a.checked + BATCH).min(a.candidates.len())].to_vec()
            }) else {
                return;
            };
            if todo.is_empty() {
                break;
            }
            let loads = todo.iter().map(|&id| {
                let path = table
                    .posts
                    .get(id as usize)
                    .map(|row| row.0.clone())
                    .unwrap_or_default();
                async move { api::fetch_post(&path).await.map(|post| (id, post)) }
            });
            let mut found = Vec::new();
            for result in join_all(loads).await {
                match result {
                    Ok((id, post)) => {
                        if let Some(hit) = search::confirm(&post, &terms) {
                            found.push(Found {
                                id,
                                summary: post.summary,
                                hit,
                            });
                        }
                    }
                    Err(e) => return self.fail(e),
                }
            }
            self.answer.try_update(|a| {
                a.checked += todo.len();
                for f in found {
                    // Inserted in rank order (no sort code in the wasm).
                    let key = f.hit.rank(f.id);
                    let at = a
                        .found
                        .iter()
                        .position(|g| g.hit.rank(g.id) > key)
                        .unwrap_or(a.found.len());
                    a.found.insert(at, f);
                }
            });
            if self
                .answer
                .try_with_untracked(|a| a.found.len() > before)
                .unwrap_or(true)
            {
                break;
            }
        }
        self.answer.try_update(|a| a.running = false);
    }
}

/// The index ids that may answer `terms` ([`search::candidates`]) filtered by tag and
/// month, in the order to confirm them.
async fn candidates(
    ctx: &Ctx,
    terms: &[Term],
    request: &Request,
) -> Result<(Rc<SearchTable>, Vec<u32>), FetchError> {
    let info = &ctx.info;
    if info.shards.is_empty() {
        // A bundle written before the index existed.
        return Err(FetchError::Decode("検索用の索引がありません".into()));
    }
    let n = info.shards.len();
    let wanted = search::shards_for(terms, n);
    let shards = join_all(wanted.into_iter().map(|i| async move {
        index_file(&info.shards[i], IndexShard::parse)
            .await
            .map(|s| (i, s))
    }));
    let (table, shards) = futures::join!(index_file(&info.table, SearchTable::parse), shards);
    let table = table?;
    let shards: Vec<(usize, Rc<IndexShard>)> = shards.into_iter().collect::<Result<_, _>>()?;
    let tag = table
        .tags
        .iter()
        .position(|t| *t == request.tag)
        .map(|i| i as u32);
    let ids = search::candidates(terms, n, |i| {
        shards.iter().find(|s| s.0 == i).map(|s| &*s.1)
    })
    .into_iter()
    .map(|c| c.id)
    .filter(|&id| {
        let Some(row) = table.posts.get(id as usize) else {
            return false;
        };
        (request.tag.is_empty() || tag.is_some_and(|t| row.2.contains(&t)))
            && row.1.starts_with(&request.month)
    })
    .collect();
    Ok((table, ids))
}

#[component]
fn Results(ctx: Ctx, request: RwSignal<Request>, settled: RwSignal<Request>) -> impl IntoView {
    let search = Search::new();
    let start_ctx = ctx.clone();
    Effect::new(move |_| {
        if let Some(r) = settled.try_get() {
            search.start(start_ctx.clone(), r);
        }
    });
    // Only aborts: a signal written while the page is torn down would wake views that
    // read signals already disposed.
    on_cleanup(move || search.abort());
    let answer = search.answer;
    // Filters apply at once (no typing to wait for).
    let set_filter = move |tag: Option<String>, month: Option<String>| {
        let mut r = request.get_untracked();
        if let Some(t) = tag {
            r.tag = t;
        }
        if let Some(m) = month {
            r.month = m;
        }
        replace_url(&r);
        request.set(r.clone());
        settled.set(r);
    };
    let tag_options = ctx
        .tags
        .iter()
        .map(|t| view! { <option value=t.name.clone()>{t.name.clone()}</option> })
        .collect_view();
    let month_options = ctx
        .months
        .iter()
        .map(|m| view! { <option value=format!("{:04}-{:02}", m.year, m.month)>{format!("{}年{}月", m.year, m.month)}</option> })
        .collect_view();
    let total_posts = ctx.posts;
    let more_ctx = ctx.clone();
    let typed = move || {
        request
            .try_with(|r| !r.q.trim().is_empty())
            .unwrap_or(false)
    };
    let state = move || {
        let settled = settled.try_get();
        let busy = answer.try_with(|a| a.running).unwrap_or(false)
            || request
                .try_with(|r| Some(r) != settled.as_ref())
                .unwrap_or(false);
        if busy {
            "loading"
        } else {
            "done"
        }
    };
    let status = move || {
        if !typed() {
            return format!("{}本の記事から探せます。", thousands(total_posts.into()));
        }
        answer.with(|a| {
            if a.running && a.found.is_empty() {
                "検索中…".to_string()
            } else {
                format!(
                    "{}件 · 候補{}件中{}件を確認",
                    thousands(a.found.len() as u64),
                    thousands(a.candidates.len() as u64),
                    thousands(a.checked as u64)
                )
            }
        })
    };
    view! {
        <div class="search-filters">
            <label class="search-filter">
                "タグ "
                <select
                    prop:value=move || request.try_with(|r| r.tag.clone()).unwrap_or_default()
                    on:change=move |ev| set_filter(Some(event_target_value(&ev)), None)
                >
                    <option value="">"すべて"</option>
                    {tag_options}
                </select>
            </label>
            <label class="search-filter">
                "月 "
                <select
                    prop:value=move || request.try_with(|r| r.month.clone()).unwrap_or_default()
                    on:change=move |ev| set_filter(None, Some(event_target_value(&ev)))
                >
                    <option value="">"すべて"</option>
                    {month_options}
                </select>
            </label>
        </div>
        <p class="search-hint" role="status">{status}</p>
        <div class="search-results" data-state=state>
            {move || answer.with(|a| a.found.iter().map(|f| view! { <Hit found=f.clone() /> }).collect_view())}
        </div>
        {move || {
            let (error, more) = answer.with(|a| (a.error.clone(), !a.running && a.checked < a.candidates.len()));
            let message = error.as_ref().map(|e| format!("一部の記事を読み込めませんでした（{e}）。"));
            let label = if error.is_some() { "再試行" } else { "さらに表示" };
            let is_error = error.is_some();
            let ctx = more_ctx.clone();
            (is_error || more).then(|| {
                view! {
                    <p class="search-more" role=is_error.then_some("alert")>
                        {message}
                        <button type="button" class="button" on:click=move |_| search.more(ctx.clone(), settled.get_untracked())>
                            {label}
                        </button>
                    </p>
                }
            })
        }}
    }
}

/// One post with its matching comments.
#[component]
fn Hit(found: Found) -> impl IntoView {
    let href = api::post_href(&found.summary.path);
    let more = found.hit.comments.len().saturating_sub(SNIPPETS);
    let snippets = found
        .hit
        .comments
        .iter()
        .take(SNIPPETS)
        .map(|c| {
            let pieces = search::snippet(c, SNIPPET_CHARS)
                .into_iter()
                .map(|(text, mark)| {
                    if mark {
                        view! { <mark>{text}</mark> }.into_any()
                    } else {
                        text.into_any()
                    }
                })
                .collect_view();
            view! {
                <li>
                    <a class="search-snippet" href=format!("{href}#c{}", c.n)>
                        <span class="search-snippet-n">{format!("#{}", c.n)}</span>
                        " "
                        {pieces}
                    </a>
                </li>
            }
        })
        .collect_view();
    let more = (more > 0).then(|| view! { <li class="search-snippet-more">{format!("ほか{}件のコメント", thousands(more as u64))}</li> });
    view! {
        <div class="search-hit">
            <PostCard summary=found.summary compact=true />
            <ul class="search-snippets">{snippets}{more}</ul>
        </div>
    }
}

fn replace_url(r: &Request) {
    let Some(window) = crate::dom::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let mut query = String::new();
    for (key, value) in [("q", &r.q), ("tag", &r.tag), ("month", &r.month)] {
        if !value.is_empty() {
            query.push(if query.is_empty() { '?' } else { '&' });
            query.push_str(key);
            query.push('=');
            query.push_str(&api::encode_segment(value));
        }
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        );
    }
}

fn request_from_url() -> Request {
    let search = crate::dom::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let get = |key: &str| params.as_ref().and_then(|p| p.get(key)).unwrap_or_default();
    Request {
        q: get("q"),
        tag: get("tag"),
        month: get("month"),
    }
}
