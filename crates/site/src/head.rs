//! What a page's `<head>` gets from this crate: [`PageMeta`], written out by
//! [`head_tags`]; and which tags of a template are those ([`is_owned`]), so a page never
//! carries two.

use lol_html::html_content::Element;

use crate::escape::escape;

/// What goes into a page's `<head>`.
#[derive(Clone, Debug, Default)]
pub struct PageMeta {
    /// The `<title>`.
    pub title: String,
    /// `og:title` and `twitter:title` (the title without the site name).
    pub og_title: String,
    /// Meta, OpenGraph and Twitter description.
    pub description: String,
    /// Absolute canonical URL (also `og:url`); `None` for the 404 page.
    pub canonical: Option<String>,
    /// `article` for posts, `website` otherwise.
    pub og_type: &'static str,
    /// Site name for `og:site_name`.
    pub site_name: String,
    /// Absolute image URL with its size.
    pub image: Option<(String, u32, u32)>,
    /// RFC 3339 publication time of a post.
    pub published: Option<String>,
    /// Keeps the page out of search engines (404).
    pub noindex: bool,
    /// `(title, absolute URL, MIME type)` of feeds to advertise.
    pub feeds: Vec<(String, String, &'static str)>,
}

/// The head tags of one page, one per line (no line break after the last).
pub(crate) fn head_tags(meta: &PageMeta) -> String {
    let mut tags = vec![format!("<title>{}</title>", escape(&meta.title))];
    let mut push_meta = |attr: &str, key: &str, value: &str| {
        tags.push(format!(
            r#"<meta {attr}="{key}" content="{}">"#,
            escape(value)
        ))
    };
    push_meta("name", "description", &meta.description);
    if meta.noindex {
        push_meta("name", "robots", "noindex");
    }
    push_meta("property", "og:site_name", &meta.site_name);
    push_meta("property", "og:type", meta.og_type);
    push_meta("property", "og:title", &meta.og_title);
    push_meta("property", "og:description", &meta.description);
    push_meta("property", "og:locale", "ja_JP");
    if let Some(url) = &meta.canonical {
        push_meta("property", "og:url", url);
    }
    if let Some(published) = &meta.published {
        push_meta("property", "article:published_time", published);
    }
    let card = if meta.image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    push_meta("name", "twitter:card", card);
    push_meta("name", "twitter:title", &meta.og_title);
    push_meta("name", "twitter:description", &meta.description);
    if let Some((url, width, height)) = &meta.image {
        push_meta("property", "og:image", url);
        push_meta("property", "og:image:width", &width.to_string());
        push_meta("property", "og:image:height", &height.to_string());
        push_meta("name", "twitter:image", url);
    }
    if let Some(url) = &meta.canonical {
        tags.push(format!(r#"<link rel="canonical" href="{}">"#, escape(url)));
    }
    for (title, url, mime) in &meta.feeds {
        tags.push(format!(
            r#"<link rel="alternate" type="{mime}" title="{}" href="{}">"#,
            escape(title),
            escape(url)
        ));
    }
    tags.join("\n    ")
}

/// Whether the head element `el` is one of the tags a page gets from [`head_tags`]
/// (so a template that already has some — Trunk's, one written by hand, a page this
/// step filled in — does not end up with two), or Trunk's preload of the wasm: the page
/// is readable without the app, and on a slow phone link the wasm downloading next to
/// the HTML and CSS delays the first paint (the app's module script still starts the
/// download once the page is parsed).
pub(crate) fn is_owned(el: &Element) -> bool {
    if !matches!(el.tag_name().as_str(), "meta" | "link") {
        return false;
    }
    let attr = |name: &str| el.get_attribute(name).map(|v| v.to_ascii_lowercase());
    let is = |name: &str, test: &dyn Fn(&str) -> bool| attr(name).is_some_and(|v| test(&v));
    el.attributes()
        .iter()
        .any(|a| a.name().starts_with("data-matome"))
        || is("type", &|v| v == "application/wasm")
        || is("http-equiv", &|v| v == "content-security-policy")
        || is("name", &|v| {
            matches!(v, "description" | "robots") || v.starts_with("twitter:")
        })
        || is("property", &|v| {
            v.starts_with("og:") || v.starts_with("article:")
        })
        || is("rel", &|v| matches!(v, "canonical" | "alternate"))
}
