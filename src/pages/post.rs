//! `/posts/:section/:slug/`: one post with its comment cards.

use std::rc::Rc;

use leptos::prelude::*;
use matome_model::{paths, Block, Post, PostSummary};

use crate::components::comment_card::CommentCard;
use crate::components::inline::Inlines;
use crate::components::loader::{boxed, Loader, Render, Skeleton};
use crate::components::more_comments::MoreComments;
use crate::components::post_card::{PostCard, Thumbnail};
use crate::components::tag_chip::TagChips;
use crate::pages::set_page_meta;
use crate::{api, dom, format};

/// The post page. A 404 for the post file shows the not-found page.
#[component]
pub fn PostPage(
    /// `<section>/<slug>`.
    path: String,
) -> impl IntoView {
    let load = Box::new(move || {
        let path = path.clone();
        boxed(async move {
            let post = api::fetch_post(&path).await?;
            set_page_meta(Some(&post.summary.title), &post.summary.excerpt);
            let render: Render = Rc::new(move || view! { <PostView post=post.clone() /> }.into_any());
            Ok(render)
        })
    });
    view! { <Loader load skeleton=Skeleton::Post /> }
}

/// The body of a loaded post.
#[component]
pub fn PostView(post: Post) -> impl IntoView {
    let Post { summary, lead, source, blocks, prev, next, related, .. } = post;
    let PostSummary { title, date, tags, thumbnail, comments, reading_minutes, .. } = summary;
    let has_sections = blocks.iter().any(|b| matches!(b, Block::More { .. }));
    let (all_open, set_all_open) = signal(false);
    let on_toggle = Callback::new(move |_| set_all_open.set(dom::all_sections_open()));
    let month_chip = format::year_month(&date).map(|(y, m)| {
        view! { <a class="tag-chip month-chip" href=api::month_href(y, m)>{format::month_label(y, m)}</a> }
    });
    let hero = thumbnail.map(|image| {
        view! { <Thumbnail image class="post-hero" sizes="(min-width: 760px) 720px, 100vw" eager=true /> }
    });
    let source = source.filter(|s| format::is_web_url(s)).map(|s| {
        view! {
            <p class="post-source">
                <span class="post-source-label">"引用元："</span>
                <a href=s.clone() target="_blank" rel="noopener noreferrer">{s.clone()}</a>
            </p>
        }
    });
    let lead = lead
        .filter(|l| !l.trim().is_empty() && l.trim() != title.trim())
        .map(|l| view! { <blockquote class="post-lead">{l}</blockquote> });
    let expand = has_sections.then(|| {
        view! {
            <div class="post-toolbar">
                <button
                    type="button"
                    class="button button-quiet expand-all"
                    aria-pressed=move || all_open.get().to_string()
                    on:click=move |_| set_all_open.set(dom::toggle_all_sections())
                >
                    {move || if all_open.get() { "すべて閉じる" } else { "すべて展開" }}
                </button>
            </div>
        }
    });
    let mut section = 0;
    let body = blocks
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(nodes) => {
                view! { <p class="post-paragraph"><Inlines nodes /></p> }.into_any()
            }
            Block::Comment(comment) => view! { <CommentCard comment /> }.into_any(),
            Block::More { label, comments } => {
                section += 1;
                let index = section;
                view! { <MoreComments label comments index on_toggle /> }.into_any()
            }
            Block::RecentList { posts, .. } => view! {
                <div class="post-recent">
                    {posts.into_iter().map(|summary| view! { <PostCard summary compact=true /> }).collect_view()}
                </div>
            }
            .into_any(),
        })
        .collect_view();
    let neighbour = |s: Option<PostSummary>, label: &'static str, class: &'static str| {
        s.map(|s| {
            let href = api::post_href(&s.path);
            let path = s.path.clone();
            view! {
                <a class=format!("post-nav-link {class}") href=href on:mouseenter=move |_| api::prefetch_post(&path)>
                    <span class="post-nav-label">{label}</span>
                    <span class="post-nav-title">{s.title}</span>
                </a>
            }
        })
    };
    let related = (!related.is_empty()).then(|| {
        view! {
            <section class="post-related" aria-labelledby="related-heading">
                <h2 id="related-heading" class="section-heading">"関連記事"</h2>
                <div class="post-list">
                    {related.into_iter().map(|summary| view! { <PostCard summary compact=true /> }).collect_view()}
                </div>
            </section>
        }
    });
    view! {
        <article class="post">
            {hero}
            <header class="post-header">
                <h1 class="post-title">{title}</h1>
                <p class="post-meta">
                    <time datetime=date.clone()>{format::date(&date)}</time>
                    <span>{format!("約{}分で読めます", reading_minutes.max(1))}</span>
                    <span>{format!("コメント{comments}件")}</span>
                </p>
                <div class="post-chips">
                    {month_chip}
                    <TagChips tags />
                </div>
                {source}
            </header>
            {lead}
            {expand}
            <div class="post-body">{body}</div>
        </article>
        <nav class="post-nav" aria-label="前後の記事">
            {neighbour(prev, "← 前の記事", "post-nav-prev")}
            {neighbour(next, "次の記事 →", "post-nav-next")}
        </nav>
        {related}
        <p class="back-link">
            <a class="button button-quiet" href=api::href(&paths::page_route(1))>"← 記事一覧へ"</a>
        </p>
    }
}
