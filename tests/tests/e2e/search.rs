//! The search page: titles, tags and opening comments, case- and width-insensitive.

use std::collections::BTreeSet;

use matome_e2e::pages::Reader;
use matome_e2e::site::search_info;
use matome_e2e::{dist_dir, with_browser, StaticServer};
use matome_model::search;

use crate::sample_posts;

/// An ASCII tag carried by the most sample posts (case-insensitively), and those posts.
fn common_ascii_tag() -> (String, BTreeSet<String>) {
    let mut best: Option<(String, BTreeSet<String>)> = None;
    for post in sample_posts() {
        for tag in post
            .tags
            .iter()
            .filter(|t| t.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            let tagged: BTreeSet<String> = sample_posts()
                .iter()
                .filter(|p| p.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
                .map(|p| p.path.clone())
                .collect();
            if best.as_ref().is_none_or(|(_, b)| tagged.len() > b.len()) {
                best = Some((tag.clone(), tagged));
            }
        }
    }
    best.expect("a sample post with an ASCII tag")
}

/// Full-width form of ASCII letters and digits, as Japanese IMEs type them.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| {
            char::from_u32(c as u32 + 0xFEE0)
                .filter(|_| c.is_ascii_graphic())
                .unwrap_or(c)
        })
        .collect()
}

// Searching a tag finds every post carrying it, typed in lowercase or full-width alike;
// a word in no post finds nothing.
#[test]
fn search_finds_a_tags_posts_whatever_the_case_and_width() {
    let server = StaticServer::start(&dist_dir());
    let (tag, tagged) = common_ascii_tag();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let mut results = Vec::new();
        for query in [tag.to_lowercase(), full_width(&tag)] {
            r.open(&format!("search/?q={}", query)).await;
            r.wait_for_search_to_finish().await;
            let shown: BTreeSet<String> = r.post_cards_now().await.into_iter().collect();
            assert!(
                shown.is_superset(&tagged),
                "{query:?} finds every post tagged {tag}: {shown:?} vs {tagged:?}"
            );
            results.push(shown);
        }
        assert_eq!(
            results[0], results[1],
            "lowercase and full-width queries find the same posts"
        );
        b.screenshot("sample-search-desktop").await;
        r.open("search/?q=zzqqxxnothing").await;
        let status = r.wait_for_search_to_finish().await;
        assert!(
            status.contains("見つかりませんでした"),
            "nothing found: {status}"
        );
        assert_eq!(r.post_cards_now().await.len(), 0);
    });
}

// A shared link with tag and month filters (the tag in lowercase, as typed by hand) opens
// with both chosen in the filters, and its results carry the tag and are of that month.
#[test]
fn a_tag_filter_in_the_url_is_chosen_and_applied() {
    let server = StaticServer::start(&dist_dir());
    let (tag, tagged) = common_ascii_tag();
    // The month of one of the tag's posts, and the tag's posts of that month.
    let month = sample_posts()
        .iter()
        .find(|p| tagged.contains(&p.path))
        .map(|p| p.month.clone())
        .expect("a tagged post");
    let expected: BTreeSet<String> = sample_posts()
        .iter()
        .filter(|p| tagged.contains(&p.path) && p.month == month)
        .map(|p| p.path.clone())
        .collect();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        // The tag as the query finds its posts (and maybe others, which the filters drop).
        let route = format!(
            "search/?q={}&tag={tag}&month={}",
            tag.to_lowercase(),
            month.replace('/', "-")
        );
        r.open(&route).await;
        r.wait_for_search_to_finish().await;
        // The option is the tag's own spelling, which may differ from the post's in case.
        b.eventually_eq(
            "the filters' values (tag lowercased)",
            &(tag.to_lowercase(), month.replace('/', "-")),
            || async {
                let (t, m) = r.search_filter_values().await;
                (t.to_lowercase(), m)
            },
        )
        .await;
        b.screenshot("sample-search-filtered-desktop").await;
        let shown: BTreeSet<String> = r.post_cards_now().await.into_iter().collect();
        assert_eq!(
            shown, expected,
            "the results are the posts tagged {tag} of {month}"
        );
    });
}

/// Runs of six or more Japanese characters (kana, kanji) in the comment cards of a post's
/// source, skipping its first three cards (their text may be in the excerpt).
fn comment_phrases(source: &str) -> Vec<String> {
    let japanese = |c: char| matches!(c, '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}');
    let mut phrases = Vec::new();
    for card in source.split("matomeQuote").skip(4) {
        let card = card.split(">}}").next().unwrap_or("");
        let mut run = String::new();
        for c in card.chars().chain(['\n']) {
            if japanese(c) {
                run.push(c);
            } else {
                if run.chars().count() >= 6 {
                    phrases.push(run.clone());
                }
                run.clear();
            }
        }
    }
    phrases
}

/// A phrase from a comment body that is in exactly one sample post's source and in no
/// title or tag, with that post's path.
fn distinctive_comment_phrase() -> (String, String) {
    let posts = sample_posts();
    for post in posts {
        for phrase in comment_phrases(&post.source) {
            let in_sources = posts.iter().filter(|p| p.source.contains(&phrase)).count();
            let in_titles = posts
                .iter()
                .any(|p| p.title.contains(&phrase) || p.tags.iter().any(|t| t.contains(&phrase)));
            if in_sources == 1 && !in_titles {
                return (phrase, post.path.clone());
            }
        }
    }
    panic!("no sample post has a distinctive comment phrase");
}

// A phrase found only deep in one post's comments finds exactly that post, with a snippet.
#[test]
fn search_finds_a_phrase_from_the_comments_of_one_post() {
    let server = StaticServer::start(&dist_dir());
    let (phrase, path) = distinctive_comment_phrase();
    let encoded: String = phrase.bytes().map(|b| format!("%{b:02X}")).collect();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open(&format!("search/?q={encoded}")).await;
        r.wait_for_search_to_finish().await;
        b.eventually_eq(
            &format!("the one post whose comments say {phrase:?}"),
            &vec![path.clone()],
            || async { r.post_cards_now().await },
        )
        .await;
        b.screenshot("sample-search-full-text").await;
    });
}

/// A card inside a folded section whose body holds a run of six or more Japanese
/// characters found in no other sample post's source: (post path, card number, run).
fn folded_card_phrase() -> (String, u32, String) {
    let japanese = |c: char| matches!(c, '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}');
    let posts = sample_posts();
    for post in posts {
        let mut folded = false;
        let mut n = 0;
        let mut rest = post.source.as_str();
        // Markers in source order: sections open and close around cards.
        while let Some(at) = [
            "{{<matomeQuote",
            "{{< details",
            "{{< /details",
            "{{</details",
        ]
        .iter()
        .filter_map(|m| rest.find(m).map(|i| (i, *m)))
        .min()
        {
            let (i, marker) = at;
            rest = &rest[i + marker.len()..];
            match marker {
                "{{< details" => folded = true,
                "{{<matomeQuote" => {
                    n += 1;
                    let body = rest
                        .split("body=\"")
                        .nth(1)
                        .and_then(|b| b.split('"').next())
                        .unwrap_or("");
                    let mut run = String::new();
                    for c in body.chars().chain(['\n']) {
                        if japanese(c) {
                            run.push(c);
                            continue;
                        }
                        let unique = run.chars().count() >= 6
                            && posts.iter().filter(|p| p.source.contains(&run)).count() == 1
                            && !post.title.contains(&run);
                        if folded && unique {
                            return (post.path.clone(), n, run);
                        }
                        run.clear();
                    }
                }
                _ => folded = false,
            }
        }
    }
    panic!("no sample post has a distinctive phrase in a folded card");
}

// A reader types a phrase from a folded comment, sees it highlighted in a snippet,
// clicks the snippet and lands on that card, highlighted, its section opened.
#[test]
fn typing_a_phrase_and_clicking_its_snippet_lands_on_the_folded_comment() {
    let server = StaticServer::start(&dist_dir());
    let (path, n, phrase) = folded_card_phrase();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("search/").await;
        r.type_search(&phrase).await;
        r.wait_for_search_to_finish().await;
        let route = format!("posts/{path}/");
        let fragment = format!("#c{n}");
        let snippets = r.search_snippets_now().await;
        let mine = snippets
            .iter()
            .find(|(r, f, _)| *r == route && *f == fragment);
        let (_, _, marks) =
            mine.unwrap_or_else(|| panic!("a snippet for {route}{fragment}: {snippets:?}"));
        assert!(
            !marks.is_empty() && marks.iter().all(|m| *m == phrase),
            "{phrase:?} is highlighted: {marks:?}"
        );
        assert!(
            r.current_route().await.starts_with("search/"),
            "still on the search page"
        );
        b.screenshot("sample-search-snippet").await;
        r.click_search_snippet(&route, &fragment).await;
        r.wait_for_targeted_card(&format!("c{n}")).await;
        assert_eq!(r.current_route().await, route);
        b.screenshot("sample-search-landed").await;
    });
}

// Markup typed into the search box stays text: no element or dialog comes of it.
#[test]
fn markup_in_a_query_renders_as_text() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("search/").await;
        r.install_dialog_trap().await;
        let hostile = "<img src=x onerror=alert(1)><script>alert(2)</script> script";
        r.type_search(hostile).await;
        r.wait_for_search_to_finish().await;
        let injected = b
            .js(
                "return document.querySelectorAll('main img[src=x], main script').length;",
                vec![],
            )
            .await;
        assert_eq!(injected.as_i64(), Some(0), "no element from the query");
        assert_eq!(r.trapped_dialogs().await, Some(vec![]), "no dialog opened");
    });
}

// The search engine is not part of the first load: a reader who opens the home page and
// a post never downloads it; the search page starts it (a worker of its own) and finds.
#[test]
fn the_search_engine_loads_with_the_search_page_only() {
    let server = StaticServer::start(&dist_dir());
    let (tag, tagged) = common_ascii_tag();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let worker_requests = || {
            server
                .requests()
                .into_iter()
                .filter(|(path, _)| path.contains("search-worker"))
                .collect::<Vec<_>>()
        };
        r.open("").await;
        r.wait_live().await;
        let first = tagged.iter().next().expect("a tagged post").clone();
        r.open(&format!("posts/{first}/")).await;
        r.wait_live().await;
        assert_eq!(
            worker_requests(),
            Vec::new(),
            "home and post pages fetch no search code"
        );
        r.open(&format!("search/?q={}", tag.to_lowercase())).await;
        r.wait_for_search_to_finish().await;
        let shown: BTreeSet<String> = r.post_cards_now().await.into_iter().collect();
        assert!(shown.is_superset(&tagged), "{shown:?} vs {tagged:?}");
        let fetched = worker_requests();
        assert!(
            fetched.iter().any(|(p, s)| p.ends_with(".js") && *s == 200)
                && fetched
                    .iter()
                    .any(|(p, s)| p.ends_with("_bg.wasm") && *s == 200),
            "the search page loads the worker's script and wasm: {fetched:?}"
        );
    });
}

// Pointing at the header's search link starts the search worker (its script and wasm)
// and has it read the post table, so the search page opened from there answers the
// first keystroke without waiting for either; before that, the page fetched no search
// code.
#[test]
fn pointing_at_the_header_search_link_starts_the_search_worker() {
    let server = StaticServer::start(&dist_dir());
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let search_requests = || {
            server
                .requests()
                .into_iter()
                .filter(|(path, status)| {
                    *status == 200
                        && (path.contains("search-worker") || path.contains("/data/search/"))
                })
                .map(|(path, _)| path)
                .collect::<Vec<_>>()
        };
        r.open("").await;
        r.wait_live().await;
        assert_eq!(
            search_requests(),
            Vec::<String>::new(),
            "nothing of search before the pointer comes"
        );
        r.point_at_header_search_link().await;
        b.wait_for(
            "the worker's script, wasm and post table after the hover",
            || async {
                let fetched = search_requests();
                let has = |f: &dyn Fn(&str) -> bool| fetched.iter().any(|p| f(p));
                (has(&|p| p.contains("search-worker") && p.ends_with(".js"))
                    && has(&|p| p.contains("search-worker") && p.ends_with("_bg.wasm"))
                    && has(&|p| p.contains("/data/search/posts")))
                .then_some(())
            },
        )
        .await;
    });
}

// The search page has the worker read the post table as soon as it listens, even when
// the worker starts after the page has settled on the empty query (a busy phone): that
// query stops any search, and once dropped the request to read the table with it, so
// the first keystroke waited for `site.json` and the table.
#[test]
fn a_slow_search_worker_still_reads_the_post_table_before_the_first_keystroke() {
    let dist = dist_dir();
    let worker_wasm = std::fs::read_dir(&dist)
        .expect("the site folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|name| name.starts_with("search-worker") && name.ends_with("_bg.wasm"))
        .expect("the search worker's wasm in the site");
    let server = StaticServer::start(&dist);
    server.hold(&worker_wasm);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("search/").await;
        r.wait_live().await;
        r.wait_for_search_to_finish().await;
        let table_requests = || {
            server
                .requests()
                .into_iter()
                .filter(|(path, status)| *status == 200 && path.contains("/data/search/posts"))
                .count()
        };
        assert_eq!(table_requests(), 0, "no table before the worker runs");
        server.release();
        b.wait_for(
            "the worker to read the post table with nothing typed",
            || async { (table_requests() == 1).then_some(()) },
        )
        .await;
    });
}

// Typing on stops the index downloads an earlier keystroke started that the query now
// typed does not need (the fetch is aborted, so the server sees the client give it up):
// left running, they hold connections (six at most over HTTP/1.1) and bandwidth the
// query being answered waits for. Here the first word's shard never comes; the second
// word is answered all the same, and the first word's download is given up.
#[test]
fn typing_on_stops_the_index_downloads_the_new_query_does_not_need() {
    let dist = dist_dir();
    let shards = search_info(&dist).shards;
    let needs = |q: &str| search::shards_for(&search::parse_query(q), shards.len());
    let tags: BTreeSet<String> = sample_posts()
        .iter()
        .flat_map(|p| p.tags.iter().cloned())
        .collect();
    // Two tags whose index keys live in different shards.
    let (first, second) = tags
        .iter()
        .flat_map(|a| tags.iter().map(move |b| (a, b)))
        .find(|(a, b)| needs(a).iter().all(|s| !needs(b).contains(s)))
        .expect("two sample tags whose keys live in different index shards");
    let held: Vec<String> = needs(first).iter().map(|&i| shards[i].clone()).collect();
    let server = StaticServer::start(&dist);
    for name in &held {
        server.hold(name);
    }
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("search/").await;
        r.wait_live().await;
        r.wait_for_search_to_finish().await;
        r.type_search(first).await;
        let asked = |name: &str| {
            let path = format!("/{name}");
            server.waiting().contains(&path)
        };
        b.wait_for(
            &format!("the worker to ask for {first:?}'s index shards {held:?}"),
            || async { held.iter().all(|n| asked(n)).then_some(()) },
        )
        .await;
        b.js(
            "const i = document.querySelector('input[type=search]');
             i.value = arguments[0];
             i.dispatchEvent(new InputEvent('input', { bubbles: true }));
             return true;",
            vec![serde_json::json!(second)],
        )
        .await;
        let status = r.wait_for_search_to_finish().await;
        assert!(
            !status.contains("見つかりません") && !r.post_cards_now().await.is_empty(),
            "{second:?} is answered while {first:?}'s shards are held: {status}"
        );
        b.wait_for(
            &format!("{first:?}'s held shard downloads to be given up"),
            || async {
                let log = server.requests();
                held.iter()
                    .all(|n| {
                        let path = format!("/{n}");
                        log.iter()
                            .any(|(p, s)| *p == path && *s == StaticServer::GONE)
                    })
                    .then_some(())
            },
        )
        .await;
        server.release();
    });
}

// The address shows the query once typing pauses (a link to share), not at every key;
// a reader who follows a result before that pause keeps the result's own address.
#[test]
fn the_address_follows_the_query_once_typing_pauses() {
    let server = StaticServer::start(&dist_dir());
    let (tag, tagged) = common_ascii_tag();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open("search/").await;
        r.type_search(&tag).await;
        r.wait_for_search_to_finish().await;
        b.wait_for("the address to show the query", || async {
            b.url()
                .await
                .ends_with(&format!("/search/?q={tag}"))
                .then_some(())
        })
        .await;
        // A space (the same posts answer), and straight to a result.
        r.type_search(" ").await;
        let path = tagged.iter().next().expect("a tagged post");
        r.click_post_card(path).await;
        let route = format!("posts/{path}/");
        b.wait_for("the post to open", || async {
            (r.current_route().await == route).then_some(())
        })
        .await;
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        let url = b.url().await;
        assert!(
            !url.contains("q="),
            "the post's address carries no query: {url}"
        );
    });
}

/// A phrase of the site [`decoy_site`] writes: only its oldest post holds it whole.
const OLD_PHRASE: &str = "趣味開発で燃え尽きた";
/// A phrase whose halves every post of [`decoy_site`] holds, and none whole.
const NO_PHRASE: &str = "合言葉はまだ決めていない";
/// A katakana word two posts of [`decoy_site`] hold, one of them in half-width form.
const KANA_WORD: &str = "ペンギンクラブ";
/// Posts of [`decoy_site`], newest first; the last is the oldest.
const DECOY_POSTS: usize = 25;

/// The halves of `phrase` that overlap by three characters: a post holding both in
/// different comments holds every pair and trigram of it, so the index names it as a
/// candidate, but not the phrase.
fn halves(phrase: &str) -> (String, String) {
    let chars: Vec<char> = phrase.chars().collect();
    let mid = chars.len() / 2;
    (
        chars[..mid + 2].iter().collect(),
        chars[mid - 1..].iter().collect(),
    )
}

/// A site of [`DECOY_POSTS`] posts (the sample app, published by `matome publish`) in
/// which every post is a search candidate for [`OLD_PHRASE`] and [`NO_PHRASE`], only the
/// oldest holds [`OLD_PHRASE`], and two hold [`KANA_WORD`]. Returns the site and the
/// posts' paths, newest first.
fn decoy_site() -> (std::path::PathBuf, Vec<String>) {
    let content = matome_e2e::site::scratch_dir("decoy-content");
    let (old_a, old_b) = halves(OLD_PHRASE);
    let (no_a, no_b) = halves(NO_PHRASE);
    let mut paths = Vec::new();
    for i in 0..DECOY_POSTS {
        let day = DECOY_POSTS - i;
        let path = format!("2024_03/decoy-{i:02}");
        let oldest = i + 1 == DECOY_POSTS;
        let mut bodies = vec![
            format!("{old_a}かもしれない"),
            format!("それは{no_a}という話"),
            format!("結局{old_b}と聞いた"),
            format!("ところで{no_b}らしい"),
        ];
        if oldest {
            bodies.push(format!("週末の{OLD_PHRASE}ことがある"));
        }
        match i {
            3 => bodies.push(format!("{KANA_WORD}に入った")),
            9 => bodies.push("ﾍﾟﾝｷﾞﾝｸﾗﾌﾞの集まり".to_string()),
            _ => {}
        }
        let mut text = format!(
            "+++\ndate = '2024-03-{day:02}T00:00:00'\ndraft = false\ntitle = '検索の試験記事{i}'\ntags = [\"試験\"]\n+++\n\n> 検索の試験記事{i}\n\n"
        );
        for (n, body) in bodies.iter().enumerate() {
            text.push_str(&format!(
                "{{{{<matomeQuote body=\"{body}\" userName=\"user{n}\" createdAt=\"2024-03-{day:02}T10:00:00\" color=\"\">}}}}\n\n"
            ));
        }
        let dir = content.join(&path);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.md"), text).unwrap();
        paths.push(path);
    }
    let site = matome_e2e::site::publish_variant("decoys", serde_json::json!({}), Some(&content));
    (site, paths)
}

// A phrase whose only post is the oldest of many candidates (every post holds its
// pieces) is found on the first screen, with the comment that holds it.
#[test]
fn a_phrase_only_the_oldest_candidate_holds_is_on_the_first_screen() {
    let (site, paths) = decoy_site();
    let server = StaticServer::start(&site);
    let oldest = paths.last().unwrap().clone();
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open(&format!("search/?q={OLD_PHRASE}")).await;
        let status = r.wait_for_search_to_finish().await;
        let shown = r.post_cards_now().await;
        assert_eq!(
            shown,
            std::slice::from_ref(&oldest),
            "the oldest post answers {OLD_PHRASE:?} ({status})"
        );
        let snippets = r.search_snippets_now().await;
        assert_eq!(snippets.len(), 1, "{snippets:?}");
        assert_eq!(snippets[0].1, "#c5", "the comment holding it");
        assert_eq!(snippets[0].2, [OLD_PHRASE.to_string()]);
        b.screenshot("search-oldest-candidate-desktop").await;
        b.set_viewport_width(390, 844).await;
        b.screenshot("search-oldest-candidate-390").await;
    });
}

// A query no post answers says 見つかりませんでした only once every candidate has been
// read: while the last candidate's post file is held at the server, the page is still
// searching and says nothing of the kind.
#[test]
fn no_answer_is_said_only_after_every_candidate_is_read() {
    let (site, paths) = decoy_site();
    let server = StaticServer::start(&site);
    let last = format!("{}.json", paths.last().unwrap());
    server.hold(&last);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        r.open(&format!("search/?q={NO_PHRASE}")).await;
        b.wait_for(
            "the worker to ask for the last candidate's post",
            || async {
                server
                    .waiting()
                    .iter()
                    .any(|p| p.ends_with(&last))
                    .then_some(())
            },
        )
        .await;
        let (state, status) = r.search_state_now().await;
        assert_eq!(state, "loading", "still reading candidates: {status}");
        assert!(!status.contains("見つかりません"), "{status}");
        server.release();
        let status = r.wait_for_search_to_finish().await;
        assert!(status.contains("見つかりませんでした"), "{status}");
        assert!(r.post_cards_now().await.is_empty());
        b.screenshot("search-no-answer-desktop").await;
        let asked: BTreeSet<String> = server
            .requests()
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| p.contains("/data/posts/"))
            .collect();
        for path in &paths {
            assert!(
                asked.iter().any(|p| p.ends_with(&format!("/{path}.json"))),
                "{path} was read before saying so: {asked:?}"
            );
        }
    });
}

// A katakana word typed in full width and in half width finds the same posts, one of
// which holds it in half width.
#[test]
fn half_and_full_width_katakana_find_the_same_posts() {
    let (site, paths) = decoy_site();
    let server = StaticServer::start(&site);
    with_browser(|b| async move {
        let r = Reader::new(&b, &server);
        let mut found = Vec::new();
        for q in [KANA_WORD, "ﾍﾟﾝｷﾞﾝｸﾗﾌﾞ", "ぺんぎんくらぶ"] {
            r.open(&format!("search/?q={q}")).await;
            r.wait_for_search_to_finish().await;
            let shown: BTreeSet<String> = r.post_cards_now().await.into_iter().collect();
            found.push(shown);
        }
        let want: BTreeSet<String> = [3, 9].iter().map(|&i| paths[i].clone()).collect();
        assert_eq!(found[0], want);
        assert_eq!(found[1], want, "half width");
        assert_eq!(found[2], want, "hiragana");
    });
}

// The search page's answer states in dark mode at phone width (looked at by hand: the
// status line and the results stay readable): a phrase found, then a query with none.
#[test]
fn search_states_in_dark_mode_at_phone_width() {
    let (site, paths) = decoy_site();
    let server = StaticServer::start(&site);
    let oldest = paths.last().unwrap().clone();
    let options = matome_e2e::driver::Options {
        dark: true,
        ..Default::default()
    };
    matome_e2e::driver::with_browser_options(options, |b| async move {
        b.set_viewport_width(390, 844).await;
        let r = Reader::new(&b, &server);
        r.open(&format!("search/?q={OLD_PHRASE}")).await;
        r.wait_for_search_to_finish().await;
        assert_eq!(r.post_cards_now().await, std::slice::from_ref(&oldest));
        b.screenshot("search-oldest-candidate-dark-390").await;
        r.open(&format!("search/?q={NO_PHRASE}")).await;
        let status = r.wait_for_search_to_finish().await;
        assert!(status.contains("見つかりませんでした"), "{status}");
        b.screenshot("search-no-answer-dark-390").await;
    });
}
