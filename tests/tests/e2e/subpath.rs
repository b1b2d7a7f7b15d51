//! The site built for a sub-path (`make dist-sub`, public URL `/sub/path/`) served under
//! that path: links, fetches and deep links stay inside it.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use matome_e2e::pages::Reader;
use matome_e2e::{dist_dir, http_get, repo_root, with_browser, StaticServer};

use crate::sample_posts;
use crate::scenarios::{
    deep_post_url_renders, home_lists_the_newest_posts, post_shows_every_comment_card,
    unknown_url_shows_the_404_page, with_most_sections,
};

const MOUNT: &str = "/sub/path/";

/// `dist-sub/`, rebuilt with `make dist-sub` when missing or older than `dist/`.
pub(crate) fn dist_sub() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = repo_root().join("dist-sub");
        let mtime = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let stale = match (
            mtime(dir.join("index.html")),
            mtime(dist_dir().join("index.html")),
        ) {
            (Some(sub), Some(main)) => sub < main,
            _ => true,
        };
        if stale {
            eprintln!("note: building dist-sub/ with `make dist-sub`");
            let out = Command::new("make")
                .current_dir(repo_root())
                // Trunk 0.21 wants true/false here.
                .args(["dist-sub", "TRUNK_SKIP_VERSION_CHECK=true"])
                .output()
                .expect("run make dist-sub");
            assert!(
                out.status.success(),
                "`make dist-sub` failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        dir
    })
}

// Under /sub/path/: home, a post opened in-app and reloaded, every deep link, the 404
// page, and no request leaves the sub-path.
#[test]
fn the_sub_path_build_works_under_its_sub_path() {
    let server = StaticServer::start_at(dist_sub(), MOUNT);
    let (root_status, _, _) = http_get(&format!("{}/", server.origin()));
    assert_eq!(root_status, 404, "nothing is served outside the sub-path");
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let shown = home_lists_the_newest_posts(&r, sample_posts(), "subpath-home-desktop").await;
        let p = with_most_sections(sample_posts(), &shown)
            .expect("home shows a post with folded sections");
        r.click_post_card(&p.path).await;
        post_shows_every_comment_card(&r, p).await;
        assert!(
            b.url().await.contains(&format!("{MOUNT}posts/{}/", p.path)),
            "post URL keeps the sub-path"
        );
        b.client.refresh().await.expect("reload");
        r.wait_for_title(&p.title).await;
        b.screenshot("subpath-post-desktop").await;
        for p in sample_posts() {
            deep_post_url_renders(&r, p).await;
        }
        unknown_url_shows_the_404_page(&r, "no/such/page/", "subpath-404-desktop").await;
        let outside: Vec<(String, u16)> = server
            .requests()
            .into_iter()
            .filter(|(path, _)| !path.starts_with(MOUNT) && path != "/" && path != "/favicon.ico")
            .collect();
        assert!(outside.is_empty(), "requests outside {MOUNT}: {outside:?}");
    });
}
