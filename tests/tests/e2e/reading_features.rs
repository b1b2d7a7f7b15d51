//! Reading features beyond the Hugo site (issue 13): keyboard navigation, ハイライトのみ,
//! font size, read marks, share links. Each works on the prerendered page after the
//! takeover and on a post the app built itself after in-app navigation.

use matome_e2e::content::SourcePost;
use matome_e2e::pages::{Reader, POST_SHARE};
use matome_e2e::{dist_dir, with_browser, StaticServer};
use matome_model::paths::encode_component;

use crate::sample_posts;
use crate::scenarios::{open_post, open_post_from_home};

/// The published sample post with the most folded sections that has coloured cards.
fn post_with_sections_and_colours() -> &'static SourcePost {
    sample_posts()
        .iter()
        .filter(|p| !p.draft && !p.sections.is_empty() && !p.coloured_ids().is_empty())
        .max_by_key(|p| (p.sections.len(), p.coloured_ids().len()))
        .expect("a sample post with folded sections and coloured cards")
}

// j/k on the prerendered post: j walks card by card into the first folded section,
// opening it and scrolling the card into view; k walks back. Modified keys and keys
// typed into a text field move nothing.
#[test]
fn j_and_k_move_the_current_card_across_a_folded_boundary() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = post_with_sections_and_colours();
        open_post(&r, p).await;
        let sections = r.section_card_ids().await;
        let first = sections[0][0].clone();
        let m: usize = first[1..].parse().unwrap();
        assert!(m >= 2, "{}: a card comes before the first section", p.path);
        assert!(
            r.current_card().await.ids.is_empty(),
            "no current card before a key"
        );

        r.press_keys("j").await;
        r.wait_for_current_card("c1").await;
        r.press_keys(&"j".repeat(m - 1)).await;
        r.wait_for_current_card(&first).await;
        assert!(
            r.sections().await[0].expanded,
            "j opened the section holding #{first}"
        );
        b.screenshot("reading-keyboard-j-into-section-desktop")
            .await;

        r.press_keys("k").await;
        let before = format!("c{}", m - 1);
        r.wait_for_current_card(&before).await;
        r.press_keys("jk").await;
        r.wait_for_current_card(&before).await;

        r.press_with_control('j').await;
        r.type_in_a_text_field("jjjnk").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(
            r.current_card().await.ids,
            vec![before],
            "ctrl+j and typing moved nothing"
        );
    });
}

// On a post opened from the home page (built by the app): n/p visit exactly the coloured
// cards in order (opening their sections), o opens the source thread in a new tab, ?
// shows the shortcuts.
#[test]
fn n_p_o_and_question_mark_on_a_post_built_by_the_app() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = post_with_sections_and_colours();
        open_post_from_home(&r, p).await;
        let coloured = p.coloured_ids();
        let (_, on_page) = r.card_ids().await;
        assert_eq!(on_page, coloured, "the coloured cards are the source's");

        for id in &coloured {
            r.press_keys("n").await;
            r.wait_for_current_card(id).await;
        }
        r.press_keys("n").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(
            r.current_card().await.ids,
            vec![coloured.last().unwrap().clone()],
            "n stops at the last"
        );
        if coloured.len() >= 2 {
            r.press_keys("p").await;
            r.wait_for_current_card(&coloured[coloured.len() - 2]).await;
        }

        assert!(!r.shortcuts_open().await);
        r.press_keys("?").await;
        b.eventually_eq("? opens the shortcuts dialog", &true, || r.shortcuts_open())
            .await;
        b.screenshot("reading-shortcuts-desktop").await;
        r.press_keys("\u{e00c}").await; // Escape
        b.eventually_eq("Escape closes it", &false, || r.shortcuts_open())
            .await;

        let windows = r.window_count().await;
        r.press_keys("o").await;
        b.eventually_eq(
            "o opens the source thread in a new tab",
            &(windows + 1),
            || r.window_count(),
        )
        .await;
    });
}

// ハイライトのみ shows exactly the coloured cards of the source (sections holding them
// opened); switching it off shows the other top-level cards again.
#[test]
fn highlights_only_shows_exactly_the_coloured_cards() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = post_with_sections_and_colours();
        open_post(&r, p).await;
        let before = r.visible_card_ids().await;
        r.toggle_digest().await;
        let coloured = p.coloured_ids();
        b.eventually_eq("only the coloured cards are visible", &coloured, || {
            r.visible_card_ids()
        })
        .await;
        b.screenshot("reading-digest-desktop").await;
        // In digest mode j walks the coloured cards only.
        r.press_keys("jj").await;
        r.wait_for_current_card(coloured.get(1).unwrap_or(&coloured[0]))
            .await;
        r.toggle_digest().await;
        let shown = r.visible_card_ids().await;
        assert!(
            before.iter().all(|id| shown.contains(id)),
            "the cards shown before are back: {shown:?}"
        );
    });
}

// The font size chosen on a post is applied again after a reload, before the app runs.
#[test]
fn font_size_persists_over_a_reload() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = post_with_sections_and_colours();
        let route = format!("posts/{}/", p.path);
        r.open(&route).await;
        let (normal, pressed) = r.font_size().await;
        assert_eq!(pressed, "m");
        r.choose_font_size("l").await;
        let (large, pressed) = r.font_size().await;
        assert!(large > normal, "大 is larger: {large} > {normal}");
        assert_eq!(pressed, "l");
        b.screenshot("reading-font-large-desktop").await;
        r.open_prerendered(&route).await;
        assert_eq!(
            r.font_size().await.0,
            large,
            "applied by the page itself, before the app"
        );
        r.wait_live().await;
        assert_eq!(r.font_size().await, (large, "l".to_string()));
        r.choose_font_size("s").await;
        assert!(r.font_size().await.0 < normal, "小 is smaller");
        r.choose_font_size("m").await;
        assert_eq!(r.font_size().await.0, normal);
    });
}

// A post opened from home shows 既読 in the list after going back (a list the app built)
// and after a reload (the prerendered list); revisiting it marks the cards added since
// 新着; the footer control clears the marks.
#[test]
fn read_marks_in_lists_new_cards_and_clearing() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("").await;
        let shown = r.post_cards().await;
        assert!(r.read_post_cards().await.is_empty(), "nothing read yet");
        let path = shown[0].clone();
        r.click_post_card(&path).await;
        let p = sample_posts().iter().find(|p| p.path == path).unwrap();
        r.wait_for_title(&p.title).await;
        b.client.back().await.expect("history back");
        b.eventually_eq(
            "the opened post is read in the list",
            &vec![path.clone()],
            || r.read_post_cards(),
        )
        .await;
        r.open("").await;
        assert_eq!(
            r.read_post_cards().await,
            vec![path.clone()],
            "read in the prerendered list too"
        );
        b.screenshot("reading-read-marks-desktop").await;

        // Three cards more than at the last visit: they are new.
        assert!(p.quotes >= 4, "{path} has cards");
        r.pretend_last_visit_saw(&path, p.quotes - 3).await;
        r.open(&format!("posts/{path}/")).await;
        let want: Vec<String> = (p.quotes - 2..=p.quotes).map(|n| format!("c{n}")).collect();
        b.eventually_eq("the cards added since are 新着", &want, || {
            r.new_card_ids()
        })
        .await;
        r.open(&format!("posts/{path}/")).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(
            r.new_card_ids().await.is_empty(),
            "nothing is new on the next visit"
        );

        r.open("").await;
        r.clear_read_marks().await;
        assert!(r.read_post_cards().await.is_empty(), "cleared at once");
        r.open("").await;
        assert!(r.read_post_cards().await.is_empty(), "and for good");
    });
}

// A card's number is its permalink (a plain link to `post#cN` in the HTML); once the app
// is live a click copies that link instead of following it, and the card says so.
#[test]
fn card_permalink_copies_the_link_once_live() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = post_with_sections_and_colours();
        let route = format!("posts/{}/", p.path);
        r.open(&route).await;
        let href = r.card_permalink("c2").await;
        assert!(href.ends_with(&format!("/{route}#c2")), "permalink {href}");
        r.click_card_permalink("c2").await;
        b.eventually_eq(
            "the card says its link is copied",
            &"コピーしました".to_string(),
            || r.card_copy_notice("c2"),
        )
        .await;
        assert_eq!(
            r.current_route().await,
            route,
            "the click stayed on the page"
        );
        assert_eq!(
            b.js("return location.hash;", vec![]).await,
            "",
            "and did not follow the link"
        );
    });
}

// The post's share links and a card's share links carry the encoded title and URL (the
// card's with its #cN), on the prerendered post and on one the app built.
#[test]
fn share_links_carry_the_encoded_title_and_comment_url() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = post_with_sections_and_colours();
        let expected = |title: &str, url: &str| {
            let (t, u) = (encode_component(title), encode_component(url));
            vec![
                (
                    "x".to_string(),
                    format!("https://x.com/intent/post?text={t}&url={u}"),
                ),
                (
                    "line".to_string(),
                    format!("https://line.me/R/msg/text/?{t}%20{u}"),
                ),
                (
                    "hatena".to_string(),
                    format!("https://b.hatena.ne.jp/add?mode=confirm&url={u}&title={t}"),
                ),
            ]
        };
        for built_by_app in [false, true] {
            if built_by_app {
                open_post_from_home(&r, p).await;
            } else {
                open_post(&r, p).await;
            }
            let url = b.url().await;
            let title = r.h1s().await.remove(0);
            assert_eq!(
                r.share_links(POST_SHARE).await,
                expected(&title, &url),
                "the post's links"
            );
            r.open_card_share("c2").await;
            assert_eq!(
                r.share_links("#c2").await,
                expected(&title, &format!("{url}#c2")),
                "card 2's links"
            );
            if !built_by_app {
                b.screenshot("reading-share-desktop").await;
            }
        }
    });
}

// On a 390 px phone, in light and dark, the post's reading controls (large font, digest,
// a card's share links) fit without sideways scrolling.
#[test]
fn reading_controls_fit_a_phone_in_light_and_dark() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        b.set_viewport_width(390, 844).await;
        let p = post_with_sections_and_colours();
        open_post(&r, p).await;
        r.choose_font_size("l").await;
        r.open_card_share("c1").await;
        for theme in ["light", "dark"] {
            if theme == "dark" {
                let mut now = r.switch_theme().await;
                if now != "dark" {
                    now = r.switch_theme().await;
                }
                assert_eq!(now, "dark", "the theme switch reaches dark");
            }
            let (scroll, inner) = r.page_widths().await;
            assert!(
                scroll <= inner,
                "{theme}: scrollWidth {scroll} > {inner}: {:?}",
                r.overflowing_elements().await
            );
            r.scroll_to_post_share_links().await;
            b.screenshot(&format!("reading-controls-{theme}-390")).await;
        }
        r.toggle_digest().await;
        b.screenshot("reading-digest-dark-390").await;
        r.press_keys("?").await;
        b.eventually_eq("? opens the shortcuts dialog", &true, || r.shortcuts_open())
            .await;
        b.screenshot("reading-shortcuts-dark-390").await;
    });
}
