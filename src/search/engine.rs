//! The search worker (`src/bin/search_worker.rs` runs [`run`]): reads the compiler's
//! index ([`matome_model::search`]), intersects the postings of the query's terms into
//! candidates (title and tag hits first, then newest), confirms them a batch at a time on
//! their post files and answers the page after each batch ([`super::protocol`]).
//!
//! One request runs at a time: a new one aborts the one before (its downloads with it).
//! A query whose index files are not read yet waits a moment first, so a word being typed
//! does not fetch the shards of each of its prefixes; one the files in memory answer
//! starts at once.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use futures::future::{join_all, AbortHandle};
use js_sys::{Array, Promise};
use matome_model::search::{
    self, IndexShard, PostHit, SearchInfo, SearchTable, Term, CONFIRM_BATCH as BATCH,
    CONFIRM_BATCHES as MAX_BATCHES,
};
use matome_model::PostSummary;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::protocol::{Answer, Found, Request, Snippet, READY, SNIPPETS, SNIPPET_CHARS};
use crate::api::{self, FetchError};

/// Pause before a query that needs index files not read yet (milliseconds).
const DEBOUNCE_MS: i32 = 40;

/// Sort key of a confirmed post ([`PostHit::rank`]).
type Rank = (
    std::cmp::Reverse<usize>,
    std::cmp::Reverse<usize>,
    std::cmp::Reverse<usize>,
    u32,
);

/// The request being answered, once its candidates are known.
struct Query {
    id: u32,
    terms: Rc<Vec<Term>>,
    table: Rc<SearchTable>,
    candidates: Vec<u32>,
    checked: usize,
    found: Vec<(Rank, Found)>,
}

thread_local! {
    /// Index files read so far, parsed, by name (names are hashed: a new deployment's
    /// files are new entries). Shared, not copied, by every later query.
    static READ: RefCell<Vec<(String, Rc<dyn Any>)>> = const { RefCell::new(Vec::new()) };
    /// The id of the request the page waits for (0: none).
    static CURRENT: Cell<u32> = const { Cell::new(0) };
    static QUERY: RefCell<Option<Query>> = const { RefCell::new(None) };
    static TASK: RefCell<Option<AbortHandle>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// The worker's entry point: learns the site's base path from its own URL (it is served
/// from the site root) and listens to the page.
pub fn run() {
    console_error_panic_hook::set_once();
    let scope = scope();
    let path = scope.location().pathname();
    api::set_base_path(path.rsplit_once('/').map_or("", |(dir, _)| dir));
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| handle(e.data()));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    // Messages sent before this handler existed were dropped: the page holds its
    // messages until it hears this.
    let _ = scope.post_message(&JsValue::from_str(READY));
}

fn handle(data: JsValue) {
    let Ok(message) = data.dyn_into::<Array>() else {
        return;
    };
    let text = |i: u32| message.get(i).as_string().unwrap_or_default();
    let id = message.get(1).as_f64().unwrap_or(0.0) as u32;
    let request = Request {
        q: text(2),
        tag: text(3),
        month: text(4),
    };
    match text(0).as_str() {
        "search" => start(id, request),
        "more" => more(id, request),
        "stop" => {
            abort();
            CURRENT.set(0);
        }
        "perf" => post_resource_timing(),
        "warm" => wasm_bindgen_futures::spawn_local(async {
            if let Ok(info) = info().await {
                let _ = index_file(&info.table, SearchTable::parse).await;
            }
        }),
        _ => {}
    }
}

/// The worker's own downloads (its Resource Timing entries and time origin), for
/// `make bench-search`: a page sees only its own entries, and the index and post files
/// are fetched here. Posted as JSON text, which the page's client ignores.
fn post_resource_timing() {
    let Some(performance) = scope().performance() else {
        return;
    };
    let report = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&report, &"origin".into(), &performance.time_origin().into());
    let _ = js_sys::Reflect::set(
        &report,
        &"entries".into(),
        &performance.get_entries_by_type("resource"),
    );
    let wrapped = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&wrapped, &"perf".into(), &report);
    if let Ok(text) = js_sys::JSON::stringify(&wrapped) {
        let _ = scope().post_message(&text);
    }
}

/// Runs `fut` as the one request task, aborting the one before.
fn spawn(fut: impl Future<Output = ()> + 'static) {
    abort();
    let (task, handle) = futures::future::abortable(fut);
    TASK.with(|t| *t.borrow_mut() = Some(handle));
    wasm_bindgen_futures::spawn_local(async move {
        let _ = task.await;
    });
}

fn abort() {
    if let Some(task) = TASK.with(|t| t.borrow_mut().take()) {
        task.abort();
    }
}

/// Answers request `id` from scratch.
fn start(id: u32, request: Request) {
    abort();
    CURRENT.set(id);
    QUERY.with(|q| *q.borrow_mut() = None);
    let terms = Rc::new(search::parse_query(&request.q));
    if terms.iter().all(|t| t.exclude) {
        post(&Answer {
            id,
            ..Answer::default()
        });
        return;
    }
    spawn(async move {
        let info = match info().await {
            Ok(info) => info,
            Err(e) => return fail(id, e),
        };
        if !in_memory(&info, &terms) {
            sleep(DEBOUNCE_MS).await;
        }
        match candidates(&info, &terms, &request).await {
            Ok((table, candidates)) => {
                QUERY.with(|q| {
                    *q.borrow_mut() = Some(Query {
                        id,
                        terms,
                        table,
                        candidates,
                        checked: 0,
                        found: Vec::new(),
                    })
                });
                confirm_batches(id).await;
            }
            Err(e) => fail(id, e),
        }
    });
}

/// Confirms more candidates of request `id` ("さらに表示", or a retry after a failed
/// batch); when it never got as far as its candidates, starts it again.
fn more(id: u32, request: Request) {
    let known = QUERY.with(|q| q.borrow().as_ref().is_some_and(|q| q.id == id));
    if !known {
        return start(id, request);
    }
    CURRENT.set(id);
    spawn(confirm_batches(id));
}

/// Confirms batches until one confirms a post, the candidates run out or
/// [`MAX_BATCHES`] batches are done, answering after each.
async fn confirm_batches(id: u32) {
    let Some((terms, table, before)) = QUERY.with(|q| {
        q.borrow()
            .as_ref()
            .map(|q| (q.terms.clone(), q.table.clone(), q.found.len()))
    }) else {
        return;
    };
    for _ in 0..MAX_BATCHES {
        let todo: Vec<u32> = QUERY.with(|q| {
            q.borrow().as_ref().map_or_else(Vec::new, |q| {
                q.candidates[q.checked..(q.checked + BATCH).min(q.candidates.len())].to_vec()
            })
        });
        if todo.is_empty() {
            break;
        }
        let loads = todo.iter().map(|&post_id| {
            let path = table
                .posts
                .get(post_id as usize)
                .map(|row| row.0.clone())
                .unwrap_or_default();
            async move { api::fetch_post(&path).await.map(|post| (post_id, post)) }
        });
        let mut confirmed = Vec::new();
        for result in join_all(loads).await {
            match result {
                Ok((post_id, post)) => {
                    if let Some(hit) = search::confirm(&post, &terms) {
                        confirmed.push((hit.rank(post_id), found(post.summary, &hit)));
                    }
                }
                Err(e) => return fail(id, e),
            }
        }
        let grew = QUERY.with(|q| {
            let mut q = q.borrow_mut();
            let Some(q) = q.as_mut() else {
                return false;
            };
            q.checked += todo.len();
            for f in confirmed {
                let at = q.found.partition_point(|g| g.0 < f.0);
                q.found.insert(at, f);
            }
            q.found.len() > before
        });
        if grew {
            break;
        }
        answer(id, true, None);
    }
    answer(id, false, None);
}

/// What the page shows of a confirmed post.
fn found(summary: PostSummary, hit: &PostHit) -> Found {
    Found {
        summary,
        snippets: hit
            .comments
            .iter()
            .take(SNIPPETS)
            .map(|c| Snippet {
                n: c.n,
                pieces: search::snippet(c, SNIPPET_CHARS),
            })
            .collect(),
        more: hit.comments.len().saturating_sub(SNIPPETS) as u32,
    }
}

fn fail(id: u32, e: FetchError) {
    answer(id, false, Some(e.to_string()));
}

/// Tells the page how request `id` stands.
fn answer(id: u32, running: bool, error: Option<String>) {
    let mut answer = QUERY.with(|q| {
        q.borrow().as_ref().filter(|q| q.id == id).map(|q| Answer {
            id,
            candidates: q.candidates.len() as u32,
            checked: q.checked as u32,
            found: q.found.iter().map(|f| f.1.clone()).collect(),
            ..Answer::default()
        })
    });
    let answer = answer.get_or_insert_with(|| Answer {
        id,
        ..Answer::default()
    });
    answer.running = running;
    answer.error = error;
    post(answer);
}

fn post(answer: &Answer) {
    if CURRENT.get() != answer.id {
        return;
    }
    if let Ok(text) = serde_json::to_string(answer) {
        let _ = scope().post_message(&JsValue::from_str(&text));
    }
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The index's description in `site.json`.
async fn info() -> Result<SearchInfo, FetchError> {
    let site = api::fetch_site().await?;
    if site.search.shards.is_empty() {
        // A bundle written before the index existed.
        return Err(FetchError::Decode("検索用の索引がありません".into()));
    }
    Ok(site.search)
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

/// Whether every index file `terms` need is in memory already.
fn in_memory(info: &SearchInfo, terms: &[Term]) -> bool {
    let read = |name: &str| READ.with(|r| r.borrow().iter().any(|e| e.0 == name));
    read(&info.table)
        && search::shards_for(terms, info.shards.len())
            .into_iter()
            .all(|i| read(&info.shards[i]))
}

/// The index ids that may answer `terms` ([`search::candidates`]) filtered by tag and
/// month, in the order to confirm them.
async fn candidates(
    info: &SearchInfo,
    terms: &[Term],
    request: &Request,
) -> Result<(Rc<SearchTable>, Vec<u32>), FetchError> {
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
