//! A failed or killed build never damages what the last good one wrote, checked on the
//! real binary: `matome build` and `matome publish` on a broken post fail with its
//! position and leave their folders byte for byte; `matome publish` killed part-way
//! leaves the site folder as it was or complete, never a mix; the Trunk hook on a broken
//! post stages nothing and says why (what a plain `trunk serve` shows while a post is
//! broken; `make serve` is checked in the browser, tests/tests/e2e/serve.rs).

use crate::common;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::{matome, post, shown, tree, Scratch};

const APP_HTML: &str = "<!doctype html><html><head><title>t</title></head><body></body></html>";

fn config(s: &Scratch) {
    s.write(
        "build.json",
        r#"{"content": "content", "assets": "assets", "output": "out", "title": "T", "description": "D",
            "base_url": "https://example.com/", "page_size": 10}"#,
    );
    s.write("app/index.html", APP_HTML);
}

/// One hash of a whole tree, for messages.
fn digest(tree: &BTreeMap<String, Vec<u8>>) -> u64 {
    let mut h = DefaultHasher::new();
    tree.hash(&mut h);
    h.finish()
}

fn publish_args(content: &str) -> Vec<&str> {
    vec![
        "publish",
        "--content",
        content,
        "--app",
        "app",
        "--site",
        "site",
        "--precompress",
        "none",
    ]
}

fn ok(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{}", shown(out));
}

// A broken post (bad front matter, an unclosed shortcode): build and publish both exit 1
// naming file:line:column, and the bundle and the site stay byte-identical.
#[test]
fn a_broken_post_leaves_the_bundle_and_the_site_as_they_were() {
    let s = Scratch::new("failed-build");
    config(&s);
    for name in ["a", "b", "c"] {
        s.write(
            &format!("content/2025_01/{name}/index.md"),
            post(name, "2025-01-01T00:00:00", &["x"], 3),
        );
    }
    ok(&matome(s.path(), &["compile"]));
    ok(&matome(s.path(), &publish_args("content")));
    let (bundle, site) = (tree(&s.path().join("out")), tree(&s.path().join("site")));
    assert!(site.contains_key("posts/2025_01/b/index.html"), "{site:?}");

    let good = post("b", "2025-01-01T00:00:00", &["x"], 3);
    let cases = [
        (
            "a day February does not have",
            good.replace("date = '2025-01-01T00:00:00'", "date = '2025-02-31'"),
            "content/2025_01/b/index.md:2:8: ",
        ),
        (
            "unclosed front matter string",
            good.replace("title = 'b'", "title = 'b"),
            "content/2025_01/b/index.md:4:",
        ),
        (
            "unclosed shortcode",
            good.replace("[記事一覧へ]", "{{<matomeQuote body=\"x\"\n\n[記事一覧へ]"),
            "content/2025_01/b/index.md:",
        ),
    ];
    for (what, text, at) in cases {
        s.write("content/2025_01/b/index.md", &text);
        for args in [vec!["compile"], publish_args("content")] {
            let out = matome(s.path(), &args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{what}, {args:?}: {}",
                shown(&out)
            );
            let line = stderr
                .lines()
                .find(|l| l.starts_with(at))
                .unwrap_or_else(|| panic!("{what}, {args:?}: no error at {at}: {stderr}"));
            // path:line:col: the position is two numbers.
            let pos: Vec<&str> = line["content/2025_01/b/index.md:".len()..]
                .splitn(3, ':')
                .collect();
            assert!(
                pos.len() == 3
                    && pos[..2]
                        .iter()
                        .all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)),
                "{what}: {line}"
            );
            assert!(
                tree(&s.path().join("out")) == bundle,
                "{what}, {args:?}: the bundle changed"
            );
            assert!(
                tree(&s.path().join("site")) == site,
                "{what}, {args:?}: the site changed"
            );
        }
    }

    // Fixed again: both succeed and the site is what it was.
    s.write("content/2025_01/b/index.md", &good);
    ok(&matome(s.path(), &publish_args("content")));
    assert!(tree(&s.path().join("site")) == site);
}

/// A site big enough that publishing takes a while: `n` posts of `comments` cards over
/// 30 tags; `variant` changes every seventh title, drops one post and adds one.
fn write_posts(s: &Scratch, dir: &str, n: usize, comments: usize, variant: bool) {
    for i in 0..n {
        if variant && i == 3 {
            continue;
        }
        let title = if variant && i % 7 == 0 {
            format!("改 {i}")
        } else {
            format!("記事 {i}")
        };
        let date = format!(
            "2024-{:02}-{:02}T{:02}:00:00",
            1 + i % 12,
            1 + i % 28,
            i % 24
        );
        let tags = [format!("t{}", i % 30), format!("u{}", i % 7)];
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        s.write(
            &format!("{dir}/2024_{:02}/p{i}/index.md", 1 + i % 12),
            post(&title, &date, &tags, comments),
        );
    }
    if variant {
        s.write(
            &format!("{dir}/2025_01/new/index.md"),
            post("新しい記事", "2025-01-02T00:00:00", &["t1"], comments),
        );
    }
}

// `matome publish` SIGKILLed at several points of its run leaves the site folder
// byte-identical to the site before it or to the complete new one.
#[test]
fn a_killed_publish_leaves_the_old_or_the_new_site() {
    let s = Scratch::new("killed-publish");
    config(&s);
    let (n, comments) = (200, 40);
    write_posts(&s, "posts-a", n, comments, false);
    write_posts(&s, "posts-b", n, comments, true);
    let site = s.path().join("site");
    // The last line: `site: … in T ms (compile C ms)`.
    let run = |content: &str| -> (u64, u64) {
        let out = matome(s.path(), &publish_args(content));
        ok(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let ms = |after: &str| -> u64 {
            let rest =
                &stdout[stdout.rfind(after).unwrap_or_else(|| panic!("{stdout}")) + after.len()..];
            rest[..rest.find(" ms").unwrap()].parse().unwrap()
        };
        (ms(" in "), ms("(compile "))
    };
    run("posts-a");
    let old = tree(&site);
    run("posts-b");
    let new = tree(&site);
    assert!(old != new && new.contains_key("posts/2025_01/new/index.html"));
    // A publish like the killed ones (the other way round): the site step starts after
    // the compiler's part; the kills spread from there to twice its length (the
    // killed runs may be slower than this one).
    let (total, compile) = run("posts-a");
    let mut now_new = false;
    let delay = |k: u64| Duration::from_millis(compile + k * total.saturating_sub(compile) / 6);

    let mut landed = Vec::new();
    for k in 0..=11 {
        let content = if now_new { "posts-a" } else { "posts-b" };
        let mut child = Command::new(env!("CARGO_BIN_EXE_matome"))
            .current_dir(s.path())
            .args(publish_args(content))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay(k));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        child.wait().unwrap();
        let after = tree(&site);
        now_new = if after == new {
            true
        } else if after == old {
            false
        } else {
            let differ = |t: &BTreeMap<String, Vec<u8>>| {
                after.iter().filter(|(k, v)| t.get(*k) != Some(v)).count()
                    + t.keys().filter(|k| !after.contains_key(*k)).count()
            };
            panic!(
                "killed after {:?} (publish {total} ms, compile {compile} ms): a mix ({:x}): {} files differ from the old site, {} from the new",
                delay(k),
                digest(&after),
                differ(&old),
                differ(&new)
            );
        };
        landed.push(format!(
            "{:?} → {}{}",
            delay(k),
            if now_new { "new" } else { "old" },
            if finished { " (had finished)" } else { "" }
        ));
    }
    eprintln!(
        "publish {total} ms (compile {compile} ms); killed after: {}",
        landed.join(", ")
    );

    // The next publish completes and tidies what a killed one left beside the folder.
    run("posts-b");
    assert!(tree(&site) == new);
    let leftovers: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
