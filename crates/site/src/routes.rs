//! Every route of the site as a [`Page`]: its head tags ([`PageMeta`]) and its content,
//! rendered by the app's own components (`matome_web::prerender`). Pass 3 of
//! [`crate::publish`].

use matome_model::{paths, Image, ListPage};
use matome_web::prerender::{self, Page as View, Target};
use rayon::prelude::*;

use crate::bundle::{Bundle, Digest};
use crate::render_cache::{Key, RenderCache};
use crate::template::PageMeta;
use crate::urls::SiteUrls;
use crate::SiteError;

/// Longest meta description, in characters.
const DESCRIPTION_CHARS: usize = 160;

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

/// `"{page} | {site}"`, or the site title alone for the home page.
pub fn full_title(page: &str, site: &str) -> String {
    if page.is_empty() {
        site.to_string()
    } else {
        format!("{page} | {site}")
    }
}

fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

fn image_meta(urls: &SiteUrls, image: Option<&Image>) -> Option<(String, u32, u32)> {
    image.map(|img| (urls.abs(&img.src), img.width, img.height))
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
    let site_feed = (
        format!("{} (RSS)", site.title),
        urls.abs("index.xml"),
        "application/rss+xml",
    );
    let atom_feed = (
        format!("{} (Atom)", site.title),
        urls.abs("atom.xml"),
        "application/atom+xml",
    );
    let meta =
        |route: &str, page_title: &str, description: String, image: Option<&Image>| PageMeta {
            title: full_title(page_title, &site.title),
            og_title: if page_title.is_empty() {
                site.title.clone()
            } else {
                page_title.to_string()
            },
            description: truncate(&description, DESCRIPTION_CHARS),
            canonical: Some(urls.abs(route)),
            og_type: "website",
            site_name: site.title.clone(),
            image: image_meta(urls, image),
            published: None,
            noindex: false,
            feeds: vec![site_feed.clone(), atom_feed.clone()],
        };
    // The body (unless the cache has the file) and the key of a page.
    // The bundle files each view is made of (the site's head and footer come from the
    // target and the head tags, which the key covers too).
    let d = &bundle.digests;
    let all = bundle.pages.len() + bundle.posts.len() + bundle.tag_lists.len();
    let progress = crate::progress::bar((all + bundle.month_lists.len() + 4) as u64, "rendering");
    // `view` is only called when the page is rendered (a post is decoded for it only).
    let render = |route: &str,
                  kind: &str,
                  meta: &PageMeta,
                  sources: &[&Digest],
                  view: &dyn Fn() -> Result<View, SiteError>|
     -> Result<(Option<String>, Option<Key>), SiteError> {
        let pathname = urls.path(route);
        let target = Target {
            site_title: &site.title,
            base_path: &urls.base_path,
            pathname: &pathname,
            author: site.author.as_ref(),
        };
        let key = cache.map(|(c, out)| {
            let file = page_file(route);
            let key = c.key(&file, kind, sources, &target, meta);
            (key, c.fresh(out, &file, &key))
        });
        let page = match key {
            Some((key, true)) => (None, Some(key)),
            _ => (Some(prerender::render(view()?, &target)), key.map(|k| k.0)),
        };
        progress.inc(1);
        Ok(page)
    };
    // A tag's or a month's list: its own feed first, then the site's.
    let taxonomy_page = |route: String,
                         title: &str,
                         description: String,
                         list: &ListPage,
                         kind: &str,
                         view: &dyn Fn() -> Result<View, SiteError>,
                         source: &Digest| {
        let mut m = meta(&route, title, description, first_image(list));
        m.feeds.insert(
            0,
            (
                format!("{title} (RSS)"),
                urls.abs(&format!("{route}index.xml")),
                "application/rss+xml",
            ),
        );
        let (body, key) = render(&route, kind, &m, &[source], view)?;
        Ok(Page {
            body,
            key,
            meta: m,
            route,
            lastmod: list.posts.first().map(|p| p.date.clone()),
        })
    };
    let mut pages = Vec::new();

    // Home: the newest posts.
    if let Some(first) = bundle.pages.first() {
        let m = meta("", "", site.description.clone(), first_image(first));
        let view = || {
            Ok(View::Home {
                site: Box::new(site.clone()),
                page: first.clone(),
            })
        };
        let (body, key) = render("", "home", &m, &[&d.site, &d.pages[0]], &view)?;
        pages.push(Page {
            route: String::new(),
            meta: m,
            body,
            key,
            lastmod: first.posts.first().map(|p| p.date.clone()),
        });
    }
    // All posts, page by page.
    let lists: Vec<Page> = bundle
        .pages
        .par_iter()
        .zip(&d.pages)
        .enumerate()
        .map(|(i, (list, digest))| {
            let n = i as u32 + 1;
            let title = if n == 1 {
                "記事一覧".to_string()
            } else {
                format!("記事一覧（{n}ページ目）")
            };
            let route = paths::page_route(n);
            let description = format!("{}の記事一覧（全{}件）", site.title, site.post_count);
            let m = meta(&route, &title, description, first_image(list));
            let view = || Ok(View::Posts(list.clone()));
            let (body, key) = render(&route, "posts", &m, &[digest], &view)?;
            Ok(Page {
                meta: m,
                body,
                key,
                route,
                lastmod: None,
            })
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
            let route = paths::post_route(&s.path);
            let description = if s.excerpt.trim().is_empty() {
                site.description.clone()
            } else {
                s.excerpt.clone()
            };
            let mut m = meta(&route, &s.title, description, s.thumbnail.as_ref());
            m.og_type = "article";
            m.published = crate::dates::DateTime::parse(&s.date).map(|d| d.rfc3339());
            let view = || Ok(View::Post(Box::new(post.post()?)));
            let (body, key) = render(&route, "post", &m, &[digest], &view)?;
            Ok(Page {
                body,
                key,
                meta: m,
                lastmod: Some(s.date.clone()),
                route,
            })
        })
        .collect::<Result<_, SiteError>>()?;
    pages.extend(posts);
    // Tags.
    let m = meta(
        paths::TAGS_ROUTE,
        "タグ一覧",
        format!("{}のタグ一覧（{}件）", site.title, bundle.tags.tags.len()),
        None,
    );
    let view = || Ok(View::Tags(bundle.tags.clone()));
    let (body, key) = render(paths::TAGS_ROUTE, "tags", &m, &[&d.tags], &view)?;
    pages.push(Page {
        route: paths::TAGS_ROUTE.into(),
        meta: m,
        body,
        key,
        lastmod: None,
    });
    let tag_pages: Vec<Page> = bundle
        .tag_lists
        .par_iter()
        .zip(&d.tag_lists)
        .map(|((tag, list), digest)| {
            let title = format!("タグ: {}", tag.name);
            let description = format!("「{}」タグの記事{}件", tag.name, tag.count);
            taxonomy_page(
                paths::tag_route(&tag.slug),
                &title,
                description,
                list,
                "tag",
                &|| Ok(View::Tag(list.clone())),
                digest,
            )
        })
        .collect::<Result<_, SiteError>>()?;
    pages.extend(tag_pages);
    // Months.
    let m = meta(
        paths::MONTHS_ROUTE,
        "月別アーカイブ",
        format!("{}の月別アーカイブ", site.title),
        None,
    );
    let view = || Ok(View::Months(site.months.clone()));
    let (body, key) = render(paths::MONTHS_ROUTE, "months", &m, &[&d.site], &view)?;
    pages.push(Page {
        route: paths::MONTHS_ROUTE.into(),
        meta: m,
        body,
        key,
        lastmod: None,
    });
    let month_pages: Vec<Page> = bundle
        .month_lists
        .par_iter()
        .zip(&d.month_lists)
        .map(|((month, list), digest)| {
            let title = month_title(month.year, month.month);
            let description = format!("{}の記事{}件", title, month.count);
            let view = || {
                Ok(View::Month {
                    list: list.clone(),
                    year: month.year,
                    month: month.month,
                })
            };
            taxonomy_page(
                paths::month_route(month.year, month.month),
                &title,
                description,
                list,
                "month",
                &view,
                digest,
            )
        })
        .collect::<Result<_, SiteError>>()?;
    pages.extend(month_pages);
    // Search: the app does the work; without JavaScript the page says so.
    let m = meta(
        paths::SEARCH_ROUTE,
        "検索",
        format!("{}の記事を検索", site.title),
        None,
    );
    let (body, key) = render(paths::SEARCH_ROUTE, "search", &m, &[], &|| Ok(View::Search))?;
    pages.push(Page {
        route: paths::SEARCH_ROUTE.into(),
        meta: m,
        body,
        key,
        lastmod: None,
    });
    progress.finish_and_clear();
    Ok(pages)
}

/// The first thumbnail of a list, for its link previews.
fn first_image(list: &ListPage) -> Option<&Image> {
    list.posts.iter().find_map(|p| p.thumbnail.as_ref())
}

/// `2025年4月の記事`.
pub fn month_title(year: u16, month: u8) -> String {
    format!("{year}年{month}月の記事")
}
