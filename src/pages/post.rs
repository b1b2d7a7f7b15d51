//! `/posts/:section/:slug/`: one post with its comment cards.

use leptos::prelude::*;
use matome_model::{paths, Block, Post, PostSummary};

use crate::components::comment_card::CommentCard;
use crate::components::inline::Inlines;
use crate::components::more_comments::MoreComments;
use crate::components::post_card::{PostCard, Thumbnail};
use crate::components::tag_chip::TagChips;
use crate::page::Page;
use crate::pages::loader::{boxed, Loader, Skeleton};
use crate::reading::{self, share::PostShare, PostToolbar};
use crate::{api, dom, format, islands};

/// The post page. A 404 for the post file shows the not-found page.
#[component]
pub fn PostPage(
    /// `<section>/<slug>`.
    path: String,
) -> impl IntoView {
    let load = Box::new(move || {
        let path = path.clone();
        boxed(async move { Ok(Page::Post(Box::new(api::fetch_post(&path).await?))) })
    });
    view! { <Loader load skeleton=Skeleton::Post /> }
}

/// The body of a loaded post: the same markup at build time (every card written out,
/// sections as native `<details>`) and in the browser.
#[component]
pub fn PostView(post: Post) -> impl IntoView {
    let Post {
        summary,
        lead,
        source,
        blocks,
        prev,
        next,
        related,
        ..
    } = post;
    let PostSummary {
        path,
        title,
        date,
        tags,
        thumbnail,
        comments,
        reading_minutes,
        ..
    } = summary;
    let page = api::post_href(&path);
    let has_sections = blocks.iter().any(|b| matches!(b, Block::More { .. }));
    // Every card of the post and the coloured ones (keyboard navigation, read marks and
    // ハイライトのみ need them before every card is built).
    let (mut cards, mut accents) = (0u32, 0u32);
    for block in &blocks {
        let list: &[matome_model::Comment] = match block {
            Block::Comment(c) => std::slice::from_ref(c),
            Block::More { comments, .. } => comments,
            _ => &[],
        };
        cards += list.len() as u32;
        accents += list
            .iter()
            .filter(|c| c.color.as_deref().and_then(format::hex_color).is_some())
            .count() as u32;
    }
    if dom::window().is_some() {
        let path = path.clone();
        dom::later(move || reading::marks::post_shown(&path, cards), 0);
    }
    let month_chip = format::year_month(&date).map(|(y, m)| {
        view! { <a class="tag-chip month-chip" href=api::month_href(y, m)>{format::month_label(y, m)}</a> }
    });
    let hero = thumbnail.map(|image| {
        view! { <Thumbnail image class="post-hero" sizes="(min-width: 760px) 720px, 100vw" eager=true /> }
    });
    let source = source.filter(|s| format::is_web_url(s)).map(|s| {
        view! {
            <p class=crate::hook!(post_source)>
                <span class="post-source-label">"引用元："</span>
                <a href=s.clone() target="_blank" rel="noopener noreferrer">{s.clone()}</a>
            </p>
        }
    });
    let lead = lead
        .filter(|l| !l.trim().is_empty() && l.trim() != title.trim())
        .map(|l| view! { <blockquote class="post-lead">{l}</blockquote> });
    // The controls are components, mounted into these wrappers on a prerendered page
    // (`islands.rs`), which carry their props as data attributes.
    let has_accents = accents > 0;
    let toolbar = view! {
        <div
            class="post-toolbar"
            data-island=islands::POST_TOOLBAR
            data-accents=has_accents.then_some("")
            data-sections=has_sections.then_some("")
        >
            <PostToolbar accents=has_accents sections=has_sections />
        </div>
    };
    let share = view! {
        <div class="post-share" data-island=islands::POST_SHARE data-title=title.clone() data-route=page.clone()>
            <PostShare title=title.clone() route=page.clone() />
        </div>
    };
    let body = sliced_body(blocks, page.clone());
    let neighbour = |s: Option<PostSummary>, label: &'static str, class: &'static str| {
        s.map(|s| {
            view! {
                <a class=format!("post-nav-link {class}") href=api::post_href(&s.path)>
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
        <article class=crate::hook!(post) data-path=path.clone() data-cards=cards>
            {hero}
            <header class="post-header">
                <h1 class="post-title">{title}</h1>
                <p class="post-meta">
                    <time datetime=date.clone()>{format::date(&date)}</time>
                    <span>{format!("約{}分で読めます", reading_minutes.max(1))}</span>
                    <span>{format!("コメント{}件", format::thousands(comments.into()))}</span>
                </p>
                <div class="post-chips">
                    {month_chip}
                    <TagChips tags />
                </div>
                {source}
                {share}
            </header>
            {lead}
            {toolbar}
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

/// Cards built in the page's first task; the rest follow in slices of
/// [`CARDS_PER_TASK`], each in a task of its own, so a post with hundreds of top-level
/// cards never blocks the page in one long task.
const FIRST_CARDS: usize = 24;
/// Cards built per later task.
const CARDS_PER_TASK: usize = 32;

/// The post body, built in slices (whole when a fragment or back/forward needs it).
fn sliced_body(blocks: Vec<Block>, page: String) -> impl IntoView {
    let mut slices: Vec<Vec<(usize, Block)>> = vec![Vec::new()];
    let (mut cards, mut section) = (0, 0);
    for block in blocks {
        let limit = if slices.len() == 1 {
            FIRST_CARDS
        } else {
            CARDS_PER_TASK
        };
        if cards >= limit {
            slices.push(Vec::new());
            cards = 0;
        }
        // A folded section counts as one card: its own cards are built later.
        if matches!(block, Block::Comment(_) | Block::More { .. }) {
            cards += 1;
        }
        if matches!(block, Block::More { .. }) {
            section += 1;
        }
        if let Some(slice) = slices.last_mut() {
            slice.push((section, block));
        }
    }
    let total = slices.len();
    // Whole at build time, for fragments and for back/forward; sliced otherwise.
    let whole = dom::window().is_none() || dom::needs_whole_page();
    let (shown, set_shown) = signal(if whole { total } else { 1 });
    fn show_next(shown: ReadSignal<usize>, set_shown: WriteSignal<usize>, total: usize) {
        // The page may be gone when the task runs: `try_` accessors stop the chain.
        if shown.try_get_untracked().is_some_and(|n| n < total) {
            dom::later(
                move || {
                    if set_shown.try_update(|n| *n += 1).is_some() {
                        show_next(shown, set_shown, total);
                    }
                },
                0,
            );
        }
    }
    show_next(shown, set_shown, total);
    slices
        .into_iter()
        .enumerate()
        .map(|(i, slice)| {
            let slice = StoredValue::new(slice);
            let page = page.clone();
            view! {
                <Show when=move || { shown.get() > i }>
                    {
                        let page = page.clone();
                        move || slice.get_value().into_iter().map(|(index, block)| body_block(block, index, &page)).collect_view()
                    }
                </Show>
            }
        })
        .collect_view()
}

/// One block of the body; `index` numbers the folded sections from 1.
fn body_block(block: Block, index: usize, page: &str) -> AnyView {
    match block {
        Block::Paragraph(nodes) => view! { <p class="post-paragraph"><Inlines nodes /></p> }.into_any(),
        Block::Comment(comment) => view! { <CommentCard comment page=page.to_string() /> }.into_any(),
        Block::More { label, comments } => {
            view! { <MoreComments label comments page=page.to_string() index /> }.into_any()
        }
        Block::RecentList { posts, .. } => view! {
            <section class="post-recent" aria-label="最新の記事">
                <h2 class="section-heading">"最新の記事"</h2>
                {posts.into_iter().map(|summary| view! { <PostCard summary compact=true /> }).collect_view()}
            </section>
        }
        .into_any(),
    }
}
