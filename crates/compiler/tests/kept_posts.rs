//! `matome serve` compiles again on every save with the parsed posts kept in memory
//! ([`KeptPosts`]); the bundles it writes are those a cold build of the same content
//! writes.

use crate::common;

use common::{post, snapshot, Scratch};
use matome_compiler::{compile, compile_with, KeptPosts, Mode};

fn start(s: &Scratch) {
    for i in 0..6 {
        s.write(
            &format!("content/2025_0{}/p{i}/index.md", 1 + i % 2),
            post(
                &format!("記事{i}"),
                &format!("2025-0{}-{:02}T00:00:00", 1 + i % 2, 1 + i),
                if i % 2 == 0 {
                    &["rust"]
                } else {
                    &["データ"]
                },
                2 + i,
            ),
        );
    }
}

/// The edits of the test, in order, each followed by a build.
fn edits(s: &Scratch) -> Vec<Box<dyn Fn() + '_>> {
    let edited = "content/2025_01/p2/index.md";
    vec![
        // A comment is added to one post.
        Box::new(move || {
            let text = std::fs::read_to_string(s.path().join(edited)).unwrap();
            s.write(
                edited,
                text.replace("コメント0です", "追記されたコメント0です"),
            );
        }),
        // The same post again, same size (the file is read, not taken by its stamp).
        Box::new(move || {
            let text = std::fs::read_to_string(s.path().join(edited)).unwrap();
            s.write(edited, text.replace("追記された", "書き換えた"));
        }),
        // A post is added and another deleted.
        Box::new(move || {
            s.write(
                "content/2025_02/p9/index.md",
                post("新しい記事", "2025-02-28T00:00:00", &["rust", "新タグ"], 3),
            );
            std::fs::remove_dir_all(s.path().join("content/2025_02/p1")).unwrap();
        }),
    ]
}

// Builds after an edit, a same-size edit, an addition and a deletion, with the parsed
// posts kept in memory between them (and a broken save in between, which writes
// nothing), give the bundle a cold build of the final content gives; memory keeps
// only the posts of the last build.
#[test]
fn builds_with_kept_posts_equal_a_cold_build() {
    let warm = Scratch::new("kept-warm");
    start(&warm);
    let kept = KeptPosts::default();
    let config = warm.config();
    let report = compile_with(&config, Mode::Build, None, Some(&kept)).unwrap();
    assert!(report.errors.is_empty());
    assert_eq!(kept.len(), 6, "every parsed post is kept");
    for edit in edits(&warm) {
        edit();
        let report = compile_with(&config, Mode::Build, None, Some(&kept)).unwrap();
        assert!(report.errors.is_empty(), "{:?}", report.errors);
    }
    let broken = warm.write(
        "content/2025_01/p4/index.md",
        "+++\ntitle = 'x'\ndate = '2025-01-05'\n+++\n{{<matomeQoute>}}\n",
    );
    let before = snapshot(&warm.path().join("out"));
    let report = compile_with(&config, Mode::Build, None, Some(&kept)).unwrap();
    assert_eq!(report.errors.len(), 1);
    assert_eq!(snapshot(&warm.path().join("out")), before);
    std::fs::remove_dir_all(broken.parent().unwrap()).unwrap();
    compile_with(&config, Mode::Build, None, Some(&kept)).unwrap();
    assert_eq!(kept.len(), 5, "posts no longer in the content are dropped");

    let cold = Scratch::new("kept-cold");
    start(&cold);
    for edit in edits(&cold) {
        edit();
    }
    std::fs::remove_dir_all(cold.path().join("content/2025_01/p4")).unwrap();
    let report = compile(&cold.config(), Mode::Build, None).unwrap();
    assert_eq!(report.posts, 5);
    let (warm_out, cold_out) = (
        snapshot(&warm.path().join("out")),
        snapshot(&cold.path().join("out")),
    );
    assert_eq!(
        warm_out.keys().collect::<Vec<_>>(),
        cold_out.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &warm_out {
        assert!(cold_out[name] == *bytes, "{name} differs");
    }
}
