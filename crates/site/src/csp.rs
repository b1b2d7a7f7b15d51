//! The Content-Security-Policy every page carries, as a `<meta>` tag (it works on any
//! static host, with no header configuration).
//!
//! Scripts run only from the site itself, plus the page's own inline scripts allowed by
//! their SHA-256 hash: Trunk's module script that starts the app, and the small theme
//! snippet that must run before the first paint (as a file it would be a blocking request
//! on a phone's first visit, so it stays inline, pinned by its hash). Content can never
//! add a script: post text is rendered as text, and any other inline script is refused.
//! `wasm-unsafe-eval` lets the browser compile the app's wasm; data comes only from the
//! site (`connect-src 'self'`), the service worker too (`worker-src 'self'`); card
//! accents are `style` attributes, so inline style
//! attributes are allowed while style sheets come only from the site.

use std::cell::{Cell, RefCell};

use base64::Engine as _;
use lol_html::{element, text, RewriteStrSettings};
use matome_compiler::hash::sha256;

/// Origins a configured third party (analytics) may load scripts from, send data to
/// and show images from, on top of the site itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extra {
    /// Added to `script-src`.
    pub script: Vec<String>,
    /// Added to `connect-src`.
    pub connect: Vec<String>,
    /// Added to `img-src`.
    pub img: Vec<String>,
}

/// The policy for a page whose inline scripts are `scripts` (their exact text).
pub fn policy<'a>(scripts: impl IntoIterator<Item = &'a str>) -> String {
    policy_with(scripts, &Extra::default())
}

/// [`policy`] with the origins of `extra` allowed too.
pub fn policy_with<'a>(scripts: impl IntoIterator<Item = &'a str>, extra: &Extra) -> String {
    let list = |v: &[String]| v.iter().map(|o| format!(" {o}")).collect::<String>();
    let (script, connect, img) = (list(&extra.script), list(&extra.connect), list(&extra.img));
    let hashes: String = scripts
        .into_iter()
        .map(|s| {
            let digest = sha256(s.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}{script}; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:{img}; \
         connect-src 'self'{connect}; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; worker-src 'self'"
    )
}

/// The text of every inline `<script>` (one without `src`) in `html`, in order, exactly
/// as written (what a browser hashes), found by lol_html.
pub fn inline_scripts(html: &str) -> Result<Vec<String>, String> {
    let scripts = RefCell::new(Vec::new());
    let inline = Cell::new(false);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("script", |el| {
            inline.set(!el.has_attribute("src"));
            if inline.get() {
                scripts.borrow_mut().push(String::new());
            }
            Ok(())
        }))
        .append_element_content_handler(text!("script", |t| {
            if let (true, Some(text)) = (inline.get(), scripts.borrow_mut().last_mut()) {
                text.push_str(t.as_str());
            }
            Ok(())
        }));
    lol_html::rewrite_str(html, settings).map_err(|e| e.to_string())?;
    Ok(scripts.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Inline scripts are found with their exact text; scripts with a src are not inline.
    #[test]
    fn finds_inline_scripts_only() {
        let html = r#"<head><script>a()</script><script type="module" src="/x.js"></script>
<SCRIPT type="module">import x from '/y.js';</SCRIPT></head>"#;
        assert_eq!(
            inline_scripts(html).unwrap(),
            ["a()", "import x from '/y.js';"]
        );
        // An empty inline script is one too (the hash of no text).
        assert_eq!(inline_scripts("<script></script>").unwrap(), [""]);
    }

    // The policy pins each inline script by hash and allows nothing else inline.
    #[test]
    fn policy_lists_the_hashes() {
        let p = policy(["a()"]);
        // printf 'a()' | openssl dgst -sha256 -binary | base64
        assert!(
            p.contains("'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='"),
            "{p}"
        );
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(!p.contains("script-src 'unsafe-inline'") && !p.contains("'unsafe-eval'"));
        assert!(p.contains("connect-src 'self'"));
        assert!(p.contains("worker-src 'self'"), "the site's service worker");
    }
}
