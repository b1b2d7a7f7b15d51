//! The search worker (`src/bin/search_worker.rs` runs [`run`]): reads the compiler's
//! index ([`matome_model::search`]), intersects the postings of the query's terms into
//! candidates (title and tag hits first, then newest), confirms them a batch at a time on
//! their post files until a screen of results is found or none is left, and answers the
//! page after each batch ([`super::protocol`]).
//!
//! One request runs at a time: a new one (the next keystroke) aborts the one before,
//! and of its downloads ([`super::files`]) stops only the key shards the new query does
//! not need: the shards a query needs start downloading as soon as it arrives, and the
//! next query mostly needs the same ones. A query whose index files are not all in
//! memory yet confirms no post before [`DEBOUNCE_MS`] after it arrived (counted while
//! its shards download), so typing fast does not fetch post files for each prefix of a
//! word; one the files in memory answer starts once the messages already queued have
//! run (each keystroke's request aborts the one before it).
//!
//! Over 400 lines: one request's life in the worker (read the index, candidates,
//! confirm in batches, answer) reads best in one place; downloads, the protocol and
//! query parsing already live in their own files.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use futures::future::AbortHandle;
use js_sys::{Array, Promise};
use matome_model::search::{
    self, IndexShard, PostHit, Rank, SearchInfo, SearchTable, Term, FIRST_SCREEN,
};
use matome_model::PostSummary;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::files::{self, Pending, PostText};
use super::protocol::{Answer, Found, Request, Snippet, READY, SNIPPETS, SNIPPET_CHARS};
use crate::api::{self, FetchError};

/// Least time between a query that needs index files not read yet and its first post
/// download (milliseconds; the shards download meanwhile). On loopback a key shard
/// arrives in about 8 ms, so a longer wait held the last keystroke's posts back: 25 ms
/// gave first results 92.7 / 95.1 ms, 10 ms 86.1 / 91.4 ms (same run, same bytes).
const DEBOUNCE_MS: i32 = 10;

/// Longest the worker rehearses before the first request ([`super::rehearsal`]),
/// milliseconds of wall time.
const REHEARSAL_MS: f64 = 100.0;

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
    /// The id of the request the page waits for (0: none).
    static CURRENT: Cell<u32> = const { Cell::new(0) };
    static QUERY: RefCell<Option<Query>> = const { RefCell::new(None) };
    static TASK: RefCell<Option<AbortHandle>> = const { RefCell::new(None) };
    /// Whether the page has asked anything yet (the rehearsal stops when it has).
    static ASKED: Cell<bool> = const { Cell::new(false) };
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
    let kind = text(0);
    if matches!(kind.as_str(), "search" | "more") {
        ASKED.set(true);
    }
    match kind.as_str() {
        "search" => start(id, request),
        "more" => more(id, request),
        "stop" => {
            abort();
            CURRENT.set(0);
        }
        "perf" => post_resource_timing(),
        "warm" => wasm_bindgen_futures::spawn_local(async {
            if let Ok(info) = info().await {
                // Downloads on its own; the first query waits for it.
                drop(files::table(&info.table));
            }
            rehearse().await;
        }),
        _ => {}
    }
}

/// Runs [`super::rehearsal`] passes until the page asks something or [`REHEARSAL_MS`]
/// have passed, letting the messages queued meanwhile run between passes.
async fn rehearse() {
    let started = now();
    let mut rehearsal = None;
    let mut passes = 0;
    loop {
        // A shared `/search/?q=…` link asks at once: its request runs first, and no
        // pass does.
        sleep(0).await;
        if ASKED.get() || now() - started > REHEARSAL_MS {
            break;
        }
        let rehearsal = rehearsal.get_or_insert_with(super::rehearsal::Rehearsal::new);
        std::hint::black_box(rehearsal.pass(passes));
        passes += 1;
    }
    if passes > 0 {
        took(&format!("rehearsing ({passes} passes)"), started);
    }
}

/// Marks a step of request `id` on the worker's timeline (`make bench-search` lists
/// them with `SEARCH_BENCH_VERBOSE=1`).
fn mark(step: &str, id: u32) {
    if let Some(performance) = scope().performance() {
        let _ = performance.mark(&format!("worker {step} {id}"));
    }
}

/// The worker's clock (milliseconds), for [`took`].
pub(super) fn now() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

/// Marks that `what` took the time since `since` ([`now`]): where the worker's own time
/// goes between downloads (`make bench-search` with `SEARCH_BENCH_VERBOSE=1`).
pub(super) fn took(what: &str, since: f64) {
    if let Some(performance) = scope().performance() {
        let ms = performance.now() - since;
        let _ = performance.mark(&format!("worker {what} took {ms:.1} ms"));
    }
}

/// The worker's own downloads and steps (its Resource Timing entries, [`mark`]s and
/// time origin), for `make bench-search`: a page sees only its own entries, and the
/// index and post files are fetched here. Posted as JSON text, which the page's client
/// ignores.
fn post_resource_timing() {
    let Some(performance) = scope().performance() else {
        return;
    };
    let report = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&report, &"origin".into(), &performance.time_origin().into());
    let entries = performance
        .get_entries_by_type("resource")
        .concat(&performance.get_entries_by_type("mark"));
    let _ = js_sys::Reflect::set(&report, &"entries".into(), &entries);
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
    mark("start", id);
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
    // The shards start downloading now, whatever becomes of this request.
    let early =
        files::search_info_now().map(|info| (in_memory(&info, &terms), index_files(&info, &terms)));
    if !early.as_ref().is_some_and(|e| e.0) {
        let (terms, request) = (terms.clone(), request.clone());
        wasm_bindgen_futures::spawn_local(async move {
            sleep(DEBOUNCE_MS).await;
            fetch_ahead(id, &terms, &request);
        });
    }
    spawn(async move {
        // Lets the messages already queued run first: fast typing queues a request per
        // keystroke, and the index in memory would answer each of them in turn, every
        // answer but the last thrown away (and the page's results rebuilt for it). The
        // next request aborts this one before it starts.
        sleep(0).await;
        let info = match info().await {
            Ok(info) => info,
            Err(e) => return fail(id, e),
        };
        let (ready, index) = match early {
            Some(early) => early,
            None => (in_memory(&info, &terms), index_files(&info, &terms)),
        };
        let pause = async move {
            if !ready {
                sleep(DEBOUNCE_MS).await;
            }
        };
        let (result, ()) = futures::join!(candidates(&info, index, &terms, &request), pause);
        match result {
            Ok((table, candidates)) => {
                mark("candidates", id);
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

/// Confirms candidates a batch at a time ([`search::next_batch`]) until a screen more
/// of results ([`FIRST_SCREEN`]) is found or every candidate is decided, answering after
/// each batch: the page never says 0件 while candidates are left unread.
async fn confirm_batches(id: u32) {
    let Some((terms, table, before)) = QUERY.with(|q| {
        q.borrow()
            .as_ref()
            .map(|q| (q.terms.clone(), q.table.clone(), q.found.len()))
    }) else {
        return;
    };
    let wanted = before + FIRST_SCREEN;
    loop {
        let todo: Vec<u32> = QUERY.with(|q| {
            q.borrow().as_ref().map_or_else(Vec::new, |q| {
                let n = search::next_batch(q.candidates.len(), q.checked, q.found.len(), wanted);
                q.candidates[q.checked..q.checked + n].to_vec()
            })
        });
        if todo.is_empty() {
            break;
        }
        // All of the batch's posts download at once; each is confirmed as it comes.
        let loads: Vec<(u32, Pending)> = todo
            .iter()
            .map(|&post_id| {
                let path = table.posts.get(post_id as usize).map_or("", |row| &row.0);
                (post_id, files::post(path))
            })
            .collect();
        let mut confirmed = Vec::new();
        for (post_id, load) in loads {
            match files::get::<PostText>(load).await {
                Ok(post) => {
                    if let Some(hit) = post.text.confirm(&terms) {
                        confirmed.push((hit.rank(post_id), found(&post.summary, &hit)));
                    }
                }
                Err(e) => return fail(id, e),
            }
        }
        mark("posts", id);
        QUERY.with(|q| {
            if let Some(q) = q.borrow_mut().as_mut() {
                q.checked += todo.len();
                for f in confirmed {
                    let at = q.found.partition_point(|g| g.0 < f.0);
                    q.found.insert(at, f);
                }
            }
        });
        answer(id, true, None);
    }
    answer(id, false, None);
}

/// What the page shows of a confirmed post.
pub(super) fn found(summary: &PostSummary, hit: &PostHit) -> Found {
    Found {
        summary: summary.clone(),
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
        mark("answer", answer.id);
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
async fn info() -> Result<Rc<SearchInfo>, FetchError> {
    let info = files::get::<SearchInfo>(files::search_info()).await?;
    if info.shards.is_empty() {
        // A bundle written before the index existed.
        return Err(FetchError::Decode("検索用の索引がありません".into()));
    }
    Ok(info)
}

/// Whether every index file `terms` need is in memory already.
fn in_memory(info: &SearchInfo, terms: &[Term]) -> bool {
    files::is_read(&info.table)
        && search::shards_for(terms, info.shards.len())
            .into_iter()
            .all(|i| files::is_read(&info.shards[i]))
}

/// The post table and the key shards `terms` need, their downloads started; the shard
/// downloads earlier keystrokes started that `terms` do not need stop.
fn index_files(info: &SearchInfo, terms: &[Term]) -> (Pending, Vec<(usize, Pending)>) {
    let wanted = search::shards_for(terms, info.shards.len());
    files::keep_shards(
        &wanted
            .iter()
            .map(|&i| info.shards[i].as_str())
            .collect::<Vec<_>>(),
    );
    let shards = wanted
        .into_iter()
        .map(|i| (i, files::shard(&info.shards[i])))
        .collect();
    (files::table(&info.table), shards)
}

/// The index ids that may answer `terms` ([`search::candidates`]) filtered by tag and
/// month, in the order to confirm them.
async fn candidates(
    info: &SearchInfo,
    (table, wanted): (Pending, Vec<(usize, Pending)>),
    terms: &[Term],
    request: &Request,
) -> Result<(Rc<SearchTable>, Vec<u32>), FetchError> {
    let n = info.shards.len();
    let table = files::get::<SearchTable>(table).await?;
    let mut shards = Vec::new();
    for (i, shard) in wanted {
        shards.push((i, files::get::<IndexShard>(shard).await?));
    }
    let shards: Vec<(usize, &IndexShard)> = shards.iter().map(|(i, s)| (*i, &**s)).collect();
    let ids = candidates_in(terms, n, &shards)
        .into_iter()
        .map(|c| c.id)
        .filter(filter(&table, request))
        .collect();
    Ok((table, ids))
}

/// [`search::candidates`] over the `shards` in memory (index, shard) of `count`. The
/// worker's one copy of it: each closure type passed to it would compile another (the
/// rehearsal calls this too).
pub(super) fn candidates_in(
    terms: &[Term],
    count: usize,
    shards: &[(usize, &IndexShard)],
) -> Vec<search::Candidate> {
    search::candidates(terms, count, |i| {
        shards.iter().find(|s| s.0 == i).map(|s| s.1)
    })
}

/// Whether an index id passes the request's tag and month filters.
fn filter<'a>(table: &'a SearchTable, request: &'a Request) -> impl Fn(&u32) -> bool + 'a {
    let tag = table
        .tags
        .iter()
        .position(|t| *t == request.tag)
        .map(|i| i as u32);
    move |&id| {
        let Some(row) = table.posts.get(id as usize) else {
            return false;
        };
        (request.tag.is_empty() || tag.is_some_and(|t| row.2.contains(&t)))
            && row.1.starts_with(&request.month)
    }
}

/// While request `id` still waits for shards ([`DEBOUNCE_MS`] after it arrived), starts
/// downloading the post files of its first [`FIRST_SCREEN`] likely candidates, from the shards
/// in memory ([`search::likely_candidates`]): the word's earlier keystrokes mostly
/// fetched them. The first batch to confirm is then mostly downloaded and folded by the
/// time the last shard arrives, instead of downloading after it. Only when every term
/// has a shard in memory: a term none narrows yet leaves the newest posts of the other
/// terms as the guess, mostly wrong, and their downloads would delay the shards the
/// query waits for.
fn fetch_ahead(id: u32, terms: &[Term], request: &Request) {
    if CURRENT.get() != id || QUERY.with(|q| q.borrow().as_ref().is_some_and(|q| q.id == id)) {
        return;
    }
    let Some(info) = files::search_info_now() else {
        return;
    };
    let Some(table) = files::index_now::<SearchTable>(&info.table) else {
        return;
    };
    if in_memory(&info, terms) {
        // The exact candidates are a step away.
        return;
    }
    let n = info.shards.len();
    let shards: Vec<(usize, Rc<IndexShard>)> = search::shards_for(terms, n)
        .into_iter()
        .filter_map(|i| Some((i, files::index_now::<IndexShard>(&info.shards[i])?)))
        .collect();
    let narrowed = |t: &Term| {
        let lookups = t.lookups();
        lookups.is_empty()
            || lookups
                .iter()
                .any(|l| shards.iter().any(|s| s.0 == search::shard_of(l.text(), n)))
    };
    if !terms.iter().filter(|t| !t.exclude).all(narrowed) {
        return;
    }
    let likely = search::likely_candidates(terms, n, |i| {
        shards.iter().find(|s| s.0 == i).map(|s| &*s.1)
    });
    let keep = filter(&table, request);
    for c in likely
        .into_iter()
        .filter(|c| keep(&c.id))
        .take(FIRST_SCREEN)
    {
        if let Some(row) = table.posts.get(c.id as usize) {
            // Downloads on its own; the request that needs it picks it up.
            drop(files::post(&row.0));
        }
    }
    mark("ahead", id);
}
