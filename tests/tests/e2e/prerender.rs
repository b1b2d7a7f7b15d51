//! The prerendered pages: readable and navigable without JavaScript, and taken over by
//! the app without a shift, keeping what the reader did before the wasm arrived.

use matome_e2e::pages::{Reader, LIVE};
use matome_e2e::{dist_dir, with_browser, with_browser_options, Options, StaticServer};
use serde_json::Value;

use crate::sample_posts;

fn no_js() -> Options {
    Options {
        no_javascript: true,
        ..Options::default()
    }
}

// Without JavaScript every sample post shows all its cards, each folded section opens on
// click and shows its cards.
#[test]
fn without_javascript_every_post_shows_all_its_cards_and_sections_open() {
    let server = StaticServer::start(&dist_dir());
    with_browser_options(no_js(), |b| async move {
        let r = Reader::without_scripts(&b, &server);
        for post in sample_posts().iter().filter(|p| !p.draft) {
            r.open(&format!("posts/{}/", post.path)).await;
            assert_eq!(
                r.h1s().await,
                vec![post.title.trim().to_string()],
                "{}",
                post.path
            );
            let (cards, _, ids) = r.comment_cards().await;
            assert_eq!(
                cards, post.quotes,
                "{}: every card is in the HTML",
                post.path
            );
            assert_eq!(
                ids.first().map(String::as_str),
                (post.quotes > 0).then_some("c1")
            );
            let sections = r.sections().await;
            assert_eq!(sections.len(), post.sections.len(), "{}", post.path);
            if let Some(first) = sections.first() {
                assert!(
                    !first.expanded && first.visible_cards == 0,
                    "{}: folded at first",
                    post.path
                );
                r.toggle_section(0).await;
                let want = (true, post.sections[0].1);
                b.eventually_eq("the section opens with its cards", &want, || async {
                    let s = r.sections().await;
                    (s[0].expanded, s[0].visible_cards)
                })
                .await;
            }
        }
        assert_eq!(
            b.js(LIVE, vec![]).await,
            Value::Bool(false),
            "no script ran"
        );
    });
}

// Without JavaScript the lists are navigable: older pages, a tag, a month, a post.
#[test]
fn without_javascript_lists_pagination_tags_and_months_work() {
    let server = StaticServer::start(&dist_dir());
    with_browser_options(no_js(), |b| async move {
        let r = Reader::without_scripts(&b, &server);
        let posts: Vec<_> = sample_posts().iter().filter(|p| !p.draft).collect();
        r.open("posts/").await;
        let first_page = r.post_cards().await;
        assert!(!first_page.is_empty());
        if posts.len() > first_page.len() {
            r.click_link_to("posts/page/2/").await;
            b.eventually_eq("page 2", &"posts/page/2/".to_string(), || r.current_route())
                .await;
            let second = r.post_cards().await;
            assert!(
                second.iter().all(|p| !first_page.contains(p)),
                "page 2 lists other posts"
            );
        }
        let post = posts[0];
        r.open(&format!("posts/{}/", post.path)).await;
        let tag = &r.chips("tags").await[0];
        r.click_link_to(&tag.route).await;
        b.eventually_eq("tag page", &tag.route, || r.current_route())
            .await;
        assert!(
            r.post_cards().await.contains(&post.path),
            "the tag lists the post"
        );
        r.open(&format!("posts/{}/", post.path)).await;
        let month = &r.chips("months").await[0];
        r.click_link_to(&month.route).await;
        b.eventually_eq("month page", &month.route, || r.current_route())
            .await;
        r.click_post_card(&post.path).await;
        r.wait_for_title(&post.title).await;
    });
}

// Every route's HTML holds its content; the hostile post's parsed HTML runs nothing of
// the post's: the app's module script is the only script, no element carries an event
// attribute, no link a javascript:/data: URL.
#[test]
fn prerendered_html_holds_the_page_and_nothing_hostile_runs() {
    let server = StaticServer::start(&dist_dir());
    with_browser_options(no_js(), |b| async move {
        let r = Reader::without_scripts(&b, &server);
        r.open("").await;
        assert!(!r.post_cards().await.is_empty(), "home lists posts");
        let app_scripts = r.scripts().await;
        for route in ["posts/", "tags/", "months/"] {
            r.open(route).await;
            assert_eq!(r.h1s().await.len(), 1, "{route} has its heading");
        }
        r.open("search/").await;
        assert!(r.body_text().await.contains("JavaScriptが必要"));
        let hostile = sample_posts()
            .iter()
            .find(|p| p.source.contains("<script"))
            .expect("a hostile sample post");
        r.open(&format!("posts/{}/", hostile.path)).await;
        assert_eq!(r.comment_cards().await.0, hostile.quotes);
        assert_eq!(
            r.scripts().await,
            app_scripts,
            "only the app's own scripts, as on every page"
        );
        assert_eq!(r.script_carrying_attributes().await, Vec::<String>::new());
    });
}

// The app takes a post over without moving anything: a marker set on a prerendered card
// survives (the card was kept, not rebuilt), a section opened before takeover stays open,
// the scroll position stays, no layout shift is recorded and no data is fetched.
#[test]
fn takeover_keeps_cards_opened_sections_scroll_and_layout() {
    let server = StaticServer::start(&dist_dir());
    let post = sample_posts()
        .iter()
        .filter(|p| !p.draft && !p.sections.is_empty())
        .max_by_key(|p| p.quotes)
        .expect("a sample post with sections");
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        b.set_viewport_width(390, 844).await;
        server.hold(".wasm");
        r.open_prerendered(&format!("posts/{}/", post.path)).await;
        r.wait_for_comment_cards(post.quotes).await;
        let before = b
            .js(
                r#"
window.__shifts = 0;
new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value; })
  .observe({ type: 'layout-shift', buffered: true });
document.getElementById('c1').setAttribute('data-marker', 'kept');
document.querySelector('details.more-comments').open = true;
window.scrollTo(0, 600);
return [window.scrollY, document.documentElement.dataset.app || null];"#,
                vec![],
            )
            .await;
        assert_eq!(before[1], Value::Null, "the app has not started yet");
        server.release();
        r.wait_live().await;
        let after = b
            .js(
                r#"
return [window.scrollY, document.getElementById('c1').getAttribute('data-marker'),
        document.querySelector('details.more-comments').open, window.__shifts,
        document.querySelectorAll('#app').length, document.querySelectorAll('.comment-card').length];"#,
                vec![],
            )
            .await;
        assert_eq!(after[0], before[0], "scroll position kept");
        assert_eq!(
            after[1], "kept",
            "the prerendered card itself is still there"
        );
        assert_eq!(after[2], true, "the opened section stays open");
        assert!(
            after[3].as_f64().unwrap() <= 0.01,
            "layout shift {}",
            after[3]
        );
        assert_eq!(after[4], 1, "one app root");
        assert_eq!(
            after[5].as_u64(),
            Some(post.quotes as u64),
            "no card lost or doubled"
        );
        let data: Vec<_> = server
            .requests()
            .into_iter()
            .filter(|(path, _)| path.contains("/data/"))
            .collect();
        assert_eq!(data, Vec::new(), "the takeover fetches no data");
        // The live page works: すべて展開 opens every section.
        r.expand_all().await;
        b.eventually_eq("every card visible", &post.quotes, || async {
            r.comment_cards().await.1
        })
        .await;
    });
}

// A link clicked while the wasm is still downloading is a normal link: it lands on its
// page (which is readable at once), and that page is then taken over.
#[test]
fn a_link_clicked_before_the_app_arrives_lands_on_its_page() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        server.hold(".wasm");
        r.open_prerendered("").await;
        let first = r.post_cards().await[0].clone();
        let post = sample_posts().iter().find(|p| p.path == first).unwrap();
        r.click_post_card(&first).await;
        r.wait_for_title(&post.title).await;
        assert_eq!(r.current_route().await, format!("posts/{first}/"));
        assert_eq!(r.comment_cards().await.0, post.quotes);
        server.release();
        r.wait_live().await;
        r.wait_for_title(&post.title).await;
    });
}

// The app compiles its wasm as it streams in, which browsers allow only for a response
// typed `application/wasm`. A host that serves it as `application/octet-stream` still
// gets a working app: the loader compiles the whole body instead.
#[test]
fn the_app_starts_when_the_host_does_not_type_its_wasm() {
    let server = StaticServer::start(&dist_dir());
    server.untyped_wasm(true);
    let post = sample_posts()
        .iter()
        .find(|p| !p.draft && !p.sections.is_empty())
        .expect("a sample post with sections");
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open_prerendered("").await;
        r.wait_live().await;
        // Live: an in-app navigation renders the post without a page load.
        b.js("window.__same_document = true; return null;", vec![])
            .await;
        r.go_in_app(&format!("posts/{}/", post.path)).await;
        r.wait_for_title(&post.title).await;
        assert_eq!(r.comment_cards().await.0, post.quotes);
        let same = b
            .js("return window.__same_document === true;", vec![])
            .await;
        assert_eq!(same, true, "navigated inside the app, no page load");
    });
}
