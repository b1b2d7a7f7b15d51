//! `matome build --stage-into DIR` (Trunk's pre-build hook) and the thumbnails the command
//! resizes through `matome-site`.

use crate::common;

use std::path::Path;

use common::{matome, post, post_with_image, shown, Scratch};

// build.json without an "output" key builds into the default target/bundle, and
// --stage-into copies that bundle into the staging folder, keeping what is there.
#[test]
fn stages_the_bundle_of_a_config_without_output() {
    let s = Scratch::new("stage-default");
    s.write("build.json", r#"{"content": "content", "title": "T"}"#);
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 2),
    );
    s.write("staging/index.html", "<!doctype html>");
    let out = matome(s.path(), &["build", "--stage-into", "staging"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(s.path().join("target/bundle/data/site.json").is_file());
    let staged = s.path().join("staging");
    for rel in ["data/site.json", "data/posts/2025_01/a.json", "index.html"] {
        assert!(staged.join(rel).is_file(), "{rel} missing: {}", shown(&out));
    }
    assert_eq!(
        std::fs::read(staged.join("data/site.json")).unwrap(),
        std::fs::read(s.path().join("target/bundle/data/site.json")).unwrap()
    );
    // Nothing but the bundle was copied.
    let mut top: Vec<String> = std::fs::read_dir(&staged)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["data", "index.html"]);
}

// A staging folder that does not exist yet is created; one given by an absolute path works.
#[test]
fn creates_a_missing_staging_folder() {
    let s = Scratch::new("stage-new");
    s.write("build.json", r#"{"content": "content", "output": "out"}"#);
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 1),
    );
    let dir = s.path().join("deep/staging");
    let out = matome(s.path(), &["build", "--stage-into", &dir.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(dir.join("data/posts/2025_01/a.json").is_file());
}

// An empty staging folder, or one inside the output, is a usage error and stages nothing.
#[test]
fn refuses_an_empty_or_nested_staging_folder() {
    let s = Scratch::new("stage-bad");
    s.write("build.json", r#"{"content": "content", "output": "out"}"#);
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 1),
    );
    assert_eq!(
        matome(s.path(), &["build", "--stage-into", ""])
            .status
            .code(),
        Some(2)
    );
    for nested in ["out", "out/sub", "./out/../out/x"] {
        let out = matome(s.path(), &["build", "--stage-into", nested]);
        assert_eq!(out.status.code(), Some(2), "{nested}: {}", shown(&out));
    }
    assert!(!s.path().join("out").exists());
}

// On content errors nothing is built and nothing is staged.
#[test]
fn stages_nothing_when_the_build_fails() {
    let s = Scratch::new("stage-fail");
    s.write("build.json", r#"{"content": "content"}"#);
    s.write("content/2025_01/a/index.md", "+++\ntitle = 'a'\n+++\n");
    let out = matome(s.path(), &["build", "--stage-into", "staging"]);
    assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
    assert!(!s.path().join("staging/data").exists());
}

// `matome build` resizes thumbnails (through matome-site) into JPEG variants.
#[test]
fn build_resizes_thumbnails() {
    let s = Scratch::new("stage-thumbs");
    s.write(
        "build.json",
        r#"{"content": "content", "assets": "assets", "output": "out"}"#,
    );
    let public = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/thumbnails");
    let jpg = std::fs::read_dir(&public)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jpg"))
        .expect("a sample thumbnail in public/thumbnails");
    std::fs::create_dir_all(s.path().join("assets/thumbnails")).unwrap();
    std::fs::copy(&jpg, s.path().join("assets/thumbnails/t.jpg")).unwrap();
    s.write(
        "content/2025_01/a/index.md",
        post_with_image("A", "thumbnails/t.jpg"),
    );
    let out = matome(s.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    let post = std::fs::read_to_string(s.path().join("out/data/posts/2025_01/a.json")).unwrap();
    assert!(post.contains("-320w.jpg"), "{post}");
    let images: Vec<_> = std::fs::read_dir(s.path().join("out/images"))
        .unwrap()
        .collect();
    assert!(images.len() >= 2, "{images:?}");
}
