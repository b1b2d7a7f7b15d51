//! `matome serve` (what `make serve` runs besides Trunk) on a scratch copy of the sample
//! site: its posts, thumbnails and build.json, the app of the last `make dist`
//! (`target/app`). The serve test and `make bench-serve` edit the copy's posts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::site::{copy_tree, repo_root, sample_posts_dir, scratch_dir, target_dir};

/// A running `matome serve` on loopback; killed and its folder removed on drop.
pub struct DevServer {
    /// The scratch site: `posts/`, `public/`, `static/`, `build.json`, and `serve/` (its
    /// output).
    pub dir: PathBuf,
    /// `http://127.0.0.1:<port>/`.
    pub url: String,
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
}

/// The `matome` binary: `MATOME_BIN` when set (relative to the repo root; `make test`
/// passes the one its single build made), else built once per process with the `native`
/// profile.
pub fn matome_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("MATOME_BIN").filter(|b| !b.is_empty()) {
        return repo_root().join(bin);
    }
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(|| {
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(repo_root())
            .args([
                "build",
                "-q",
                "--locked",
                "--profile",
                "native",
                "-p",
                "matome-cli",
                "--bin",
                "matome",
            ])
            .status()
            .expect("run cargo");
        assert!(status.success(), "building the matome binary failed");
    });
    target_dir().join("native/matome")
}

/// A file of the scratch site's `static/` folder, served at the site root.
pub const STATIC_FILE: &str = "notice.txt";

impl DevServer {
    /// Copies the sample site into a scratch folder and starts `matome serve` on a free
    /// loopback port; returns once it has published the site and listens.
    pub fn start(name: &str) -> DevServer {
        // The app as Trunk wrote it, as `trunk watch` gives it to `make serve`: serve
        // prepares it (`matome prepare-app`'s pass) before it publishes.
        let app = target_dir().join("trunk-app");
        assert!(
            app.join("index.html").is_file(),
            "{} not found: build the app first with `make dist`",
            app.display()
        );
        let dir = scratch_dir(name);
        copy_tree(&sample_posts_dir(), &dir.join("posts"), &[]);
        copy_tree(&repo_root().join("public"), &dir.join("public"), &[]);
        let mut config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(repo_root().join("build.json")).unwrap())
                .unwrap();
        config["content"] = "posts".into();
        config["assets"] = "public".into();
        config["output"] = "unused-bundle".into();
        // The site's own files (Hugo's static/), copied to the site root as they are.
        std::fs::create_dir_all(dir.join("static")).unwrap();
        std::fs::write(dir.join("static").join(STATIC_FILE), "first").unwrap();
        config["static"] = "static".into();
        std::fs::write(dir.join("build.json"), config.to_string()).unwrap();
        let mut child = Command::new(matome_binary())
            .current_dir(&dir)
            .args([
                "serve",
                "--config",
                "build.json",
                "--port",
                "0",
                "--dir",
                "serve",
                "--app",
            ])
            .arg(&app)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start matome serve");
        let lines = Arc::new(Mutex::new(Vec::new()));
        for out in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = lines.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    eprintln!("  [matome serve] {line}");
                    lines.lock().unwrap().push(line);
                }
            });
        }
        let mut server = DevServer {
            dir,
            url: String::new(),
            child,
            lines,
        };
        let line = server.wait_for_line("the serving line", |l| l.starts_with("serving http://"));
        server.url = line
            .trim_start_matches("serving ")
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        server
    }

    /// The scratch copy of a sample post's file, by its path under `posts/`.
    pub fn post_file(&self, rel: &Path) -> PathBuf {
        self.dir.join("posts").join(rel)
    }

    /// Everything the server printed so far (stdout and stderr, line by line).
    pub fn output(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits (at most the e2e timeout) for a printed line matching `pred`, counting
    /// lines printed from index `from` on; returns it.
    pub fn wait_for_line_after(
        &self,
        what: &str,
        from: usize,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + crate::driver::timeout();
        loop {
            if let Some(l) = self.output().iter().skip(from).find(|l| pred(l)) {
                return l.clone();
            }
            assert!(
                Instant::now() < deadline,
                "matome serve never printed {what}; it printed:\n{}",
                self.output().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_for_line(&mut self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        if let Ok(Some(status)) = self.child.try_wait() {
            panic!(
                "matome serve exited ({status}):\n{}",
                self.output().join("\n")
            );
        }
        self.wait_for_line_after(what, 0, pred)
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
