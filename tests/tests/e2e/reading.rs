//! Reading the sample site: home, a post, its folded sections.

use matome_e2e::pages::Reader;
use matome_e2e::{dist_dir, with_browser, StaticServer};

use matome_e2e::content::SourcePost;

use crate::sample_posts;
use crate::scenarios::{
    expand_all_shows_every_card, first_section_reveals_its_cards, home_lists_the_newest_posts,
    post_shows_every_comment_card, with_most_sections,
};

// Home lists the newest sample posts as post cards, newest first by front-matter date.
#[test]
fn home_lists_the_newest_posts_newest_first() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        home_lists_the_newest_posts(&r, sample_posts(), "sample-home-desktop").await;
    });
}

// Clicking a post card opens the post with as many comment cards as its source has quotes.
#[test]
fn clicking_a_post_card_opens_the_post_with_every_comment_card() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = open_post_with_most_sections_from_home(&r).await;
        assert_eq!(
            r.current_route().await,
            format!("posts/{}/", p.path),
            "the post's URL"
        );
        b.screenshot("sample-post-desktop").await;
    });
}

// Clicking もっとコメントを表示（1） opens that section and shows its cards.
#[test]
fn opens_the_first_folded_section_and_shows_its_cards() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = open_post_with_most_sections_from_home(&r).await;
        first_section_reveals_its_cards(&r, p).await;
        b.screenshot("sample-post-section-open-desktop").await;
    });
}

// すべて展開 opens every folded section so every card of the post is visible.
#[test]
fn expand_all_opens_every_folded_section() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let p = open_post_with_most_sections_from_home(&r).await;
        expand_all_shows_every_card(&r, p).await;
        b.screenshot("sample-post-expanded-desktop").await;
    });
}

/// From home, opens the shown post with the most folded sections and checks it shows
/// every comment card of its source.
async fn open_post_with_most_sections_from_home(r: &Reader<'_>) -> &'static SourcePost {
    let shown = home_lists_the_newest_posts(r, sample_posts(), "sample-home-desktop").await;
    let p =
        with_most_sections(sample_posts(), &shown).expect("home shows a post with folded sections");
    r.click_post_card(&p.path).await;
    post_shows_every_comment_card(r, p).await;
    p
}
