//! RSS 2.0 and Atom feeds, the sitemap and robots.txt, written with quick-xml (which
//! escapes every text and attribute value); characters XML 1.0 forbids are dropped first.

use matome_model::{paths, PostSummary};
use matome_web::format::thousands;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::dates::DateTime;
use crate::escape::xml_chars;
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

/// An XML document being written: quick-xml escapes every text and attribute value;
/// line breaks are placed by hand (one element per line, as before the library).
struct Doc(Writer<Vec<u8>>);

/// Attributes of one element, `(name, value)`; values are raw text.
type Attrs<'a> = &'a [(&'a str, &'a str)];

impl Doc {
    /// A document starting with `<?xml version="1.0" encoding="utf-8"?>` and a line break.
    fn new() -> Self {
        let mut doc = Doc(Writer::new(Vec::new()));
        doc.event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
            .nl();
        doc
    }

    fn event(&mut self, event: Event) -> &mut Self {
        // Writing into a Vec cannot fail.
        self.0.write_event(event).expect("writing XML into memory");
        self
    }

    fn element<'a>(name: &'a str, attrs: Attrs<'a>) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute((*key, xml_chars(value).as_ref()));
        }
        start
    }

    /// `<name attrs>`.
    fn open(&mut self, name: &str, attrs: Attrs) -> &mut Self {
        self.event(Event::Start(Self::element(name, attrs)))
    }

    /// `</name>`.
    fn close(&mut self, name: &str) -> &mut Self {
        self.event(Event::End(BytesEnd::new(name)))
    }

    /// `<name attrs>text</name>`.
    fn text(&mut self, name: &str, attrs: Attrs, text: &str) -> &mut Self {
        self.open(name, attrs)
            .event(Event::Text(BytesText::new(&xml_chars(text))))
            .close(name)
    }

    /// `<name attrs/>`.
    fn empty(&mut self, name: &str, attrs: Attrs) -> &mut Self {
        self.event(Event::Empty(Self::element(name, attrs)))
    }

    /// A line break.
    fn nl(&mut self) -> &mut Self {
        self.0.get_mut().push(b'\n');
        self
    }

    fn finish(self) -> String {
        String::from_utf8(self.0.into_inner()).expect("quick-xml writes the UTF-8 it is given")
    }
}

/// `<rss>` and `<channel>` opened, with the channel's title, link, description,
/// language and (when known) last build date; then the feed's self link.
fn rss_head(
    doc: &mut Doc,
    title: &str,
    link: &str,
    description: &str,
    built: Option<&str>,
    self_url: &str,
) {
    doc.open(
        "rss",
        &[
            ("version", "2.0"),
            ("xmlns:atom", "http://www.w3.org/2005/Atom"),
        ],
    )
    .nl()
    .open("channel", &[])
    .nl();
    doc.text("title", &[], title).nl();
    doc.text("link", &[], link).nl();
    doc.text("description", &[], description).nl();
    doc.text("language", &[], "ja").nl();
    if let Some(date) = built {
        doc.text("lastBuildDate", &[], date).nl();
    }
    doc.empty(
        "atom:link",
        &[
            ("href", self_url),
            ("rel", "self"),
            ("type", "application/rss+xml"),
        ],
    )
    .nl();
}

fn rss_tail(mut doc: Doc) -> String {
    doc.close("channel").nl().close("rss").nl();
    doc.finish()
}

/// An RSS 2.0 document.
pub fn rss(urls: &SiteUrls, channel: &Channel) -> String {
    let mut doc = Doc::new();
    let built = channel.posts.first().and_then(|p| rfc822(&p.date));
    rss_head(
        &mut doc,
        &channel.title,
        &channel.link,
        &channel.description,
        built.as_deref(),
        &channel.self_url,
    );
    for post in channel.posts {
        let link = urls.abs(&paths::post_route(&post.path));
        doc.open("item", &[]).nl();
        doc.text("title", &[], &post.title).nl();
        doc.text("link", &[], &link).nl();
        doc.text("guid", &[("isPermaLink", "true")], &link).nl();
        if let Some(date) = rfc822(&post.date) {
            doc.text("pubDate", &[], &date).nl();
        }
        doc.text("description", &[], &item_description(post)).nl();
        for tag in &post.tags {
            doc.text("category", &[], &tag.name).nl();
        }
        doc.close("item").nl();
    }
    rss_tail(doc)
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
    let mut doc = Doc::new();
    rss_head(
        &mut doc,
        title,
        &urls.abs(link),
        title,
        None,
        &urls.abs(self_file),
    );
    for (title, route) in items {
        let link = urls.abs(route);
        doc.open("item", &[]).nl();
        doc.text("title", &[], title).nl();
        doc.text("link", &[], &link).nl();
        doc.text("guid", &[("isPermaLink", "true")], &link).nl();
        doc.close("item").nl();
    }
    rss_tail(doc)
}

/// The site's Atom feed.
pub fn atom(urls: &SiteUrls, title: &str, subtitle: &str, posts: &[PostSummary]) -> String {
    let mut doc = Doc::new();
    let home = urls.abs("");
    doc.open(
        "feed",
        &[("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", "ja")],
    )
    .nl();
    doc.text("title", &[], title).nl();
    doc.text("subtitle", &[], subtitle).nl();
    doc.text("id", &[], &home).nl();
    doc.empty(
        "link",
        &[("rel", "alternate"), ("type", "text/html"), ("href", &home)],
    )
    .nl();
    doc.empty(
        "link",
        &[
            ("rel", "self"),
            ("type", "application/atom+xml"),
            ("href", &urls.abs("atom.xml")),
        ],
    )
    .nl();
    let updated = posts
        .first()
        .map(|p| rfc3339(&p.date))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    doc.text("updated", &[], &updated).nl();
    doc.open("author", &[])
        .text("name", &[], title)
        .close("author")
        .nl();
    for post in posts {
        let link = urls.abs(&paths::post_route(&post.path));
        let date = rfc3339(&post.date);
        doc.open("entry", &[]).nl();
        doc.text("title", &[], &post.title).nl();
        doc.text("id", &[], &link).nl();
        doc.empty(
            "link",
            &[("rel", "alternate"), ("type", "text/html"), ("href", &link)],
        )
        .nl();
        doc.text("published", &[], &date).nl();
        doc.text("updated", &[], &date).nl();
        doc.text("summary", &[("type", "text")], &item_description(post))
            .nl();
        for tag in &post.tags {
            doc.empty("category", &[("term", &tag.slug), ("label", &tag.name)])
                .nl();
        }
        doc.close("entry").nl();
    }
    doc.close("feed").nl();
    doc.finish()
}

/// `sitemap.xml` for `(route, last modification date)` pairs.
pub fn sitemap(urls: &SiteUrls, routes: &[(String, Option<String>)]) -> String {
    let mut doc = Doc::new();
    doc.open(
        "urlset",
        &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")],
    )
    .nl();
    for (route, lastmod) in routes {
        doc.open("url", &[]).text("loc", &[], &urls.abs(route));
        if let Some(date) = lastmod {
            doc.text("lastmod", &[], &rfc3339(date));
        }
        doc.close("url").nl();
    }
    doc.close("urlset").nl();
    doc.finish()
}

/// `robots.txt`: everything allowed, the sitemap named.
pub fn robots(urls: &SiteUrls) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.abs("sitemap.xml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use matome_model::TagRef;

    fn post(title: &str, tag: &str) -> PostSummary {
        PostSummary {
            path: "2025_04/a".into(),
            title: title.into(),
            date: "2025-04-01T09:00:00".into(),
            tags: vec![TagRef {
                slug: "t".into(),
                name: tag.into(),
            }],
            thumbnail: None,
            comments: 3,
            reading_minutes: 1,
            excerpt: String::new(),
        }
    }

    // Markup, quotes and characters XML forbids in text and attributes: both feeds
    // stay well-formed and give back the text (minus the forbidden characters).
    #[test]
    fn hostile_text_round_trips_through_both_feeds() {
        let urls = SiteUrls::new("https://example.com/", "/");
        let posts = [post("<b>\"A\" & 'B'\u{1b}</b>", "C'\u{0}s \"tag\"")];
        let channel = Channel {
            title: "T & <T>".into(),
            link: urls.abs(""),
            description: "D".into(),
            self_url: urls.abs("index.xml"),
            posts: &posts,
        };
        let rss = rss(&urls, &channel);
        let doc = roxmltree::Document::parse(&rss).unwrap_or_else(|e| panic!("{e}\n{rss}"));
        let text = |tag: &str| -> Vec<String> {
            doc.descendants()
                .filter(|n| n.has_tag_name(tag))
                .map(|n| n.text().unwrap_or_default().to_string())
                .collect()
        };
        assert_eq!(text("title"), ["T & <T>", "<b>\"A\" & 'B'</b>"]);
        assert_eq!(text("category"), ["C's \"tag\""]);
        assert!(rss.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss "));

        let atom = atom(&urls, "T", "S", &posts);
        let doc = roxmltree::Document::parse(&atom).unwrap_or_else(|e| panic!("{e}\n{atom}"));
        let label = doc
            .descendants()
            .find(|n| n.has_tag_name("category"))
            .and_then(|n| n.attribute("label"));
        assert_eq!(label, Some("C's \"tag\""));
    }

    // One element per line; a sitemap entry is one line.
    #[test]
    fn sitemap_lists_each_route_on_a_line() {
        let urls = SiteUrls::new("https://example.com/", "/");
        let map = sitemap(
            &urls,
            &[
                (String::new(), Some("2025-04-01T09:00:00".into())),
                ("tags/".into(), None),
            ],
        );
        let lines: Vec<&str> = map.lines().collect();
        assert_eq!(lines.len(), 5, "{map}");
        assert!(lines[2].starts_with("<url><loc>https://example.com/</loc><lastmod>2025-04-01"));
        assert_eq!(lines[3], "<url><loc>https://example.com/tags/</loc></url>");
    }
}
