//! The `matome` command line: exit codes, messages and the summary line.

use crate::common;

use common::{matome, post, shown, Scratch};

fn config(s: &Scratch) {
    s.write(
        "build.json",
        r#"{"content": "content", "assets": "assets", "output": "out", "title": "T", "description": "D",
            "base_url": "https://example.com/sub/", "page_size": 10}"#,
    );
}

// A good compile exits 0 and prints the summary line last on stdout.
#[test]
fn compile_exits_zero_with_a_summary_line() {
    let s = Scratch::new("cli-ok");
    config(&s);
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 3),
    );
    let out = matome(s.path(), &["compile", "--base-path", "sub"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("1 posts, 3 comments, 0 sections in ") && last.ends_with(" ms"),
        "{last}"
    );
    let site = std::fs::read_to_string(s.path().join("out/data/site.json")).unwrap();
    assert!(site.contains(r#""base_path":"/sub/""#), "{site}");
}

// Content errors exit 1 and print path:line:col with the line and a caret.
#[test]
fn check_exits_one_on_content_errors() {
    let s = Scratch::new("cli-bad");
    config(&s);
    s.write(
        "content/2025_01/a/index.md",
        "+++\ntitle = 'a'\ndate = '2025-01-01'\n+++\n{{<matomeQoute>}}\n",
    );
    s.write("content/2025_01/b/index.md", "+++\ntitle = 'b'\n+++\n");
    let out = matome(s.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("content/2025_01/a/index.md:5:4: unknown shortcode \"matomeQoute\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/2025_01/b/index.md:1:1: missing front matter field `date`"),
        "{stderr}"
    );
    assert!(stderr.contains("\n    ^"), "{stderr}");
}

// Usage and configuration mistakes exit 2.
#[test]
fn exits_two_on_usage_and_config_errors() {
    let s = Scratch::new("cli-usage");
    assert_eq!(matome(s.path(), &[]).status.code(), Some(2), "no command");
    assert_eq!(matome(s.path(), &["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        matome(s.path(), &["compile", "--bogus"]).status.code(),
        Some(2)
    );
    assert_eq!(
        matome(s.path(), &["compile", "--out"]).status.code(),
        Some(2),
        "flag without its value"
    );
    assert_eq!(
        matome(s.path(), &["compile"]).status.code(),
        Some(2),
        "no build.json here"
    );
    // In a Hugo site's folder, the message names the migration.
    let hugo = Scratch::new("cli-usage-hugo");
    hugo.write("hugo.toml", "title = 'x'\n");
    let out = matome(hugo.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        shown(&out).contains("matome init --from-hugo ."),
        "{}",
        shown(&out)
    );
    s.write("build.json", "{ not json");
    assert_eq!(matome(s.path(), &["check"]).status.code(), Some(2));
    config(&s);
    assert_eq!(
        matome(s.path(), &["check", "--content", "does-not-exist"])
            .status
            .code(),
        Some(2)
    );
    // Each command owns its flags.
    assert_eq!(
        matome(s.path(), &["compile", "--app", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(
        matome(s.path(), &["check", "--out", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(
        matome(s.path(), &["publish", "--app", "x"]).status.code(),
        Some(2),
        "no --site"
    );
}

// `--content`, `--assets` and `--out` override build.json, also written `--flag=value`.
#[test]
fn flags_override_the_config_file() {
    let s = Scratch::new("cli-flags");
    config(&s);
    s.write(
        "other/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 1),
    );
    let out = matome(
        s.path(),
        &["compile", "--content", "other", "--out=elsewhere"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(s
        .path()
        .join("elsewhere/data/posts/2025_01/a.json")
        .exists());
    assert!(!s.path().join("out").exists());
}

// The help lists the author's commands on their own indented lines, shows how a Hugo
// site builds where it stands, and documents the build.json keys and the exit codes; `--help` and `help` agree.
#[test]
fn help_lists_commands_keys_and_exit_codes() {
    for args in [&["help"][..], &["--help"], &["-h"]] {
        let out = matome(std::path::Path::new("."), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let help = String::from_utf8(out.stdout).unwrap();
        for command in ["build", "compile", "check", "publish", "serve", "init"] {
            assert!(
                help.lines()
                    .any(|l| l.trim_start().starts_with(command) && l.starts_with(' ')),
                "{command}: {help}"
            );
        }
        for fact in [
            "matome init --from-hugo .",
            "matome build ",
            "page_size",
            "base_path",
            "0  success",
            "1  content errors",
            "2  usage or configuration errors",
        ] {
            assert!(help.contains(fact), "{args:?} lacks {fact}: {help}");
        }
    }
    let out = matome(std::path::Path::new("."), &["help", "compile"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--config",
        "--content",
        "--assets",
        "--out",
        "--base-path",
        "--drafts",
    ] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}

// An empty folder in build.json is a configuration error, not the config's own folder.
#[test]
fn empty_output_in_the_config_is_an_error() {
    let s = Scratch::new("cli-empty-out");
    s.write("build.json", r#"{"content": "content", "output": ""}"#);
    s.write(
        "content/2025_01/a/index.md",
        post("A", "2025-01-01T00:00:00", &[], 1),
    );
    let out = matome(s.path(), &["compile"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(
        shown(&out).contains("`output` must not be empty"),
        "{}",
        shown(&out)
    );
    assert!(s.path().join("content/2025_01/a/index.md").exists());
    assert_eq!(
        matome(s.path(), &["compile", "--out", ""]).status.code(),
        Some(2)
    );
}
