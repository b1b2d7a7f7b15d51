//! The document's head tags (title, description, canonical, OpenGraph), the site title, and the colour theme
//! (`data-theme` on `<html>`, remembered in local storage).

use super::{document, window};
use crate::page::{HeadTags, META_TAGS};

const THEME_KEY: &str = "matome-theme";

/// Sets `<title>`, the `<meta>` tags of [`HeadTags::metas`] (removing those the page
/// has none of) and the canonical link: what the build wrote into the page's head.
pub fn set_head(tags: &HeadTags) {
    let Some(doc) = document() else { return };
    let Some(head) = doc.head() else { return };
    doc.set_title(&tags.title);
    let metas = tags.metas();
    for (attr, key) in META_TAGS {
        let found = doc
            .query_selector(&format!(r#"meta[{attr}="{key}"]"#))
            .ok()
            .flatten();
        let content = metas
            .iter()
            .find(|(a, k, _)| *a == attr && *k == key)
            .map(|(_, _, c)| c);
        match (found, content) {
            (Some(el), Some(content)) => {
                let _ = el.set_attribute("content", content);
            }
            (Some(el), None) => el.remove(),
            (None, Some(content)) => {
                if let Ok(el) = doc.create_element("meta") {
                    let _ = el.set_attribute(attr, key);
                    let _ = el.set_attribute("content", content);
                    let _ = head.append_child(&el);
                }
            }
            (None, None) => {}
        }
    }
    let link = doc.query_selector("link[rel=canonical]").ok().flatten();
    match (link, &tags.canonical) {
        (Some(el), Some(url)) => {
            let _ = el.set_attribute("href", url);
        }
        (Some(el), None) => el.remove(),
        (None, Some(url)) => {
            if let Ok(el) = doc.create_element("link") {
                let _ = el.set_attribute("rel", "canonical");
                let _ = el.set_attribute("href", url);
                let _ = head.append_child(&el);
            }
        }
        (None, None) => {}
    }
}

/// The site title as the prerendered header shows it; else from `<title>`, where pages
/// are titled `page | site`, so the last part is the site.
pub fn initial_title() -> String {
    thread_local!(static T: String = {
        let doc = document();
        let header = doc
            .as_ref()
            .and_then(|d| d.query_selector(crate::class_selector!(site_title)).ok().flatten())
            .and_then(|el| el.text_content())
            .filter(|t| !t.trim().is_empty());
        header.or_else(|| {
            doc.map(|d| d.title().rsplit(" | ").next().unwrap_or_default().to_string())
        })
        .unwrap_or_default()
    });
    T.with(Clone::clone)
}

/// The theme in effect: `"dark"` or `"light"`.
pub fn current_theme() -> &'static str {
    let set = document()
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"));
    match set.as_deref() {
        Some("dark") => "dark",
        Some("light") => "light",
        _ if prefers_dark() => "dark",
        _ => "light",
    }
}

fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Applies and remembers a theme chosen by the reader.
pub fn set_theme(theme: &str) {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme);
    }
    if let Some(storage) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(THEME_KEY, theme);
    }
}
