//! A post in a list: thumbnail, title link, date, comment count, tags.

use leptos::prelude::*;
use matome_model::{Image, PostSummary};

use crate::components::tag_chip::TagChips;
use crate::{api, format};

/// The stable hook `.post-card` holds a link to the post (prefetched on hover or focus
/// by the page-wide listeners of `behaviour.rs`). `compact` drops the
/// thumbnail and excerpt (year-grouped lists, related posts).
#[component]
pub fn PostCard(summary: PostSummary, #[prop(optional)] compact: bool) -> impl IntoView {
    let PostSummary {
        path,
        title,
        date,
        tags,
        thumbnail,
        comments,
        excerpt,
        ..
    } = summary;
    let href = api::post_href(&path);
    // Opened before on this device (`reading/marks.rs`; prerendered lists are marked by
    // the app when it takes them over).
    let read = crate::reading::marks::is_read(&path);
    let thumb = (!compact)
        .then_some(thumbnail)
        .flatten()
        .map(|img| view! { <Thumbnail image=img class="post-card-thumb" sizes="(min-width: 720px) 220px, 100vw" /> });
    let excerpt = (!compact && !excerpt.is_empty())
        .then(|| view! { <p class="post-card-excerpt">{excerpt}</p> });
    view! {
        <article class="post-card" class:post-card-compact=compact data-read=read.then_some("")>
            {thumb}
            <div class="post-card-body">
                <h3 class="post-card-title">
                    <a class=crate::hook!(post_card_link) href=href>{title}</a>
                </h3>
                <p class="post-card-meta">
                    <time datetime=date.clone()>{format::date(&date)}</time>
                    <span class="post-card-comments">{format!("コメント {}", format::thousands(comments.into()))}</span>
                    {read.then(|| view! { <span class=crate::hook!(post_card_read)>"既読"</span> })}
                </p>
                {excerpt}
                <TagChips tags />
            </div>
        </article>
    }
}

/// An image with its resized variants, intrinsic size and lazy loading (a missing one is
/// hidden by `behaviour.rs`).
#[component]
pub fn Thumbnail(
    image: Image,
    #[prop(into)] class: String,
    #[prop(into)] sizes: String,
    #[prop(optional)] eager: bool,
) -> impl IntoView {
    let srcset = image
        .variants
        .iter()
        .map(|v| format!("{} {}w", api::href(&v.src), v.width))
        .collect::<Vec<_>>()
        .join(", ");
    let has_srcset = !srcset.is_empty();
    let (w, h) = (image.width, image.height);
    view! {
        <img
            class=class
            src=api::href(&image.src)
            srcset=has_srcset.then_some(srcset)
            sizes=has_srcset.then_some(sizes)
            width=(w > 0).then_some(w)
            height=(h > 0).then_some(h)
            alt=""
            loading=if eager { "eager" } else { "lazy" }
            decoding="async"
        />
    }
}
