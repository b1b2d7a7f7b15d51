//! Moving around the sample site: tags, months, deep links, 404, history.

use std::collections::BTreeSet;

use matome_e2e::pages::Reader;
use matome_e2e::{dist_dir, with_browser, StaticServer};

use crate::sample_posts;
use crate::scenarios::{
    deep_post_url_renders, home_lists_the_newest_posts, post, post_shows_every_comment_card,
    tag_chip_lists_exactly_that_tags_posts, unknown_url_shows_the_404_page, with_most_sections,
};

// A tag chip on a post leads to the tag page listing exactly the posts with that tag.
#[test]
fn a_tag_chip_leads_to_exactly_that_tags_posts() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let shown = home_lists_the_newest_posts(&r, sample_posts(), "sample-home-desktop").await;
        let p = post(sample_posts(), &shown[0]);
        r.click_post_card(&p.path).await;
        r.wait_for_title(&p.title).await;
        tag_chip_lists_exactly_that_tags_posts(&r, sample_posts(), p, "sample-tag-desktop").await;
    });
}

// The tab's title follows the reader through the app: the post's title, then the tag's
// heading, then the tag index, each with the site's name (home's heading).
#[test]
fn the_tab_title_follows_the_page_in_the_app() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("").await;
        let shown = r.post_cards().await;
        r.wait_live().await;
        let site = r.h1s().await.join("");
        assert!(!site.is_empty(), "home's heading names the site");
        let p = post(sample_posts(), &shown[0]);
        r.click_post_card(&p.path).await;
        r.wait_for_title(&p.title).await;
        let want = format!("{} | {site}", p.title.trim());
        b.eventually_eq("the tab title on the post", &want, || r.document_title())
            .await;
        let chip = r
            .chips("tags")
            .await
            .into_iter()
            .next()
            .expect("a tag chip");
        let name = chip.text.trim_start_matches(['#', '＃']).trim().to_string();
        r.click_link_to(&chip.route).await;
        let want = format!("タグ: {name} | {site}");
        b.eventually_eq("the tab title on the tag page", &want, || {
            r.document_title()
        })
        .await;
        r.go_in_app("tags/").await;
        let want = format!("タグ | {site}");
        b.eventually_eq("the tab title on the tag index", &want, || {
            r.document_title()
        })
        .await;
    });
}

// The month archive links each month to a page listing exactly that month's posts.
#[test]
fn a_month_in_the_archive_lists_exactly_that_months_posts() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("").await;
        r.post_cards().await;
        r.click_link_to("months/").await;
        let months = b
            .wait_for("links to month pages on /months/", || async {
                let m = r.chips("months").await;
                (!m.is_empty()).then_some(m)
            })
            .await;
        b.screenshot("sample-months-desktop").await;
        let expected_months: BTreeSet<String> =
            sample_posts().iter().map(|p| p.month.clone()).collect();
        let linked: BTreeSet<String> = months
            .iter()
            .map(|c| {
                c.route
                    .trim_start_matches("months/")
                    .trim_end_matches('/')
                    .to_string()
            })
            .collect();
        assert_eq!(
            linked, expected_months,
            "the archive links every month that has posts"
        );
        let busiest = expected_months
            .iter()
            .max_by_key(|m| sample_posts().iter().filter(|p| &&p.month == m).count())
            .unwrap()
            .clone();
        r.click_link_to(&format!("months/{busiest}/")).await;
        let expected: BTreeSet<String> = sample_posts()
            .iter()
            .filter(|p| p.month == busiest)
            .map(|p| p.path.clone())
            .collect();
        b.eventually_eq(
            &format!("posts listed for {busiest}"),
            &expected,
            || async {
                if r.current_route().await != format!("months/{busiest}/") {
                    return BTreeSet::new();
                }
                r.post_cards_now().await.into_iter().collect()
            },
        )
        .await;
        b.screenshot("sample-month-desktop").await;
    });
}

// Reloading a post reached in-app renders it again, and its URL answers 200 over HTTP.
#[test]
fn reloading_a_deep_post_url_renders_the_post() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let shown = home_lists_the_newest_posts(&r, sample_posts(), "sample-home-desktop").await;
        let p =
            with_most_sections(sample_posts(), &shown).unwrap_or(post(sample_posts(), &shown[0]));
        r.click_post_card(&p.path).await;
        r.wait_for_title(&p.title).await;
        b.client.refresh().await.expect("reload");
        r.wait_for_title(&p.title).await;
        r.wait_for_comment_cards(p.quotes).await;
        // And every sample post as a fresh deep link.
        for p in sample_posts() {
            deep_post_url_renders(&r, p).await;
        }
    });
}

// An unknown URL answers 404 and shows the app's 404 page; so does an unknown post.
#[test]
fn an_unknown_url_shows_the_404_page() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        unknown_url_shows_the_404_page(&r, "no/such/page/", "sample-404-desktop").await;
        unknown_url_shows_the_404_page(
            &r,
            "posts/2099_01/no_such_post/",
            "sample-404-post-desktop",
        )
        .await;
    });
}

// Back returns from a post to home with its list; forward returns to the post.
#[test]
fn back_and_forward_move_between_home_and_a_post() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let shown = home_lists_the_newest_posts(&r, sample_posts(), "sample-home-desktop").await;
        let p = post(sample_posts(), &shown[1.min(shown.len() - 1)]);
        r.click_post_card(&p.path).await;
        post_shows_every_comment_card(&r, p).await;
        b.client.back().await.expect("history back");
        b.eventually_eq("home's cards after back", &shown, || async {
            if !r.current_route().await.is_empty() {
                return vec![];
            }
            r.post_cards_now().await
        })
        .await;
        b.client.forward().await.expect("history forward");
        r.wait_for_title(&p.title).await;
        r.wait_for_comment_cards(p.quotes).await;
        assert_eq!(r.current_route().await, format!("posts/{}/", p.path));
    });
}

// Back to a post brings it back as it was left: the folded section the reader opened is
// open again and the others stay closed.
#[test]
fn back_to_a_post_reopens_the_sections_the_reader_opened() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let paths: Vec<String> = sample_posts().iter().map(|p| p.path.clone()).collect();
        let p =
            with_most_sections(sample_posts(), &paths).expect("a sample post with folded sections");
        assert!(
            p.sections.len() >= 2,
            "{} needs two sections for this check",
            p.path
        );
        r.open(&format!("posts/{}/", p.path)).await;
        r.wait_for_comment_cards(p.quotes).await;
        r.toggle_section(1).await;
        b.eventually_eq("second section open", &vec![false, true], || async {
            r.sections()
                .await
                .iter()
                .take(2)
                .map(|s| s.expanded)
                .collect::<Vec<_>>()
        })
        .await;
        r.click_link_to("tags/").await;
        b.eventually_eq("tags page", &"tags/".to_string(), || async {
            r.current_route().await
        })
        .await;
        b.client.back().await.expect("history back");
        r.wait_for_comment_cards(p.quotes).await;
        b.eventually_eq("sections after back", &vec![false, true], || async {
            r.sections()
                .await
                .iter()
                .take(2)
                .map(|s| s.expanded)
                .collect::<Vec<_>>()
        })
        .await;
    });
}
