//! A site author with the one binary (`target/matome`, `make matome`) and a Hugo site:
//! copied alone into the site's folder, run with nothing else on the machine's PATH,
//! `matome init --from-hugo .` then `matome build` write a site into `public/` that
//! reads like the one `make dist` writes, `matome init --ci github` a workflow that
//! builds this binary's commit, and `matome serve` serves it and follows a saved post. (The corpus tests also run on a site this
//! binary built: `build_corpus_site`.)

use std::path::Path;

use matome_e2e::pages::Reader;
use matome_e2e::site::{author_binary, copy_tree, repo_root, run_alone, scratch_dir};
use matome_e2e::{http_get, with_browser, StaticServer};
use serde_json::json;

/// The Hugo site the CLI's `init` tests read: config/_default/, content/, assets/ (the
/// Blowfish hero's images) and static/ (favicon.ico, apple-touch-icon.png, a manifest).
fn hugo_fixture() -> std::path::PathBuf {
    repo_root().join("crates/cli/tests/fixtures/init/hugo-config-dir/site")
}

/// What Hugo would write for the fixture (one post tagged 生産性 and ツール, the default
/// taxonomies, RSS for every list, the sitemap), as paths below the site root.
const HUGO_URLS: &[&str] = &[
    "",
    "index.xml",
    "sitemap.xml",
    "posts/",
    "posts/index.xml",
    "posts/2025_03/paper_notebooks/",
    "tags/",
    "tags/index.xml",
    "tags/生産性/",
    "tags/生産性/index.xml",
    "tags/ツール/",
    "tags/ツール/index.xml",
    "categories/",
    "categories/index.xml",
    "favicon.ico",
    "apple-touch-icon.png",
    "site.webmanifest",
    "images/banner.txt",
];

#[test]
fn the_binary_alone_builds_a_hugo_site_where_it_stands() {
    let site_dir = scratch_dir("author-hugo-site");
    let _ = std::fs::remove_dir_all(&site_dir);
    copy_tree(&hugo_fixture(), &site_dir, &[]);
    let bin = site_dir.join("matome");
    std::fs::copy(author_binary(), &bin).unwrap();

    let init = run_alone(&bin, &site_dir, &["init", "--from-hugo", "."]);
    let report = String::from_utf8_lossy(&init.stdout);
    assert!(
        report.contains("static"),
        "init names the static files: {report}"
    );
    assert!(site_dir.join("build.json").is_file());
    // The deploy workflow pins the commit the binary was built from.
    run_alone(
        &bin,
        &site_dir,
        &["init", "--ci", "github", "--matome-repo", "example/matome"],
    );
    let workflow = std::fs::read_to_string(site_dir.join(".github/workflows/deploy.yml")).unwrap();
    let head = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo_root())
        .output()
        .unwrap();
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    assert!(
        workflow.contains(&format!("MATOME_REF: \"{head}\"")),
        "the workflow does not pin {head}:\n{workflow}"
    );
    assert!(workflow.contains("~/.matome/bin/matome build --config build.json"));

    let build = run_alone(&bin, &site_dir, &["build"]);
    let said = String::from_utf8_lossy(&build.stdout);
    assert!(said.contains("1 posts"), "{said}");
    let public = site_dir.join("public");
    assert!(public.join("index.html").is_file(), "no public/index.html");

    // Hugo's static/ wins: the favicon is the site's, byte for byte.
    let server = StaticServer::start(&public);
    let fixture_icon = std::fs::read(hugo_fixture().join("static/favicon.ico")).unwrap();
    let (status, _, icon) = http_get(&server.url("favicon.ico"));
    assert_eq!(status, 200);
    assert!(icon == fixture_icon, "favicon.ico is not the site's own");

    // Every page and feed URL Hugo would write answers.
    let mut failures = Vec::new();
    for path in HUGO_URLS {
        let encoded: Vec<String> = path
            .split('/')
            .map(matome_model::paths::encode_component)
            .collect();
        let (status, _, body) = http_get(&server.url(&encoded.join("/")));
        let body = String::from_utf8_lossy(&body);
        let ok = match () {
            _ if status != 200 => false,
            _ if path.ends_with(".xml") => body.starts_with("<?xml"),
            // A page of the site, or a redirect page to one (`categories/` → `tags/`).
            _ if path.is_empty() || path.ends_with('/') => match body
                .split("http-equiv=\"refresh\" content=\"0; url=")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
            {
                Some(target) => {
                    let (status, _, page) = http_get(&format!("{}{target}", server.origin()));
                    status == 200 && String::from_utf8_lossy(&page).contains("data-prerendered")
                }
                None => body.contains("data-prerendered"),
            },
            _ => true,
        };
        if !ok {
            failures.push(format!("/{path}: HTTP {status}"));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");

    let server = &server;
    with_browser(|b| async move {
        let r = Reader::new(&b, server);
        r.open("").await;
        assert_eq!(r.post_cards().await, vec!["2025_03/paper_notebooks"]);
        // The Blowfish hero came along: the banner's image is loaded.
        b.wait_js(
            "the hero banner",
            "const i = document.querySelector('.home-banner');\
             return i && i.complete && i.naturalWidth > 0 ? true : null;",
        )
        .await;
        // The page links the site's icon, not the app's.
        assert_eq!(
            b.js(
                "return [...document.querySelectorAll('link[rel~=icon]')]\
                 .map(l => new URL(l.href).pathname);",
                vec![]
            )
            .await,
            json!(["/favicon.ico"])
        );
        r.click_post_card("2025_03/paper_notebooks").await;
        r.wait_for_title("紙のノートに戻った開発者たち").await;
        assert_eq!(r.wait_for_comment_cards(2).await, 2);
        b.screenshot("author-binary-post").await;
    });
    assert_no_machine_paths(&public);
    serve_alone(&bin, &site_dir);
}

/// `matome serve` with the binary alone (empty environment): it serves the site with
/// the app inside the binary, and a saved post shows its new text without a restart.
fn serve_alone(bin: &Path, site_dir: &Path) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(bin)
        .current_dir(site_dir)
        .env_clear()
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start matome serve");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let out = child.stdout.take().unwrap();
    let _guard = Kill(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let origin = loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("matome serve printed no address");
        if let Some(rest) = line.split("serving http://").nth(1) {
            break format!("http://{}", rest.split('/').next().unwrap());
        }
    };
    let post = format!(
        "{origin}/posts/{}/",
        ["2025_03", "paper_notebooks"].join("/")
    );
    let (status, _, page) = http_get(&post);
    let page = String::from_utf8_lossy(&page);
    assert_eq!(status, 200);
    assert!(page.contains("紙のノートに戻った開発者たち") && page.contains("data-prerendered"));
    let file = site_dir.join("content/posts/2025_03/paper_notebooks/index.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("唯一の不満かな。", "唯一の不満かな。保存後の一文。"),
    )
    .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let (_, _, page) = http_get(&post);
        if String::from_utf8_lossy(&page).contains("保存後の一文。") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the saved post was not served within 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// The published site names no folder of the machine that built it.
fn assert_no_machine_paths(public: &Path) {
    let needle = public.parent().unwrap().to_string_lossy().into_owned();
    let mut stack = vec![public.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                assert!(
                    !text.contains(&needle),
                    "{} names the build folder",
                    path.display()
                );
            }
        }
    }
}
