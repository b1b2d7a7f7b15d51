//! The search page: titles, tags and opening comments, case- and width-insensitive.

use std::collections::BTreeSet;

use matome_e2e::pages::Reader;
use matome_e2e::{dist_dir, with_browser, StaticServer};

use crate::sample_posts;

/// An ASCII tag carried by the most sample posts (case-insensitively), and those posts.
fn common_ascii_tag() -> (String, BTreeSet<String>) {
    let mut best: Option<(String, BTreeSet<String>)> = None;
    for post in sample_posts() {
        for tag in post.tags.iter().filter(|t| t.chars().all(|c| c.is_ascii_alphanumeric())) {
            let tagged: BTreeSet<String> = sample_posts()
                .iter()
                .filter(|p| p.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
                .map(|p| p.path.clone())
                .collect();
            if best.as_ref().is_none_or(|(_, b)| tagged.len() > b.len()) {
                best = Some((tag.clone(), tagged));
            }
        }
    }
    best.expect("a sample post with an ASCII tag")
}

/// Full-width form of ASCII letters and digits, as Japanese IMEs type them.
fn full_width(s: &str) -> String {
    s.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).filter(|_| c.is_ascii_graphic()).unwrap_or(c)).collect()
}

// Searching a tag finds every post carrying it, typed in lowercase or full-width alike;
// a word in no post finds nothing.
#[test]
fn search_finds_a_tags_posts_whatever_the_case_and_width() {
    let server = StaticServer::start(&dist_dir());
    let (tag, tagged) = common_ascii_tag();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let mut results = Vec::new();
        for query in [tag.to_lowercase(), full_width(&tag)] {
            r.open(&format!("search/?q={}", query)).await;
            let shown: BTreeSet<String> = r.post_cards().await.into_iter().collect();
            assert!(shown.is_superset(&tagged), "{query:?} finds every post tagged {tag}: {shown:?} vs {tagged:?}");
            results.push(shown);
        }
        assert_eq!(results[0], results[1], "lowercase and full-width queries find the same posts");
        b.screenshot("sample-search-desktop").await;
        r.open("search/?q=zzqqxxnothing").await;
        b.eventually_eq("no results", &0, || async { r.post_cards_now().await.len() }).await;
    });
}
