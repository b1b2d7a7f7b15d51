//! The same core checks on the real posts of `../shared/corpus` (relative to the repo
//! root), compiled into a copy of `dist/`. Each test passes with a `skipped (no
//! ../shared/corpus): <test>` line on stderr when the folder is missing.

use std::path::PathBuf;
use std::sync::OnceLock;

use matome_e2e::content::{load_posts, SourcePost};
use matome_e2e::pages::Reader;
use matome_e2e::site::{build_corpus_site, corpus_dir};
use matome_e2e::{http_get, target_dir, with_browser, StaticServer};

use crate::scenarios::{
    deep_post_url_renders, expand_all_shows_every_card, first_section_reveals_its_cards,
    home_lists_the_newest_posts, post, post_shows_every_comment_card,
    tag_chip_lists_exactly_that_tags_posts, unknown_url_shows_the_404_page, with_most_sections,
};

struct Corpus {
    site: PathBuf,
    posts: Vec<SourcePost>,
}

/// The corpus site, built once per test run; `None` without the corpus, after a
/// `skipped (no ../shared/corpus): <test>` line on stderr (written past the harness's
/// output capture, so it shows although the test passes; `make test-e2e` counts them).
fn corpus(test: &str) -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    let corpus = CORPUS
        .get_or_init(|| {
            let root = corpus_dir();
            if !root.join("posts").is_dir() {
                return None;
            }
            let site = build_corpus_site(&root, &target_dir().join("e2e-corpus"));
            Some(Corpus {
                site,
                posts: load_posts(&root.join("posts")),
            })
        })
        .as_ref();
    if corpus.is_none() {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "skipped (no ../shared/corpus): {test}");
    }
    corpus
}

// Home of the corpus site lists its newest posts, newest first.
#[test]
fn corpus_home_lists_the_newest_posts() {
    let Some(c) = corpus("corpus_home_lists_the_newest_posts") else {
        return;
    };
    let server = StaticServer::start(&c.site);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        home_lists_the_newest_posts(&r, &c.posts, "corpus-home-desktop").await;
    });
}

// A corpus post with folded sections: every card, the first section, then すべて展開.
#[test]
fn corpus_post_shows_every_card_and_opens_its_folded_sections() {
    let Some(c) = corpus("corpus_post_shows_every_card_and_opens_its_folded_sections") else {
        return;
    };
    let server = StaticServer::start(&c.site);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let shown = home_lists_the_newest_posts(&r, &c.posts, "corpus-home-desktop").await;
        let p = with_most_sections(&c.posts, &shown)
            .expect("corpus home shows a post with folded sections");
        r.click_post_card(&p.path).await;
        post_shows_every_comment_card(&r, p).await;
        b.screenshot("corpus-post-desktop").await;
        first_section_reveals_its_cards(&r, p).await;
        expand_all_shows_every_card(&r, p).await;
        b.screenshot("corpus-post-expanded-desktop").await;
    });
}

// A tag chip on a corpus post lists exactly the corpus posts with that tag (any case).
#[test]
fn corpus_tag_chip_lists_exactly_that_tags_posts() {
    let Some(c) = corpus("corpus_tag_chip_lists_exactly_that_tags_posts") else {
        return;
    };
    let server = StaticServer::start(&c.site);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let shown = home_lists_the_newest_posts(&r, &c.posts, "corpus-home-desktop").await;
        let p = post(&c.posts, &shown[0]);
        r.click_post_card(&p.path).await;
        r.wait_for_title(&p.title).await;
        tag_chip_lists_exactly_that_tags_posts(&r, &c.posts, p, "corpus-tag-desktop").await;
    });
}

// Unknown URLs on the corpus site show the 404 page; a corpus post works as a deep link.
#[test]
fn corpus_unknown_url_shows_404_and_deep_links_render() {
    let Some(c) = corpus("corpus_unknown_url_shows_404_and_deep_links_render") else {
        return;
    };
    let server = StaticServer::start(&c.site);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        unknown_url_shows_the_404_page(&r, "no/such/page/", "corpus-404-desktop").await;
        let reference = c
            .posts
            .iter()
            .find(|p| {
                p.path
                    .ends_with("the_path_to_opensourcing_the_deepseek_inference")
            })
            .unwrap_or(&c.posts[0]);
        deep_post_url_renders(&r, reference).await;
    });
}

// Corpus home and a long corpus post at 390 px: no horizontal scroll.
#[test]
fn corpus_pages_have_no_horizontal_scroll_at_390px() {
    let Some(c) = corpus("corpus_pages_have_no_horizontal_scroll_at_390px") else {
        return;
    };
    let server = StaticServer::start(&c.site);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        b.set_viewport_width(390, 844).await;
        r.open("").await;
        r.post_cards().await;
        let (scroll, inner) = r.page_widths().await;
        b.screenshot("corpus-home-390").await;
        assert!(
            scroll <= inner,
            "corpus home scrolls sideways: {scroll} > {inner}: {:?}",
            r.overflowing_elements().await
        );
        // The longest post that has folded sections, so すべて展開 is there to press.
        let p = c
            .posts
            .iter()
            .filter(|p| !p.sections.is_empty())
            .max_by_key(|p| p.quotes)
            .unwrap();
        r.open(&format!("posts/{}/", p.path)).await;
        r.wait_for_title(&p.title).await;
        r.wait_for_comment_cards(p.quotes).await;
        r.expand_all().await;
        b.eventually_eq("every card visible", &p.quotes, || async {
            r.comment_cards().await.1
        })
        .await;
        let (scroll, inner) = r.page_widths().await;
        b.screenshot("corpus-post-expanded-390").await;
        assert!(
            scroll <= inner,
            "corpus post {} scrolls sideways: {scroll} > {inner}: {:?}",
            p.path,
            r.overflowing_elements().await
        );
    });
}

/// The target of a redirect page's meta refresh (a root-relative path), if it is one.
fn refresh_target(html: &str) -> Option<String> {
    let at = html.find("http-equiv=\"refresh\"")?;
    let rest = &html[at..];
    let url = rest.find("url=")? + 4;
    let end = rest[url..].find('"')?;
    Some(rest[url..url + end].to_string())
}

// Every page and feed URL the Hugo build of the corpus wrote (`hugo-urls.txt`, decoded)
// answers on the corpus site, asked for percent-encoded as a browser sends it: a page of
// the site, a feed, or a redirect page whose target is a page of the site.
#[test]
fn corpus_every_old_hugo_url_still_answers() {
    let Some(c) = corpus("corpus_every_old_hugo_url_still_answers") else {
        return;
    };
    let list =
        std::fs::read_to_string(corpus_dir().join("hugo-urls.txt")).expect("read hugo-urls.txt");
    let server = StaticServer::start(&c.site);
    let (mut failures, mut redirects, mut checked) = (Vec::new(), 0, 0);
    for path in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let encoded: Vec<String> = path
            .split('/')
            .map(matome_model::paths::encode_component)
            .collect();
        let (status, _, body) = http_get(&server.url(&encoded.join("/")));
        checked += 1;
        let body = String::from_utf8_lossy(&body);
        if status != 200 {
            failures.push(format!("{path}: HTTP {status}"));
        } else if path.ends_with(".xml") {
            if !(body.starts_with("<?xml") && (body.contains("<rss") || body.contains("<urlset"))) {
                failures.push(format!("{path}: not a feed or sitemap"));
            }
        } else if let Some(target) = refresh_target(&body) {
            redirects += 1;
            let shown = format!("<a href=\"{target}\">");
            let (status, _, page) = http_get(&format!("{}{target}", server.origin()));
            let page = String::from_utf8_lossy(&page);
            if !body.contains(&shown) || !body.contains("rel=\"canonical\"") {
                failures.push(format!(
                    "{path}: redirect page without a visible or canonical link"
                ));
            } else if status != 200 || !page.contains("data-prerendered") {
                failures.push(format!(
                    "{path}: redirect to {target} gives HTTP {status} without a page"
                ));
            }
        } else if !body.contains("data-prerendered") {
            failures.push(format!(
                "{path}: HTTP 200 but neither a page nor a redirect"
            ));
        }
    }
    assert!(checked > 1000, "hugo-urls.txt lists {checked} URLs");
    assert!(
        failures.is_empty(),
        "{} of {checked} old URLs fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        redirects > 0,
        "no old URL needed a redirect: the test checked nothing new"
    );
}

// An old percent-encoded tag link (`/tags/c%23/`) lands, in the browser, on the tag's page.
#[test]
fn corpus_old_tag_link_lands_on_the_tag_page() {
    let Some(c) = corpus("corpus_old_tag_link_lands_on_the_tag_page") else {
        return;
    };
    let server = StaticServer::start(&c.site);
    let with_tag = c
        .posts
        .iter()
        .filter(|p| !p.draft && p.tags.iter().any(|t| t.eq_ignore_ascii_case("c#")))
        .count();
    assert!(with_tag > 0, "the corpus has posts tagged C#");
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open_prerendered("tags/c%23/").await;
        b.wait_js(
            "the redirect to the tag page",
            "return location.pathname.endsWith('/tags/c-sharp/');",
        )
        .await;
        r.wait_live().await;
        assert_eq!(
            r.post_cards().await.len(),
            with_tag,
            "C# posts on the page the old link leads to"
        );
    });
}
