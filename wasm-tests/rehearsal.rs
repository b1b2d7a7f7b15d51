#![cfg(target_arch = "wasm32")]
//! The search worker's rehearsal (`matome_web::search::rehearsal`) in a real browser:
//! its hand-written post is what the bundle writer would write, and every made-up
//! query goes through each step a real query takes, down to highlighted snippets.

use matome_model::Post;
use matome_web::search::rehearsal::Rehearsal;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_made_up_post_reads_back_as_the_bundle_writer_writes_it() {
    let rehearsal = Rehearsal::new();
    let post: Post = serde_json::from_str(rehearsal.post_json())
        .unwrap_or_else(|e| panic!("the made-up post must read as a post: {e}"));
    assert_eq!(post.summary.comments, 40);
    // Written again by `Serialize` (what `matome publish` runs), byte for byte the same:
    // the rehearsal decodes the shape real post files have.
    assert_eq!(
        serde_json::to_string(&post).unwrap(),
        rehearsal.post_json(),
        "the hand-written JSON differs from what the bundle writer writes"
    );
}

#[wasm_bindgen_test]
fn every_made_up_query_finds_the_post_with_highlighted_snippets() {
    let rehearsal = Rehearsal::new();
    assert!(rehearsal.queries() >= 4);
    for turn in 0..rehearsal.queries() {
        let answer = rehearsal.pass(turn);
        assert_eq!(
            answer.candidates, 1,
            "query {turn}: candidates from the shard"
        );
        assert_eq!(answer.found.len(), 1, "query {turn}: the post confirmed");
        let found = &answer.found[0];
        assert!(!found.snippets.is_empty(), "query {turn}: snippets");
        for snippet in &found.snippets {
            assert!(
                snippet.pieces.iter().any(|(_, marked)| *marked),
                "query {turn}: comment {} has no highlighted match",
                snippet.n
            );
        }
    }
}
