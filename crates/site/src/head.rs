//! What a page's `<head>` gets from this crate: [`PageMeta`] (the app's `HeadTags`),
//! written out by
//! [`head_tags`]; and which tags of a template are those ([`is_owned`]), so a page never
//! carries two.

use lol_html::html_content::Element;

use crate::escape::escape;

/// What goes into a page's `<head>`: the app's own head type, so the built page and
/// the app navigating to it write the same tags.
pub use matome_web::page::HeadTags as PageMeta;

/// The head tags of one page, one per line (no line break after the last).
pub(crate) fn head_tags(meta: &PageMeta) -> String {
    let mut tags = vec![format!("<title>{}</title>", escape(&meta.title))];
    for (attr, key, value) in meta.metas() {
        tags.push(format!(
            r#"<meta {attr}="{key}" content="{}">"#,
            escape(&value)
        ));
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
