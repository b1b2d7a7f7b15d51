//! A plain static file server on 127.0.0.1, behaving like GitHub Pages or Netlify without
//! rewrite rules: files as they are, `dir/index.html` for `/dir/`, a 301 from `/dir` to
//! `/dir/`, and for anything missing a **404** whose body is `404.html` (no SPA fallback:
//! the status stays 404). The site may be mounted under a sub-path.
//!
//! Files, indexes, content types and gzip come from tower-http (`ServeDir`,
//! `CompressionLayer`) under axum; what is ours is the mount, the test controls (failing,
//! held and script-stripped responses) and the request log.
//!
//! Every response carries `Cache-Control: no-store`, so what a test serves next is what
//! the browser gets (the app's service worker keeps its own caches). Text, JSON, wasm,
//! XML and SVG are gzip-compressed for browsers that ask, as nginx's `gzip on` does: the
//! load benchmark's throttled network then sees realistic sizes.

use std::future::IntoFuture;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Extensions, HeaderMap, HeaderValue, StatusCode, Uri, Version};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::serve::ListenerExt;
use axum::Router;
use tokio::sync::{oneshot, watch};
use tower::ServiceExt;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::set_status::SetStatus;

/// A running server; stops when dropped.
pub struct StaticServer {
    addr: std::net::SocketAddr,
    mount: String,
    control: Arc<Control>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// What a test changes while the server runs, and what it has seen.
struct Control {
    /// Requests served: (path and query as requested, status; [`StaticServer::GONE`] for one the
    /// client gave up before the answer).
    log: Mutex<Vec<(String, u16)>>,
    /// Requests held back now (path and query).
    waiting: Mutex<Vec<String>>,
    /// Path suffixes whose responses wait.
    held: watch::Sender<Vec<String>>,
    /// Whether HTML goes out without its scripts.
    strip: AtomicBool,
    /// Whether wasm goes out as `application/octet-stream` (a host without its type).
    wasm_untyped: AtomicBool,
    /// (part of a path, status) answered instead of the file.
    failing: Mutex<Vec<(String, u16)>>,
    /// A slow network in front of the site ([`StaticServer::slow_link`]).
    link: Mutex<Option<Link>>,
}

/// One shared link: every response waits a round trip and takes its turn on the
/// bandwidth.
#[derive(Clone, Copy)]
struct Link {
    round_trip: Duration,
    bytes_per_second: f64,
    /// When the link has sent what it was given so far.
    busy_until: tokio::time::Instant,
}

/// A loopback address no other server of this process has had (127.0.0.2, .3, …):
/// each server is an origin of its own in the browser, so what one test's pages stored
/// (local storage, a service worker, the HTTP cache) can never answer another test's
/// pages, even in a browser kept between tests ([`crate::with_browser`]) and when the
/// system hands out a port again. All of 127.0.0.0/8 is loopback and a secure context.
fn own_loopback_address() -> std::net::Ipv4Addr {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(2);
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        assert!(n < 1 << 24, "out of loopback addresses");
        // Skip .0 and .255 last octets: some stacks treat them as network or broadcast.
        if !matches!(n & 0xff, 0 | 0xff) {
            return std::net::Ipv4Addr::from(0x7f00_0000 | n);
        }
    }
}

impl StaticServer {
    /// Status logged for a request the client gave up (closed its connection) before
    /// the answer, as nginx logs it.
    pub const GONE: u16 = 499;

    /// Serves `root` at `/` on a free loopback port.
    pub fn start(root: &Path) -> StaticServer {
        StaticServer::start_at(root, "/")
    }

    /// Serves `root` under `mount` (e.g. `/sub/path/`); everything outside it is a 404.
    pub fn start_at(root: &Path, mount: &str) -> StaticServer {
        assert!(
            mount.starts_with('/') && mount.ends_with('/'),
            "mount must start and end with /"
        );
        let ip = own_loopback_address();
        let listener = std::net::TcpListener::bind((ip, 0))
            .unwrap_or_else(|e| panic!("bind a port on the loopback address {ip}: {e}"));
        let addr = listener.local_addr().unwrap();
        let port = addr.port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let control = Arc::new(Control {
            log: Mutex::default(),
            held: watch::Sender::new(Vec::new()),
            waiting: Mutex::new(Vec::new()),
            strip: AtomicBool::new(false),
            wasm_untyped: AtomicBool::new(false),
            failing: Mutex::default(),
            link: Mutex::new(None),
        });
        let app = app(root, mount, control.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(format!("static-server-{port}"))
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                rt.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    // Segments go out as written, as nginx's `tcp_nodelay on` sends them:
                    // with Nagle's algorithm a response's last small write (a gzip stream's
                    // final chunk) waits for the ACK of the one before, which the browser's
                    // kernel delays up to 40 ms on loopback, a stall no real host adds.
                    let listener = listener.tap_io(|tcp| {
                        let _ = tcp.set_nodelay(true);
                    });
                    tokio::select! {
                        served = axum::serve(listener, app).into_future() => {
                            served.expect("serve the site");
                        }
                        _ = stopped => {}
                    }
                });
                // Connections still open (a browser's keep-alive) are dropped, not awaited.
                rt.shutdown_timeout(Duration::from_secs(1));
            })
            .expect("start the server thread");
        StaticServer {
            addr,
            mount: mount.to_string(),
            control,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Answers every request whose path contains `part` with `status` (a broken
    /// deployment or a failing host), until [`StaticServer::heal`].
    pub fn fail(&self, part: &str, status: u16) {
        self.control
            .failing
            .lock()
            .unwrap()
            .push((part.to_string(), status));
    }

    /// Stops failing requests.
    pub fn heal(&self) {
        self.control.failing.lock().unwrap().clear();
    }

    /// Serves HTML without its scripts and script preloads: the page's static floor,
    /// what a reader sees when no script ever runs (for the load benchmark).
    pub fn strip_scripts(&self, on: bool) {
        self.control.strip.store(on, Ordering::SeqCst);
    }

    /// Serves wasm as `application/octet-stream`, as a host that does not know the type
    /// does (browsers then refuse to compile it while it streams in).
    pub fn untyped_wasm(&self, on: bool) {
        self.control.wasm_untyped.store(on, Ordering::SeqCst);
    }

    /// Holds back every response for a path ending with `suffix` (e.g. `.wasm`) until
    /// [`StaticServer::release`] (at most two minutes): the page as a reader sees it
    /// while the app downloads.
    pub fn hold(&self, suffix: &str) {
        self.control
            .held
            .send_modify(|held| held.push(suffix.to_string()));
    }

    /// Puts a slow network between the site and every client (`None`: loopback again):
    /// each response waits `round_trip_ms` (half before the server reads the request,
    /// half after its last byte) and its bytes, as sent, queue on one link of
    /// `bits_per_second` shared by all requests. Unlike the DevTools protocol's
    /// throttling, which a page sets for its own requests only, this slows a worker's
    /// downloads too.
    pub fn slow_link(&self, link: Option<(u64, u64)>) {
        *self.control.link.lock().unwrap() = link.map(|(round_trip_ms, bits_per_second)| Link {
            round_trip: Duration::from_millis(round_trip_ms),
            bytes_per_second: bits_per_second as f64 / 8.0,
            busy_until: tokio::time::Instant::now(),
        });
    }

    /// Lets held responses go.
    pub fn release(&self) {
        self.control.held.send_replace(Vec::new());
    }

    /// `http://127.0.0.<n>:<port>` without a trailing slash.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Absolute URL of a route relative to the site root (`""`, `posts/a/b/`).
    pub fn url(&self, route: &str) -> String {
        format!(
            "{}{}{}",
            self.origin(),
            self.mount,
            route.trim_start_matches('/')
        )
    }

    /// The sub-path the site is mounted under (`/` or `/sub/path/`).
    pub fn mount(&self) -> &str {
        &self.mount
    }

    /// Requests served so far: (path as requested, status).
    pub fn requests(&self) -> Vec<(String, u16)> {
        self.control.log.lock().unwrap().clone()
    }

    /// Requests [`StaticServer::hold`] holds back now (path and query): arrived, not
    /// answered, not given up.
    pub fn waiting(&self) -> Vec<String> {
        self.control.waiting.lock().unwrap().clone()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.release();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The files of `root` under `mount`, wrapped in the test controls (outermost first):
/// `no-store`, the log with failures and holds, gzip, UTF-8 text, script stripping.
fn app(root: &Path, mount: &str, control: Arc<Control>) -> Router {
    let not_found = SetStatus::new(ServeFile::new(root.join("404.html")), StatusCode::NOT_FOUND);
    let site = Arc::new(Site {
        files: ServeDir::new(root).fallback(not_found.clone()),
        not_found,
        mount: mount.to_string(),
    });
    let gzip = CompressionLayer::new()
        .quality(CompressionLevel::Precise(6))
        .compress_when(SizeAbove::new(256).and(compressible));
    Router::new()
        .fallback(serve_site)
        .with_state(site)
        .layer(middleware::from_fn_with_state(
            control.clone(),
            strip_scripts,
        ))
        .layer(middleware::map_response(utf8_text))
        .layer(middleware::from_fn_with_state(
            control.clone(),
            untyped_wasm,
        ))
        .layer(gzip)
        .layer(middleware::from_fn_with_state(control, log_hold_and_fail))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

struct Site {
    files: ServeDir<SetStatus<ServeFile>>,
    not_found: SetStatus<ServeFile>,
    mount: String,
}

/// The mount: `/sub/path` redirects to `/sub/path/`, anything outside is the 404 page, the
/// rest is looked up in the files with the mount taken off (and put back on redirects).
async fn serve_site(State(site): State<Arc<Site>>, mut req: Request) -> Response {
    let path = req.uri().path().to_string();
    let query = req
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    if format!("{path}/") == site.mount {
        return moved(&format!("{}{query}", site.mount));
    }
    let Some(rest) = path.strip_prefix(&site.mount) else {
        let reply = site.not_found.clone().oneshot(req).await;
        return reply.into_response();
    };
    let Ok(inner) = format!("/{rest}{query}").parse::<Uri>() else {
        return (StatusCode::BAD_REQUEST, "bad request\n").into_response();
    };
    *req.uri_mut() = inner;
    let reply = site.files.clone().oneshot(req).await.into_response();
    // ServeDir answers a directory without its slash with a 307 to `/<rest>/`; static
    // hosts answer 301, and the location must keep the mount.
    if reply.status() == StatusCode::TEMPORARY_REDIRECT {
        if let Some(location) = reply.headers().get(header::LOCATION) {
            let location = String::from_utf8_lossy(location.as_bytes());
            return moved(&format!("{}{location}", site.mount.trim_end_matches('/')));
        }
    }
    reply
}

fn moved(location: &str) -> Response {
    let mut reply = (StatusCode::MOVED_PERMANENTLY, "moved\n").into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        reply.headers_mut().insert(header::LOCATION, value);
    }
    reply
}

/// Logs a request as [`StaticServer::GONE`] when dropped unanswered (the client closed the connection,
/// and the server dropped the request's handler) and takes it off the waiting list.
struct Pending {
    control: Arc<Control>,
    target: String,
    answered: bool,
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut waiting = self.control.waiting.lock().unwrap();
        if let Some(i) = waiting.iter().position(|w| *w == self.target) {
            waiting.remove(i);
        }
        if !self.answered {
            let target = std::mem::take(&mut self.target);
            self.control
                .log
                .lock()
                .unwrap()
                .push((target, StaticServer::GONE));
        }
    }
}

/// Logs every request with its final status; holds those a test holds back and answers
/// those a test makes fail.
async fn log_hold_and_fail(
    State(control): State<Arc<Control>>,
    req: Request,
    next: Next,
) -> Response {
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let path = req.uri().path().to_string();
    let mut pending = Pending {
        control: control.clone(),
        target: target.clone(),
        answered: false,
    };
    let link = *control.link.lock().unwrap();
    if let Some(link) = link {
        tokio::time::sleep(link.round_trip / 2).await;
    }
    let mut held = control.held.subscribe();
    if held.borrow().iter().any(|s| path.ends_with(s.as_str())) {
        control.waiting.lock().unwrap().push(target.clone());
    }
    let released = held.wait_for(|held| !held.iter().any(|s| path.ends_with(s.as_str())));
    let _ = tokio::time::timeout(Duration::from_secs(120), released).await;
    let failure = control
        .failing
        .lock()
        .unwrap()
        .iter()
        .find(|(part, _)| path.contains(part.as_str()))
        .map(|(_, status)| *status);
    let reply = match failure {
        Some(status) => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "failing on purpose\n",
        )
            .into_response(),
        None => next.run(req).await,
    };
    let reply = over_the_link(&control, reply, link).await;
    pending.answered = true;
    drop(pending);
    control
        .log
        .lock()
        .unwrap()
        .push((target, reply.status().as_u16()));
    reply
}

/// `reply` as the slow link delivers it ([`StaticServer::slow_link`]): whole, once its
/// bytes have had their turn on the link and half a round trip has passed. `link`: the
/// link as the request found it on arrival (it waited the first half on the way in).
async fn over_the_link(control: &Control, reply: Response, link: Option<Link>) -> Response {
    let Some(link) = link else {
        return reply;
    };
    let (parts, body) = reply.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "read error\n").into_response();
    };
    let sent = {
        let mut guard = control.link.lock().unwrap();
        let Some(shared) = guard.as_mut() else {
            return Response::from_parts(parts, Body::from(bytes));
        };
        let start = shared.busy_until.max(tokio::time::Instant::now());
        let on_the_wire = Duration::from_secs_f64(bytes.len() as f64 / link.bytes_per_second);
        shared.busy_until = start + on_the_wire;
        shared.busy_until
    };
    tokio::time::sleep_until(sent + link.round_trip / 2).await;
    Response::from_parts(parts, Body::from(bytes))
}

/// While [`StaticServer::strip_scripts`] is on, HTML goes out through [`without_scripts`].
async fn strip_scripts(State(control): State<Arc<Control>>, req: Request, next: Next) -> Response {
    let reply = next.run(req).await;
    let html = reply
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if !html || !control.strip.load(Ordering::SeqCst) {
        return reply;
    }
    let (mut parts, body) = reply.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "read error\n").into_response();
    };
    let stripped = without_scripts(&String::from_utf8_lossy(&bytes));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(stripped))
}

/// While [`StaticServer::untyped_wasm`] is on, wasm says it is `application/octet-stream`.
async fn untyped_wasm(State(control): State<Arc<Control>>, req: Request, next: Next) -> Response {
    let mut reply = next.run(req).await;
    let wasm = reply
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes() == b"application/wasm");
    if wasm && control.wasm_untyped.load(Ordering::SeqCst) {
        reply.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
    }
    reply
}

/// Text types say they are UTF-8, as GitHub Pages says (mime_guess names no charset).
async fn utf8_text(mut reply: Response) -> Response {
    let typed = reply
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .filter(|t| {
            (t.starts_with("text/") || *t == "application/javascript") && !t.contains("charset")
        })
        .map(|t| format!("{t}; charset=utf-8"));
    if let Some(value) = typed.and_then(|t| HeaderValue::from_str(&t).ok()) {
        reply.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    reply
}

/// What nginx's `gzip_types` would list for this site: text, JSON, JavaScript, wasm,
/// XML feeds and SVG (images and fonts are compressed already).
fn compressible(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .unwrap_or("");
    kind.starts_with("text/")
        || ["json", "javascript", "wasm", "xml", "svg"]
            .iter()
            .any(|k| kind.contains(k))
}

/// `html` without `<script>` elements and without `modulepreload`/`preload` links.
pub fn without_scripts(html: &str) -> String {
    use lol_html::{element, rewrite_str, RewriteStrSettings};
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("script", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!(
            "link[rel=modulepreload], link[rel=preload]",
            |el| {
                el.remove();
                Ok(())
            }
        ));
    rewrite_str(html, settings).unwrap_or_else(|e| panic!("rewrite HTML without scripts: {e}"))
}

#[cfg(test)]
mod tests;
