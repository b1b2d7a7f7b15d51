//! The search worker's files (`site.json`'s index description, post table, key shards,
//! post files): each downloaded at
//! most once and kept decoded. A download, once started, runs to its end on its own: a
//! request that a newer keystroke replaced leaves its shards and posts to the next one,
//! which mostly needs the same, instead of aborting them.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::rc::Rc;

use futures::future::{AbortHandle, FutureExt, LocalBoxFuture, Shared};
use matome_model::paths;
use matome_model::search::{IndexShard, SearchInfo, SearchTable, SearchText};
use matome_model::PostSummary;

use crate::api::{self, FetchError};

type Value = Rc<dyn Any>;

/// A file being read, or read: every request that needs it awaits the same download.
pub type Pending = Shared<LocalBoxFuture<'static, Result<Value, FetchError>>>;

thread_local! {
    /// Files read, decoded, by URL (index names are hashed: a new deployment's files
    /// are new entries).
    static READ: RefCell<HashMap<String, Value>> = RefCell::new(HashMap::new());
    /// Downloads under way, by URL.
    static LOADING: RefCell<HashMap<String, Pending>> = RefCell::new(HashMap::new());
    /// Key shard downloads under way, by URL: [`keep_shards`] stops those a newer query
    /// no longer needs.
    static SHARDS: RefCell<HashMap<String, AbortHandle>> = RefCell::new(HashMap::new());
}

/// `site.json`'s description of the search index.
pub fn search_info() -> Pending {
    file(
        api::href(paths::SITE_JSON),
        |_| async { api::fetch_site().await.map(|site| site.search) },
        false,
    )
}

/// [`search_info`] if it is in memory.
pub fn search_info_now() -> Option<Rc<SearchInfo>> {
    let url = api::href(paths::SITE_JSON);
    READ.with(|r| r.borrow().get(&url).cloned())?
        .downcast()
        .ok()
}

/// Whether the index file `name` is in memory.
pub fn is_read(name: &str) -> bool {
    READ.with(|r| r.borrow().contains_key(&api::index_url(name)))
}

/// The index file `name` if it is in memory, as the `T` it was read as.
pub fn index_now<T: 'static>(name: &str) -> Option<Rc<T>> {
    READ.with(|r| r.borrow().get(&api::index_url(name)).cloned())?
        .downcast()
        .ok()
}

/// What the worker keeps of a post: its summary and its text folded for searching (the
/// blocks are not kept).
pub struct PostText {
    pub summary: PostSummary,
    pub text: SearchText,
}

/// The post table named `name` in `site.json`.
pub fn table(name: &str) -> Pending {
    index(name, SearchTable::parse, false)
}

/// The key shard named `name` in `site.json`.
pub fn shard(name: &str) -> Pending {
    index(name, IndexShard::parse, true)
}

/// Stops the key shard downloads under way that are not among `names` (the shards the
/// newest query needs): what fast typing asked for on the way (a first character's
/// shard, a bigram the next keystroke replaced) then holds neither a connection nor
/// bandwidth the query being answered waits for. A stopped shard is downloaded again if
/// a later query needs it.
pub fn keep_shards(names: &[&str]) {
    let keep: Vec<String> = names.iter().map(|n| api::index_url(n)).collect();
    let stop: Vec<(String, AbortHandle)> = SHARDS.with(|s| {
        let mut s = s.borrow_mut();
        let urls: Vec<String> = s.keys().filter(|u| !keep.contains(u)).cloned().collect();
        urls.into_iter()
            .filter_map(|u| s.remove(&u).map(|h| (u, h)))
            .collect()
    });
    for (url, handle) in stop {
        // The download ends once no request holds it: the requests before this one
        // were aborted with their task.
        LOADING.with(|l| l.borrow_mut().remove(&url));
        handle.abort();
    }
}

/// The post at `path` (below `content/posts/`), as a [`PostText`]: folded once, as it
/// arrives.
pub fn post(path: &str) -> Pending {
    file(
        api::post_url(path),
        |url| async move {
            let text = api::fetch_text(&url).await?;
            let start = super::engine::now();
            let post = api::post_from_text(&url, &text)?;
            let post = PostText {
                text: SearchText::new(&post),
                summary: post.summary,
            };
            super::engine::took("decoding a post", start);
            Ok(post)
        },
        false,
    )
}

/// Waits for `pending` and gives it as the `T` it was read as.
pub async fn get<T: 'static>(pending: Pending) -> Result<Rc<T>, FetchError> {
    pending
        .await?
        .downcast::<T>()
        .map_err(|_| FetchError::Decode("検索用の索引が読めません".into()))
}

fn index<T: 'static>(name: &str, parse: fn(&str) -> T, stoppable: bool) -> Pending {
    file(
        api::index_url(name),
        move |url| async move {
            let text = api::fetch_index_text(&url).await?;
            let start = super::engine::now();
            let parsed = parse(&text);
            super::engine::took("reading an index file", start);
            Ok(parsed)
        },
        stoppable,
    )
}

/// `url` from memory, from its download under way, or downloaded now: the download
/// starts before the answer is awaited, and runs whether or not anyone awaits it.
/// A failed download is not kept: the next call tries again. A `stoppable` one can be
/// stopped by [`keep_shards`].
fn file<T, F>(url: String, fetch: impl FnOnce(String) -> F, stoppable: bool) -> Pending
where
    T: 'static,
    F: Future<Output = Result<T, FetchError>> + 'static,
{
    if let Some(value) = READ.with(|r| r.borrow().get(&url).cloned()) {
        return futures::future::ready(Ok(value)).boxed_local().shared();
    }
    if let Some(pending) = LOADING.with(|l| l.borrow().get(&url).cloned()) {
        return pending;
    }
    let pending = fetch(url.clone())
        .map(|r| r.map(|v| Rc::new(v) as Value))
        .boxed_local()
        .shared();
    LOADING.with(|l| l.borrow_mut().insert(url.clone(), pending.clone()));
    let driver = pending.clone();
    let (driver, handle) = futures::future::abortable(driver);
    if stoppable {
        SHARDS.with(|s| s.borrow_mut().insert(url.clone(), handle));
    }
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(result) = driver.await else {
            return;
        };
        LOADING.with(|l| l.borrow_mut().remove(&url));
        SHARDS.with(|s| s.borrow_mut().remove(&url));
        if let Ok(value) = result {
            READ.with(|r| r.borrow_mut().insert(url, value));
        }
    });
    pending
}
