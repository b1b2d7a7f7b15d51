//! The chromedriver process: one per test binary, shared by every session, on a free
//! loopback port, and gone when the tests are.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

use crate::driver::timeout;
use crate::http::try_http_get;

/// The URL of the shared chromedriver, started on first use on a free loopback port.
/// It dies with the test process (PR_SET_PDEATHSIG on a thread that lives as long).
pub fn chromedriver_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        assert!(
            Path::new(&binary).exists(),
            "chromedriver not found at {binary}: run `make browser` (scripts/install-browser.sh) or set CHROMEDRIVER"
        );
        let port = free_port();
        let log = crate::target_dir().join("e2e-chromedriver.log");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let log_file = std::fs::File::create(&log).expect("create chromedriver log");
            let mut cmd = Command::new(&binary);
            cmd.arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(log_file.try_clone().unwrap())
                .stderr(log_file);
            // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                use std::os::unix::process::CommandExt;
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                    Ok(())
                });
            }
            let mut child = cmd.spawn().unwrap_or_else(|e| panic!("start {binary}: {e}"));
            tx.send(()).unwrap();
            // This thread is the "parent" the death signal watches: it must outlive the tests.
            let _ = child.wait();
        });
        rx.recv().expect("chromedriver thread died");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + timeout();
        loop {
            let ready = try_http_get(&format!("{url}/status"))
                .map(|(status, _, body)| status == 200 && String::from_utf8_lossy(&body).contains("\"ready\":true"))
                .unwrap_or(false);
            if ready {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver on port {port} never became ready");
            std::thread::sleep(Duration::from_millis(100));
        }
        url
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
