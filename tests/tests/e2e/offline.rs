//! Offline reading with the site's service worker, the update notice after a new
//! deployment, and 「コメントが多い記事」 on month pages (issue 13).

use matome_e2e::content::SourcePost;
use matome_e2e::driver::{with_browser_options, Options};
use matome_e2e::pages::Reader;
use matome_e2e::site::SiteCopy;
use matome_e2e::{dist_dir, with_browser, StaticServer};
use serde_json::json;

use crate::sample_posts;
use crate::scenarios::open_post;

fn post_route(p: &SourcePost) -> String {
    format!("posts/{}/", p.path)
}

fn by_route(route: &str) -> &'static SourcePost {
    sample_posts()
        .iter()
        .find(|p| post_route(p) == route)
        .unwrap_or_else(|| panic!("{route}: not a sample post"))
}

// A post read once opens again while the host fails every request: its page and cards
// from the saved copy, the app from the saved shell (it takes the page over). Its
// previous and next posts were saved in the background and open too, also through the
// app's own navigation (their data was saved). A post never opened shows the offline
// page, which links to the saved posts and home.
#[test]
fn a_post_read_once_opens_offline_and_an_unread_one_says_so() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let posts: Vec<&SourcePost> = sample_posts().iter().filter(|p| !p.draft).collect();
        // A post with both neighbours and the most cards.
        let p = posts[1..posts.len() - 1]
            .iter()
            .max_by_key(|p| p.quotes)
            .unwrap();
        open_post(&r, p).await;
        r.wait_for_service_worker().await;
        let neighbours = r.neighbour_routes().await;
        assert_eq!(neighbours.len(), 2, "{}: previous and next links", p.path);
        r.wait_until_saved(&post_route(p), Some(&p.path)).await;
        for route in &neighbours {
            r.wait_until_saved(route, Some(&by_route(route).path)).await;
        }
        let unread = posts
            .iter()
            .find(|q| q.path != p.path && !neighbours.contains(&post_route(q)))
            .unwrap();
        assert!(
            !r.saved(&post_route(unread), None).await,
            "{}: not saved",
            unread.path
        );

        server.fail("", 503);
        open_post(&r, p).await;
        b.screenshot("offline-saved-post").await;

        // In-app navigation to a neighbour reads its saved data.
        r.click_link_to(&neighbours[0]).await;
        let n = by_route(&neighbours[0]);
        r.wait_for_title(&n.title).await;
        r.wait_for_comment_cards(n.quotes).await;

        // With the connection gone, in-app navigation to a post never opened says the
        // reader is offline and the post is not saved (not a generic network error).
        b.cdp("Network.enable", json!({})).await;
        b.cdp(
            "Network.emulateNetworkConditions",
            json!({"offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await;
        r.go_in_app(&post_route(unread)).await;
        let error = r.wait_for_error_view().await;
        assert_eq!(error.0, "offline", "{error:?}");
        assert!(
            error.1.contains("まだこの端末に保存されていません"),
            "{error:?}"
        );
        b.screenshot("offline-in-app-unsaved-post").await;
        b.cdp(
            "Network.emulateNetworkConditions",
            json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
        )
        .await;

        r.open_prerendered(&post_route(unread)).await;
        let (text, links) = r.wait_for_offline_page().await;
        assert!(
            text.contains("オフラインです。この記事はまだ保存されていません"),
            "{text}"
        );
        assert!(
            links.contains(&post_route(p)),
            "links to the saved post: {links:?}"
        );
        assert!(links.iter().all(|l| l != &post_route(unread)), "{links:?}");
        assert!(links.contains(&String::new()), "a link home: {links:?}");
        b.screenshot("offline-unsaved-post").await;

        server.heal();
        r.open(&post_route(unread)).await;
        r.wait_for_title(&unread.title).await;
    });
}

// A deployment with a new app (the worker file changes) shows 「新しい版があります」 with
// 「再読み込み」; the click lets the new worker take over and reloads the page, which then
// shows no notice. The first visit, with no older version, shows none.
#[test]
fn a_new_deployment_offers_a_reload() {
    let site = SiteCopy::of_dist("offline-update");
    let server = StaticServer::start(&site.dir);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("").await;
        r.wait_for_service_worker().await;
        let before = r.cache_names().await;
        assert!(
            before.iter().any(|n| n.starts_with("matome-shell-")),
            "shell cached: {before:?}"
        );
        assert!(
            !r.update_notice_shown().await,
            "no notice on the first visit"
        );

        // Deploy: the worker's version changes (as a new app makes it).
        let sw = site.dir.join("sw.js");
        let text = std::fs::read_to_string(&sw).unwrap();
        let version = text
            .split("const VERSION = \"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        std::fs::write(&sw, text.replacen(&version, &format!("{version}next"), 1)).unwrap();
        for ext in ["gz", "br"] {
            let _ = std::fs::remove_file(site.dir.join(format!("sw.js.{ext}")));
        }

        r.open("").await;
        let notice = r.wait_for_update_notice().await;
        assert!(
            notice.contains("新しい版があります") && notice.contains("再読み込み"),
            "{notice}"
        );
        b.screenshot("offline-update-notice").await;
        r.click_button("再読み込み").await;
        let shell = format!("matome-shell-{version}next");
        b.wait_for("the new worker's shell cache and no notice", || async {
            let names = r.cache_names().await;
            (names.contains(&shell)
                && !names
                    .iter()
                    .any(|n| n == &format!("matome-shell-{version}")))
            .then_some(())
        })
        .await;
        r.wait_live().await;
        r.wait_for_service_worker().await;
        assert!(
            !r.update_notice_shown().await,
            "the reloaded page runs the new version"
        );
    });
}

/// Expected 「コメントが多い記事」 of a month (`yyyy/mm`): its posts by comment cards, most
/// first, newer first among equals, at most ten; counts as the page writes them.
fn expected_ranking(month: &str) -> Vec<(String, String)> {
    let mut posts: Vec<&SourcePost> = sample_posts()
        .iter()
        .filter(|p| !p.draft && p.month == month)
        .collect();
    posts.sort_by(|a, b| b.quotes.cmp(&a.quotes).then(b.date.cmp(&a.date)));
    posts
        .into_iter()
        .take(10)
        .map(|p| (p.title.clone(), format!("コメント{}件", p.quotes)))
        .collect()
}

fn months() -> Vec<String> {
    let mut months: Vec<String> = sample_posts()
        .iter()
        .filter(|p| !p.draft)
        .map(|p| p.month.clone())
        .collect();
    months.sort();
    months.dedup();
    months
}

// Every month page lists its most commented posts, as prerendered (taken over) and as
// the app renders it after navigating there.
#[test]
fn month_pages_rank_their_most_commented_posts() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let months = months();
        for m in &months {
            let expected = expected_ranking(m);
            assert!(
                expected.len() > 1,
                "{m}: the sample months have several posts"
            );
            r.open(&format!("months/{m}/")).await;
            assert_eq!(
                r.month_ranking().await,
                expected,
                "{m}: ranking on the prerendered page"
            );
        }
        // App-rendered: from the archive to the first month.
        r.click_link_to("months/").await;
        r.click_link_to(&format!("months/{}/", months[0])).await;
        b.wait_for("the app-rendered month", || async {
            (r.current_route().await == format!("months/{}/", months[0])).then_some(())
        })
        .await;
        assert_eq!(
            r.month_ranking().await,
            expected_ranking(&months[0]),
            "ranking rendered by the app"
        );
    });
}

// The month page with its ranking on a desktop and on a 390 px phone, light and dark:
// nothing wider than the screen (screenshots for a look).
#[test]
fn month_ranking_fits_desktop_and_phone_in_light_and_dark() {
    let month = months().pop().unwrap();
    for dark in [false, true] {
        let server = StaticServer::start(&dist_dir());
        let month = month.clone();
        with_browser_options(
            Options {
                dark,
                ..Options::default()
            },
            |b| async move {
                let r = Reader::new(&b, &server);
                let theme = if dark { "dark" } else { "light" };
                r.open(&format!("months/{month}/")).await;
                r.month_ranking().await;
                let scheme = b
                    .js(
                        "return matchMedia('(prefers-color-scheme: dark)').matches;",
                        vec![],
                    )
                    .await;
                assert_eq!(scheme.as_bool(), Some(dark), "prefers-color-scheme");
                b.screenshot(&format!("month-ranking-{theme}-desktop"))
                    .await;
                b.set_viewport_width(390, 844).await;
                r.open(&format!("months/{month}/")).await;
                r.month_ranking().await;
                let (scroll, inner) = r.page_widths().await;
                assert!(
                    scroll <= inner,
                    "no sideways scrolling at 390 px: {scroll} > {inner}"
                );
                b.screenshot(&format!("month-ranking-{theme}-390")).await;
            },
        );
    }
}

// Below a sub-path the worker lives there too (`/sub/path/sw.js`, scope `/sub/path/`),
// and a post read once opens while the host fails.
#[test]
fn below_a_sub_path_a_post_read_once_opens_offline() {
    let server = StaticServer::start_at(crate::subpath::dist_sub(), "/sub/path/");
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = &sample_posts()[0];
        r.open(&post_route(p)).await;
        r.wait_for_service_worker().await;
        let reg = b
            .js(
                "return navigator.serviceWorker.getRegistration().then(r => [new URL(r.scope).pathname, new URL(r.active.scriptURL).pathname]);",
                vec![],
            )
            .await;
        assert_eq!(
            reg,
            serde_json::json!(["/sub/path/", "/sub/path/sw.js"]),
            "worker scope and script"
        );
        r.wait_until_saved(&post_route(p), Some(&p.path)).await;
        server.fail("", 503);
        open_post(&r, p).await;
    });
}
