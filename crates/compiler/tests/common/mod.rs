//! Helpers shared by the compiler's integration tests: scratch folders and small posts.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use matome_compiler::Config;

/// A scratch folder under the system temp dir, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "matome-test-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `content/<rel>` (creating folders).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A config reading `content/` and `assets/`, writing `out/`.
    pub fn config(&self) -> Config {
        let mut c = Config::new(self.0.join("content"), self.0.join("out"));
        c.assets = self.0.join("assets");
        c.cache = self.0.join("cache");
        c.page_size = 2;
        c
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A post with the given date, tags and `n` comments, in the real layout.
pub fn post(title: &str, date: &str, tags: &[&str], n: usize) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("{t:?}")).collect();
    let mut s = format!(
        "+++\ndate = '{date}'\ndraft = false\ntitle = '{title}'\ntags = [{}]\n+++\n\n> {title}\n\n引用元：[https://news.ycombinator.com/item?id=1](https://news.ycombinator.com/item?id=1)\n\n",
        tags.join(", ")
    );
    for i in 0..n {
        s.push_str(&format!(
            "{{{{<matomeQuote body=\"コメント{i}です\" userName=\"u{i}\" createdAt=\"2025-01-01T00:00:0{}\" color=\"\">}}}}\n\n",
            i % 10
        ));
    }
    s.push_str("[記事一覧へ]({{% ref \"/posts/\" %}})\n");
    s
}

/// The `../shared/corpus` folder beside the repository, if it exists.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    dir.join("posts").is_dir().then_some(dir)
}

/// Says that `test` did not run for want of the corpus. Written to the process's stderr
/// directly (not through `eprintln!`, which the test harness captures and hides for a
/// passing test), so the skip shows in every `cargo test` run; `make test-native` counts
/// these lines.
pub fn skipped_without_corpus(test: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped (no ../shared/corpus): {test}");
}

/// Every `index.md` below `dir`, sorted.
pub fn index_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "index.md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Every file below `root` with its bytes.
pub fn snapshot(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(root).unwrap().display().to_string(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}
