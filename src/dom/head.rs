//! The document's title and meta description, the site title, and the colour theme
//! (`data-theme` on `<html>`, remembered in local storage).

use super::{document, window};

const THEME_KEY: &str = "matome-theme";

/// Sets `<title>` and the meta description.
pub fn set_meta(title: &str, description: &str) {
    let Some(doc) = document() else { return };
    doc.set_title(title);
    let meta = doc
        .query_selector("meta[name=description]")
        .ok()
        .flatten()
        .or_else(|| {
            let el = doc.create_element("meta").ok()?;
            el.set_attribute("name", "description").ok()?;
            doc.head()?.append_child(&el).ok()?;
            Some(el)
        });
    if let Some(meta) = meta {
        let _ = meta.set_attribute("content", description);
    }
}

/// The site title as the prerendered header shows it; else from `<title>`, where pages
/// are titled `page | site`, so the last part is the site.
pub fn initial_title() -> String {
    thread_local!(static T: String = {
        let doc = document();
        let header = doc
            .as_ref()
            .and_then(|d| d.query_selector(".site-title").ok().flatten())
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
