//! Helpers of the command-line tests: scratch folders, small posts, running `matome`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

/// A scratch folder under the system temp dir, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "matome-cli-test-{}-{}-{name}",
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

    /// Writes `<rel>` (creating folders).
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the `matome` binary in `dir`.
pub fn matome(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_matome"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// stdout and stderr of a run, for assertion messages.
pub fn shown(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
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

/// A post of `post` whose thumbnail is `featureimage`.
pub fn post_with_image(title: &str, featureimage: &str) -> String {
    post(title, "2025-01-01T00:00:00", &[], 1).replace(
        "+++\n\n>",
        &format!("featureimage = '{featureimage}'\n+++\n\n>"),
    )
}

/// Every file below `dir` by relative name, with its bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &rel, out);
            } else {
                out.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, "", &mut out);
    out
}
