//! The deployment passes, in order (all called from [`run`]):
//! 1. `Bundle::load` — read `data/site.json` and everything it names (or take them
//!    from the build that just wrote them, `Bundle::handed_over`);
//! 2. `hash_shards` — content-hashed list shard names, `site.json` rewritten;
//! 3. `route_pages` ([`crate::routes`]) — one page per route: head tags, and the page
//!    itself rendered by the app's own components (`matome_web::prerender`);
//! 4. `write_pages` — fill the Trunk template for each route, plus `404.html`;
//! 5. `write_feeds` — RSS (site, tags, months), Atom, sitemap, robots.txt, and
//!    `_headers` (immutable hashed files, revalidated entry file) for hosts that read it,
//!    and the service worker `sw.js` ([`crate::worker`]);
//! 6. `precompress` — `.gz` and `.br` copies where they pay ([`crate::Precompress`]).
//!
//! Every file goes through one [`Writer`]: into the bundle's own folder,
//! or syncing a separate site folder, where unchanged files are left alone.

use std::collections::{HashMap, HashSet};

use matome_model::{paths, PostSummary};
use matome_web::page::{month_title, HeadOf, Page as View};
use matome_web::prerender::{self, Target};
use rayon::prelude::*;

use crate::bundle::Bundle;
use crate::feeds::{self, Channel};
use crate::io::Writer;
use crate::legacy::{self, OldUrl};
use crate::render_cache::RenderCache;
use crate::routes::{page_file, page_meta, route_pages, Page};
use crate::template::Template;
use crate::urls::SiteUrls;
use crate::{compress, headers, shards, PublishOptions, SiteError};

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
/// With `compiled` (the bundle in `opts.root`, handed over by the build that wrote it),
/// nothing of the bundle is read back but the posts whose pages are rendered.
pub fn run(
    opts: &PublishOptions,
    compiled: Option<matome_compiler::bundle::Compiled>,
) -> Result<Counts, SiteError> {
    let out = match &opts.site {
        Some(site) => {
            let writer = Writer::sync(&opts.root, site)?;
            match &opts.spare {
                Some(spare) => writer.with_spare(spare),
                None => writer,
            }
        }
        None => Writer::direct(&opts.root),
    };
    let mut phases = Vec::new();
    let mut lap = std::time::Instant::now();
    let mut phase = |name: &'static str| {
        phases.push((name, lap.elapsed()));
        lap = std::time::Instant::now();
    };
    let mut template = Template::load(&opts.template)?;
    let bundle = match compiled {
        Some(compiled) => Bundle::handed_over(&opts.root, compiled)?,
        None => Bundle::load(&opts.root)?,
    };
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
    if let (Some(dir), true) = (&opts.static_dir, out.is_sync()) {
        template.use_site_icons(&urls.base_path, dir)?;
    }
    let (site, tags) = shards::hash_shards(&out, bundle.site.clone(), bundle.tags.clone())?;
    // Sync: the post files gzip-compressed, the rest of the bundle (images) and the app,
    // the page template aside (the home page takes its name).
    let post_digests: HashMap<String, crate::bundle::Digest> = bundle
        .posts
        .iter()
        .zip(&bundle.digests.posts)
        .map(|(p, d)| (paths::post_json(&p.summary.path), *d))
        .collect();
    compress::pack_posts(&out, opts.compress_cache.as_deref(), &post_digests)?;
    out.put_tree(&opts.root, &[])?;
    // The site's own files before the app's: where both have a file (`favicon.ico`),
    // the site's is kept. The pages, feeds and `_headers` written below replace any of
    // the same name.
    if let Some(dir) = &opts.static_dir {
        out.put_tree(dir, &[])?;
    }
    if let Some(app) = &opts.app {
        // Not Trunk's staging folder, which `trunk watch` (`make serve`) leaves in its dist.
        out.put_tree(app, &["index.html", ".stage/"])?;
    }
    phase("data");
    // Pages unchanged since the last publish into this site folder are not rendered.
    let cache = match (&opts.render_cache, out.is_sync()) {
        (Some(dir), true) => RenderCache::open(dir, &template),
        _ => None,
    };
    let pages = route_pages(&urls, &bundle, cache.as_ref().map(|c| (c, out.out())))?;
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
    if let Some(cache) = &cache {
        let keys: Vec<(String, crate::render_cache::Key)> = pages
            .iter()
            .filter_map(|p| Some((page_file(&p.route), p.key?)))
            .collect();
        // A manifest that cannot be written only makes the next publish slower.
        let _ = cache.store(out.out(), &keys);
    }
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

fn write_pages(
    out: &Writer,
    template: &Template,
    urls: &SiteUrls,
    bundle: &Bundle,
    pages: &[Page],
) -> Result<(), SiteError> {
    let written = pages.iter().filter(|p| p.body.is_some()).count();
    let progress = crate::progress::bar(written as u64, "writing");
    pages
        .par_iter()
        .map(|page| match &page.body {
            Some(body) => {
                let file = template.render(&page.meta, body)?;
                progress.inc(1);
                out.put(&page_file(&page.route), file.as_bytes())
            }
            None => out.keep(&page_file(&page.route)),
        })
        .collect::<Result<Vec<()>, _>>()?;
    progress.finish_and_clear();
    let site = &bundle.site;
    let not_found = page_meta(urls, site, HeadOf::NotFound.head(&site.title));
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
