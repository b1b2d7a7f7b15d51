//! The Content-Security-Policy holds while the whole app works, and leaving a page at any
//! moment never panics the app.

use matome_e2e::pages::Reader;
use matome_e2e::{dist_dir, with_browser, Browser, StaticServer};
use serde_json::{json, Value};

use crate::sample_posts;

/// Records CSP violations, console errors and uncaught errors from the page's first
/// script on (installed through DevTools, so it sees everything the page does).
const WATCH: &str = r#"
window.__seen = { csp: [], errors: [] };
document.addEventListener('securitypolicyviolation',
  e => window.__seen.csp.push(`${e.violatedDirective} ${e.blockedURI}`));
const error = console.error.bind(console);
console.error = (...args) => { window.__seen.errors.push(args.map(String).join(' ')); error(...args); };
window.addEventListener('error', e => window.__seen.errors.push(String(e.message)));
window.addEventListener('unhandledrejection', e => window.__seen.errors.push(String(e.reason)));
"#;

pub(crate) async fn watch(b: &Browser) {
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": WATCH }),
    )
    .await;
}

pub(crate) async fn seen(b: &Browser) -> (Vec<String>, Vec<String>) {
    let v = b
        .js("return window.__seen || { csp: [], errors: [] };", vec![])
        .await;
    let list = |k: &str| -> Vec<String> {
        v[k].as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    (list("csp"), list("errors"))
}

// Every page carries a policy that allows no script but the site's own, and the app
// runs under it without a single violation: lists, a post with its sections, tags,
// months, search and the 404 page.
#[test]
fn the_app_runs_under_its_content_security_policy_without_violations() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        watch(&b).await;
        let r = Reader::new(&b, &server);
        r.open("").await;
        let policy = b
            .js("const m = document.querySelector('meta[http-equiv=Content-Security-Policy]'); return m && m.content;", vec![])
            .await;
        let policy = policy.as_str().expect("a CSP meta tag").to_string();
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{policy}"
        );
        assert!(
            !policy.contains("script-src 'unsafe-inline'") && policy.contains("connect-src 'self'"),
            "{policy}"
        );
        let post = sample_posts()
            .iter()
            .filter(|p| !p.draft)
            .max_by_key(|p| p.sections.len())
            .unwrap();
        r.click_post_card(&post.path).await;
        r.wait_for_title(&post.title).await;
        if !post.sections.is_empty() {
            r.expand_all().await;
        }
        for route in ["tags/", "months/", "search/?q=rust", "no/such/page/"] {
            r.open(route).await;
        }
        let (csp, errors) = seen(&b).await;
        assert_eq!(csp, Vec::<String>::new(), "CSP violations");
        assert_eq!(errors, Vec::<String>::new(), "console errors");
    });
}

// Leaving a post right after opening it (0 to 200 ms, while its cards are still being
// built in slices) never panics the app; it keeps working afterwards.
#[test]
fn leaving_a_post_while_it_renders_never_panics() {
    let server = StaticServer::start(&dist_dir());
    let post = sample_posts()
        .iter()
        .filter(|p| !p.draft)
        .max_by_key(|p| p.quotes)
        .unwrap();
    with_browser(|b| async move {
        watch(&b).await;
        let r = Reader::new(&b, &server);
        r.open("").await;
        for delay in [0u64, 20, 50, 100, 200] {
            r.click_post_card(&post.path).await;
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            b.js("history.back();", vec![]).await;
            b.eventually_eq("back home", &String::new(), || r.current_route())
                .await;
            assert!(!r.post_cards().await.is_empty());
        }
        // Still alive: an in-app navigation renders the post.
        r.click_post_card(&post.path).await;
        r.wait_for_title(&post.title).await;
        r.wait_for_comment_cards(post.quotes).await;
        let (_, errors) = seen(&b).await;
        assert_eq!(
            errors,
            Vec::<String>::new(),
            "console errors (a panic logs one)"
        );
        assert_eq!(b.js("return 1 + 1;", vec![]).await, Value::from(2));
    });
}
