//! Headless Chromium sessions (one per test, so tests stay independent) through the
//! shared chromedriver, timeout-bounded polling and DevTools commands.

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
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
            // Tests talk to loopback only: any other host name fails to resolve.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost".into(),
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

/// Runs one browser test: a fresh Chromium session for `body`, closed afterwards even
/// when the body panics (the panic is then re-raised).
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
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let browser = Browser::open(options).await;
        let client = browser.client.clone();
        let profile = browser.profile.clone();
        let outcome = {
            let fut = body(browser);
            futures_catch(fut).await
        };
        let browser = Browser { client, profile };
        if outcome.is_err() {
            // What the page looked like when the test failed, named after the test.
            let name = std::thread::current()
                .name()
                .unwrap_or("test")
                .replace("::", "-");
            if browser.client.screenshot().await.is_ok() {
                browser.screenshot(&format!("FAILED-{name}")).await;
            }
        }
        browser.close().await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    });
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
