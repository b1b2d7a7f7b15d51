//! At a 390 px wide viewport (a phone) nothing scrolls sideways.

use matome_e2e::pages::Reader;
use matome_e2e::{dist_dir, with_browser, Browser, StaticServer};

use crate::sample_posts;
use crate::scenarios::{post, with_most_sections};

const PHONE: (u32, u32) = (390, 844);

async fn assert_no_horizontal_scroll(r: &Reader<'_>, page: &str) {
    let (scroll, inner) = r.page_widths().await;
    let culprits = if scroll > inner {
        r.overflowing_elements().await
    } else {
        vec![]
    };
    assert!(
        scroll <= inner,
        "{page} scrolls sideways at {inner}px: scrollWidth {scroll}; widest: {culprits:?}"
    );
}

async fn phone(b: &Browser) {
    b.set_viewport_width(PHONE.0, PHONE.1).await;
}

// Home at 390 px: no horizontal scroll.
#[test]
fn home_has_no_horizontal_scroll_at_390px() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        phone(&b).await;
        r.open("").await;
        r.post_cards().await;
        assert_no_horizontal_scroll(&r, "home").await;
        b.screenshot("sample-home-390").await;
    });
}

// A post with every section open at 390 px: no horizontal scroll.
#[test]
fn a_post_has_no_horizontal_scroll_at_390px() {
    let server = StaticServer::start(&dist_dir());
    let paths: Vec<String> = sample_posts().iter().map(|p| p.path.clone()).collect();
    // The post with the most folded sections, and the one with the most cards.
    let sectioned =
        with_most_sections(sample_posts(), &paths).unwrap_or(post(sample_posts(), &paths[0]));
    let longest = sample_posts().iter().max_by_key(|p| p.quotes).unwrap();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        phone(&b).await;
        for (i, p) in [sectioned, longest].into_iter().enumerate() {
            r.open(&format!("posts/{}/", p.path)).await;
            r.wait_for_title(&p.title).await;
            r.wait_for_comment_cards(p.quotes).await;
            assert_no_horizontal_scroll(&r, &format!("post {}", p.path)).await;
            b.screenshot(&format!("sample-post-{i}-390")).await;
            if !p.sections.is_empty() {
                r.expand_all().await;
                b.eventually_eq("every card visible", &p.quotes, || async {
                    r.comment_cards().await.1
                })
                .await;
                assert_no_horizontal_scroll(&r, &format!("post {} expanded", p.path)).await;
                b.screenshot(&format!("sample-post-{i}-expanded-390")).await;
            }
        }
    });
}

// The tag list and a tag page at 390 px: no horizontal scroll.
#[test]
fn the_tags_page_has_no_horizontal_scroll_at_390px() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("tags/").await;
        b.wait_for("links to tag pages on /tags/", || async {
            (!r.chips("tags").await.is_empty()).then_some(())
        })
        .await;
        b.screenshot("sample-tags-desktop").await;
        phone(&b).await;
        r.open("tags/").await;
        let tags = b
            .wait_for("links to tag pages on /tags/", || async {
                let t = r.chips("tags").await;
                (!t.is_empty()).then_some(t)
            })
            .await;
        assert_no_horizontal_scroll(&r, "tags/").await;
        b.screenshot("sample-tags-390").await;
        r.click_link_to(&tags[0].route).await;
        b.eventually_eq("on the tag page", &tags[0].route, || r.current_route())
            .await;
        r.post_cards().await;
        assert_no_horizontal_scroll(&r, &tags[0].route).await;
        b.screenshot("sample-tag-390").await;
    });
}

// The month archive and the 404 page at 390 px: no horizontal scroll.
#[test]
fn the_month_archive_and_404_page_have_no_horizontal_scroll_at_390px() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        phone(&b).await;
        r.open("months/").await;
        b.wait_for("links to month pages on /months/", || async {
            (!r.chips("months").await.is_empty()).then_some(())
        })
        .await;
        assert_no_horizontal_scroll(&r, "months/").await;
        b.screenshot("sample-months-390").await;
        r.open("no/such/page/").await;
        r.wait_for_not_found().await;
        assert_no_horizontal_scroll(&r, "the 404 page").await;
        b.screenshot("sample-404-390").await;
    });
}
