//! Precompressed `.gz` and `.br` copies, for hosts that serve them as they are (nginx
//! `gzip_static`/`brotli_static`). GitHub Pages, Netlify and Cloudflare Pages compress
//! on their own, and every copy is one more file against their file-count limits, so by
//! default only the files where a copy pays are compressed ([`Precompress::Large`]).
//!
//! Compressed bytes are cached by the content hash of the original (`<cache>/<hash>.gz`),
//! so an unchanged file is never compressed twice; the copies are hard-linked from there.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::io::{read, write_atomic, Writer};
use crate::SiteError;
use matome_compiler::hash::{self, hex_digest};

/// Files smaller than this are not worth a second request path.
pub const MIN_SIZE: u64 = 1024;

/// With [`Precompress::Large`], text files from this size on get copies: the site feeds
/// and the sitemap, not the pages (a 2,000-post site has hundreds of posts over 256 KiB;
/// their copies were 44 MB and 766 files).
pub const LARGE_SIZE: u64 = 1024 * 1024;

const EXTENSIONS: [&str; 8] = ["html", "js", "wasm", "css", "json", "xml", "svg", "txt"];

/// The app's own files: few, on every first load, compressed at brotli's best.
const APP_EXTENSIONS: [&str; 3] = ["wasm", "js", "css"];

/// Which files get `.gz` and `.br` copies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precompress {
    /// None.
    None,
    /// The app's wasm, JS and CSS (on every first load; brotli at its best beats what
    /// hosts do on the fly) and text files of [`LARGE_SIZE`] or more (the site feeds):
    /// a handful of files. The default.
    #[default]
    Large,
    /// Every text or wasm file over [`MIN_SIZE`], for nginx with `gzip_static on` where
    /// no file-count limit applies (about twice the files).
    All,
}

impl std::str::FromStr for Precompress {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(Precompress::None),
            "large" => Ok(Precompress::Large),
            "all" => Ok(Precompress::All),
            other => Err(format!(
                "precompress must be \"large\", \"all\" or \"none\", not {other:?}"
            )),
        }
    }
}

/// The app's own files (few, long-lived) get brotli's best; the many page and data files
/// quality 5, which keeps a 2,000-post site fast to build: on the real corpus q9 made the
/// `.br` files only 2% smaller for 5× the time. Huge files (a debug wasm from `trunk
/// serve`) get quality 5 too. gzip uses the default level (level 9: 0.1% smaller, slower).
fn brotli_params(path: &Path, len: usize) -> brotli::enc::BrotliEncoderParams {
    let quality = match path.extension().and_then(|e| e.to_str()) {
        _ if len > 4 << 20 => 5,
        Some("wasm" | "js" | "css") => 11,
        _ => 5,
    };
    // A window no larger than the file: smaller tables to allocate and clear.
    let lgwin = (usize::BITS - len.leading_zeros()).clamp(15, 21) as i32 + 1;
    brotli::enc::BrotliEncoderParams {
        quality,
        lgwin,
        size_hint: len,
        ..Default::default()
    }
}

/// Writes `<file>.gz` and `<file>.br` for every file `policy` selects (all below the
/// output folder when writing directly; the files this publish produced when syncing),
/// through the cache folder when one is given. Returns how many files got copies.
pub fn precompress(
    out: &Writer,
    policy: Precompress,
    cache: Option<&Path>,
) -> Result<usize, SiteError> {
    if policy == Precompress::None {
        return Ok(0);
    }
    let candidates: Vec<String> = if out.is_sync() {
        out.produced()
    } else {
        let mut files = Vec::new();
        list(out.out(), "", &mut files)?;
        files
    };
    let files: Vec<String> = candidates
        .into_par_iter()
        .filter(|rel| {
            let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
            let len = std::fs::metadata(out.path(rel)).map_or(0, |m| m.len());
            EXTENSIONS.contains(&ext)
                && len > MIN_SIZE
                && !(ext == "json" && is_gzip(&out.path(rel)))
                && match policy {
                    Precompress::None => false,
                    Precompress::Large => APP_EXTENSIONS.contains(&ext) || len >= LARGE_SIZE,
                    Precompress::All => true,
                }
        })
        .collect();
    let used = files
        .par_iter()
        .map(|rel| compress_file(out, rel, cache))
        .collect::<Result<Vec<Option<String>>, _>>()?;
    if let Some(dir) = cache {
        prune(dir, &used.into_iter().flatten().collect())?;
    }
    Ok(files.len())
}

/// Removes the cached copies this publish did not use (of files changed or gone).
fn prune(dir: &Path, used: &HashSet<String>) -> Result<(), SiteError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let key = name.trim_end_matches(".gz").trim_end_matches(".br");
        if key.len() == 64 && key != name && !used.contains(key) {
            std::fs::remove_file(entry.path()).map_err(|source| SiteError::Io {
                path: entry.path(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Every file below `dir` as names relative to the output folder.
fn list(dir: &Path, prefix: &str, files: &mut Vec<String>) -> Result<(), SiteError> {
    let io_err = |source| SiteError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type().map_err(io_err)?.is_dir() {
            list(&entry.path(), &rel, files)?;
        } else {
            files.push(rel);
        }
    }
    Ok(())
}

/// Returns the cache key used, if any.
fn compress_file(
    out: &Writer,
    rel: &str,
    cache: Option<&Path>,
) -> Result<Option<String>, SiteError> {
    let path = out.path(rel);
    let data = read(&path)?;
    let io_err = |source| SiteError::Io {
        path: path.clone(),
        source,
    };
    // The brotli quality depends on the extension, so it is part of the key.
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    let hash = cache.map(|_| hex_digest(&[b"compress-v1", ext.as_bytes(), &data]));
    let key = cache
        .zip(hash.as_ref())
        .map(|(dir, key)| (dir.join(format!("{key}.gz")), dir.join(format!("{key}.br"))));
    let (gz_rel, br_rel) = (format!("{rel}.gz"), format!("{rel}.br"));
    if let Some((gz, br)) = &key {
        if gz.is_file() && br.is_file() {
            out.put_file(&gz_rel, gz)?;
            out.put_file(&br_rel, br)?;
            return Ok(hash);
        }
    }

    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::default(),
    );
    gz.write_all(&data)
        .and_then(|_| gz.flush())
        .map_err(io_err)?;
    let gz = gz.finish().map_err(io_err)?;
    let mut br = Vec::with_capacity(data.len() / 3);
    let params = brotli_params(&path, data.len());
    brotli::BrotliCompress(&mut &data[..], &mut br, &params).map_err(io_err)?;

    if let Some((gz_cached, br_cached)) = &key {
        write_atomic(gz_cached, &gz)?;
        write_atomic(br_cached, &br)?;
        out.put_file(&gz_rel, gz_cached)?;
        out.put_file(&br_rel, br_cached)?;
        return Ok(hash);
    }
    out.put(&gz_rel, &gz)?;
    out.put(&br_rel, &br)?;
    Ok(None)
}

/// The first bytes of every gzip stream.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether the file at `path` is gzip data already (a packed post file): no copies.
fn is_gzip(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && head == GZIP_MAGIC
}

/// Where the packed post files are cached, below the compression cache.
const PACKED_DIR: &str = "packed";

/// Sync (`matome publish`): the post files `data/posts/**.json` go into the site
/// gzip-compressed, under their own names. They are most of a site's data (116 MB of
/// 400 MB at 2,000 posts, every post being in its page's HTML as well) and compress
/// about tenfold; the app reads gzip or plain JSON alike (`src/api.rs`), so `matome
/// pages` (the Trunk hook, `make serve`) keeps them plain. Must run before the bundle
/// is linked into the site (`Writer::put_tree` leaves files already produced alone).
/// Cached by content hash like the copies. Returns how many files were packed.
pub fn pack_posts(
    out: &Writer,
    cache: Option<&Path>,
    known: &std::collections::HashMap<String, crate::bundle::Digest>,
) -> Result<usize, SiteError> {
    if !out.is_sync() {
        return Ok(0);
    }
    let posts = out.src().join("data/posts");
    let mut files = Vec::new();
    if posts.is_dir() {
        list(&posts, "data/posts", &mut files)?;
    }
    // `list` names files relative to the output folder; here they are below the bundle.
    files.retain(|rel| rel.ends_with(".json"));
    let dir = cache.map(|c| c.join(PACKED_DIR));
    if let Some(dir) = &dir {
        std::fs::create_dir_all(dir).map_err(|source| SiteError::Io {
            path: dir.clone(),
            source,
        })?;
    }
    let used = files
        .par_iter()
        .map(|rel| pack_file(out, rel, dir.as_deref(), known.get(rel)))
        .collect::<Result<Vec<Option<String>>, _>>()?;
    if let Some(dir) = &dir {
        prune(dir, &used.into_iter().flatten().collect())?;
    }
    Ok(files.len())
}

/// Places the gzip copy of the post file `rel`; `digest` is the SHA-256 of its bytes
/// when the caller knows it (then the file is not even read if the copy is cached).
fn pack_file(
    out: &Writer,
    rel: &str,
    cache: Option<&Path>,
    digest: Option<&crate::bundle::Digest>,
) -> Result<Option<String>, SiteError> {
    let path = out.src().join(rel);
    let key_of = |d: &[u8]| hex_digest(&[b"pack-v2", d]);
    let known = cache.and(digest).map(|d| key_of(d));
    let cached_at = |key: &String| cache.map(|dir| dir.join(format!("{key}.gz")));
    if let Some(file) = known.as_ref().and_then(cached_at).filter(|f| f.is_file()) {
        out.put_file(rel, &file)?;
        return Ok(known);
    }
    let data = read(&path)?;
    let io_err = |source| SiteError::Io {
        path: path.clone(),
        source,
    };
    let hash = cache.map(|_| key_of(&hash::sha256(&data)));
    let cached = hash.as_ref().and_then(cached_at);
    if let Some(file) = cached.as_ref().filter(|f| f.is_file()) {
        out.put_file(rel, file)?;
        return Ok(hash);
    }
    // Level 9: written once per content, read by every visit; 3% smaller than the default.
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 4),
        flate2::Compression::best(),
    );
    gz.write_all(&data).map_err(io_err)?;
    let gz = gz.finish().map_err(io_err)?;
    match &cached {
        Some(file) => {
            write_atomic(file, &gz)?;
            out.put_file(rel, file)?;
        }
        None => out.put(rel, &gz)?,
    }
    Ok(hash)
}
