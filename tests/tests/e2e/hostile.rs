//! The hostile sample post (script tags, `javascript:`/`data:` links, `onerror=` in
//! comment bodies) renders inert: its markup stays text.

use std::collections::BTreeSet;

use matome_e2e::content::SourcePost;
use matome_e2e::pages::Reader;
use matome_e2e::{dist_dir, with_browser, StaticServer};

use crate::sample_posts;

/// The sample post whose comment bodies contain `<script` (found by scanning sources).
fn hostile_post() -> &'static SourcePost {
    sample_posts()
        .iter()
        .find(|p| {
            p.source
                .lines()
                .any(|l| l.contains("matomeQuote") && l.to_lowercase().contains("<script"))
        })
        .expect("a sample post with <script> in a comment body (the hostile sample)")
}

/// Scripts that can run (data blocks such as JSON-LD cannot).
fn executable(scripts: Vec<(String, String, String)>) -> BTreeSet<(String, String, String)> {
    scripts
        .into_iter()
        .filter(|(ty, _, _)| !ty.ends_with("json"))
        .collect()
}

/// Asserts the page holds no script from content and nothing that runs code.
async fn assert_inert(r: &Reader<'_>, app_scripts: &BTreeSet<(String, String, String)>) {
    let scripts = executable(r.scripts().await);
    let foreign: Vec<_> = scripts.difference(app_scripts).collect();
    assert!(
        foreign.is_empty(),
        "script elements that are not the app's own: {foreign:?}"
    );
    let attrs = r.script_carrying_attributes().await;
    assert!(
        attrs.is_empty(),
        "on* handlers or javascript: URLs in the DOM: {attrs:?}"
    );
    let links = r.non_http_links_in_comments().await;
    assert!(
        links.is_empty(),
        "comment links that are not http(s): {links:?}"
    );
    match r.browser.client.get_alert_text().await {
        Err(e) if e.is_no_such_alert() => {}
        Ok(text) => panic!("a dialog is open: {text:?}"),
        Err(e) => panic!("asking for a dialog failed: {e}"),
    }
}

// Opened in-app with dialogs trapped, and as a fresh deep link: no dialog fires, no
// script element from content exists, no on* attribute or javascript: URL anywhere,
// and the hostile markup is visible as text.
#[test]
fn the_hostile_post_renders_inert_with_its_markup_as_text() {
    let server = StaticServer::start(&dist_dir());
    let p = hostile_post();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        // The app's own scripts, from a page that shows no post content.
        r.open("no/such/page/").await;
        r.wait_for_not_found().await;
        let app_scripts = executable(r.scripts().await);
        assert!(
            !app_scripts.is_empty(),
            "the app page has its own module script"
        );

        // In-app navigation keeps the dialog trap installed before the content arrives.
        r.open(&format!("months/{}/", p.month)).await;
        r.post_cards().await;
        r.install_dialog_trap().await;
        r.click_post_card(&p.path).await;
        r.wait_for_title(&p.title).await;
        r.wait_for_comment_cards(p.quotes).await;
        r.expand_all().await;
        b.eventually_eq("every card visible", &p.quotes, || async {
            r.comment_cards().await.1
        })
        .await;
        let dialogs = r
            .trapped_dialogs()
            .await
            .expect("the page was not reloaded, so the trap is still there");
        assert!(dialogs.is_empty(), "content opened dialogs: {dialogs:?}");
        assert_inert(&r, &app_scripts).await;
        let text = r.comment_text().await;
        assert!(
            text.contains("<script"),
            "the literal <script> of the bodies is shown as text"
        );
        b.screenshot("sample-hostile-desktop").await;

        // A fresh load of the same URL: no trap possible, the alert API must see nothing.
        r.open(&format!("posts/{}/", p.path)).await;
        r.wait_for_title(&p.title).await;
        r.wait_for_comment_cards(p.quotes).await;
        r.expand_all().await;
        b.eventually_eq("every card visible", &p.quotes, || async {
            r.comment_cards().await.1
        })
        .await;
        assert_inert(&r, &app_scripts).await;
    });
}
