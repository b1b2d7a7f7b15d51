//! build.json read once, by one type: `matome config base-path` (what the Makefile asks
//! for) and the `precompress` key that `publish` and `pages` take from the same parse.

use crate::common;

use common::{matome, post, shown, Scratch};

fn base_path(s: &Scratch, args: &[&str]) -> String {
    let mut all = vec!["config", "base-path"];
    all.extend_from_slice(args);
    let out = matome(s.path(), &all);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    String::from_utf8(out.stdout).unwrap()
}

// The base path comes out normalised, from build.json, from --config FILE, or the
// default without either.
#[test]
fn config_base_path_prints_the_normalised_base_path() {
    let s = Scratch::new("config-base-path");
    assert_eq!(base_path(&s, &[]), "/\n", "no build.json: the default");
    s.write("build.json", r#"{"base_path": "sub/path"}"#);
    assert_eq!(base_path(&s, &[]), "/sub/path/\n");
    s.write("other.json", r#"{"base_path": "https://example.com/a/b"}"#);
    assert_eq!(base_path(&s, &["--config", "other.json"]), "/a/b/\n");
    s.write("empty.json", r#"{"base_path": ""}"#);
    assert_eq!(base_path(&s, &["--config", "empty.json"]), "/\n");
    s.write("none.json", "{}");
    assert_eq!(base_path(&s, &["--config", "none.json"]), "/\n");
}

// A broken build.json, or one that is missing when named, is a configuration error
// (exit 2) naming the file, and the line and column of the mistake.
#[test]
fn config_base_path_errors_name_file_line_and_column() {
    let s = Scratch::new("config-base-path-bad");
    s.write(
        "build.json",
        "{\n  \"base_path\": \"/sub/\",\n  \"page_size\": \"ten\"\n}",
    );
    let out = matome(s.path(), &["config", "base-path"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("build.json: ") && stderr.contains("at line 3 column"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    let out = matome(s.path(), &["config", "base-path", "--config", "gone.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gone.json"));
}

// `precompress` is part of the one config: a bad value stops `publish` before it
// compiles anything, with the file, line and column; a good one is what it writes.
#[test]
fn publish_takes_precompress_from_the_one_config_parse() {
    let s = Scratch::new("config-precompress");
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 3),
    );
    s.write(
        "app/index.html",
        "<!doctype html><html><head><title>t</title></head><body></body></html>",
    );
    s.write(
        "build.json",
        "{\"content\": \"content\", \"output\": \"out\",\n \"precompress\": \"fast\"}",
    );
    let publish = ["publish", "--app", "app", "--site", "site"];
    let out = matome(s.path(), &publish);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("build.json: unknown variant `fast`")
            && stderr.contains("`large`, `all`, `none`")
            && stderr.contains("at line 2 column"),
        "{stderr}"
    );
    assert!(!s.path().join("out").exists() && !s.path().join("site").exists());

    // `all` writes .gz copies of the small text files too; `none` writes none.
    let gz = |s: &Scratch| {
        walk(&s.path().join("site"))
            .iter()
            .filter(|p| p.ends_with(".gz"))
            .count()
    };
    for (value, some) in [("all", true), ("none", false)] {
        s.write(
            "build.json",
            format!(r#"{{"content": "content", "output": "out", "precompress": "{value}"}}"#),
        );
        let out = matome(s.path(), &publish);
        assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
        assert_eq!(gz(&s) > 0, some, "precompress {value}");
    }
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path.to_string_lossy().into_owned());
        }
    }
    files
}
