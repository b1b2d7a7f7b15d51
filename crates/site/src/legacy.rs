//! Old URLs keep answering: every page and feed URL a Hugo + Blowfish build of the same
//! content writes, where matome's own URL differs, gets a small redirect page (or, for
//! a feed, a copy of the feed it became); so do the posts' front matter `aliases`.
//!
//! What Hugo writes that matome names differently:
//! - tag pages and feeds under Hugo's own slug of the tag ([`hugo_slug`]: `C#` → `c#`,
//!   `.NET` → `.net`, `UI/UX` → `ui/ux`), where matome's slug is a safe path segment;
//! - the home page's pagination `/page/N/` (Hugo's page size, `hugo_paginate`), and the
//!   section's `/posts/page/N/` beyond matome's own list pages;
//! - the taxonomy lists' feeds `/tags/index.xml` and `/months/index.xml`, and the
//!   taxonomies Blowfish declares that matome has no page for (`authors`, `categories`,
//!   `series`), which Hugo writes even when empty.
//!
//! A redirect page holds a meta refresh, the canonical link and a visible link, and no
//! script; the HTTP status is the host's business. A path the site already serves is
//! never replaced.

use std::collections::HashSet;

use matome_model::{paths, Site};

use crate::escape::escape;
use crate::urls::SiteUrls;

/// The taxonomies Blowfish declares besides `tags`, written by Hugo even when empty.
const EMPTY_TAXONOMIES: [&str; 3] = ["authors", "categories", "series"];

/// Hugo's URL slug of a taxonomy term: lowercase, whitespace runs become one `-`;
/// letters, digits and marks of any script and `.`, `/`, `\`, `_`, `-`, `#`, `+`, `~`,
/// `@` are kept, every other character is dropped (Hugo's `urlize` path sanitiser).
pub fn hugo_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pending_hyphen = false;
    for c in name.trim().to_lowercase().chars() {
        let kept = c.is_alphanumeric()
            || matches!(c, '.' | '/' | '\\' | '_' | '-' | '#' | '+' | '~' | '@')
            || matome_model::rules::is_mark(c);
        if kept {
            if pending_hyphen && c != '-' && !out.ends_with('-') {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c);
        } else if c.is_whitespace() && !out.is_empty() {
            pending_hyphen = true;
        }
    }
    out
}

/// What an old URL becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OldUrl {
    /// `from` (a route, ending in `/`, or a file) answers with a redirect page to the
    /// route `to`, titled `title`.
    Page {
        from: String,
        to: String,
        title: String,
    },
    /// The feed file `from` is a copy of the feed file `to`.
    Feed { from: String, to: String },
    /// The feed file `from` is an RSS channel listing `items` (title, route).
    List {
        from: String,
        title: String,
        link: String,
        items: Vec<(String, String)>,
    },
}

impl OldUrl {
    /// The file this old URL is written to.
    pub fn file(&self) -> String {
        match self {
            OldUrl::Page { from, .. } if from.ends_with('/') || from.is_empty() => {
                format!("{from}index.html")
            }
            OldUrl::Page { from, .. } | OldUrl::Feed { from, .. } | OldUrl::List { from, .. } => {
                from.clone()
            }
        }
    }
}

/// Every old URL of `site` (tag names and the number of list pages from the bundle),
/// leaving out any whose file is in `served`.
pub fn old_urls(
    site: &Site,
    tags: &[(String, String)],
    list_pages: u32,
    served: &HashSet<String>,
) -> Vec<OldUrl> {
    let mut out = Vec::new();
    for (slug, name) in tags {
        let old = hugo_slug(name);
        if old.is_empty()
            || old == *slug
            || old
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
        {
            continue;
        }
        let (from, to) = (paths::tag_route(&old), paths::tag_route(slug));
        out.push(OldUrl::Feed {
            from: format!("{from}index.xml"),
            to: format!("{to}index.xml"),
        });
        out.push(OldUrl::Page {
            from,
            to,
            title: format!("タグ: {name}"),
        });
    }
    // Hugo's pagination: `/page/N/` of the home page, `/posts/page/N/` of the section,
    // both at Hugo's page size; each lands on the list page holding the same first post.
    let hugo_size = site.hugo_paginate.unwrap_or(site.page_size).max(1);
    let hugo_pages = site.post_count.div_ceil(hugo_size).max(1);
    let size = site.page_size.max(1);
    for n in 1..=hugo_pages {
        let ours = ((n - 1) * hugo_size / size + 1).min(list_pages.max(1));
        let home = if ours == 1 {
            String::new()
        } else {
            paths::page_route(ours)
        };
        let title = if ours == 1 {
            site.title.clone()
        } else {
            format!("記事一覧（{ours}ページ目）")
        };
        out.push(OldUrl::Page {
            from: format!("page/{n}/"),
            to: home,
            title: title.clone(),
        });
        out.push(OldUrl::Page {
            from: format!("posts/page/{n}/"),
            to: paths::page_route(ours),
            title,
        });
    }
    for taxonomy in EMPTY_TAXONOMIES {
        out.push(OldUrl::Page {
            from: format!("{taxonomy}/"),
            to: paths::TAGS_ROUTE.into(),
            title: "タグ一覧".into(),
        });
        out.push(OldUrl::List {
            from: format!("{taxonomy}/index.xml"),
            title: format!("{taxonomy} | {}", site.title),
            link: format!("{taxonomy}/"),
            items: Vec::new(),
        });
    }
    out.push(OldUrl::List {
        from: "tags/index.xml".into(),
        title: format!("タグ一覧 | {}", site.title),
        link: paths::TAGS_ROUTE.into(),
        items: tags
            .iter()
            .map(|(slug, name)| (name.clone(), paths::tag_route(slug)))
            .collect(),
    });
    out.push(OldUrl::List {
        from: "months/index.xml".into(),
        title: format!("月別アーカイブ | {}", site.title),
        link: paths::MONTHS_ROUTE.into(),
        items: site
            .months
            .iter()
            .map(|m| {
                (
                    format!("{}年{}月", m.year, m.month),
                    paths::month_route(m.year, m.month),
                )
            })
            .collect(),
    });
    for r in &site.redirects {
        out.push(OldUrl::Page {
            from: r.from.clone(),
            to: r.to.clone(),
            title: String::new(),
        });
    }
    let mut seen = HashSet::new();
    out.retain(|u| {
        let file = u.file();
        !served.contains(&file) && seen.insert(file)
    });
    out
}

/// A redirect page to `to`: meta refresh, canonical link, a visible link; no script.
pub fn redirect_page(urls: &SiteUrls, to: &str, title: &str) -> String {
    let (path, abs) = (escape(&urls.path(to)), escape(&urls.abs(to)));
    let text = if title.trim().is_empty() {
        path.clone()
    } else {
        escape(title)
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">\
         <title>移動しました: {text}</title>\
         <link rel=\"canonical\" href=\"{abs}\"><meta name=\"robots\" content=\"noindex\">\
         <meta http-equiv=\"refresh\" content=\"0; url={path}\"></head>\
         <body><p>このページは移動しました: <a href=\"{path}\">{text}</a></p></body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hugo keeps `#`, `.`, `/` and `+`, drops other symbols, hyphenates spaces.
    #[test]
    fn hugo_slugs_follow_urlize() {
        for (name, slug) in [
            ("C#", "c#"),
            (".NET", ".net"),
            ("UI/UX", "ui/ux"),
            ("F#", "f#"),
            ("コマンド＆コンカー", "コマンドコンカー"),
            ("Anna's Archive", "annas-archive"),
            ("Rick and Morty", "rick-and-morty"),
            ("Node.js", "node.js"),
            ("C++", "c++"),
            ("  a  -  b ", "a-b"),
        ] {
            assert_eq!(hugo_slug(name), slug, "{name}");
        }
    }

    // The redirect page names its target three ways and escapes the title.
    #[test]
    fn redirect_page_links_its_target() {
        let urls = SiteUrls::new("https://example.com/sub/", "/sub/");
        let page = redirect_page(&urls, "tags/c-sharp/", "タグ: <C#>");
        assert!(
            page.contains("content=\"0; url=/sub/tags/c-sharp/\""),
            "{page}"
        );
        assert!(
            page.contains(
                "<link rel=\"canonical\" href=\"https://example.com/sub/tags/c-sharp/\">"
            ),
            "{page}"
        );
        assert!(
            page.contains("<a href=\"/sub/tags/c-sharp/\">タグ: &lt;C#&gt;</a>"),
            "{page}"
        );
        assert!(!page.contains("<script"), "{page}");
    }
}
