//! The deployment passes, in order (all called from [`run`]):
//! 1. `Bundle::load` — read `data/site.json` and everything it names;
//! 2. `hash_shards` — content-hashed list shard names, `site.json` rewritten;
//! 3. `route_pages` — one [`Page`] per route: head tags, and the page itself rendered
//!    by the app's own components (`matome_web::prerender`);
//! 4. `write_pages` — fill the Trunk template for each route, plus `404.html`;
//! 5. `write_feeds` — RSS (site, tags, months), Atom, sitemap, robots.txt, and
//!    `_headers` (immutable hashed files, revalidated entry file) for hosts that read it,
//!    and the service worker `sw.js` ([`crate::worker`]);
//! 6. `precompress` — `.gz` and `.br` copies where they pay ([`crate::Precompress`]).
//!
//! Every file goes through one [`Writer`]: into the bundle's own folder (`matome pages`),
//! or syncing a separate site folder, where unchanged files are left alone.

use std::collections::{HashMap, HashSet};

use matome_model::{paths, Image, ListPage, PostSummary};
use matome_web::prerender::{self, Page as View, Target};
use rayon::prelude::*;

use crate::bundle::Bundle;
use crate::feeds::{self, Channel};
use crate::io::Writer;
use crate::legacy::{self, OldUrl};
use crate::template::{PageMeta, Template};
use crate::urls::SiteUrls;
use crate::{compress, headers, shards, PublishOptions, SiteError};

/// Longest meta description, in characters.
const DESCRIPTION_CHARS: usize = 160;

/// One route to prerender.
struct Page {
    /// Route relative to the site root (`""` for home, `posts/x/`).
    route: String,
    meta: PageMeta,
    /// The page's content, rendered by the app's components.
    body: String,
    /// Date for the sitemap's `lastmod`.
    lastmod: Option<String>,
}

/// What [`run`] did.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// Time of each pass, in order (`MATOME_TIMINGS=1` prints them).
    pub phases: Vec<(&'static str, std::time::Duration)>,
    /// Files written.
    pub written: usize,
    /// Files left as they were (sync).
    pub reused: usize,
    /// Files of the previous site removed (sync).
    pub removed: usize,
    /// Files that got `.gz` and `.br` copies.
    pub compressed: usize,
}

/// Runs every pass; see the module docs.
pub fn run(opts: &PublishOptions) -> Result<Counts, SiteError> {
    let out = match &opts.site {
        Some(site) => Writer::sync(&opts.root, site),
        None => Writer::direct(&opts.root),
    };
    let mut phases = Vec::new();
    let mut lap = std::time::Instant::now();
    let mut phase = |name: &'static str| {
        phases.push((name, lap.elapsed()));
        lap = std::time::Instant::now();
    };
    let mut template = Template::load(&opts.template)?;
    let bundle = Bundle::load(&opts.root)?;
    phase("load");
    let base_path = if opts.base_path.trim().is_empty() {
        &bundle.site.base_path
    } else {
        &opts.base_path
    };
    let urls = SiteUrls::new(&bundle.site.base_url, base_path);
    template.absolutize(&urls.base_path)?;
    if let Some(analytics) = &bundle.site.analytics {
        template.add_analytics(analytics)?;
    }
    let (site, tags) = shards::hash_shards(&out, bundle.site.clone(), bundle.tags.clone())?;
    // Sync: the post files gzip-compressed, the rest of the bundle (images) and the app,
    // the page template aside (the home page takes its name).
    compress::pack_posts(&out, opts.compress_cache.as_deref())?;
    out.put_tree(&opts.root, &[])?;
    if let Some(app) = &opts.app {
        out.put_tree(app, &["index.html"])?;
    }
    phase("data");
    let pages = route_pages(&urls, &bundle);
    phase("render");
    write_pages(&out, &template, &urls, &bundle, &pages)?;
    phase("pages");
    let feeds = write_feeds(&out, &urls, &bundle, &pages)?;
    write_old_urls(&out, &urls, &bundle, &pages, &feeds)?;
    // Trunk's hashed assets are named in `_headers`: read from where they are.
    let assets = opts.app.as_deref().unwrap_or(&opts.root);
    let rules = headers::headers(assets, &urls, &bundle, &site, &tags)?;
    out.put("_headers", rules.as_bytes())?;
    // The service worker (offline reading, update notice), versioned by the app files.
    let worker = crate::worker::script_for(assets, &opts.template, &site.title)?;
    out.put(crate::worker::FILE, worker.as_bytes())?;
    phase("feeds");
    let compressed = compress::precompress(&out, opts.precompress, opts.compress_cache.as_deref())?;
    phase("compress");
    let removed = out.finish()?;
    phase("clean");
    let (written, reused) = out.counts();
    Ok(Counts {
        phases,
        written,
        reused,
        removed,
        compressed,
    })
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

/// Every route of the site with its head tags and its content. Pages preload nothing:
/// the app takes them over without fetching data.
fn route_pages(urls: &SiteUrls, bundle: &Bundle) -> Vec<Page> {
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
    let render = |route: &str, view: View| {
        prerender::render(
            view,
            &Target {
                site_title: &site.title,
                base_path: &urls.base_path,
                pathname: &urls.path(route),
                author: site.author.as_ref(),
            },
        )
    };
    // A tag's or a month's list: its own feed first, then the site's.
    let taxonomy_page =
        |route: String, title: &str, description: String, list: &ListPage, view: View| {
            let mut m = meta(&route, title, description, first_image(list));
            m.feeds.insert(
                0,
                (
                    format!("{title} (RSS)"),
                    urls.abs(&format!("{route}index.xml")),
                    "application/rss+xml",
                ),
            );
            Page {
                body: render(&route, view),
                meta: m,
                route,
                lastmod: list.posts.first().map(|p| p.date.clone()),
            }
        };
    let mut pages = Vec::new();

    // Home: the newest posts.
    if let Some(first) = bundle.pages.first() {
        let m = meta("", "", site.description.clone(), first_image(first));
        pages.push(Page {
            route: String::new(),
            meta: m,
            body: render(
                "",
                View::Home {
                    site: Box::new(site.clone()),
                    page: first.clone(),
                },
            ),
            lastmod: first.posts.first().map(|p| p.date.clone()),
        });
    }
    // All posts, page by page.
    let lists: Vec<Page> = bundle
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, list)| {
            let n = i as u32 + 1;
            let title = if n == 1 {
                "記事一覧".to_string()
            } else {
                format!("記事一覧（{n}ページ目）")
            };
            let route = paths::page_route(n);
            let description = format!("{}の記事一覧（全{}件）", site.title, site.post_count);
            let m = meta(&route, &title, description, first_image(list));
            Page {
                meta: m,
                body: render(&route, View::Posts(list.clone())),
                route,
                lastmod: None,
            }
        })
        .collect();
    pages.extend(lists);
    // Posts.
    let posts: Vec<Page> = bundle
        .posts
        .par_iter()
        .map(|post| {
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
            Page {
                body: render(&route, View::Post(Box::new(post.clone()))),
                meta: m,
                lastmod: Some(s.date.clone()),
                route,
            }
        })
        .collect();
    pages.extend(posts);
    // Tags.
    let m = meta(
        paths::TAGS_ROUTE,
        "タグ一覧",
        format!("{}のタグ一覧（{}件）", site.title, bundle.tags.tags.len()),
        None,
    );
    pages.push(Page {
        route: paths::TAGS_ROUTE.into(),
        meta: m,
        body: render(paths::TAGS_ROUTE, View::Tags(bundle.tags.clone())),
        lastmod: None,
    });
    let tag_pages: Vec<Page> = bundle
        .tag_lists
        .par_iter()
        .map(|(tag, list)| {
            let title = format!("タグ: {}", tag.name);
            let description = format!("「{}」タグの記事{}件", tag.name, tag.count);
            taxonomy_page(
                paths::tag_route(&tag.slug),
                &title,
                description,
                list,
                View::Tag(list.clone()),
            )
        })
        .collect();
    pages.extend(tag_pages);
    // Months.
    let m = meta(
        paths::MONTHS_ROUTE,
        "月別アーカイブ",
        format!("{}の月別アーカイブ", site.title),
        None,
    );
    pages.push(Page {
        route: paths::MONTHS_ROUTE.into(),
        meta: m,
        body: render(paths::MONTHS_ROUTE, View::Months(site.months.clone())),
        lastmod: None,
    });
    let month_pages: Vec<Page> = bundle
        .month_lists
        .par_iter()
        .map(|(month, list)| {
            let title = month_title(month.year, month.month);
            let description = format!("{}の記事{}件", title, month.count);
            let view = View::Month {
                list: list.clone(),
                year: month.year,
                month: month.month,
            };
            taxonomy_page(
                paths::month_route(month.year, month.month),
                &title,
                description,
                list,
                view,
            )
        })
        .collect();
    pages.extend(month_pages);
    // Search: the app does the work; without JavaScript the page says so.
    pages.push(Page {
        route: paths::SEARCH_ROUTE.into(),
        meta: meta(
            paths::SEARCH_ROUTE,
            "検索",
            format!("{}の記事を検索", site.title),
            None,
        ),
        body: render(paths::SEARCH_ROUTE, View::Search),
        lastmod: None,
    });
    pages
}

/// The first thumbnail of a list, for its link previews.
fn first_image(list: &ListPage) -> Option<&Image> {
    list.posts.iter().find_map(|p| p.thumbnail.as_ref())
}

/// `2025年4月の記事`.
pub fn month_title(year: u16, month: u8) -> String {
    format!("{year}年{month}月の記事")
}

/// `index.html` below the route's folder.
fn page_file(route: &str) -> String {
    format!("{route}index.html")
}

fn write_pages(
    out: &Writer,
    template: &Template,
    urls: &SiteUrls,
    bundle: &Bundle,
    pages: &[Page],
) -> Result<(), SiteError> {
    pages
        .par_iter()
        .map(|page| {
            out.put(
                &page_file(&page.route),
                template.render(&page.meta, &page.body)?.as_bytes(),
            )
        })
        .collect::<Result<Vec<()>, _>>()?;
    let site = &bundle.site;
    let not_found = PageMeta {
        title: full_title("ページが見つかりません", &site.title),
        og_title: "ページが見つかりません".into(),
        description: site.description.clone(),
        og_type: "website",
        site_name: site.title.clone(),
        noindex: true,
        ..PageMeta::default()
    };
    let body = prerender::render(
        View::NotFound,
        &Target {
            site_title: &site.title,
            base_path: &urls.base_path,
            pathname: &urls.path("404.html"),
            author: site.author.as_ref(),
        },
    );
    out.put("404.html", template.render(&not_found, &body)?.as_bytes())
}

/// Old URLs ([`legacy`]): redirect pages, copies of renamed feeds and the taxonomy
/// list feeds, wherever the site does not already serve the path.
fn write_old_urls(
    out: &Writer,
    urls: &SiteUrls,
    bundle: &Bundle,
    pages: &[Page],
    feeds: &[(String, String)],
) -> Result<(), SiteError> {
    let mut served: HashSet<String> = pages.iter().map(|p| page_file(&p.route)).collect();
    served.extend(feeds.iter().map(|(name, _)| name.clone()));
    served.insert("404.html".into());
    let tags: Vec<(String, String)> = bundle
        .tags
        .tags
        .iter()
        .map(|t| (t.slug.clone(), t.name.clone()))
        .collect();
    let old = legacy::old_urls(&bundle.site, &tags, bundle.pages.len() as u32, &served);
    let feed_text: HashMap<&str, &str> = feeds
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    old.par_iter()
        .map(|u| {
            let text = match u {
                OldUrl::Page { to, title, .. } => legacy::redirect_page(urls, to, title),
                OldUrl::Feed { to, .. } => match feed_text.get(to.as_str()) {
                    Some(t) => t.to_string(),
                    None => return Ok(()),
                },
                OldUrl::List {
                    from,
                    title,
                    link,
                    items,
                } => feeds::link_list_rss(urls, title, link, from, items),
            };
            out.put(&u.file(), text.as_bytes())
        })
        .collect::<Result<Vec<()>, _>>()?;
    Ok(())
}

fn write_feeds(
    out: &Writer,
    urls: &SiteUrls,
    bundle: &Bundle,
    pages: &[Page],
) -> Result<Vec<(String, String)>, SiteError> {
    let site = &bundle.site;
    let all: Vec<PostSummary> = bundle.posts.iter().map(|p| p.summary.clone()).collect();
    let mut files: Vec<(String, String)> = Vec::new();
    let channel = Channel {
        title: site.title.clone(),
        link: urls.abs(""),
        description: site.description.clone(),
        self_url: urls.abs("index.xml"),
        posts: &all,
    };
    files.push(("index.xml".into(), feeds::rss(urls, &channel)));
    // Hugo also writes the section feed `/posts/index.xml`; old subscriptions keep working.
    let section = Channel {
        self_url: urls.abs("posts/index.xml"),
        link: urls.abs(&paths::page_route(1)),
        ..channel
    };
    files.push(("posts/index.xml".into(), feeds::rss(urls, &section)));
    files.push((
        "atom.xml".into(),
        feeds::atom(urls, &site.title, &site.description, &all),
    ));
    for (tag, list) in &bundle.tag_lists {
        let route = paths::tag_route(&tag.slug);
        let channel = Channel {
            title: format!("タグ: {} | {}", tag.name, site.title),
            link: urls.abs(&route),
            description: format!("「{}」タグの記事", tag.name),
            self_url: urls.abs(&format!("{route}index.xml")),
            posts: &list.posts,
        };
        files.push((format!("{route}index.xml"), feeds::rss(urls, &channel)));
    }
    for (month, list) in &bundle.month_lists {
        let route = paths::month_route(month.year, month.month);
        let title = month_title(month.year, month.month);
        let channel = Channel {
            title: format!("{title} | {}", site.title),
            link: urls.abs(&route),
            description: title.clone(),
            self_url: urls.abs(&format!("{route}index.xml")),
            posts: &list.posts,
        };
        files.push((format!("{route}index.xml"), feeds::rss(urls, &channel)));
    }
    let routes: Vec<(String, Option<String>)> = pages
        .iter()
        .filter(|p| p.route != paths::SEARCH_ROUTE)
        .map(|p| (p.route.clone(), p.lastmod.clone()))
        .collect();
    files.push(("sitemap.xml".into(), feeds::sitemap(urls, &routes)));
    files.push(("robots.txt".into(), feeds::robots(urls)));
    // GitHub Pages deployed from a branch runs Jekyll, which drops `_headers` and any
    // folder starting with `.` or `_` (Hugo's `/tags/.net/`): this file turns that off.
    files.push((".nojekyll".into(), String::new()));
    files
        .par_iter()
        .map(|(name, text)| out.put(name, text.as_bytes()))
        .collect::<Result<Vec<()>, _>>()?;
    Ok(files)
}
