#![cfg(target_arch = "wasm32")]
//! Component tests in a real browser (wasm-bindgen-test): inline rendering is inert,
//! folded sections disclose, a fragment opens the section holding its card, routes
//! parse, and pages' heads say what they should.

use leptos::prelude::*;
use matome_model::{Comment, Inline};
use matome_web::components::inline::Inlines;
use matome_web::components::more_comments::MoreComments;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlDetailsElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view into a fresh container and returns the container.
fn mount<V: IntoView + 'static>(f: impl FnOnce() -> V + 'static) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), f);
    std::mem::forget(handle);
    host
}

/// Waits for a macrotask, so deferred work (folded cards) has run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn comment(n: u32, body: Vec<Inline>) -> Comment {
    Comment {
        n,
        user: "alice".into(),
        created_at: "2025-04-14T18:04:41".into(),
        color: Some("#45d325".into()),
        body,
    }
}

fn text(s: &str) -> Inline {
    Inline::Text(s.into())
}

// A text node holding a script tag stays visible text and creates no element.
#[wasm_bindgen_test]
fn script_text_renders_as_text_not_markup() {
    let host = mount(
        || view! { <Inlines nodes=vec![text("<script>window.__pwned = 1</script><img src=x onerror=alert(1)>")] /> },
    );
    assert!(host.query_selector("script").unwrap().is_none());
    assert!(host.query_selector("img").unwrap().is_none());
    let shown = host.text_content().unwrap_or_default();
    assert!(
        shown.contains("<script>window.__pwned = 1</script>"),
        "{shown}"
    );
}

// A javascript: (or data:) URL never becomes an <a href>, but its text stays.
#[wasm_bindgen_test]
fn javascript_url_never_becomes_a_link() {
    let nodes = vec![
        Inline::Link {
            href: "javascript:alert(1)".into(),
            children: vec![text("click")],
        },
        Inline::Link {
            href: " JavaScript:alert(1)".into(),
            children: vec![text("spaced")],
        },
        Inline::Link {
            href: "data:text/html,<b>x</b>".into(),
            children: vec![text("data")],
        },
        Inline::Link {
            href: "https://example.com/".into(),
            children: vec![text("ok")],
        },
    ];
    let host = mount(move || view! { <Inlines nodes /> });
    let links = host.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 1, "only the https link is a link");
    let a: Element = links.item(0).unwrap().unchecked_into();
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("https://example.com/")
    );
    assert_eq!(a.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        a.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    let shown = host.text_content().unwrap_or_default();
    assert!(shown.contains("click") && shown.contains("spaced") && shown.contains("data"));
    assert!(!host.inner_html().contains("javascript:"));
}

// A More section is a closed <details class="more-comments"> that opens and closes
// from its summary, holds its cards with their anchors and says how many there are.
#[wasm_bindgen_test]
async fn more_section_discloses_its_cards() {
    let comments = vec![comment(11, vec![text("eleven")]), comment(12, vec![])];
    let host = mount(
        move || view! { <MoreComments label="もっとコメントを表示（1）".to_string() comments page="/posts/a/b/" /> },
    );
    settle().await;
    let details: HtmlDetailsElement = host
        .query_selector(".more-comments")
        .unwrap()
        .expect("hook .more-comments")
        .unchecked_into();
    assert!(!details.open(), "starts folded");
    assert_eq!(
        details
            .query_selector_all(".comment-card")
            .unwrap()
            .length(),
        2
    );
    assert!(details
        .query_selector(".comment-card#c12")
        .unwrap()
        .is_some());
    let summary: HtmlElement = details
        .query_selector("summary")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let label = summary.text_content().unwrap_or_default();
    assert!(
        label.contains("もっとコメントを表示（1）") && label.contains("2件"),
        "{label}"
    );
    summary.click();
    assert!(details.open(), "opens on click");
    summary.click();
    assert!(!details.open(), "closes on second click");
    let empty = details.query_selector("#c12 .comment-card-empty").unwrap();
    assert!(empty.is_some_and(|e| e.text_content().unwrap_or_default() == "（本文なし）"));
}

// A URL fragment naming a card inside a folded section opens that section.
#[wasm_bindgen_test]
async fn fragment_opens_the_folded_section_holding_the_card() {
    let comments = vec![comment(40, vec![text("forty")])];
    let host = mount(
        move || view! { <MoreComments label="もっとコメントを表示（2）".to_string() comments page="/posts/a/b/" /> },
    );
    settle().await;
    let details: HtmlDetailsElement = host
        .query_selector(".more-comments")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(!details.open());
    let window = web_sys::window().unwrap();
    let history = window.history().unwrap();
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#c40"))
        .unwrap();
    assert!(
        matome_web::dom::open_fragment(),
        "fragment names an element"
    );
    assert!(details.open(), "section holding #c40 is open");
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#"))
        .unwrap();
}

// Routes parse with and without trailing slashes, below a base path, and anything
// unknown or malformed is not found.
#[wasm_bindgen_test]
fn routes_parse_with_and_without_trailing_slash_below_the_base() {
    use matome_web::router::Route;
    let base = "/sub/path";
    let parse = |p: &str| Route::parse(p, base);
    assert_eq!(parse("/sub/path/"), Route::Home);
    assert_eq!(parse("/sub/path"), Route::Home);
    assert_eq!(parse("/sub/path/index.html"), Route::Home);
    assert_eq!(parse("/sub/path/posts/"), Route::Posts(Some(1)));
    assert_eq!(parse("/sub/path/posts/page/3"), Route::Posts(Some(3)));
    assert_eq!(parse("/sub/path/posts/page/x/"), Route::Posts(None));
    assert_eq!(
        parse("/sub/path/posts/2025_04/deepseek/"),
        Route::Post("2025_04/deepseek".into())
    );
    assert_eq!(
        parse("/sub/path/posts/2025_04/deepseek"),
        Route::Post("2025_04/deepseek".into())
    );
    assert_eq!(
        parse("/sub/path/tags/%E6%97%A5%E6%9C%AC/"),
        Route::Tag("日本".into())
    );
    assert_eq!(
        parse("/sub/path/months/2025/04/"),
        Route::Month(Some((2025, 4)))
    );
    assert_eq!(parse("/sub/path/months/2025/13/"), Route::Month(None));
    assert_eq!(parse("/sub/path/search"), Route::Search);
    assert_eq!(parse("/sub/path/nope/"), Route::NotFound);
    assert_eq!(parse("/sub/pathology/"), Route::NotFound);
    assert_eq!(parse("/posts/"), Route::NotFound);
    assert_eq!(Route::parse("/tags/", ""), Route::Tags);
}

fn list(title: &str, page: u32, total: u32) -> matome_model::ListPage {
    matome_model::ListPage {
        title: title.into(),
        page,
        page_count: 3,
        total,
        posts: Vec::new(),
    }
}

// Every page's route leads back to the page: the build writes a page into the folder
// the router reads as that page.
#[wasm_bindgen_test]
fn a_pages_route_parses_back_to_itself() {
    use matome_web::page::{HeadOf, Route};
    let lists = [list("x", 2, 5)];
    let heads = [
        HeadOf::Posts(&lists[0]),
        HeadOf::Tag {
            slug: "c#",
            list: &lists[0],
        },
        HeadOf::Month {
            list: &lists[0],
            year: 2025,
            month: 4,
        },
        HeadOf::Search,
    ];
    for head in heads {
        let route = head.route();
        let path = route.path().expect("a page has a path");
        let url = format!(
            "/sub/{}",
            matome_model::paths::encode_component(&path).replace("%2F", "/")
        );
        assert_eq!(Route::parse(&url, "/sub"), route, "{path}");
    }
}

// A month's description says 「記事」 once (the build once wrote 「…の記事の記事」).
#[wasm_bindgen_test]
fn a_months_head_names_the_month_and_its_count_once() {
    let l = list("2025年4月", 1, 1213);
    let head = matome_web::page::HeadOf::Month {
        list: &l,
        year: 2025,
        month: 4,
    }
    .head("サイト");
    assert_eq!(head.title, "2025年4月の記事 | サイト");
    assert_eq!(head.description, "2025年4月の記事1,213本");
    assert_eq!(head.canonical.as_deref(), Some("months/2025/04/"));
    assert!(head.feed);
}

// The list's later pages say which page they are, in the title and the description.
#[wasm_bindgen_test]
fn a_later_list_page_says_its_number() {
    let l = list("記事一覧", 2, 1932);
    let head = matome_web::page::HeadOf::Posts(&l).head("サイト");
    assert_eq!(head.title, "記事一覧（2ページ目） | サイト");
    assert_eq!(head.description, "全1,932本の記事を新しい順に（2ページ目）");
    assert_eq!(head.canonical.as_deref(), Some("posts/page/2/"));
}

// The 404 page has no canonical URL and stays out of search engines.
#[wasm_bindgen_test]
fn the_404_head_is_noindex_without_canonical() {
    let head = matome_web::page::HeadOf::NotFound.head("サイト");
    assert_eq!(head.title, "ページが見つかりません | サイト");
    assert!(head.noindex && head.canonical.is_none());
}

// A tag page's head tags have absolute, percent-encoded canonical and OpenGraph URLs on
// the site's root, and the app's `set_head` puts exactly those into the document.
#[wasm_bindgen_test]
fn head_tags_are_absolute_and_set_into_the_document() {
    let l = list("日本", 1, 3);
    let head = matome_web::page::HeadOf::Tag {
        slug: "日本",
        list: &l,
    }
    .head("サイト");
    let tags = head.tags("https://example.com/sub/", "サイト");
    let url = "https://example.com/sub/tags/%E6%97%A5%E6%9C%AC/";
    assert_eq!(tags.canonical.as_deref(), Some(url));
    matome_web::dom::set_head(&tags);
    let doc = web_sys::window().unwrap().document().unwrap();
    let attr = |sel: &str, name: &str| {
        doc.query_selector(sel)
            .unwrap()
            .and_then(|el| el.get_attribute(name))
    };
    assert_eq!(doc.title(), "タグ: 日本 | サイト");
    assert_eq!(attr("link[rel=canonical]", "href").as_deref(), Some(url));
    assert_eq!(
        attr(r#"meta[property="og:url"]"#, "content").as_deref(),
        Some(url)
    );
    assert_eq!(
        attr(r#"meta[property="og:title"]"#, "content"),
        Some(tags.og_title.clone())
    );
    // The 404 page has no canonical URL: the previous page's goes.
    let not_found = matome_web::page::HeadOf::NotFound.head("サイト");
    matome_web::dom::set_head(&not_found.tags("https://example.com/sub/", "サイト"));
    assert_eq!(attr("link[rel=canonical]", "href"), None);
    assert_eq!(attr(r#"meta[property="og:url"]"#, "content"), None);
    assert_eq!(
        attr(r#"meta[name="robots"]"#, "content").as_deref(),
        Some("noindex")
    );
}

// The post toolbar's font-size steps are buttons whose pressed state follows a click,
// and the chosen size is set on the document.
#[wasm_bindgen_test]
async fn font_size_buttons_follow_the_click() {
    let host = mount(|| view! { <matome_web::reading::PostToolbar accents=true sections=false /> });
    let button = |size: &str| -> HtmlElement {
        host.query_selector(&format!(".font-size-button[data-font={size}]"))
            .unwrap()
            .unwrap()
            .unchecked_into()
    };
    button("l").click();
    settle().await;
    assert_eq!(
        button("l").get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(
        button("m").get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    let root = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(root.get_attribute("data-font").as_deref(), Some("l"));
    assert!(host.query_selector(".digest-toggle").unwrap().is_some());
    assert!(host.query_selector(".expand-all").unwrap().is_none());
    button("m").click();
}

// The share bar's links carry the title and the URL, percent-encoded, for each service.
#[wasm_bindgen_test]
fn share_bar_links_carry_the_title_and_url() {
    let host = mount(|| {
        view! { <matome_web::reading::share::ShareBar title="A & B" url="https://example.com/posts/a/b/#c3" /> }
    });
    let href = |kind: &str| {
        host.query_selector(&format!("a[data-share={kind}]"))
            .unwrap()
            .and_then(|a| a.get_attribute("href"))
            .unwrap()
    };
    assert_eq!(
        href("x"),
        "https://x.com/intent/post?text=A%20%26%20B&url=https%3A%2F%2Fexample.com%2Fposts%2Fa%2Fb%2F%23c3"
    );
    assert!(href("line").starts_with("https://line.me/R/msg/text/?A%20%26%20B%20"));
    assert!(href("hatena").contains("title=A%20%26%20B"));
}
