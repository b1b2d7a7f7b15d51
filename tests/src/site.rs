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

/// The authors' binary `make matome` writes (`target/matome`: `matome` with the release
/// app inside). Panics with what to run when it is missing.
pub fn author_binary() -> PathBuf {
    let bin = target_dir().join("matome");
    assert!(
        bin.is_file(),
        "{} is missing: run `make matome` (make test-e2e does)",
        bin.display()
    );
    bin
}

/// Runs the authors' binary `bin` in `dir` as an author would on a machine with nothing
/// else: no environment at all, so an empty PATH (no cargo, Trunk, Node, Python).
pub fn run_alone(bin: &Path, dir: &Path, args: &[&str]) -> std::process::Output {
    let out = std::process::Command::new(bin)
        .current_dir(dir)
        .env_clear()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", bin.display()));
    assert!(
        out.status.success(),
        "{} {args:?} in {} failed:\n{}{}",
        bin.display(),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The site of the corpus, built by the authors' binary alone ([`author_binary`], the
/// app inside it, an empty PATH) from a build.json naming the corpus's posts and
/// images. Built in `work` (emptied first; the site is `<work>/site`), so runs that may
/// overlap (tests, benchmarks) each pass their own folder.
pub fn build_corpus_site(corpus: &Path, work: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).unwrap();
    let root = repo_root();
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("build.json")).unwrap()).unwrap();
    let abs = |p: &Path| p.to_string_lossy().into_owned();
    config["content"] = abs(&std::path::absolute(corpus.join("posts")).unwrap()).into();
    config["assets"] = abs(&std::path::absolute(corpus.join("assets")).unwrap()).into();
    config["output"] = "bundle".into();
    config["cache"] = abs(&target_dir().join("matome-cache-corpus")).into();
    config["base_path"] = "/".into();
    std::fs::write(
        work.join("build.json"),
        serde_json::to_string_pretty(&config).unwrap(),
    )
    .unwrap();
    run_alone(&author_binary(), work, &["build", "--out", "site"]);
    work.join("site")
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
/// may store them gzip-compressed; read either way.
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
