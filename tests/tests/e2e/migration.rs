//! What a site moved over from Hugo keeps: its analytics (off unless configured, loaded
//! after the first paint, allowed by the CSP), the author's links in the footer, and
//! old URLs from front matter `aliases`.

use std::path::Path;

use matome_e2e::pages::Reader;
use matome_e2e::site::{copy_tree, publish_variant, sample_posts_dir, scratch_dir};
use matome_e2e::{dist_dir, http_get, with_browser, StaticServer};
use serde_json::json;

use crate::sample_posts;
use crate::security::{seen, watch};

/// Script elements with a `src` that is not the site's own.
const THIRD_PARTY_SCRIPTS: &str = "return [...document.querySelectorAll('script[src]')]\
    .map(s => s.src).filter(u => !u.startsWith(location.origin));";

fn policy_of(html: &str) -> String {
    let at = html
        .find("http-equiv=\"Content-Security-Policy\" content=\"")
        .expect("a CSP meta tag");
    let rest = &html[at + "http-equiv=\"Content-Security-Policy\" content=\"".len()..];
    rest[..rest.find('"').unwrap()]
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

// By default a page loads nothing from anywhere else and its policy names no other origin.
#[test]
fn analytics_are_absent_by_default() {
    let server = StaticServer::start(&dist_dir());
    let (_, _, home) = http_get(&server.url(""));
    let home = String::from_utf8_lossy(&home);
    let policy = policy_of(&home);
    assert!(
        !policy.contains("https:"),
        "the default policy allows another origin: {policy}"
    );
    assert!(
        !home.contains("googletagmanager") && !home.contains("plausible"),
        "analytics in a default page"
    );
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("").await;
        b.js("return new Promise(r => setTimeout(r, 1500));", vec![])
            .await;
        assert_eq!(
            b.js(THIRD_PARTY_SCRIPTS, vec![]).await,
            json!([]),
            "third-party scripts"
        );
    });
}

// Configured Plausible: the page as served has no third-party script; after the load
// event the script is added with the site's domain, the CSP allows exactly its origin
// (no violation), and the author's links are in the footer.
#[test]
fn configured_analytics_load_after_the_first_paint_and_author_links_show() {
    let site = publish_variant(
        "analytics",
        json!({
            "analytics": { "provider": "plausible", "id": "example.com" },
            "author": { "name": "まとめ管理人", "links": [
                { "label": "X", "url": "https://x.com/matome_example" },
                { "label": "YouTube", "url": "https://www.youtube.com/@matome_example" }
            ] }
        }),
        None,
    );
    let server = StaticServer::start(&site);
    let (_, _, home) = http_get(&server.url(""));
    let home = String::from_utf8_lossy(&home);
    let policy = policy_of(&home);
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval'")
            && policy.contains(" https://plausible.io"),
        "{policy}"
    );
    let script_tags: Vec<&str> = home
        .split("<script")
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .collect();
    assert!(
        !script_tags.iter().any(|t| t.contains("https://")),
        "a third-party script in the served page: {script_tags:?}"
    );
    assert!(
        home.contains("addEventListener(\"load\""),
        "the page has the analytics loader"
    );
    with_browser(|b| async move {
        watch(&b).await;
        let r = Reader::new(&b, &server);
        r.open("").await;
        let added = b
            .wait_js(
                "the analytics script after the load event",
                "const s = document.querySelector('script[data-domain]');\
                 return s && document.readyState === 'complete' && [s.src, s.dataset.domain];",
            )
            .await;
        assert_eq!(
            added,
            json!(["https://plausible.io/js/script.js", "example.com"])
        );
        let links = b
            .js(
                "return [...document.querySelectorAll('footer .site-author a')].map(a => [a.textContent, a.href]);",
                vec![],
            )
            .await;
        assert_eq!(
            links,
            json!([
                ["X", "https://x.com/matome_example"],
                ["YouTube", "https://www.youtube.com/@matome_example"]
            ])
        );
        let footer = b
            .js(
                "return document.querySelector('footer').textContent;",
                vec![],
            )
            .await;
        assert!(
            footer.as_str().unwrap_or("").contains("まとめ管理人"),
            "{footer}"
        );
        let (csp, _) = seen(&b).await;
        assert_eq!(csp, Vec::<String>::new(), "CSP violations");
    });
}

/// The sample posts with `aliases` added to the newest published post's front matter.
fn posts_with_alias(dir: &Path, aliases: &str) -> String {
    copy_tree(&sample_posts_dir(), dir, &[]);
    let post = sample_posts()
        .iter()
        .find(|p| !p.draft)
        .expect("a published sample post");
    let file = dir.join(&post.path).join("index.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen("+++\n", &format!("+++\naliases = {aliases}\n"), 1);
    std::fs::write(&file, text).unwrap();
    post.path.clone()
}

// A post's front matter `aliases` (absolute, and relative to the posts section) answer
// with a redirect page that the browser follows to the post.
#[test]
fn front_matter_aliases_lead_to_the_post() {
    let content = scratch_dir("alias-posts");
    let path = posts_with_alias(&content, r#"["/old/entry/", "2019/renamed-entry"]"#);
    let site = publish_variant("aliases", json!({}), Some(&content));
    let server = StaticServer::start(&site);
    for old in ["old/entry/", "posts/2019/renamed-entry/"] {
        let (status, _, body) = http_get(&server.url(old));
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 200, "{old}");
        assert!(
            body.contains(&format!("url=/posts/{path}/")),
            "{old}: {body}"
        );
    }
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open_prerendered("old/entry/").await;
        b.wait_js(
            "the redirect to the post",
            &format!(
                "return location.pathname.endsWith({:?});",
                format!("/posts/{}/", path)
            ),
        )
        .await;
        r.wait_live().await;
        let (cards, _, _) = r.comment_cards().await;
        assert!(cards > 0, "the post the alias leads to shows its cards");
    });
}

/// The hero's images have loaded (decoded, non-zero size) and its texts are shown, once.
async fn hero_shown(b: &matome_e2e::Browser, headline: &str, bio: &str) {
    let script = r#"
        const loaded = (sel) => {
            const all = document.querySelectorAll(sel);
            return all.length === 1 && all[0].complete && all[0].naturalWidth > 0
                && all[0].getBoundingClientRect().width > 0;
        };
        const text = (sel) => [...document.querySelectorAll(sel)].map(e => e.textContent);
        return loaded('.home-intro .home-banner') && loaded('.home-intro .home-portrait')
            ? [text('.home-headline'), text('.home-bio'), document.querySelectorAll('h1').length]
            : null;"#;
    let shown = b.wait_js("the hero's images, loaded", script).await;
    assert_eq!(shown, json!([[headline], [bio], 1]));
}

// build.json's `home` (Blowfish's hero, as `init --from-hugo` maps it): the banner, the
// author's picture, the headline and the bio show on the home page as it arrives and
// again after in-app navigation back to it, in light and dark, desktop and phone.
#[test]
fn the_home_hero_shows_its_banner_portrait_headline_and_bio() {
    let (headline, bio) = (
        "毎日ひとつ、話題のスレッドを",
        "海外の技術系スレッドから面白い意見を選んで紹介します。",
    );
    let site = publish_variant(
        "home-hero",
        json!({ "home": {
            "image": "thumbnails/teal-circles.jpg",
            "author_image": "thumbnails/coral-sunset.jpg",
            "headline": headline,
            "bio": bio,
        } }),
        None,
    );
    let server = StaticServer::start(&site);
    let server = &server;
    with_browser(|b| async move {
        let r = Reader::new(&b, server);
        r.open("").await;
        hero_shown(&b, headline, bio).await;
        b.screenshot("home-hero-desktop").await;
        let post = &sample_posts()[0];
        r.click_post_card(&post.path).await;
        r.wait_for_title(&post.title).await;
        b.js("history.back();", vec![]).await;
        b.eventually_eq("back home", &String::new(), || r.current_route())
            .await;
        hero_shown(&b, headline, bio).await;
        b.set_viewport_width(390, 844).await;
        assert!(
            r.page_widths().await.0 <= 390,
            "no horizontal scroll at 390 px"
        );
        b.screenshot("home-hero-phone").await;
    });
    let dark = matome_e2e::Options {
        dark: true,
        ..Default::default()
    };
    matome_e2e::with_browser_options(dark, |b| async move {
        let r = Reader::new(&b, server);
        r.open("").await;
        hero_shown(&b, headline, bio).await;
        b.screenshot("home-hero-desktop-dark").await;
        b.set_viewport_width(390, 844).await;
        b.screenshot("home-hero-phone-dark").await;
    });
}
