//! `_headers`: cache rules for hosts that read that file (Netlify, Cloudflare Pages).
//! Content-hashed files (list shards, resized images, Trunk's assets) are immutable;
//! `site.json`, posts and pages must be revalidated so a deploy shows at once.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use matome_model::{paths, Site, TagIndex};

use crate::bundle::Bundle;
use crate::urls::SiteUrls;
use crate::SiteError;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "public, max-age=0, must-revalidate";

/// The `_headers` text for a published site (`site` and `tags` with hashed names).
pub fn headers(
    root: &Path,
    urls: &SiteUrls,
    bundle: &Bundle,
    site: &Site,
    tags: &TagIndex,
) -> Result<String, SiteError> {
    let mut immutable: BTreeSet<String> = BTreeSet::new();
    immutable.insert(site.tag_index.clone());
    for name in site
        .pages
        .iter()
        .chain(site.months.iter().map(|m| &m.file))
        .chain(&site.search.shards)
        .chain(Some(&site.search.table).filter(|s| !s.is_empty()))
        .chain(tags.tags.iter().map(|t| &t.file))
    {
        // One rule per shard folder, the rest by name.
        match name.rsplit_once('/') {
            Some((dir, _)) if dir != "data" => immutable.insert(format!("{dir}/*")),
            _ => immutable.insert(name.clone()),
        };
    }
    // Resized images carry a content hash; their folders hold nothing else.
    for post in &bundle.posts {
        for variant in post.summary.thumbnail.iter().flat_map(|i| &i.variants) {
            if let Some((dir, _)) = variant.src.rsplit_once('/') {
                immutable.insert(format!("{dir}/*"));
            }
        }
    }
    immutable.extend(trunk_assets(root)?);

    let mut out =
        String::from("# Cache rules (Netlify, Cloudflare Pages). Written by `matome publish`.\n");
    let _ = writeln!(
        out,
        "{}\n  Cache-Control: {REVALIDATE}",
        urls.path(paths::SITE_JSON)
    );
    let _ = writeln!(out, "{}*\n  X-Content-Type-Options: nosniff", urls.path(""));
    // The service worker is never cached: a new one means a new app (see `worker.rs`).
    let _ = writeln!(
        out,
        "{}\n  Cache-Control: {REVALIDATE}",
        urls.path(crate::worker::FILE)
    );
    for name in &immutable {
        let _ = writeln!(out, "{}\n  Cache-Control: {IMMUTABLE}", urls.path(name));
    }
    Ok(out)
}

/// Top-level files Trunk named with a hash (`matome-web-1a2b…_bg.wasm`, `main-3c4d….css`).
pub(crate) fn trunk_assets(root: &Path) -> Result<Vec<String>, SiteError> {
    let io_err = |source| SiteError::Io {
        path: root.to_path_buf(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root).map_err(io_err)? {
        let name = entry
            .map_err(io_err)?
            .file_name()
            .to_string_lossy()
            .into_owned();
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        let stem = stem.strip_suffix("_bg").unwrap_or(stem);
        let hashed = stem
            .rsplit_once('-')
            .is_some_and(|(_, h)| h.len() >= 8 && h.bytes().all(|b| b.is_ascii_hexdigit()));
        if hashed && ["js", "wasm", "css", "svg", "png", "ico", "woff2"].contains(&ext) {
            names.push(name);
        }
    }
    Ok(names)
}
