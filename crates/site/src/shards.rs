//! Content-hashed names for the list and search shards, so hosts may cache them for good.
//!
//! `data/site.json` stays unhashed (it is the short-lived entry file) and is rewritten
//! with the new names; `data/tags.json` is rewritten with the hashed tag shard names and
//! then hashed itself. Post files keep their stable names.

use matome_model::{paths, Site, TagIndex};
use rayon::prelude::*;

use crate::io::Writer;
use crate::SiteError;
use matome_compiler::hash::short_hash;

/// `data/pages/1.json` + hash → `data/pages/1.<hash>.json`. A name that already carries
/// a hash gets it replaced, so running the pass twice does not stack hashes.
pub fn hashed_name(name: &str, hash: &str) -> String {
    let (stem, ext) = match name.rfind('.') {
        Some(i) if !name[i..].contains('/') => name.split_at(i),
        _ => (name, ""),
    };
    let stem = match stem.rfind('.') {
        Some(i) if is_hash(&stem[i + 1..]) && !stem[i..].contains('/') => &stem[..i],
        _ => stem,
    };
    format!("{stem}.{hash}{ext}")
}

fn is_hash(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The hashed name of the bundle file `name` with content `bytes`.
fn hashed(name: &str) -> impl Fn(&[u8]) -> String + '_ {
    move |bytes| hashed_name(name, &short_hash(bytes))
}

/// Gives every list and search shard a hashed name and rewrites `tags.json` and `site.json`.
/// Returns the updated site and tag index.
pub fn hash_shards(
    out: &Writer,
    mut site: Site,
    mut tags: TagIndex,
) -> Result<(Site, TagIndex), SiteError> {
    tags.tags.par_iter_mut().try_for_each(|tag| {
        tag.file = out.place_hashed(&tag.file, hashed(&tag.file))?;
        Ok::<_, SiteError>(())
    })?;
    let tag_index = serde_json::to_vec(&tags).expect("tag index serialises");
    site.tag_index = out.put_hashed(&site.tag_index, &tag_index, hashed(&site.tag_index))?;
    for page in &mut site.pages {
        *page = out.place_hashed(page, hashed(page))?;
    }
    for month in &mut site.months {
        month.file = out.place_hashed(&month.file, hashed(&month.file))?;
    }
    for shard in &mut site.search.shards {
        *shard = out.place_hashed(shard, hashed(shard))?;
    }
    // Empty in bundles from before the search index: nothing to rename.
    if !site.search.table.is_empty() {
        site.search.table = out.place_hashed(&site.search.table, hashed(&site.search.table))?;
    }
    let json = serde_json::to_vec(&site).expect("site serialises");
    out.put(paths::SITE_JSON, &json)?;
    Ok((site, tags))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The hash goes before the extension and replaces an earlier one.
    #[test]
    fn hashed_name_is_idempotent() {
        let once = hashed_name("data/pages/1.json", "0123456789abcdef");
        assert_eq!(once, "data/pages/1.0123456789abcdef.json");
        assert_eq!(
            hashed_name(&once, "fedcba9876543210"),
            "data/pages/1.fedcba9876543210.json"
        );
        assert_eq!(
            hashed_name("data/months/2025-04.json", "0123456789abcdef"),
            "data/months/2025-04.0123456789abcdef.json"
        );
        assert_eq!(
            hashed_name("data/search/2025-04.json", "0123456789abcdef"),
            "data/search/2025-04.0123456789abcdef.json"
        );
    }
}
