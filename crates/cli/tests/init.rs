//! `matome init --from-hugo` on small Hugo sites (tests/fixtures/init), `init --ci github`,
//! and `build`/`check` with `--content` alone.
//!
//! One file (over 400 lines) because all three start from the same Hugo fixture site
//! (`hugo_site` and its helpers below); most of the length is the workflow's assertions.

use crate::common;

use std::path::{Path, PathBuf};

use common::{matome, shown, Scratch};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/init")
        .join(name)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch folder holding the fixture's Hugo site as `site/`, with a real thumbnail
/// (one of the sample site's) where the posts' featureimage points.
fn hugo_site(name: &str) -> Scratch {
    let s = Scratch::new(name);
    copy_tree(&fixture(name).join("site"), &s.path().join("site"));
    let jpg = std::fs::read_dir(repo_root().join("public/thumbnails"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jpg"))
        .unwrap();
    std::fs::create_dir_all(s.path().join("site/assets/thumbnails")).unwrap();
    std::fs::copy(jpg, s.path().join("site/assets/thumbnails/fixture.jpg")).unwrap();
    s
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref())
        .unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

/// `matome check --config FILE` passes with no warning: the written build.json builds.
fn assert_builds(dir: &Path, config: &str, summary: &str) {
    let out = matome(dir, &["check", "--config", config]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with(summary),
        "{}",
        shown(&out)
    );
    assert!(!shown(&out).contains("warning"), "{}", shown(&out));
}

// One hugo.toml with [languages.ja]: the language's title, description and author win
// over the root's; Google Analytics from services; pagerSize kept as hugo_paginate.
#[test]
fn init_from_a_single_hugo_toml_writes_the_expected_build_json() {
    let s = hugo_site("hugo-single");
    let out = matome(s.path(), &["init", "--from-hugo", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(
        read(s.path().join("build.json")),
        read(fixture("hugo-single/expected.json"))
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    for line in [
        "title          ← languages.ja.title",
        "base_url       ← baseURL",
        "analytics      ← services.googleAnalytics.ID (google)",
        "author.links   ← languages.ja.params.author.links (x, youtube, tiktok)",
        "hugo_paginate  ← pagination.pagerSize",
        "next: matome build   (the site for /matome/, into public/ beside build.json",
        "      matome serve   (the site on http://127.0.0.1:8080/",
    ] {
        assert!(stdout.contains(line), "{line}:\n{stdout}");
    }
    let not_mapped = stdout
        .split("not mapped:")
        .nth(1)
        .expect("a not-mapped section");
    for name in [
        "colorScheme",
        "showReadingTime",
        "theme",
        "taxonomies",
        "\"tel:0000\"",
        "image",
    ] {
        assert!(not_mapped.contains(name), "{name}:\n{stdout}");
    }
    assert_builds(s.path(), "build.json", "2 posts, 5 comments, 1 sections");
}

// config/_default split into hugo.toml, params.toml, languages.ja.toml and menus.ja.toml,
// merged as Hugo merges them; build.json written into another folder, paths relative to it.
#[test]
fn init_from_a_config_folder_writes_the_expected_build_json() {
    let s = hugo_site("hugo-config-dir");
    let out = matome(
        s.path(),
        &["init", "--from-hugo", "site", "--out", "deploy/build.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(
        read(s.path().join("deploy/build.json")),
        read(fixture("hugo-config-dir/expected.json"))
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    for line in [
        "title          ← languages.ja.title",
        "description    ← params.description",
        "analytics      ← params.umamiAnalytics (umami)",
        "author.name    ← languages.ja.params.author.name",
        "hugo_paginate  ← paginate",
        "static         ← Hugo's default static/: 4 files, copied to the site root over \
         matome's own; linked from every page instead of matome's icon: favicon.ico, \
         apple-touch-icon.png, site.webmanifest",
        "\"/index.xml\" is not an http(s) or mailto URL",
        "home.image     ← params.homepage.homepageImage",
        "home.author_image ← languages.ja.params.author.image",
        "home.headline  ← languages.ja.params.author.headline (as plain text)",
        "home.bio       ← languages.ja.params.author.bio (as plain text)",
        "params.homepage (matome's home has one layout): layout, showRecent",
        "defaultAppearance",
        "menus",
    ] {
        assert!(stdout.contains(line), "{line}:\n{stdout}");
    }
    assert_builds(
        &s.path().join("deploy"),
        "build.json",
        "1 posts, 2 comments, 0 sections",
    );
}

// Hugo's static/ comes along as Hugo publishes it: every file at the site root, byte for
// byte, over the app's file of the same name; the site's icons and manifest are linked
// from every page instead of matome's icon.
#[test]
fn a_migrated_site_publishes_its_static_files_and_links_its_icons() {
    let s = hugo_site("hugo-config-dir");
    let out = matome(
        s.path(),
        &["init", "--from-hugo", "site", "--out", "site/build.json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    // matome's app, with an icon of its own and a favicon.ico the site's replaces.
    s.write(
        "app/index.html",
        "<!doctype html><html><head><title>t</title>\
         <link rel=\"icon\" href=\"/favicon-0123.svg\"></head><body></body></html>",
    );
    s.write(
        "app/favicon-0123.svg",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    );
    s.write("app/favicon.ico", "matome's own icon");
    let out = matome(
        s.path(),
        &[
            "publish",
            "--config",
            "site/build.json",
            "--app",
            "app",
            "--site",
            "public",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    let published = s.path().join("public");
    let fixture_static = fixture("hugo-config-dir/site/static");
    for file in [
        "favicon.ico",
        "apple-touch-icon.png",
        "site.webmanifest",
        "images/banner.txt",
    ] {
        assert_eq!(
            std::fs::read(published.join(file)).ok(),
            std::fs::read(fixture_static.join(file)).ok(),
            "{file}"
        );
    }
    for page in ["index.html", "404.html", "tags/index.html"] {
        let html = read(published.join(page));
        for tag in [
            r#"<link rel="icon" href="/favicon.ico" sizes="any">"#,
            r#"<link rel="apple-touch-icon" href="/apple-touch-icon.png" sizes="180x180">"#,
            r#"<link rel="manifest" href="/site.webmanifest">"#,
        ] {
            assert!(html.contains(tag), "{page} lacks {tag}:\n{html}");
        }
        assert!(
            !html.contains("favicon-0123.svg"),
            "{page} links matome's icon:\n{html}"
        );
    }
    // Blowfish's hero on the home page: the banner and the author's picture (resized,
    // from assets/img/), the headline and the bio.
    let home = read(published.join("index.html"));
    for part in [
        r#"class="home-banner""#,
        r#"class="home-portrait""#,
        "<p class=\"home-headline\">毎日ひとつ、話題のスレッドを</p>",
        "<p class=\"home-bio\">海外の技術系スレッドを読んで",
    ] {
        assert!(home.contains(part), "the home page lacks {part}:\n{home}");
    }
    let tags = read(published.join("tags/index.html"));
    assert!(
        !tags.contains("home-banner"),
        "the hero is the home page's only"
    );
}

// An existing build.json is kept (exit 2, a message naming it) unless --force.
#[test]
fn init_refuses_to_overwrite_without_force() {
    let s = hugo_site("hugo-single");
    s.write("build.json", "{\"title\": \"mine\"}\n");
    let out = matome(s.path(), &["init", "--from-hugo", "site"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("build.json exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(read(s.path().join("build.json")), "{\"title\": \"mine\"}\n");
    let out = matome(s.path(), &["init", "--from-hugo", "site", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(
        read(s.path().join("build.json")),
        read(fixture("hugo-single/expected.json"))
    );
}

// A broken Hugo config is named with line and column; a folder without one is named too.
#[test]
fn init_names_an_invalid_or_missing_hugo_config() {
    let s = Scratch::new("init-bad");
    s.write("site/content/posts/.keep", "");
    s.write(
        "site/hugo.toml",
        "title = 'ok'\nbaseURL = \"https://example.org/\nparams = 1\n",
    );
    let out = matome(s.path(), &["init", "--from-hugo", "site"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("site/hugo.toml:2:"), "{stderr}");
    assert!(!s.path().join("build.json").exists());

    s.write("other/config/_default/params.toml", "[author\nname = 'x'\n");
    let out = matome(s.path(), &["init", "--from-hugo", "other"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(
        shown(&out).contains("other/config/_default/params.toml:1:"),
        "{}",
        shown(&out)
    );

    s.write("empty/content/posts/.keep", "");
    let out = matome(s.path(), &["init", "--from-hugo", "empty"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(
        shown(&out).contains("empty: no Hugo configuration here"),
        "{}",
        shown(&out)
    );

    let out = matome(s.path(), &["init"]);
    assert_eq!(out.status.code(), Some(2), "nothing asked: {}", shown(&out));
}

// The workflow parses as YAML, builds the matome binary once from the named repository at
// the given commit with `make matome`, only when the cache (keyed by that commit) has
// none, runs `matome build` with the site's build.json and uploads public/ to GitHub
// Pages within its limits.
#[test]
fn init_ci_github_writes_a_workflow_that_builds_the_binary_once() {
    let s = hugo_site("hugo-single");
    let commit = "0123456789abcdef0123456789abcdef01234567";
    let out = matome(
        s.path(),
        &[
            "init",
            "--from-hugo",
            "site",
            "--out",
            "site/build.json",
            "--ci",
            "github",
            "--matome-repo",
            "example/matome",
            "--matome-ref",
            commit,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    let text = read(s.path().join(".github/workflows/deploy.yml"));
    let y: serde_yaml::Value =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));

    assert_eq!(
        y["env"]["MATOME_REPOSITORY"].as_str(),
        Some("example/matome")
    );
    assert_eq!(y["env"]["MATOME_REF"].as_str(), Some(commit));
    let rust = y["env"]["RUST_TOOLCHAIN"].as_str().unwrap();
    assert!(
        rust.split('.').count() == 3 && rust.split('.').all(|n| n.parse::<u32>().is_ok()),
        "{rust}"
    );
    assert_eq!(y["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(y["permissions"]["id-token"].as_str(), Some("write"));
    assert!(y["concurrency"]["group"].as_str().is_some());

    let steps = y["jobs"]["build"]["steps"].as_sequence().unwrap();
    let step = |pred: &dyn Fn(&serde_yaml::Value) -> bool| {
        steps
            .iter()
            .position(pred)
            .unwrap_or_else(|| panic!("no such step in {text}"))
    };
    let uses = |prefix: &'static str| {
        move |s: &serde_yaml::Value| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix))
    };
    let runs = |needle: &'static str| {
        move |s: &serde_yaml::Value| s["run"].as_str().is_some_and(|r| r.contains(needle))
    };
    // The cache holds the binary under the pinned commit.
    let cache = step(&uses("actions/cache@"));
    assert_eq!(steps[cache]["id"].as_str(), Some("matome"));
    assert_eq!(steps[cache]["with"]["path"].as_str(), Some("~/.matome/bin"));
    assert!(steps[cache]["with"]["key"]
        .as_str()
        .unwrap()
        .contains("${{ env.MATOME_REF }}"));
    // Building it happens only on a miss, from the pinned source, with `make matome`.
    let build_bin = step(&runs("make matome"));
    let miss = "steps.matome.outputs.cache-hit != 'true'";
    assert_eq!(steps[build_bin]["if"].as_str(), Some(miss));
    assert!(steps[build_bin]["run"]
        .as_str()
        .unwrap()
        .contains("rustup toolchain install \"$RUST_TOOLCHAIN\""));
    let source = steps
        .iter()
        .find(|s| s["with"]["repository"].as_str().is_some())
        .expect("a checkout of the matome source");
    assert_eq!(source["if"].as_str(), Some(miss));
    assert_eq!(
        source["with"]["ref"].as_str(),
        Some("${{ env.MATOME_REF }}")
    );
    // Then the site, with the binary alone, and its public/ folder deployed.
    let build_site = step(&runs("~/.matome/bin/matome build --config site/build.json"));
    assert!(
        steps[build_site]["if"].is_null(),
        "the site builds on every run"
    );
    assert!(cache < build_bin && build_bin < build_site);
    let upload = step(&uses("actions/upload-pages-artifact@"));
    assert_eq!(steps[upload]["with"]["path"].as_str(), Some("site/public"));
    assert!(
        !text.contains("make dist") && !text.contains("make tools"),
        "the site's build needs no matome checkout: {text}"
    );

    let deploy = &y["jobs"]["deploy"];
    assert_eq!(deploy["needs"].as_str(), Some("build"));
    assert!(deploy["timeout-minutes"].as_u64().unwrap() < 10);
    assert!(deploy["steps"][0]["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/deploy-pages@"));

    // `make matome` is what the workflow runs in the matome source.
    let makefile = read(repo_root().join("Makefile"));
    assert!(makefile.contains("\nmatome: app\n"), "no `matome` target");

    // Written once; kept without --force.
    let again = matome(
        s.path(),
        &[
            "init",
            "--ci",
            "github",
            "--out",
            "site/build.json",
            "--matome-repo",
            "example/matome",
            "--matome-ref",
            commit,
        ],
    );
    assert_eq!(again.status.code(), Some(2), "{}", shown(&again));
    assert!(
        shown(&again).contains("deploy.yml exists"),
        "{}",
        shown(&again)
    );
}

// Without the repository to build matome from, or without a commit (this test binary
// records none), or without a build.json: a usage error naming what is missing, and
// nothing written.
#[test]
fn init_ci_names_what_it_lacks() {
    let s = Scratch::new("init-ci-none");
    let repo = ["--matome-repo", "example/matome"];
    let commit = ["--matome-ref", "abc123"];
    let cases: [(Vec<&str>, &str); 4] = [
        (repo.to_vec(), "--matome-ref"),
        (commit.to_vec(), "--matome-repo"),
        (
            [&["--matome-repo", "not a repo"][..], &commit].concat(),
            "OWNER/NAME",
        ),
        ([repo, commit].concat(), "build.json"),
    ];
    for (flags, named) in cases {
        let args = [&["init", "--ci", "github"][..], &flags].concat();
        let out = matome(s.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", shown(&out));
        assert!(shown(&out).contains(named), "{args:?}: {}", shown(&out));
    }
    assert!(!s.path().join(".github").exists());
}

// From a folder without build.json, --content alone checks and builds with the defaults:
// the Hugo site's assets (beside the content folder's parent) resolve the thumbnails, the
// bundle goes to target/bundle here. A --config that is missing stays an error naming it.
#[test]
fn content_alone_works_from_any_folder() {
    let s = hugo_site("hugo-single");
    let out = matome(s.path(), &["check", "--content", "site/content/posts"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(!shown(&out).contains("warning"), "{}", shown(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("2 posts, 5 comments"),
        "{}",
        shown(&out)
    );

    let out = matome(s.path(), &["compile", "--content", "site/content/posts"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    let site = read(s.path().join("target/bundle/data/site.json"));
    assert!(site.contains(r#""base_path":"/""#), "{site}");
    assert!(s
        .path()
        .join("target/bundle/data/posts/2025_01/tiny_keyboards.json")
        .is_file());
    assert!(
        s.path().join("target/matome-cache").is_dir(),
        "the default cache folder"
    );

    // publish too: the default precompression, the bundle and the site from the defaults.
    s.write(
        "app/index.html",
        "<!doctype html><html><head><title>t</title></head><body></body></html>",
    );
    let out = matome(
        s.path(),
        &[
            "publish",
            "--content",
            "site/content/posts",
            "--app",
            "app",
            "--site",
            "dist",
            "--precompress",
            "none",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(
        s.path()
            .join("dist/posts/2025_02/quiet_servers/index.html")
            .is_file(),
        "{}",
        shown(&out)
    );

    // The posts folder given absolutely, from an unrelated folder.
    let elsewhere = Scratch::new("content-elsewhere");
    let abs = s.path().join("site/content/posts");
    let out = matome(
        elsewhere.path(),
        &["check", "--content", &abs.to_string_lossy()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert!(!shown(&out).contains("warning"), "{}", shown(&out));

    let out = matome(
        s.path(),
        &[
            "check",
            "--config",
            "nope.json",
            "--content",
            "site/content/posts",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(shown(&out).contains("nope.json"), "{}", shown(&out));

    let out = matome(elsewhere.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", shown(&out));
    assert!(shown(&out).contains("--content DIR"), "{}", shown(&out));
}

// config.toml with lowercase keys (Hugo's are case-insensitive), no languages, posts
// straight under content/, an old Universal Analytics id (reported, not kept) and
// Plausible from the params; the page size defaults to Hugo's 10.
#[test]
fn init_reads_config_toml_case_insensitively_with_plausible() {
    let s = Scratch::new("init-config-toml");
    s.write(
        "site/config.toml",
        "baseurl = 'https://example.com/blog'\ntitle = 'Plain'\ngoogleanalytics = 'UA-12345-1'\n\
         [params]\ndescription = 'plain site'\n[params.plausibleAnalytics]\ndomain = 'example.com'\n\
         script = 'https://stats.example.com/js/script.js'\n",
    );
    s.write(
        "site/content/2025_04/one/index.md",
        common::post("One", "2025-04-01T00:00:00", &["x"], 2),
    );
    let out = matome(s.path(), &["init", "--from-hugo", "site"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    let json: serde_json::Value = serde_json::from_str(&read(s.path().join("build.json"))).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "content": "site/content",
            "assets": "site/assets",
            "title": "Plain",
            "description": "plain site",
            "base_url": "https://example.com/blog/",
            "base_path": "/blog/",
            "analytics": {"provider": "plausible", "id": "example.com", "src": "https://stats.example.com/js/script.js"},
            "hugo_paginate": 10
        })
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("googleanalytics: \"UA-12345-1\" is not a Google Analytics 4 id"),
        "{stdout}"
    );
    assert!(stdout.contains("site/assets does not exist"), "{stdout}");
    let out = matome(s.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
}
