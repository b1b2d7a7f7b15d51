//! Data access: URL builders for the bundle and one generic, cached `fetch_json`.
//!
//! Every file is fetched at most once per page load: decoded values are kept in an
//! in-memory cache keyed by URL, so revisits and back/forward render without a request.
//! Errors are never cached, so a retry really retries.

use std::any::Any;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

use matome_model::{paths, ListPage, Post, Site, TagIndex};
use serde::de::DeserializeOwned;

use crate::dom;

/// Why a bundle file could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// The request did not complete (offline, DNS, CORS, aborted).
    Network,
    /// The server answered 404: the thing does not exist.
    NotFound,
    /// Any other non-success HTTP status.
    Status(u16),
    /// The file arrived but is not the JSON we expect.
    Decode(String),
    /// The site was deployed again with a newer bundle schema than this app reads: the
    /// page must be reloaded to get the matching app.
    NewerBundle(u32),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Network => f.write_str("ネットワークエラー"),
            FetchError::NotFound => f.write_str("見つかりません (404)"),
            FetchError::Status(code) => write!(f, "サーバーエラー (HTTP {code})"),
            FetchError::Decode(msg) => write!(f, "データを読み取れません: {msg}"),
            FetchError::NewerBundle(schema) => write!(
                f,
                "新しい版があります（データ schema {schema}、このアプリは {}）",
                matome_model::SCHEMA_VERSION
            ),
        }
    }
}

thread_local! {
    static CACHE: RefCell<HashMap<String, Rc<dyn Any>>> = RefCell::new(HashMap::new());
    static IN_FLIGHT: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    static BASE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The path the site is served under, without the trailing slash (`""` at the root,
/// `"/sub/path"` below a sub-path): in the browser from `document.baseURI`
/// (`<base href>`), at build time as [`set_base_path`] gave it.
pub fn base_path() -> String {
    BASE.with(|b| b.borrow_mut().get_or_insert_with(compute_base_path).clone())
}

/// Sets the base path for build-time rendering (`/` or `/sub/path/`).
pub fn set_base_path(base: &str) {
    let base = base.trim_end_matches('/').to_string();
    BASE.with(|b| *b.borrow_mut() = Some(base));
}

fn compute_base_path() -> String {
    let Some(uri) = dom::document().and_then(|d| d.base_uri().ok().flatten()) else {
        return String::new();
    };
    let path = web_sys::Url::new(&uri)
        .map(|u| u.pathname())
        .unwrap_or_default();
    path.trim_end_matches('/').to_string()
}

/// Absolute URL path of a file or route given relative to the site root.
pub fn href(relative: &str) -> String {
    format!("{}/{}", base_path(), relative.trim_start_matches('/'))
}

/// Route of a post, percent-encoding each segment of its path.
pub fn post_href(path: &str) -> String {
    let encoded: Vec<String> = path.split('/').map(encode_segment).collect();
    href(&paths::post_route(&encoded.join("/")))
}

/// Route of a tag page.
pub fn tag_href(slug: &str) -> String {
    href(&paths::tag_route(&encode_segment(slug)))
}

/// Route of a month page.
pub fn month_href(year: u16, month: u8) -> String {
    href(&paths::month_route(year, month))
}

/// Percent-encodes one path segment (as `encodeURIComponent` does).
pub fn encode_segment(s: &str) -> String {
    paths::encode_component(s)
}

/// Decodes a percent-encoded route parameter; returns it unchanged when malformed.
pub fn decode_param(s: &str) -> String {
    paths::decode_component(s).unwrap_or_else(|| s.to_string())
}

/// Shard names from `site.json` are paths relative to the site root.
fn shard_url(name: &str) -> String {
    href(name)
}

/// Fetches and decodes one JSON file, from the cache when it was loaded before.
pub async fn fetch_json<T>(url: &str) -> Result<T, FetchError>
where
    T: DeserializeOwned + Clone + 'static,
{
    if let Some(hit) = cached::<T>(url) {
        return Ok(hit);
    }
    // Only the decoding is generic; the request is shared by every type (smaller wasm).
    let text = fetch_text(url).await?;
    let value: T = serde_json::from_str(&text).map_err(|e| FetchError::Decode(e.to_string()))?;
    let stored: Rc<dyn Any> = Rc::new(value.clone());
    CACHE.with(|c| c.borrow_mut().insert(url.to_string(), stored));
    Ok(value)
}

/// The cached value of `url`, if it was loaded before.
pub fn cached<T: Clone + 'static>(url: &str) -> Option<T> {
    CACHE.with(|c| {
        c.borrow()
            .get(url)
            .and_then(|v| v.downcast_ref::<T>())
            .cloned()
    })
}

/// Marks a URL as loading for as long as it lives (also when its future is dropped).
struct InFlight(String);

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.with(|f| f.borrow_mut().remove(&self.0));
    }
}

pub async fn fetch_text(url: &str) -> Result<String, FetchError> {
    IN_FLIGHT.with(|f| f.borrow_mut().insert(url.to_string()));
    let _in_flight = InFlight(url.to_string());
    request(url).await
}

/// Aborts its request when dropped before [`AbortOnDrop::done`]: leaving a page drops
/// its loading future, and the download it no longer needs stops with it.
struct AbortOnDrop(Option<web_sys::AbortController>);

impl AbortOnDrop {
    fn done(mut self) {
        self.0 = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

async fn request(url: &str) -> Result<String, FetchError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let guard = AbortOnDrop(controller);
    let result = request_with(url, signal.as_ref()).await;
    guard.done();
    result
}

async fn request_with(
    url: &str,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<String, FetchError> {
    let response = gloo_net::http::Request::get(url)
        .abort_signal(signal)
        .send()
        .await
        .map_err(|_| FetchError::Network)?;
    match response.status() {
        200..=299 => {}
        404 | 410 => return Err(FetchError::NotFound),
        code => return Err(FetchError::Status(code)),
    }
    let bytes = response.binary().await.map_err(|_| FetchError::Network)?;
    let text = if bytes.starts_with(&GZIP_MAGIC) {
        gunzip(bytes).await?
    } else {
        String::from_utf8(bytes).map_err(|_| FetchError::Decode("UTF-8 ではありません".into()))?
    };
    // Static hosts sometimes answer a missing file with their HTML 404 page and status
    // 200; that is "not found", not a broken bundle.
    if text.trim_start().starts_with('<') {
        return Err(FetchError::NotFound);
    }
    Ok(text)
}

/// The first bytes of every gzip stream.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's own inflater (web-sys has it only among its unstable APIs).
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, wasm_bindgen::JsValue>;
    /// A `ReadableStream`, seen through the one method needed here.
    type Stream;
    #[wasm_bindgen(method, js_name = pipeThrough)]
    fn pipe_through(this: &Stream, transform: &DecompressionStream) -> web_sys::ReadableStream;
}

/// A published site stores the post files gzip-compressed (`matome publish`; a host
/// that serves them with `Content-Encoding` hands over the plain JSON, which is read as
/// it is): inflated by the browser, not by code in the wasm.
async fn gunzip(mut bytes: Vec<u8>) -> Result<String, FetchError> {
    let broken = |_| FetchError::Decode("圧縮データを展開できません".into());
    let packed = web_sys::Response::new_with_opt_u8_array(Some(&mut bytes)).map_err(broken)?;
    let stream = packed
        .body()
        .ok_or(FetchError::Decode("空のファイルです".into()))?;
    let inflate = DecompressionStream::new("gzip").map_err(broken)?;
    let plain = wasm_bindgen::JsCast::unchecked_ref::<Stream>(&stream).pipe_through(&inflate);
    let text = web_sys::Response::new_with_opt_readable_stream(Some(&plain))
        .and_then(|r| r.text())
        .map_err(broken)?;
    let text = wasm_bindgen_futures::JsFuture::from(text)
        .await
        .map_err(broken)?;
    text.as_string()
        .ok_or(FetchError::Decode("圧縮データを展開できません".into()))
}

/// `data/site.json`.
pub async fn fetch_site() -> Result<Site, FetchError> {
    let url = href(paths::SITE_JSON);
    let site: Site = fetch_json(&url).await.map_err(missing_is_broken)?;
    same_schema(&url, site.schema)?;
    Ok(site)
}

/// A bundle written for another schema version may decode by luck and still mean
/// something else: refuse it with a clear message, and forget it so a retry after
/// the redeploy fetches it again.
fn same_schema(url: &str, schema: u32) -> Result<(), FetchError> {
    if schema == matome_model::SCHEMA_VERSION {
        Ok(())
    } else if schema > matome_model::SCHEMA_VERSION {
        CACHE.with(|c| c.borrow_mut().remove(url));
        Err(FetchError::NewerBundle(schema))
    } else {
        CACHE.with(|c| c.borrow_mut().remove(url));
        Err(FetchError::Decode(format!(
            "データの形式が違います（schema {schema}、このアプリは {}）",
            matome_model::SCHEMA_VERSION
        )))
    }
}

/// A file that the bundle itself names (site.json, its shards) being absent means a
/// broken deployment, not a page that does not exist: show the retry, not the 404.
fn missing_is_broken(e: FetchError) -> FetchError {
    match e {
        FetchError::NotFound => FetchError::Status(404),
        other => other,
    }
}

/// A shard named by `site.json` or the tag index.
async fn fetch_shard<T>(name: &str) -> Result<T, FetchError>
where
    T: DeserializeOwned + Clone + 'static,
{
    fetch_json(&shard_url(name))
        .await
        .map_err(missing_is_broken)
}

/// One post by its path below `content/posts/`.
pub async fn fetch_post(path: &str) -> Result<Post, FetchError> {
    let url = post_url(path);
    let post: Post = fetch_json(&url).await?;
    same_schema(&url, post.schema)?;
    Ok(post)
}

/// URL of the post file of the post at `path`.
pub fn post_url(path: &str) -> String {
    href(&paths::post_json(path))
}

/// List page `n` (1-based) of all posts.
pub async fn fetch_page(n: u32) -> Result<(Site, ListPage), FetchError> {
    let site = fetch_site().await?;
    let name = n
        .checked_sub(1)
        .and_then(|i| site.pages.get(i as usize))
        .ok_or(FetchError::NotFound)?;
    let page = fetch_shard(name).await?;
    Ok((site, page))
}

/// The tag index.
pub async fn fetch_tags() -> Result<TagIndex, FetchError> {
    let site = fetch_site().await?;
    fetch_shard(&site.tag_index).await
}

/// Posts of one tag, by slug.
pub async fn fetch_tag(slug: &str) -> Result<ListPage, FetchError> {
    let index = fetch_tags().await?;
    let entry = index
        .tags
        .iter()
        .find(|t| t.slug == slug || t.slug.eq_ignore_ascii_case(slug))
        .ok_or(FetchError::NotFound)?;
    fetch_shard(&entry.file).await
}

/// Posts of one month.
pub async fn fetch_month(year: u16, month: u8) -> Result<ListPage, FetchError> {
    let site = fetch_site().await?;
    let entry = site
        .months
        .iter()
        .find(|m| m.year == year && m.month == month)
        .ok_or(FetchError::NotFound)?;
    fetch_shard(&entry.file).await
}

/// URL of a search index file by the name `site.json` gives it.
pub fn index_url(name: &str) -> String {
    shard_url(name)
}

/// The text of the search index file at `url` ([`index_url`]), not cached here: the
/// search worker keeps it parsed.
pub async fn fetch_index_text(url: &str) -> Result<String, FetchError> {
    fetch_text(url).await.map_err(missing_is_broken)
}

/// The post file at `url` ([`post_url`]), decoded and checked as [`fetch_post`] does
/// but not cached here: the search worker keeps it.
pub async fn fetch_post_at(url: &str) -> Result<Post, FetchError> {
    post_from_text(url, &fetch_text(url).await?)
}

/// The post file at `url`, downloaded as `text`, decoded.
pub fn post_from_text(url: &str, text: &str) -> Result<Post, FetchError> {
    let post: Post = serde_json::from_str(text).map_err(|e| FetchError::Decode(e.to_string()))?;
    same_schema(url, post.schema)?;
    Ok(post)
}

/// Starts loading a post in the background (hover/focus on a link), unless it is
/// cached or already loading.
pub fn prefetch_post(path: &str) {
    let url = post_url(path);
    let busy = IN_FLIGHT.with(|f| f.borrow().contains(&url));
    if busy || CACHE.with(|c| c.borrow().contains_key(&url)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let _ = fetch_json::<Post>(&url).await;
    });
}
