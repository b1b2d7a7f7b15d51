//! RSS 2.0 and Atom feeds, the sitemap and robots.txt. Every text and URL is escaped.

use std::fmt::Write;

use matome_model::{paths, PostSummary};
use matome_web::format::thousands;

use crate::dates::DateTime;
use crate::escape::escape;
use crate::urls::SiteUrls;

/// One RSS channel.
pub struct Channel<'a> {
    /// Channel title.
    pub title: String,
    /// Absolute URL of the page the channel mirrors.
    pub link: String,
    /// Channel description.
    pub description: String,
    /// Absolute URL of the feed itself.
    pub self_url: String,
    /// The items, newest first.
    pub posts: &'a [PostSummary],
}

/// A post's description in feeds: the excerpt and the comment count (Hugo's are empty).
pub fn item_description(post: &PostSummary) -> String {
    let excerpt = post.excerpt.trim();
    if excerpt.is_empty() {
        format!("コメント{}件", thousands(u64::from(post.comments)))
    } else {
        format!(
            "{excerpt}（コメント{}件）",
            thousands(u64::from(post.comments))
        )
    }
}

fn rfc822(date: &str) -> Option<String> {
    DateTime::parse(date).map(|d| d.rfc822())
}

fn rfc3339(date: &str) -> String {
    DateTime::parse(date)
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| date.to_string())
}

/// An RSS 2.0 document.
pub fn rss(urls: &SiteUrls, channel: &Channel) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&channel.title));
    let _ = writeln!(out, "<link>{}</link>", escape(&channel.link));
    let _ = writeln!(
        out,
        "<description>{}</description>",
        escape(&channel.description)
    );
    out.push_str("<language>ja</language>\n");
    if let Some(date) = channel.posts.first().and_then(|p| rfc822(&p.date)) {
        let _ = writeln!(out, "<lastBuildDate>{date}</lastBuildDate>");
    }
    let _ = writeln!(
        out,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape(&channel.self_url)
    );
    for post in channel.posts {
        let link = escape(&urls.abs(&paths::post_route(&post.path)));
        out.push_str("<item>\n");
        let _ = writeln!(out, "<title>{}</title>", escape(&post.title));
        let _ = writeln!(out, "<link>{link}</link>");
        let _ = writeln!(out, "<guid isPermaLink=\"true\">{link}</guid>");
        if let Some(date) = rfc822(&post.date) {
            let _ = writeln!(out, "<pubDate>{date}</pubDate>");
        }
        let _ = writeln!(
            out,
            "<description>{}</description>",
            escape(&item_description(post))
        );
        for tag in &post.tags {
            let _ = writeln!(out, "<category>{}</category>", escape(&tag.name));
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// An RSS 2.0 channel of links that are not posts (Hugo's taxonomy list feeds:
/// `/tags/index.xml` lists the tags), `items` as (title, route).
pub fn link_list_rss(
    urls: &SiteUrls,
    title: &str,
    link: &str,
    self_file: &str,
    items: &[(String, String)],
) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<link>{}</link>", escape(&urls.abs(link)));
    let _ = writeln!(out, "<description>{}</description>", escape(title));
    out.push_str("<language>ja</language>\n");
    let _ = writeln!(
        out,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape(&urls.abs(self_file))
    );
    for (title, route) in items {
        let link = escape(&urls.abs(route));
        let _ = writeln!(out, "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n</item>", escape(title));
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// The site's Atom feed.
pub fn atom(urls: &SiteUrls, title: &str, subtitle: &str, posts: &[PostSummary]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ja\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<subtitle>{}</subtitle>", escape(subtitle));
    let _ = writeln!(out, "<id>{}</id>", escape(&urls.abs("")));
    let _ = writeln!(
        out,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&urls.abs(""))
    );
    let _ = writeln!(
        out,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&urls.abs("atom.xml"))
    );
    let updated = posts
        .first()
        .map(|p| rfc3339(&p.date))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let _ = writeln!(out, "<updated>{}</updated>", escape(&updated));
    let _ = writeln!(out, "<author><name>{}</name></author>", escape(title));
    for post in posts {
        let link = escape(&urls.abs(&paths::post_route(&post.path)));
        let date = escape(&rfc3339(&post.date));
        out.push_str("<entry>\n");
        let _ = writeln!(out, "<title>{}</title>", escape(&post.title));
        let _ = writeln!(out, "<id>{link}</id>");
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>"
        );
        let _ = writeln!(
            out,
            "<published>{date}</published>\n<updated>{date}</updated>"
        );
        let _ = writeln!(
            out,
            "<summary type=\"text\">{}</summary>",
            escape(&item_description(post))
        );
        for tag in &post.tags {
            let _ = writeln!(
                out,
                "<category term=\"{}\" label=\"{}\"/>",
                escape(&tag.slug),
                escape(&tag.name)
            );
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// `sitemap.xml` for `(route, last modification date)` pairs.
pub fn sitemap(urls: &SiteUrls, routes: &[(String, Option<String>)]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (route, lastmod) in routes {
        let _ = write!(out, "<url><loc>{}</loc>", escape(&urls.abs(route)));
        if let Some(date) = lastmod {
            let _ = write!(out, "<lastmod>{}</lastmod>", escape(&rfc3339(date)));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`: everything allowed, the sitemap named.
pub fn robots(urls: &SiteUrls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.abs("sitemap.xml")
    )
}
