//! `/search/?q=…&tag=…&month=…`: the search form and its results. The search itself
//! (index, candidates, confirming on the post files, snippets) runs in the search
//! worker ([`crate::search`]); this page sends it what the reader typed and shows its
//! answers as they come. Filters come from `site.json` and the tag index.

use leptos::prelude::*;
use matome_model::{paths, MonthEntry, TagEntry};

use crate::api;
use crate::components::post_card::PostCard;
use crate::format::thousands;
use crate::page::Page;
use crate::pages::loader::{boxed, Loader, Skeleton};
use crate::pages::show_head;
use crate::search::client;
use crate::search::protocol::{Answer, Found, Request};

/// Search page: the form at once, results as the reader types (the search itself runs
/// in the search worker, so typing never waits for it).
#[component]
pub fn SearchPage() -> impl IntoView {
    let request = RwSignal::new(request_from_url());
    // What the results answer: the request as typed, sent to the worker at once.
    let settled = RwSignal::new(request.get_untracked());
    show_head(&Page::Search(None));
    // The worker starts now and reads the post table while the reader types.
    client::warm();
    // Keystrokes typed so far: the address follows the last one only.
    let typed_keys = StoredValue::new(0u32);
    let on_input = move |ev| {
        let q = event_target_value(&ev);
        request.update(|r| r.q = q);
        if let Some(r) = request.try_get_untracked() {
            settled.try_set(r);
        }
        // The address follows once typing pauses: `history.replaceState` took about
        // half of the page's own work per keystroke in headless Chromium (2.4 of 5 ms),
        // all of it ahead of the next key and the worker's answer. Left behind with its
        // page (its signals gone), a pending update does nothing.
        // Nor does one when the reader has moved on to another address.
        let n = typed_keys.get_value().wrapping_add(1);
        typed_keys.set_value(n);
        let here = crate::dom::current_path();
        crate::dom::later(
            move || {
                let still =
                    typed_keys.try_get_value() == Some(n) && crate::dom::current_path() == here;
                if let Some(r) = request.try_get_untracked().filter(|_| still) {
                    replace_url(&r);
                }
            },
            URL_AFTER_MS,
        );
    };
    let load = Box::new(move || {
        boxed(async move {
            let site = api::fetch_site().await?;
            let tags = api::fetch_tags().await?.tags;
            Ok(Page::Search(Some(SearchData {
                months: site.months,
                tags,
                posts: site.post_count,
                request,
                settled,
            })))
        })
    });
    view! {
        <h1 class="page-title">"検索"</h1>
        <form
            class="search-form"
            role="search"
            action=api::href(paths::SEARCH_ROUTE)
            method="get"
            on:submit=|ev| ev.prevent_default()
        >
            <label class="visually-hidden" for="search-input">"検索語"</label>
            <input
                id="search-input"
                class="search-input"
                type="search"
                name="q"
                placeholder=PLACEHOLDER
                autocomplete="off"
                prop:value=move || request.with(|r| r.q.clone())
                on:input=on_input
                autofocus
            />
        </form>
        <Loader load skeleton=Skeleton::List(3) />
    }
}
/// Pause in typing after which the address shows the query (milliseconds).
const URL_AFTER_MS: u64 = 300;

const PLACEHOLDER: &str = "タイトル・タグ・コメントで検索（\"語句\" -除外）";

/// The search page as the build writes it: heading, the same form, and a note for
/// readers without JavaScript.
#[component]
pub fn SearchIntro() -> impl IntoView {
    view! {
        <h1 class="page-title">"検索"</h1>
        <form class="search-form" role="search" action=api::href(paths::SEARCH_ROUTE) method="get">
            <label class="visually-hidden" for="search-input">"検索語"</label>
            <input
                id="search-input"
                class="search-input"
                type="search"
                name="q"
                placeholder=PLACEHOLDER
                autocomplete="off"
                autofocus
            />
        </form>
        <noscript>
            <p class="search-noscript">"検索にはJavaScriptが必要です。記事一覧・タグ・月別アーカイブからお探しください。"</p>
        </noscript>
    }
}

/// What the results need: the filters' choices (from `site.json` and the tag index) and
/// the page's request as typed and as answered.
#[derive(Clone)]
pub struct SearchData {
    months: Vec<MonthEntry>,
    tags: Vec<TagEntry>,
    posts: u32,
    request: RwSignal<Request>,
    settled: RwSignal<Request>,
}

/// The filters and the results (inside the page's loader).
#[component]
pub fn Results(data: SearchData) -> impl IntoView {
    let SearchData {
        months,
        tags,
        posts,
        request,
        settled,
    } = data;
    // A tag typed into a shared URL in another case (`?tag=sqlite`) means the tag of that
    // name (`SQLite`): the worker and the filter's options know it by its own spelling.
    // ASCII case only: Unicode's case tables would add 8 KB gzip to every first load,
    // and tag names that differ in the case of other letters are all but unknown.
    let tag_now = request.with_untracked(|r| r.tag.clone());
    if let Some(name) = tags
        .iter()
        .find(|t| !tag_now.is_empty() && t.name.eq_ignore_ascii_case(&tag_now))
        .map(|t| t.name.clone())
    {
        request.update_untracked(|r| r.tag = name.clone());
        settled.update_untracked(|r| r.tag = name);
    }
    let answer = RwSignal::new(Answer::default());
    Effect::new(move |_| {
        if let Some(r) = settled.try_get() {
            client::search(&r, answer);
        }
    });
    // Answers for a page that is gone are dropped, not written to its signals.
    on_cleanup(client::stop);
    // Filters apply at once (no typing to wait for).
    let set_filter = move |tag: Option<String>, month: Option<String>| {
        let mut r = request.get_untracked();
        if let Some(t) = tag {
            r.tag = t;
        }
        if let Some(m) = month {
            r.month = m;
        }
        replace_url(&r);
        request.set(r.clone());
        settled.set(r);
    };
    // The filters of the URL are chosen in the options themselves: a `<select>`'s value
    // set before its options exist chooses nothing, and later changes come from the
    // reader (and the `prop:value` below).
    let (tag_now, month_now) = request.with_untracked(|r| (r.tag.clone(), r.month.clone()));
    let tag_options = tags
        .iter()
        .map(|t| {
            view! { <option value=t.name.clone() selected=t.name == tag_now>{t.name.clone()}</option> }
        })
        .collect_view();
    let month_options = months
        .iter()
        .map(|m| {
            let value = format!("{:04}-{:02}", m.year, m.month);
            let selected = value == month_now;
            view! { <option value=value selected=selected>{format!("{}年{}月", m.year, m.month)}</option> }
        })
        .collect_view();
    let total_posts = posts;
    let typed = move || {
        request
            .try_with(|r| !r.q.trim().is_empty())
            .unwrap_or(false)
    };
    let state = move || {
        let settled = settled.try_get();
        let busy = answer.try_with(|a| a.running).unwrap_or(false)
            || request
                .try_with(|r| Some(r) != settled.as_ref())
                .unwrap_or(false);
        if busy {
            "loading"
        } else {
            "done"
        }
    };
    let found = Memo::new(move |_| answer.with(|a| a.found.clone()));
    let status = move || {
        if !typed() {
            return format!("{}本の記事から探せます。", thousands(total_posts.into()));
        }
        answer.with(|a| {
            let found = thousands(a.found.len() as u64);
            let unread = a.checked < a.candidates;
            // `checked == 0`: the results shown, if any, answer the query before.
            if a.running && (a.found.is_empty() || a.checked == 0) {
                "検索中…".to_string()
            } else if a.running {
                format!("{found}件（続きを確認中…）")
            } else if a.error.is_some() && a.found.is_empty() {
                String::new()
            } else if a.found.is_empty() && !unread {
                // Said only once every candidate has been read on its post.
                "見つかりませんでした。言葉を減らすか、別の言い方で探してみてください。".to_string()
            } else if unread {
                // A lower bound: candidates are left unread.
                format!(
                    "{found}件以上 · 候補{}件中{}件を確認済み",
                    thousands(a.candidates.into()),
                    thousands(a.checked.into())
                )
            } else {
                format!("{found}件")
            }
        })
    };
    view! {
        <div class="search-filters">
            <label class="search-filter">
                "タグ "
                <select
                    prop:value=move || request.try_with(|r| r.tag.clone()).unwrap_or_default()
                    on:change=move |ev| set_filter(Some(event_target_value(&ev)), None)
                >
                    <option value="">"すべて"</option>
                    {tag_options}
                </select>
            </label>
            <label class="search-filter">
                "月 "
                <select
                    prop:value=move || request.try_with(|r| r.month.clone()).unwrap_or_default()
                    on:change=move |ev| set_filter(None, Some(event_target_value(&ev)))
                >
                    <option value="">"すべて"</option>
                    {month_options}
                </select>
            </label>
        </div>
        <p class="search-hint" role="status">{status}</p>
        // The hits' titles are `h3`s, as on every list: a heading of their level's parent
        // keeps the outline in order.
        <h2 class="visually-hidden">"検索結果"</h2>
        <div class="search-results" data-state=state>
            // Rebuilt on each answer rather than a keyed `<For>`: measured, `<For>` adds
            // 5.4 KB gzip to the app's wasm (221.3 -> 226.7 KB), all of it first-load
            // bytes, to spare rebuilding at most a page of results a few times per query.
            // Through a memo: a keystroke changes the answer's state, not the results
            // shown, until the worker answers.
            {move || found.with(|f| f.iter().map(|f| view! { <Hit found=f.clone() /> }).collect_view())}
        </div>
        {move || {
            let (error, more) = answer.with(|a| (a.error.clone(), !a.running && a.checked < a.candidates));
            let message = error.as_ref().map(|e| format!("一部の記事を読み込めませんでした（{e}）。"));
            let label = if error.is_some() { "再試行" } else { "さらに表示" };
            let is_error = error.is_some();
            (is_error || more).then(|| {
                view! {
                    <p class="search-more" role=is_error.then_some("alert")>
                        {message}
                        <button type="button" class="button" on:click=move |_| client::more(&settled.get_untracked())>
                            {label}
                        </button>
                    </p>
                }
            })
        }}
    }
}

/// One post with its matching comments.
#[component]
fn Hit(found: Found) -> impl IntoView {
    let href = api::post_href(&found.summary.path);
    let more = found.more;
    let snippets = found
        .snippets
        .into_iter()
        .map(|c| {
            let pieces = c
                .pieces
                .into_iter()
                .map(|(text, mark)| {
                    if mark {
                        view! { <mark>{text}</mark> }.into_any()
                    } else {
                        text.into_any()
                    }
                })
                .collect_view();
            view! {
                <li>
                    <a class="search-snippet" href=format!("{href}#c{}", c.n)>
                        <span class="search-snippet-n">{format!("#{}", c.n)}</span>
                        " "
                        {pieces}
                    </a>
                </li>
            }
        })
        .collect_view();
    let more = (more > 0).then(|| view! { <li class="search-snippet-more">{format!("ほか{}件のコメント", thousands(more.into()))}</li> });
    view! {
        <div class="search-hit">
            <PostCard summary=found.summary compact=true />
            <ul class="search-snippets">{snippets}{more}</ul>
        </div>
    }
}
fn replace_url(r: &Request) {
    let Some(window) = crate::dom::window() else {
        return;
    };
    let path = crate::dom::current_path();
    let mut query = String::new();
    for (key, value) in [("q", &r.q), ("tag", &r.tag), ("month", &r.month)] {
        if !value.is_empty() {
            query.push(if query.is_empty() { '?' } else { '&' });
            query.push_str(key);
            query.push('=');
            query.push_str(&api::encode_segment(value));
        }
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{query}")),
        );
    }
}

fn request_from_url() -> Request {
    let search = crate::dom::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let get = |key: &str| params.as_ref().and_then(|p| p.get(key)).unwrap_or_default();
    Request {
        q: get("q"),
        tag: get("tag"),
        month: get("month"),
    }
}
