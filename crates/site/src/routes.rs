//! Every route of the site as a [`Page`]: its head tags ([`PageMeta`], from the app's
//! [`Head`] of the page, the one the app shows when it navigates there) and its content,
//! rendered by the app's own components (`matome_web::prerender`). Pass 3 of
//! [`crate::publish`].

use matome_model::{ListPage, Site};
use matome_web::page::{Head, HeadOf, Page as View};
use matome_web::prerender::{self, Target};
use rayon::prelude::*;

use crate::bundle::{Bundle, Digest};
use crate::render_cache::{Key, RenderCache};
use crate::template::PageMeta;
use crate::urls::SiteUrls;
use crate::SiteError;

/// One route to prerender.
pub(crate) struct Page {
    /// Route relative to the site root (`""` for home, `posts/x/`).
    pub route: String,
    pub meta: PageMeta,
    /// The page's content, rendered by the app's components; `None` when the site
    /// folder's file is already this page ([`RenderCache`]).
    pub body: Option<String>,
    /// The page's [`RenderCache`] key (with a cache).
    pub key: Option<Key>,
    /// Date for the sitemap's `lastmod`.
    pub lastmod: Option<String>,
}

/// The head tags of a page of `site` with `head` (the app's [`Head`]): its title and
/// description, the canonical URL, OpenGraph and Twitter tags, its own feed first (a
/// tag's, a month's), then the site's.
pub(crate) fn page_meta(urls: &SiteUrls, site: &Site, head: Head) -> PageMeta {
    let mut feeds = Vec::new();
    if let (true, Some(route)) = (head.feed, &head.canonical) {
        feeds.push((
            format!("{} (RSS)", head.page_title),
            urls.abs(&format!("{route}index.xml")),
            "application/rss+xml",
        ));
    }
    if !head.noindex {
        feeds.push((
            format!("{} (RSS)", site.title),
            urls.abs("index.xml"),
            "application/rss+xml",
        ));
        feeds.push((
            format!("{} (Atom)", site.title),
            urls.abs("atom.xml"),
            "application/atom+xml",
        ));
    }
    PageMeta {
        published: head
            .published
            .as_deref()
            .and_then(crate::dates::DateTime::parse)
            .map(|d| d.rfc3339()),
        feeds,
        ..head.tags(&urls.site_url, &site.title)
    }
}

/// The date of a list's newest post (the list's `lastmod`).
fn newest(list: &ListPage) -> Option<&str> {
    list.posts.first().map(|p| p.date.as_str())
}

/// `index.html` below the route's folder.
pub(crate) fn page_file(route: &str) -> String {
    format!("{route}index.html")
}

/// Every route of the site with its head tags and its content. Pages preload nothing:
/// the app takes them over without fetching data. With a `cache` and the site folder
/// it syncs, pages whose file there is already theirs are not rendered.
pub(crate) fn route_pages(
    urls: &SiteUrls,
    bundle: &Bundle,
    cache: Option<(&RenderCache, &std::path::Path)>,
) -> Result<Vec<Page>, SiteError> {
    let site = &bundle.site;
    let d = &bundle.digests;
    let all = bundle.pages.len() + bundle.posts.len() + bundle.tag_lists.len();
    let progress = crate::progress::bar((all + bundle.month_lists.len() + 4) as u64, "rendering");
    // A page from what its head is written from, the bundle files its view is made of
    // (the site's head and footer come from the target and the head tags, which the key
    // covers too) and its view, only called when the page is rendered (a post is decoded
    // for it only).
    let page = |head_of: HeadOf,
                kind: &str,
                sources: &[&Digest],
                lastmod: Option<&str>,
                view: &dyn Fn() -> Result<View, SiteError>|
     -> Result<Page, SiteError> {
        let route = head_of.route().path().unwrap_or_default();
        let meta = page_meta(urls, site, head_of.head(&site.title));
        let pathname = urls.path(&route);
        let target = Target {
            site_title: &site.title,
            base_path: &urls.base_path,
            pathname: &pathname,
            author: site.author.as_ref(),
        };
        let key = cache.map(|(c, out)| {
            let file = page_file(&route);
            let key = c.key(&file, kind, sources, &target, &meta);
            (key, c.fresh(out, &file, &key))
        });
        let (body, key) = match key {
            Some((key, true)) => (None, Some(key)),
            _ => (Some(prerender::render(view()?, &target)), key.map(|k| k.0)),
        };
        progress.inc(1);
        Ok(Page {
            route,
            meta,
            body,
            key,
            lastmod: lastmod.map(str::to_string),
        })
    };
    let mut pages = Vec::new();

    // Home: the newest posts.
    if let Some(first) = bundle.pages.first() {
        let view = || {
            Ok(View::Home {
                site: Box::new(site.clone()),
                page: first.clone(),
            })
        };
        let head_of = HeadOf::Home { site, page: first };
        let sources = [&d.site, &d.pages[0]];
        pages.push(page(head_of, "home", &sources, newest(first), &view)?);
    }
    // All posts, page by page.
    let lists: Vec<Page> = bundle
        .pages
        .par_iter()
        .zip(&d.pages)
        .map(|(list, digest)| {
            let view = || Ok(View::Posts(list.clone()));
            page(HeadOf::Posts(list), "posts", &[digest], None, &view)
        })
        .collect::<Result<_, SiteError>>()?;
    pages.extend(lists);
    // Posts.
    let posts: Vec<Page> = bundle
        .posts
        .par_iter()
        .zip(&d.posts)
        .map(|(post, digest)| {
            let s = &post.summary;
            let view = || Ok(View::Post(Box::new(post.post()?)));
            page(HeadOf::Post(s), "post", &[digest], Some(&s.date), &view)
        })
        .collect::<Result<_, SiteError>>()?;
    pages.extend(posts);
    // Tags.
    let view = || Ok(View::Tags(bundle.tags.clone()));
    pages.push(page(
        HeadOf::Tags(&bundle.tags),
        "tags",
        &[&d.tags],
        None,
        &view,
    )?);
    let tag_pages: Vec<Page> = bundle
        .tag_lists
        .par_iter()
        .zip(&d.tag_lists)
        .map(|((tag, list), digest)| {
            let view = || {
                Ok(View::Tag {
                    slug: tag.slug.clone(),
                    list: list.clone(),
                })
            };
            let head_of = HeadOf::Tag {
                slug: &tag.slug,
                list,
            };
            page(head_of, "tag", &[digest], newest(list), &view)
        })
        .collect::<Result<_, SiteError>>()?;
    pages.extend(tag_pages);
    // Months.
    let view = || Ok(View::Months(site.months.clone()));
    pages.push(page(
        HeadOf::Months(&site.months),
        "months",
        &[&d.site],
        None,
        &view,
    )?);
    let month_pages: Vec<Page> = bundle
        .month_lists
        .par_iter()
        .zip(&d.month_lists)
        .map(|((month, list), digest)| {
            let (year, month) = (month.year, month.month);
            let view = || {
                Ok(View::Month {
                    list: list.clone(),
                    year,
                    month,
                })
            };
            let head_of = HeadOf::Month { list, year, month };
            page(head_of, "month", &[digest], newest(list), &view)
        })
        .collect::<Result<_, SiteError>>()?;
    pages.extend(month_pages);
    // Search: the app does the work; without JavaScript the page says so.
    pages.push(page(HeadOf::Search, "search", &[], None, &|| {
        Ok(View::Search(None))
    })?);
    progress.finish_and_clear();
    Ok(pages)
}
