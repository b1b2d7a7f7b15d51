//! `/search/?q=…`: filters post titles and tags across the whole archive.

use std::rc::Rc;

use leptos::prelude::*;
use matome_model::PostSummary;

use crate::api;
use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::components::post_card::PostCard;
use crate::pages::set_page_meta;

const MAX_RESULTS: usize = 50;

/// Search page with a live filter; the query is kept in the URL (`?q=`).
#[component]
pub fn SearchPage() -> impl IntoView {
    let initial = query_from_url();
    let (query, set_query) = signal(initial);
    let load = Box::new(move || {
        boxed(async move {
            let all = api::fetch_all_summaries().await?;
            let render: Render = Rc::new(move || view! { <Results all=all.clone() query /> }.into_any());
            Ok(render)
        })
    });
    set_page_meta(Some("検索"), "記事のタイトルとタグを検索");
    let on_input = move |ev| {
        let q = event_target_value(&ev);
        replace_query_in_url(&q);
        set_query.set(q);
    };
    view! {
        <h1 class="page-title">"検索"</h1>
        <form class="search-form" role="search" on:submit=|ev| ev.prevent_default()>
            <label class="visually-hidden" for="search-input">"検索語"</label>
            <input
                id="search-input"
                class="search-input"
                type="search"
                placeholder="タイトル・タグ・冒頭のコメントで検索"
                autocomplete="off"
                prop:value=query
                on:input=on_input
                autofocus
            />
        </form>
        <Loader load skeleton=Skeleton::List(3) />
    }
}

#[component]
fn Results(all: Vec<PostSummary>, query: ReadSignal<String>) -> impl IntoView {
    move || {
        let q = query.get();
        let terms: Vec<String> = q.split_whitespace().map(fold).collect();
        if terms.is_empty() {
            return view! { <p class="search-hint">{format!("{}本の記事から探せます。", all.len())}</p> }.into_any();
        }
        let hits: Vec<PostSummary> = all.iter().filter(|p| matches(p, &terms)).cloned().collect();
        let total = hits.len();
        view! {
            <p class="search-hint" role="status">{format!("{total}件見つかりました")}</p>
            <div class="post-list">
                {hits.into_iter().take(MAX_RESULTS).map(|summary| view! { <PostCard summary compact=true /> }).collect_view()}
            </div>
        }
        .into_any()
    }
}

fn matches(post: &PostSummary, terms: &[String]) -> bool {
    let mut haystack = post.title.clone();
    for t in &post.tags {
        haystack.push(' ');
        haystack.push_str(&t.name);
    }
    haystack.push(' ');
    haystack.push_str(&post.excerpt);
    let haystack = fold(&haystack);
    terms.iter().all(|t| haystack.contains(t.as_str()))
}

/// Case- and width-insensitive form: `ＳＱＬｉｔｅ` and `sqlite` match each other.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn replace_query_in_url(q: &str) {
    let Some(window) = web_sys::window() else { return };
    let path = window.location().pathname().unwrap_or_default();
    let url = if q.is_empty() { path } else { format!("{path}?q={}", api::encode_segment(q)) };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

fn query_from_url() -> String {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get("q"))
        .unwrap_or_default()
}
