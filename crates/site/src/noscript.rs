//! Readable HTML for `<noscript>`: what crawlers and readers without JavaScript get.
//! Every text goes through [`escape`]; only http(s) URLs become links.

use std::fmt::Write;

use matome_model::{paths, Block, Comment, Inline, Post, PostSummary};

use crate::escape::{escape, is_web_url};
use crate::urls::SiteUrls;

/// The site header: title and the main sections.
pub fn header(urls: &SiteUrls, site_title: &str) -> String {
    format!(
        r#"<header><p><a href="{home}">{title}</a></p><nav><a href="{posts}">記事一覧</a> | <a href="{months}">月別アーカイブ</a> | <a href="{tags}">タグ</a></nav></header>"#,
        home = escape(&urls.path("")),
        title = escape(site_title),
        posts = escape(&urls.path(&paths::page_route(1))),
        months = escape(&urls.path(paths::MONTHS_ROUTE)),
        tags = escape(&urls.path(paths::TAGS_ROUTE)),
    )
}

/// A heading and a list of links to posts, with date, comment count and excerpt;
/// `footer` (HTML, e.g. page links) follows the list.
pub fn post_list(urls: &SiteUrls, heading: &str, posts: &[PostSummary], footer: &str) -> String {
    let mut out = format!("<main><h1>{}</h1><ul>", escape(heading));
    for post in posts {
        let _ = write!(
            out,
            r#"<li><a href="{}">{}</a> <time datetime="{}">{}</time> コメント{}件<br>{}</li>"#,
            escape(&urls.path(&paths::post_route(&post.path))),
            escape(&post.title),
            escape(&post.date),
            escape(&display_date(&post.date)),
            post.comments,
            escape(&post.excerpt),
        );
    }
    out.push_str("</ul>");
    out.push_str(footer);
    out.push_str("</main>");
    out
}

/// Links with counts (tags, months) under a heading.
pub fn link_list(heading: &str, links: &[(String, String, u32)]) -> String {
    let mut out = format!("<main><h1>{}</h1><ul>", escape(heading));
    for (href, text, count) in links {
        let _ = write!(
            out,
            r#"<li><a href="{}">{}</a> ({count})</li>"#,
            escape(href),
            escape(text)
        );
    }
    out.push_str("</ul></main>");
    out
}

/// One post: title, date, tags, source link, lead, paragraphs and every comment.
pub fn post(urls: &SiteUrls, post: &Post) -> String {
    let s = &post.summary;
    let mut out = format!(
        r#"<main><article><h1>{}</h1><p><time datetime="{}">{}</time> コメント{}件</p>"#,
        escape(&s.title),
        escape(&s.date),
        escape(&display_date(&s.date)),
        s.comments
    );
    if !s.tags.is_empty() {
        out.push_str("<p>タグ: ");
        for (i, tag) in s.tags.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let _ = write!(
                out,
                r#"{sep}<a href="{}">{}</a>"#,
                escape(&urls.path(&paths::tag_route(&tag.slug))),
                escape(&tag.name)
            );
        }
        out.push_str("</p>");
    }
    if let Some(source) = post.source.as_deref().filter(|u| is_web_url(u)) {
        let _ = write!(
            out,
            r#"<p>引用元：<a href="{0}" rel="nofollow noopener noreferrer">{0}</a></p>"#,
            escape(source)
        );
    }
    if let Some(lead) = &post.lead {
        let _ = write!(out, "<blockquote><p>{}</p></blockquote>", escape(lead));
    }
    for block in &post.blocks {
        match block {
            Block::Paragraph(nodes) => {
                out.push_str("<p>");
                inlines(urls, nodes, &mut out);
                out.push_str("</p>");
            }
            Block::Comment(comment) => comment_html(urls, comment, &mut out),
            Block::More { label, comments } => {
                let _ = write!(out, "<section><h2>{}</h2>", escape(label));
                for comment in comments {
                    comment_html(urls, comment, &mut out);
                }
                out.push_str("</section>");
            }
            Block::RecentList { posts, .. } => {
                out.push_str("<ul>");
                for p in posts {
                    let _ = write!(
                        out,
                        r#"<li><a href="{}">{}</a></li>"#,
                        escape(&urls.path(&paths::post_route(&p.path))),
                        escape(&p.title)
                    );
                }
                out.push_str("</ul>");
            }
        }
    }
    out.push_str("</article><nav>");
    for (label, other) in [("前の記事", &post.prev), ("次の記事", &post.next)] {
        if let Some(other) = other {
            let _ = write!(
                out,
                r#"<p>{label}: <a href="{}">{}</a></p>"#,
                escape(&urls.path(&paths::post_route(&other.path))),
                escape(&other.title)
            );
        }
    }
    let _ = write!(
        out,
        r#"<p><a href="{}">記事一覧へ</a></p></nav></main>"#,
        escape(&urls.path(&paths::page_route(1)))
    );
    out
}

/// One comment: number, user, time, body.
fn comment_html(urls: &SiteUrls, comment: &Comment, out: &mut String) {
    let _ = write!(
        out,
        r#"<article><p>{}. {} <time datetime="{}">{}</time></p><div>"#,
        comment.n,
        escape(&comment.user),
        escape(&comment.created_at),
        escape(&display_time(&comment.created_at)),
    );
    if comment.body.is_empty() {
        out.push_str("（本文なし）");
    }
    inlines(urls, &comment.body, out);
    out.push_str("</div></article>");
}

/// Typed inline nodes as HTML. Text is escaped; links other than http(s) stay text.
pub fn inlines(urls: &SiteUrls, nodes: &[Inline], out: &mut String) {
    for node in nodes {
        match node {
            Inline::Text(text) => out.push_str(&escape(text)),
            Inline::Break => out.push_str("<br>"),
            Inline::Link { href, children } if is_web_url(href) => {
                let _ = write!(
                    out,
                    r#"<a href="{}" rel="nofollow noopener noreferrer">"#,
                    escape(href)
                );
                inlines(urls, children, out);
                out.push_str("</a>");
            }
            Inline::Link { children, .. } => inlines(urls, children, out),
            Inline::InternalLink { route, children } if !route.contains(':') => {
                let _ = write!(out, r#"<a href="{}">"#, escape(&urls.path(route)));
                inlines(urls, children, out);
                out.push_str("</a>");
            }
            Inline::InternalLink { children, .. } => inlines(urls, children, out),
            Inline::Code(code) => {
                let _ = write!(out, "<code>{}</code>", escape(code));
            }
            Inline::CodeBlock(code) => {
                let _ = write!(out, "<pre><code>{}</code></pre>", escape(code));
            }
            Inline::Emphasis(children) => wrap(urls, "em", children, out),
            Inline::Strong(children) => wrap(urls, "strong", children, out),
            Inline::QuoteLine(children) => wrap(urls, "blockquote", children, out),
        }
    }
}

fn wrap(urls: &SiteUrls, tag: &str, children: &[Inline], out: &mut String) {
    let _ = write!(out, "<{tag}>");
    inlines(urls, children, out);
    let _ = write!(out, "</{tag}>");
}

/// `2025-04-14T18:04:41` → `2025/04/14`.
pub fn display_date(date: &str) -> String {
    date.get(..10).unwrap_or(date).replace('-', "/")
}

/// `2025-04-14T18:04:41` → `2025/04/14 18:04`.
fn display_time(date: &str) -> String {
    match date.get(11..16) {
        Some(time) => format!("{} {time}", display_date(date)),
        None => display_date(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(nodes: &[Inline]) -> String {
        let mut out = String::new();
        inlines(
            &SiteUrls::new("https://example.com/", "/sub/"),
            nodes,
            &mut out,
        );
        out
    }

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text(s.into())]
    }

    // Internal links get the base path; one that smuggles a scheme or a host stays text.
    #[test]
    fn internal_links_stay_on_the_site() {
        assert_eq!(
            render(&[Inline::InternalLink {
                route: "posts/".into(),
                children: text("一覧")
            }]),
            r#"<a href="/sub/posts/">一覧</a>"#
        );
        assert_eq!(
            render(&[Inline::InternalLink {
                route: "//evil.example/".into(),
                children: text("x")
            }]),
            r#"<a href="/sub/evil.example/">x</a>"#
        );
        assert_eq!(
            render(&[Inline::InternalLink {
                route: "javascript:alert(1)".into(),
                children: text("x")
            }]),
            "x"
        );
    }

    // Only http(s) links become anchors; their text is escaped either way.
    #[test]
    fn other_schemes_stay_text() {
        assert_eq!(
            render(&[Inline::Link {
                href: "data:text/html,<script>".into(),
                children: text("<b>")
            }]),
            "&lt;b&gt;"
        );
        assert_eq!(
            render(&[
                Inline::Code("<T>".into()),
                Inline::Break,
                Inline::Emphasis(text("a&b"))
            ]),
            "<code>&lt;T&gt;</code><br><em>a&amp;b</em>"
        );
    }
}
