//! Checks shared by the sample site and the compiled corpus: each takes the app as a page
//! object plus the posts read from the sources, and asserts against those.

use std::collections::BTreeSet;

use matome_e2e::content::SourcePost;
use matome_e2e::http_get;
use matome_e2e::pages::Reader;

/// Looks a post up by its folder path.
pub fn post<'a>(posts: &'a [SourcePost], path: &str) -> &'a SourcePost {
    posts.iter().find(|p| p.path == path).unwrap_or_else(|| {
        panic!("a card links to posts/{path}/, which is no published source post")
    })
}

/// Home shows the newest posts, newest first; returns the paths it shows.
pub async fn home_lists_the_newest_posts(
    r: &Reader<'_>,
    posts: &[SourcePost],
    shot: &str,
) -> Vec<String> {
    r.open("").await;
    let shown = r.post_cards().await;
    r.browser.screenshot(shot).await;
    assert!(
        shown.iter().all(|p| !p.is_empty()),
        "every post card links to a post: {shown:?}"
    );
    let unique: BTreeSet<&String> = shown.iter().collect();
    assert_eq!(
        unique.len(),
        shown.len(),
        "no post is listed twice: {shown:?}"
    );
    let wanted = posts.len().min(3);
    assert!(
        shown.len() >= wanted,
        "home lists at least {wanted} posts, shows {}",
        shown.len()
    );
    let dates: Vec<&str> = shown.iter().map(|p| post(posts, p).date.as_str()).collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "home lists posts newest first; dates in page order: {dates:?}"
    );
    let oldest_shown = *dates.last().unwrap();
    let newer_missing: Vec<&str> = posts
        .iter()
        .filter(|p| p.date.as_str() > oldest_shown && !shown.contains(&p.path))
        .map(|p| p.path.as_str())
        .collect();
    assert!(
        newer_missing.is_empty(),
        "home skips posts newer than the oldest it shows ({oldest_shown}): {newer_missing:?}"
    );
    shown
}

/// Among `paths`, the post with the most folded sections (at least one).
pub fn with_most_sections<'a>(posts: &'a [SourcePost], paths: &[String]) -> Option<&'a SourcePost> {
    paths
        .iter()
        .map(|p| post(posts, p))
        .filter(|p| !p.sections.is_empty())
        .max_by_key(|p| (p.sections.len(), std::cmp::Reverse(p.date.clone())))
}

/// The post page shows its title, every comment card of the source, the folded sections
/// with their card counts, and only the unfolded cards visible.
pub async fn post_shows_every_comment_card(r: &Reader<'_>, p: &SourcePost) {
    r.wait_for_title(&p.title).await;
    let visible = r.wait_for_comment_cards(p.quotes).await;
    let sections = r.sections().await;
    let counts: Vec<usize> = sections.iter().map(|s| s.cards).collect();
    let expected: Vec<usize> = p.sections.iter().map(|(_, n)| *n).collect();
    assert_eq!(counts, expected, "cards per folded section of {}", p.path);
    assert!(
        sections.iter().all(|s| !s.expanded && s.visible_cards == 0),
        "sections start folded: {sections:?}"
    );
    let folded: usize = expected.iter().sum();
    assert_eq!(
        visible,
        p.quotes - folded,
        "visible cards before unfolding anything"
    );
    let (_, _, ids) = r.comment_cards().await;
    let numbered: Vec<String> = (1..=p.quotes).map(|n| format!("c{n}")).collect();
    assert_eq!(ids, numbered, "cards carry ids c1…cN in source order");
}

/// Loads post `p` by its URL (the prerendered page, taken over by the app) and checks it
/// shows every comment card.
pub async fn open_post(r: &Reader<'_>, p: &SourcePost) {
    r.open(&format!("posts/{}/", p.path)).await;
    post_shows_every_comment_card(r, p).await;
}

/// Loads home and follows the link to post `p` (a page the app builds itself), then
/// checks it shows every comment card.
pub async fn open_post_from_home(r: &Reader<'_>, p: &SourcePost) {
    r.open("").await;
    r.post_cards().await;
    r.click_link_to(&format!("posts/{}/", p.path)).await;
    post_shows_every_comment_card(r, p).await;
}

/// Clicking the first section's label reveals exactly its cards.
pub async fn first_section_reveals_its_cards(r: &Reader<'_>, p: &SourcePost) {
    let (label, n) = &p.sections[0];
    let before = r.sections().await;
    assert!(
        before[0].label.contains(label.as_str()),
        "first section is labelled {label:?}, page shows {:?}",
        before[0].label
    );
    assert_eq!(
        before[0].visible_cards, 0,
        "its cards are hidden before the click"
    );
    r.toggle_section(0).await;
    r.browser
        .eventually_eq(
            "first section open with all its cards visible",
            &(true, *n),
            || async {
                let s = r.sections().await;
                (s[0].expanded, s[0].visible_cards)
            },
        )
        .await;
    let after = r.sections().await;
    assert!(
        after[1..].iter().all(|s| !s.expanded),
        "only the clicked section opened: {after:?}"
    );
}

/// すべて展開 opens every section: every card of the post is visible.
pub async fn expand_all_shows_every_card(r: &Reader<'_>, p: &SourcePost) {
    r.expand_all().await;
    r.browser
        .eventually_eq(
            "every comment card visible after すべて展開",
            &(p.quotes, p.quotes),
            || async {
                let (all, visible, _) = r.comment_cards().await;
                (all, visible)
            },
        )
        .await;
    assert!(
        r.sections().await.iter().all(|s| s.expanded),
        "every section reports itself open"
    );
}

/// Posts (paths) carrying `tag`, compared case-insensitively.
pub fn tagged(posts: &[SourcePost], tag: &str) -> BTreeSet<String> {
    posts
        .iter()
        .filter(|p| p.has_tag(tag))
        .map(|p| p.path.clone())
        .collect()
}

/// On a post page: clicks the tag chip whose tag has the most posts and checks the tag
/// page lists exactly the posts carrying it.
pub async fn tag_chip_lists_exactly_that_tags_posts(
    r: &Reader<'_>,
    posts: &[SourcePost],
    p: &SourcePost,
    shot: &str,
) {
    let chips = r.chips("tags").await;
    assert!(
        !chips.is_empty(),
        "the post page of {} shows tag chips",
        p.path
    );
    let named: Vec<(String, &str)> = chips
        .iter()
        .map(|c| {
            (
                c.text.trim_start_matches(['#', '＃']).trim().to_string(),
                c.route.as_str(),
            )
        })
        .collect();
    for (name, _) in &named {
        assert!(
            p.has_tag(name),
            "chip {name:?} is one of the post's tags {:?}",
            p.tags
        );
    }
    let (name, route) = named
        .iter()
        .max_by_key(|(name, _)| tagged(posts, name).len())
        .unwrap()
        .clone();
    let title = p.title.clone();
    r.click_link_to(route).await;
    r.browser
        .eventually_eq(
            "route after clicking the tag chip",
            &route.to_string(),
            || r.current_route(),
        )
        .await;
    let expected = tagged(posts, &name);
    r.browser
        .eventually_eq(
            &format!("posts listed on the page of tag {name:?}"),
            &expected,
            || async {
                if r.h1s().await.contains(&title) {
                    return BTreeSet::new(); // still the post page
                }
                r.post_cards_now().await.into_iter().collect()
            },
        )
        .await;
    r.browser.screenshot(shot).await;
}

/// An unknown URL answers 404 over HTTP and shows the app's 404 page.
pub async fn unknown_url_shows_the_404_page(r: &Reader<'_>, route: &str, shot: &str) {
    let (status, _, _) = http_get(&r.server.url(route));
    assert_eq!(status, 404, "HTTP status of /{route}");
    r.open(route).await;
    r.wait_for_not_found().await;
    assert!(
        r.post_cards_now().await.is_empty() && r.comment_cards().await.0 == 0,
        "the 404 page lists no content"
    );
    r.browser.screenshot(shot).await;
}

/// A deep post URL answers 200 over HTTP and renders the post after a fresh load.
pub async fn deep_post_url_renders(r: &Reader<'_>, p: &SourcePost) {
    let route = format!("posts/{}/", p.path);
    let (status, _, _) = http_get(&r.server.url(&route));
    assert_eq!(status, 200, "HTTP status of the deep link /{route}");
    r.open(&route).await;
    r.wait_for_title(&p.title).await;
    r.wait_for_comment_cards(p.quotes).await;
}
