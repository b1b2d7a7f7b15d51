//! `matome serve`, what `make serve` runs beside `trunk watch`, on a scratch copy of the
//! sample site with the app of `make dist`: a post open in the browser follows its file.

use std::path::Path;

use matome_e2e::dev_server::{DevServer, STATIC_FILE};
use matome_e2e::{http_get, with_browser, Browser};
use serde_json::Value;

use crate::sample_posts;

async fn page_has(b: &Browser, word: &str) -> bool {
    let script = "return !!document.body && document.body.textContent.includes(arguments[0])";
    b.client
        .execute(script, vec![Value::from(word)])
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

fn with_word(source: &str, word: &str) -> String {
    source.replacen("body=\"", &format!("body=\"{word} "), 1)
}

// Saving a post reloads the page open on it with the change; a broken post prints
// path:line:col and the last good page stays, in the browser and over HTTP; fixing it
// brings the change.
#[test]
fn a_saved_post_shows_in_the_open_page_and_a_broken_one_keeps_the_last_good_site() {
    let server = DevServer::start("serve");
    let post = &sample_posts()[0];
    let rel = Path::new(&post.path).join("index.md");
    let file = server.post_file(&rel);
    let original = std::fs::read_to_string(&file).unwrap();
    let page = format!("{}posts/{}/", server.url, post.path);
    let server = &server;
    with_browser(|b| async move {
        b.goto(&page).await;
        b.wait_js(
            "the app took over",
            "return document.documentElement.dataset.app === 'live'",
        )
        .await;
        assert!(!page_has(&b, "保存した一言").await);

        std::fs::write(&file, with_word(&original, "保存した一言")).unwrap();
        b.wait_for("the saved word in the open page", || async {
            page_has(&b, "保存した一言").await.then_some(())
        })
        .await;
        assert_eq!(b.url().await, page, "the page reloaded in place");
        b.wait_js(
            "the app took over again",
            "return document.documentElement.dataset.app === 'live'",
        )
        .await;

        let printed = server.output().len();
        let broken =
            with_word(&original, "壊れた版").replacen("{{<matomeQuote", "{{<matomeQoute", 1);
        std::fs::write(&file, broken).unwrap();
        let position = format!("{}:", rel.display());
        let at = server.wait_for_line_after("the error's path:line:col", printed, |l| {
            l.split_once(&position).is_some_and(|(_, rest)| {
                let mut nums = rest.split(':');
                let (line, col) = (nums.next().unwrap_or(""), nums.next().unwrap_or(""));
                !line.is_empty()
                    && line.chars().all(|c| c.is_ascii_digit())
                    && col.chars().take_while(char::is_ascii_digit).count() > 0
            })
        });
        server.wait_for_line_after("the last good site staying", printed, |l| {
            l.contains("the last good site stays")
        });
        let (status, _, body) = http_get(&page);
        let body = String::from_utf8_lossy(&body);
        assert_eq!(status, 200, "after {at}");
        assert!(body.contains("保存した一言") && !body.contains("壊れた版"));
        assert!(page_has(&b, "保存した一言").await && !page_has(&b, "壊れた版").await);

        std::fs::write(&file, with_word(&original, "直した版")).unwrap();
        b.wait_for("the fixed post in the open page", || async {
            page_has(&b, "直した版").await.then_some(())
        })
        .await;
        assert!(!page_has(&b, "保存した一言").await);
    });
}

// A file of the site's static/ folder is served at the site root, and saving it
// publishes again like saving a post. Saved as many editors do, a new file renamed over
// the old one: the site's hard link to the old file keeps the old bytes until then.
#[test]
fn a_saved_static_file_is_served_changed() {
    let server = DevServer::start("serve-static");
    let url = format!("{}{STATIC_FILE}", server.url);
    let body = |url: &str| {
        let (status, _, body) = http_get(url);
        (status, String::from_utf8_lossy(&body).into_owned())
    };
    assert_eq!(body(&url), (200, "first".to_string()));
    let folder = server.dir.join("static");
    std::fs::write(folder.join(".notice.txt.swp"), "second").unwrap();
    std::fs::rename(folder.join(".notice.txt.swp"), folder.join(STATIC_FILE)).unwrap();
    let deadline = std::time::Instant::now() + matome_e2e::driver::timeout();
    while body(&url).1 != "second" {
        assert!(
            std::time::Instant::now() < deadline,
            "{url} still answers {:?}; serve said:\n{}",
            body(&url),
            server.output().join("\n")
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
