//! Where things are: the repo, `dist/`, the target dir, scratch dirs, copies of a built
//! site that tests may break or rebuild, and a copy serving the real corpus.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The repository root (this crate lives in `<root>/tests`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Cargo's target dir (`CARGO_TARGET_DIR` or `<root>/target`).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("target"),
    }
}

/// The release build under test (`MATOME_E2E_DIST` or `<root>/dist`); panics with what
/// to run when it has not been built.
pub fn dist_dir() -> PathBuf {
    let dist = match std::env::var_os("MATOME_E2E_DIST") {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("dist"),
    };
    assert!(
        dist.join("index.html").is_file(),
        "{} not found: build the site first with `make dist` (or run `make test-e2e`)",
        dist.join("index.html").display()
    );
    dist
}

/// The sample posts (`content/posts`).
pub fn sample_posts_dir() -> PathBuf {
    repo_root().join("content/posts")
}

/// The real posts (`../shared/corpus` next to the repo, with `posts/` and `assets/`).
pub fn corpus_dir() -> PathBuf {
    repo_root().join("../shared/corpus")
}

/// A fresh empty directory under `target/e2e-tmp/`.
pub fn scratch_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = target_dir().join("e2e-tmp").join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies `from` into `to` recursively, skipping top-level entries named in `skip`.
pub fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let src = entry.path();
        let dst = to.join(&name);
        if src.is_dir() {
            copy_tree(&src, &dst, &[]);
        } else {
            std::fs::copy(&src, &dst)
                .unwrap_or_else(|e| panic!("copy {} → {}: {e}", src.display(), dst.display()));
        }
    }
}

/// A scratch copy of `dist/` that a test may damage; removed on drop.
pub struct SiteCopy {
    /// The copy's root.
    pub dir: PathBuf,
}

impl SiteCopy {
    /// Copies the whole of `dist/`.
    pub fn of_dist(name: &str) -> SiteCopy {
        let dir = scratch_dir(name);
        copy_tree(&dist_dir(), &dir, &[]);
        SiteCopy { dir }
    }
}

impl Drop for SiteCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs the compiler (`matome <args>`, profile native) from the repo root.
fn matome(args: &[&str]) -> std::process::Output {
    Command::new(crate::dev_server::matome_binary())
        .current_dir(repo_root())
        .args(args)
        .output()
        .expect("run matome")
}

/// A copy of `dist/` (the app) whose bundle, images and route pages come from the corpus.
/// Built in `work` (emptied first; the site is `<work>/site`), so runs that may overlap
/// (tests, benchmarks) each pass their own folder.
pub fn build_corpus_site(corpus: &Path, work: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(work);
    let (bundle, site) = (work.join("bundle"), work.join("site"));
    let dist = dist_dir();
    // Everything derived from the sample posts stays behind; the app files come along.
    copy_tree(
        &dist,
        &site,
        &["data", "posts", "tags", "months", "search", "thumbnails"],
    );
    let corpus_arg = |sub: &str| corpus.join(sub).to_string_lossy().into_owned();
    let out = matome(&[
        "build",
        "--content",
        &corpus_arg("posts"),
        "--assets",
        &corpus_arg("assets"),
        "--out",
        &bundle.to_string_lossy(),
        "--base-path",
        "/",
    ]);
    assert!(
        out.status.success(),
        "compiling the corpus failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    copy_tree(&bundle, &site, &[]);
    let help = matome(&["help"]);
    let help =
        String::from_utf8_lossy(&help.stdout).into_owned() + &String::from_utf8_lossy(&help.stderr);
    if help.lines().any(|l| l.trim_start().starts_with("pages")) {
        // Trunk's index.html as the template: the sample home's <noscript> taken out.
        let mut template = std::fs::read_to_string(dist.join("index.html")).unwrap();
        while let (Some(a), Some(b)) = (template.find("<noscript"), template.find("</noscript>")) {
            if b < a {
                break;
            }
            template.replace_range(a..b + "</noscript>".len(), "");
        }
        let template_file = work.join("template.html");
        std::fs::write(&template_file, template).unwrap();
        let out = matome(&[
            "pages",
            "--config",
            "build.json",
            "--base-path",
            "/",
            "--template",
            &template_file.to_string_lossy(),
            "--out",
            &site.to_string_lossy(),
        ]);
        assert!(
            out.status.success(),
            "matome pages on the corpus failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        eprintln!("note: `matome pages` not available yet: corpus deep links are not prerendered");
    }
    site
}

/// The sample site published again with `build.json`'s keys overridden by `keys` (a
/// JSON object) and posts from `content` (default: the sample posts), into a scratch
/// folder; the app is the one `make dist` built (`target/app`). Returns the site folder.
pub fn publish_variant(name: &str, keys: serde_json::Value, content: Option<&Path>) -> PathBuf {
    let work = scratch_dir(name);
    let root = repo_root();
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("build.json")).unwrap()).unwrap();
    let abs = |p: &Path| p.to_string_lossy().into_owned();
    config["content"] = abs(content.unwrap_or(&sample_posts_dir())).into();
    config["assets"] = abs(&root.join("public")).into();
    config["output"] = abs(&work.join("bundle")).into();
    config["cache"] = abs(&target_dir().join("matome-cache")).into();
    for (k, v) in keys.as_object().expect("keys is an object") {
        config[k] = v.clone();
    }
    let config_file = work.join("build.json");
    std::fs::write(&config_file, serde_json::to_string_pretty(&config).unwrap()).unwrap();
    let site = work.join("site");
    let out = matome(&[
        "publish",
        "--config",
        &abs(&config_file),
        "--app",
        &abs(&target_dir().join("app")),
        "--site",
        &abs(&site),
    ]);
    assert!(
        out.status.success(),
        "matome publish of the {name} variant failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    site
}

/// The text of a post file of a built site (`data/posts/**.json`): `matome publish`
/// stores them gzip-compressed, `matome pages` plain.
pub fn read_post_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let bytes = std::fs::read(path)?;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e));
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text)?;
    Ok(text)
}

/// The search index a built site describes in its `site.json` (shard and table names).
/// Panics with the file's name when it cannot be read: a test without it has nothing to
/// measure.
pub fn search_info(site: &Path) -> matome_model::search::SearchInfo {
    let path = site.join(matome_model::paths::SITE_JSON);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let info: matome_model::Site =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    info.search
}
