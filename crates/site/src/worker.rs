//! The service worker (`sw.js` at the site root): offline reading of the posts a reader
//! opened and the 「新しい版があります」 notice (issue 13). Its code is `sw.js` beside this
//! file; publishing fills in the app shell (the hashed files Trunk wrote that the page
//! template names, and the home page), the site title, and a version: the hash of the
//! shell's names and the worker's code. A content-only publish keeps the version (pages
//! and data are fetched network-first anyway); a new app is a new worker, which the
//! browser sees as a changed script and installs next to the old one.

use std::path::Path;

use crate::SiteError;
use matome_compiler::hash::hex_digest;

/// The worker's file name, at the site root (its scope is the whole site, also below a
/// sub-path).
pub const FILE: &str = "sw.js";

const SOURCE: &str = include_str!("sw.js");

/// The worker for an app whose hashed files are `assets` (file names at the site root)
/// and whose page template is `template`. The shell is what the page loads at once: the
/// files the template names by URL (`/app-….css`, `/matome-web-…_bg.wasm`). A file it
/// names bare (the search worker, in `<meta name="matome-search-worker">`) loads later,
/// when needed, and is not precached; it still counts for the version.
pub fn script(assets: &[String], template: &str, site_title: &str) -> String {
    let mut named: Vec<&str> = assets
        .iter()
        .map(String::as_str)
        .filter(|name| template.contains(name))
        .collect();
    named.sort_unstable();
    let mut shell: Vec<&str> = named
        .iter()
        .copied()
        .filter(|name| template.contains(&format!("/{name}")))
        .collect();
    shell.insert(0, "");
    let names = named.join("\n");
    let version = &hex_digest(&[SOURCE.as_bytes(), names.as_bytes()])[..16];
    // JSON strings and arrays are JavaScript literals.
    let shell = serde_json::to_string(&shell).expect("strings serialize");
    let title = serde_json::to_string(site_title).expect("strings serialize");
    SOURCE
        .replacen("__MATOME_SW_VERSION__", version, 1)
        .replacen("__MATOME_SW_SHELL__", &shell, 1)
        .replacen("__MATOME_SW_TITLE__", &title, 1)
}

/// [`script`] for the app Trunk wrote into `assets_dir`, with the page template at `template`.
pub fn script_for(
    assets_dir: &Path,
    template: &Path,
    site_title: &str,
) -> Result<String, SiteError> {
    let html = std::fs::read_to_string(template).map_err(|source| SiteError::Io {
        path: template.to_path_buf(),
        source,
    })?;
    let assets = crate::headers::trunk_assets(assets_dir)?;
    Ok(script(&assets, &html, site_title))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"<link rel="stylesheet" href="/main-3c4d5e6f7a8b9c0d.css">
<script type="module">import init from '/matome-web-1a2b3c4d5e6f7a8b.js';await init({ module_or_path: '/matome-web-1a2b3c4d5e6f7a8b_bg.wasm' });</script>"#;

    fn assets() -> Vec<String> {
        [
            "matome-web-1a2b3c4d5e6f7a8b.js",
            "matome-web-1a2b3c4d5e6f7a8b_bg.wasm",
            "main-3c4d5e6f7a8b9c0d.css",
            "old-0000000000000000.css",
        ]
        .map(String::from)
        .to_vec()
    }

    // The shell is the home page and the files the template names (not stale ones), the
    // title is a JavaScript string, and no placeholder is left.
    #[test]
    fn fills_in_the_shell_title_and_version() {
        let js = script(&assets(), TEMPLATE, "HN \"まとめ\" </script>");
        assert!(js.contains(
            r#"const SHELL = ["","main-3c4d5e6f7a8b9c0d.css","matome-web-1a2b3c4d5e6f7a8b.js","matome-web-1a2b3c4d5e6f7a8b_bg.wasm"];"#
        ), "{js}");
        assert!(js.contains(r#"const SITE_TITLE = "HN \"まとめ\" </script>";"#));
        assert!(!js.contains("__MATOME_SW_"));
        let version = js
            .split("const VERSION = \"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(version.len(), 16);
        assert!(version.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    // The search worker, named bare in its meta tag, loads when the search page opens:
    // not precached with the shell, but a new one is a new version.
    #[test]
    fn the_search_worker_is_not_in_the_shell_but_in_the_version() {
        let with_worker = |hash: &str| {
            let template = format!(
                "{TEMPLATE}\n<meta name=\"matome-search-worker\" content=\"search-worker-{hash}.js\">"
            );
            let mut files = assets();
            files.push(format!("search-worker-{hash}.js"));
            files.push(format!("search-worker-{hash}_bg.wasm"));
            script(&files, &template, "T")
        };
        let a = with_worker("0123456789abcdef");
        let shell = a
            .split("const SHELL = ")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap();
        assert!(!shell.contains("search-worker"), "{shell}");
        assert!(
            shell.contains("matome-web-1a2b3c4d5e6f7a8b_bg.wasm"),
            "{shell}"
        );
        let version = |s: &str| s.split("const VERSION = \"").nth(1).unwrap()[..16].to_string();
        assert_ne!(version(&a), version(&with_worker("fedcba9876543210")));
    }

    // Same app, same worker (a content-only publish shows no update notice); a new app
    // file is a new version.
    #[test]
    fn the_version_follows_the_app_files() {
        let a = script(&assets(), TEMPLATE, "T");
        assert_eq!(a, script(&assets(), TEMPLATE, "T"));
        let newer = TEMPLATE.replace("1a2b3c4d5e6f7a8b", "ffffffffffffffff");
        let mut files = assets();
        files.push("matome-web-ffffffffffffffff.js".into());
        files.push("matome-web-ffffffffffffffff_bg.wasm".into());
        let b = script(&files, &newer, "T");
        let version = |s: &str| s.split("const VERSION = \"").nth(1).unwrap()[..16].to_string();
        assert_ne!(version(&a), version(&b));
    }
}
