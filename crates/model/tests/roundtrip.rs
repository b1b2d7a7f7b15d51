//! Blocks and inline nodes survive a trip through JSON.

use matome_model::{Block, Comment, Inline};

// Blocks and inline nodes serialise as adjacently tagged JSON that round-trips.
#[test]
fn blocks_round_trip_through_json() {
    let block = Block::More {
        label: "もっとコメントを表示（1）".into(),
        comments: vec![Comment {
            n: 3,
            user: "alice".into(),
            created_at: "2025-04-14T18:04:41".into(),
            color: Some("#45d325".into()),
            body: vec![
                Inline::Text("<script>".into()),
                Inline::Break,
                Inline::Link {
                    href: "https://example.com/".into(),
                    children: vec![Inline::Text("x".into())],
                },
            ],
        }],
    };
    let json = serde_json::to_string(&block).unwrap();
    assert!(json.starts_with(r#"{"t":"More","c":{"label":"#), "{json}");
    assert!(json.contains(r#"{"t":"Break"}"#), "{json}");
    let back: Block = serde_json::from_str(&json).unwrap();
    assert_eq!(back, block);
}
