//! The harness itself against a tiny hand-written page with the DESIGN hooks, so a
//! failure elsewhere points at the app, not at the page objects.

use matome_e2e::pages::Reader;
use matome_e2e::{http_get, scratch_dir, with_browser, StaticServer};

const PAGE: &str = r#"<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head>
<body><h1>見出し</h1>
<article class="post-card"><a href="/sub/posts/2025_04/x/">X</a></article>
<article class="comment-card" id="c1">一</article>
<details class="more-comments"><summary>もっとコメントを表示（1）</summary>
<article class="comment-card" id="c2">二</article><article class="comment-card" id="c3">三</article></details>
<details class="more-comments"><summary>もっとコメントを表示（2）</summary>
<article class="comment-card" id="c4">四</article></details>
<button type="button" id="all">すべて展開</button>
<script>document.getElementById('all').addEventListener('click', () =>
  document.querySelectorAll('details').forEach(d => d.open = true));</script>
</body></html>"#;

// Page objects read cards and sections, toggle one, expand all, and the server 404s.
#[test]
fn page_objects_work_on_a_hand_written_page() {
    let dir = scratch_dir("harness");
    std::fs::write(dir.join("index.html"), PAGE).unwrap();
    std::fs::write(dir.join("404.html"), "<h1>ページが見つかりません</h1>").unwrap();
    let server = StaticServer::start_at(&dir, "/sub/");
    assert_eq!(http_get(&server.url("nope/")).0, 404);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open_prerendered("").await;
        assert_eq!(r.post_cards().await, vec!["2025_04/x".to_string()]);
        r.wait_for_title("見出し").await;
        assert_eq!(r.wait_for_comment_cards(4).await, 1);
        let s = r.sections().await;
        assert_eq!(
            (s.len(), s[0].cards, s[0].visible_cards, s[0].expanded),
            (2, 2, 0, false)
        );
        r.toggle_section(0).await;
        b.eventually_eq("first open", &(true, 2), || async {
            let s = r.sections().await;
            (s[0].expanded, s[0].visible_cards)
        })
        .await;
        assert!(!r.sections().await[1].expanded);
        r.expand_all().await;
        b.eventually_eq("all visible", &4, || async { r.comment_cards().await.1 })
            .await;
        assert_eq!(r.script_carrying_attributes().await, Vec::<String>::new());
        assert_eq!(r.scripts().await.len(), 1);
        r.open_prerendered("nope/").await;
        r.wait_for_not_found().await;
        b.set_viewport_width(390, 700).await;
        assert!(r.page_widths().await.0 <= 390);
    });
    let _ = std::fs::remove_dir_all(dir);
}

const HOSTILE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body><h1>h</h1><article class="comment-card" id="c1">
<a href="javascript:void(0)">x</a><img src="x" onerror="alert('xss')"></article></body></html>"#;

// The inertness checks do fail on a page that runs content: the alert is seen by the
// WebDriver alert API and the handler and javascript: link are reported.
#[test]
fn inertness_checks_catch_a_page_that_runs_content() {
    let dir = scratch_dir("harness-hostile");
    std::fs::write(dir.join("index.html"), HOSTILE).unwrap();
    let server = StaticServer::start(&dir);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open_prerendered("").await;
        let text = b
            .wait_for("the alert from onerror", || async {
                b.client.get_alert_text().await.ok()
            })
            .await;
        assert_eq!(text, "xss");
        b.client.accept_alert().await.unwrap();
        let attrs = r.script_carrying_attributes().await;
        assert!(
            attrs.contains(&"<img onerror>".to_string()),
            "onerror is reported: {attrs:?}"
        );
        assert!(
            attrs.iter().any(|a| a.starts_with("<a href=\"javascript:")),
            "the javascript: href is reported: {attrs:?}"
        );
        assert_eq!(
            r.non_http_links_in_comments().await,
            vec!["javascript:void(0)".to_string()]
        );
    });
    let _ = std::fs::remove_dir_all(dir);
}

// A browser kept between tests starts the next one clean: one blank tab at the desktop
// size, no history, and the last test's origin is not the next one's. (No other test
// starts a browser with both options, so the second call gets the kept one.)
#[test]
fn a_kept_browser_starts_the_next_test_with_one_blank_tab_at_desktop_size() {
    use matome_e2e::driver::DESKTOP;
    use matome_e2e::{with_browser_options, Options};
    let options = Options {
        no_javascript: true,
        dark: true,
        fresh: false,
    };
    let dir = scratch_dir("harness-kept");
    std::fs::write(dir.join("index.html"), "<h1>one</h1>").unwrap();
    let first = StaticServer::start(&dir);
    let second = StaticServer::start(&dir);
    assert_ne!(
        first.origin(),
        second.origin(),
        "each server is its own origin"
    );
    let session = std::sync::Mutex::new(String::new());
    let (first, kept) = (&first, &session);
    with_browser_options(options, |b| async move {
        b.goto(&first.url("")).await;
        b.set_viewport_width(390, 700).await;
        b.client.new_window(true).await.unwrap();
        *kept.lock().unwrap() = b.client.session_id().await.unwrap().unwrap();
    });
    let session = session.into_inner().unwrap();
    with_browser_options(options, |b| async move {
        assert_eq!(
            b.client.session_id().await.unwrap().unwrap(),
            session,
            "the kept browser is used"
        );
        assert_eq!(b.client.windows().await.unwrap().len(), 1, "one tab");
        assert_eq!(b.url().await, "about:blank");
        assert_eq!(b.js("return history.length", vec![]).await, 1);
        b.goto(&second.url("")).await;
        let size = b.js("return [innerWidth, innerHeight]", vec![]).await;
        assert_eq!(size[0], DESKTOP.0, "desktop width again");
    });
    let _ = std::fs::remove_dir_all(dir);
}
