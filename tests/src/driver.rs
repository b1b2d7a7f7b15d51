//! Headless Chromium sessions (one per test, so tests stay independent) through the
//! shared chromedriver, timeout-bounded polling and DevTools commands.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

pub use crate::chromedriver::chromedriver_url;

/// Desktop window size used unless a test narrows it.
pub const DESKTOP: (u32, u32) = (1280, 900);

/// How long a condition may take before a wait fails (`E2E_TIMEOUT_SECS`, default 30 s:
/// the machine is shared and noisy, and waiting longer only costs time on failure).
pub fn timeout() -> Duration {
    let secs = std::env::var("E2E_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    Duration::from_secs(secs)
}

/// A headless Chromium session.
pub struct Browser {
    /// The WebDriver client (for anything the helpers below don't cover).
    pub client: Client,
    profile: PathBuf,
}

/// How a test's Chromium starts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Pages run no scripts (WebDriver's own scripts still work).
    pub no_javascript: bool,
    /// The system prefers a dark colour scheme (`prefers-color-scheme: dark`).
    pub dark: bool,
    /// A browser started for this call alone and closed after it, never one kept from
    /// an earlier call: for benchmarks that time a cold start.
    pub fresh: bool,
}

impl Browser {
    async fn open(options: Options) -> Browser {
        static N: AtomicUsize = AtomicUsize::new(0);
        let profile = crate::scratch_dir(&format!(
            "chrome-profile-{}",
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let chromium = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            // Tests talk to loopback only (127.0.0.0/8): any other host name fails to resolve.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.*, EXCLUDE localhost".into(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
        ];
        if options.no_javascript {
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        if options.dark {
            args.push("--force-dark-mode".into());
            args.push("--blink-settings=preferredColorScheme=0".into());
        }
        let caps = json!({
            "browserName": "chrome",
            // Leave dialogs open so the alert API can see them.
            "unhandledPromptBehavior": "ignore",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": args,
            },
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(caps);
        // A browser start can fail on a starved machine; one more try before giving up.
        let client = match builder.connect(chromedriver_url()).await {
            Ok(client) => client,
            Err(first) => {
                eprintln!("note: starting Chromium failed ({first}), trying once more");
                builder
                    .connect(chromedriver_url())
                    .await
                    .unwrap_or_else(|e| panic!("start headless Chromium through chromedriver: {e}"))
            }
        };
        Browser { client, profile }
    }

    async fn close(self) {
        pool::forget(&self.profile);
        let _ = self.client.close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }

    /// Runs a script in the page and returns its result.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Loads `url` (a full page load).
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("load {url}: {e}"));
    }

    /// The current URL.
    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("current url")
            .to_string()
    }

    /// Resizes the window so the page's viewport is `width` CSS px wide.
    pub async fn set_viewport_width(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize window");
        // Headless windows may add no chrome, or some: correct by the difference once.
        let inner = self
            .js("return window.innerWidth", vec![])
            .await
            .as_u64()
            .unwrap_or(0) as i64;
        if inner != width as i64 && inner > 0 {
            let adjusted = (width as i64 + (width as i64 - inner)).max(1) as u32;
            self.client
                .set_window_size(adjusted, height)
                .await
                .expect("resize window");
        }
        let inner = self.js("return window.innerWidth", vec![]).await;
        assert_eq!(
            inner.as_u64(),
            Some(width as u64),
            "viewport width after resize"
        );
    }

    /// Saves a PNG of the viewport as `target/e2e-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("take screenshot");
        let dir = crate::target_dir().join("e2e-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        // Failure shots of an earlier run would mislead: clear them once per run.
        static CLEARED: std::sync::Once = std::sync::Once::new();
        CLEARED.call_once(|| {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if entry.file_name().to_string_lossy().starts_with("FAILED-") {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        });
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Polls `probe` until it yields `Some`, for at most [`timeout`]; panics with `what`
    /// and the last page state otherwise.
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + timeout();
        loop {
            if let Some(v) = probe().await {
                return v;
            }
            if Instant::now() > deadline {
                let url = self.url().await;
                let body = self
                    .client
                    .execute("return document.body ? document.body.innerText.slice(0, 600) : '(no body)'", vec![])
                    .await
                    .map(|v| v.as_str().unwrap_or("").to_string())
                    .unwrap_or_default();
                panic!(
                    "timed out after {:?} waiting for: {what}\n  at {url}\n  page text: {body:?}",
                    timeout()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls `probe` until it returns `expected`; on timeout fails with both values.
    pub async fn eventually_eq<T, F, Fut>(&self, what: &str, expected: &T, mut probe: F)
    where
        T: PartialEq + std::fmt::Debug,
        F: FnMut() -> Fut,
        Fut: Future<Output = T>,
    {
        let deadline = Instant::now() + timeout();
        loop {
            let actual = probe().await;
            if &actual == expected {
                return;
            }
            if Instant::now() > deadline {
                let url = self.url().await;
                assert_eq!(
                    &actual,
                    expected,
                    "{what} (at {url}, after {:?})",
                    timeout()
                );
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits until a script returns something other than `null`/`false`/`undefined`.
    pub async fn wait_js(&self, what: &str, script: &str) -> Value {
        self.wait_for(what, || async {
            match self.client.execute(script, vec![]).await {
                Ok(Value::Null) | Ok(Value::Bool(false)) | Err(_) => None,
                Ok(v) => Some(v),
            }
        })
        .await
    }
}

/// Runs one browser test in a Chromium session of its own for its duration: a fresh
/// tab of a browser kept from an earlier test that passed (same [`Options`]), or a new
/// browser. Afterwards the session goes back to the pool when `body` passed, and is
/// closed when it panicked (the panic is then re-raised).
///
/// What a kept browser could carry over is per origin (storage, service workers, the
/// HTTP cache) or per tab (history, injected scripts, emulated network and media), and
/// every [`crate::StaticServer`] of a run has an origin of its own (its own loopback
/// address), so a test sees nothing of the tests before it.
pub fn with_browser<F, Fut>(body: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()>,
{
    with_browser_options(Options::default(), body)
}

/// [`with_browser`] with a browser started with `options`.
pub fn with_browser_options<F, Fut>(options: Options, body: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()>,
{
    runtime().block_on(async move {
        let browser = if options.fresh {
            Browser::open(options).await
        } else {
            pool::take(options).await
        };
        let client = browser.client.clone();
        let profile = browser.profile.clone();
        let outcome = {
            let fut = body(browser);
            futures_catch(fut).await
        };
        let browser = Browser { client, profile };
        match outcome {
            Ok(()) if !options.fresh => pool::put(options, browser).await,
            Ok(()) => browser.close().await,
            Err(panic) => {
                // What the page looked like when the test failed, named after the test.
                let name = std::thread::current()
                    .name()
                    .unwrap_or("test")
                    .replace("::", "-");
                if browser.client.screenshot().await.is_ok() {
                    browser.screenshot(&format!("FAILED-{name}")).await;
                }
                browser.close().await;
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// The runtime every browser session lives on: a kept session outlives the test that
/// opened it, and fantoccini's connection task runs on the runtime that started it.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("browser-sessions")
            .enable_all()
            .build()
            .expect("start the browser sessions' runtime")
    })
}

/// Browsers kept between tests, by the options they were started with.
mod pool {
    use std::sync::{Mutex, Once};

    use super::{Browser, Options, DESKTOP};

    type Key = (bool, bool);

    struct Kept {
        key: Key,
        browser: Browser,
    }

    static KEPT: Mutex<Vec<Kept>> = Mutex::new(Vec::new());
    /// Every live session's id and profile, for closing them when the process exits.
    static LIVE: Mutex<Vec<(String, std::path::PathBuf)>> = Mutex::new(Vec::new());

    fn key(options: Options) -> Key {
        (options.no_javascript, options.dark)
    }

    /// A browser for `options` showing one blank tab at the desktop size.
    pub(super) async fn take(options: Options) -> Browser {
        loop {
            let kept = {
                let mut kept = KEPT.lock().unwrap();
                let at = kept.iter().rposition(|k| k.key == key(options));
                at.map(|i| kept.remove(i).browser)
            };
            let Some(browser) = kept else { break };
            if fresh_tab(&browser).await.is_ok() {
                return browser;
            }
            browser.close().await;
        }
        let browser = Browser::open(options).await;
        if let Ok(id) = browser.client.session_id().await {
            static AT_EXIT: Once = Once::new();
            AT_EXIT.call_once(|| {
                // SAFETY: registers a plain function; it runs once, at exit.
                unsafe { libc::atexit(close_all_at_exit) };
            });
            let id = id.unwrap_or_default();
            LIVE.lock().unwrap().push((id, browser.profile.clone()));
        }
        browser
    }

    /// Keeps `browser` for a later test with the same options.
    pub(super) async fn put(options: Options, browser: Browser) {
        KEPT.lock().unwrap().push(Kept {
            key: key(options),
            browser,
        });
    }

    /// Opens a new tab, closes every other one and restores the window size, so the
    /// test starts with no history, injected script or emulation of the last one.
    async fn fresh_tab(browser: &Browser) -> Result<(), fantoccini::error::CmdError> {
        let client = &browser.client;
        let tab = client.new_window(true).await?.handle;
        for handle in client.windows().await? {
            if handle != tab {
                client.switch_to_window(handle).await?;
                client.close_window().await?;
            }
        }
        client.switch_to_window(tab).await?;
        client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
        Ok(())
    }

    pub(super) fn forget(profile: &std::path::Path) {
        LIVE.lock().unwrap().retain(|(_, p)| p != profile);
    }

    /// Ends the kept sessions (chromedriver then quits their browsers) and removes their
    /// profiles: the test binary ends without closing them itself.
    extern "C" fn close_all_at_exit() {
        let live = std::mem::take(&mut *LIVE.lock().unwrap_or_else(|e| e.into_inner()));
        for (id, profile) in live {
            let url = format!("{}/session/{id}", super::chromedriver_url());
            let _ = ureq::delete(&url).call();
            let _ = std::fs::remove_dir_all(profile);
        }
    }
}

/// `catch_unwind` for a future, polled in place (no Send bound needed).
async fn futures_catch<Fut: Future<Output = ()>>(fut: Fut) -> std::thread::Result<()> {
    use std::pin::pin;
    use std::task::Poll;
    let mut fut = pin!(fut);
    std::future::poll_fn(move |cx| {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(())) => Poll::Ready(Ok(())),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    })
    .await
}

/// A Chrome DevTools Protocol command sent through chromedriver (`goog/cdp/execute`).
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Runs a DevTools command (throttling, injected scripts…) and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.client
            .issue_cmd(Cdp {
                cmd: cmd.to_string(),
                params,
            })
            .await
            .unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
    }
}
