//! `matome serve` on the real binary, without a browser (the browser test is
//! tests/tests/e2e/serve.rs): it publishes once per save, not at all while nothing
//! changes, and serves the pages with the reload script.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use common::{post, Scratch};

/// Long enough for a publish on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `matome serve`, killed on drop, and the lines it prints.
struct Serve {
    child: Child,
    lines: Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(s: &Scratch) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_matome"))
            .current_dir(s.path())
            .args(["serve", "--port", "0", "--dir", "serve", "--app", "app"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = channel();
        for out in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Serve { child, lines }
    }

    /// The lines printed until one matches `what` (that one last).
    fn until(&self, what: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let done = what(&line);
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(_) => panic!("matome serve never printed that; it printed:\n{seen:#?}"),
            }
        }
    }

    /// The lines printed within `wait`.
    fn printed_within(&self, wait: Duration) -> Vec<String> {
        let deadline = Instant::now() + wait;
        let mut seen = Vec::new();
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            seen.push(line);
        }
        seen
    }
}

/// Status line and body of a GET on loopback.
fn get(port: &str, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

fn published(line: &str) -> bool {
    line.starts_with("published in ")
}

// One save is one publish with the change served; with nothing saved nothing is
// published (no polling); a broken post prints path:line:col and the last good page
// stays served.
#[test]
fn serve_publishes_once_per_save_and_never_while_idle() {
    let s = Scratch::new("serve");
    s.write(
        "build.json",
        r#"{"content": "content", "assets": "assets", "output": "out", "title": "T"}"#,
    );
    s.write(
        "app/index.html",
        "<!doctype html><html><head><title>t</title></head><body></body></html>",
    );
    let original = post("A", "2025-01-01T00:00:00", &[], 3);
    let file = s.write("content/2025_01/a/index.md", &original);
    let serve = Serve::start(&s);
    let port = serve
        .until(|l| l.starts_with("serving http://"))
        .pop()
        .unwrap()
        .trim_start_matches("serving http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let (status, page) = get(&port, "/posts/2025_01/a/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(page.contains("コメント1です"), "{page}");
    assert!(
        page.contains(r#"<script src="/_matome/reload.js" data-generation=""#),
        "{page}"
    );

    assert_eq!(
        serve.printed_within(Duration::from_millis(1500)),
        Vec::<String>::new(),
        "nothing saved, nothing published"
    );

    std::fs::write(&file, original.replace("コメント1です", "保存した一言")).unwrap();
    let lines = serve.until(published);
    assert!(
        lines.last().unwrap().contains("reloading open pages"),
        "{lines:#?}"
    );
    let more = serve.printed_within(Duration::from_millis(1500));
    assert!(
        !more.iter().any(|l| published(l)),
        "one save, one publish: {more:#?}"
    );
    let (_, page) = get(&port, "/posts/2025_01/a/");
    assert!(page.contains("保存した一言"), "{page}");

    std::fs::write(&file, original.replace("{{<matomeQuote", "{{<matomeQoute")).unwrap();
    let lines = serve.until(|l| l.contains("the last good site stays"));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("content/2025_01/a/index.md:") && l.contains("matomeQoute")),
        "{lines:#?}"
    );
    let (status, page) = get(&port, "/posts/2025_01/a/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(page.contains("保存した一言"), "{page}");
}
