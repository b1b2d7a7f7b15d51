//! Thumbnail preparation: resize once, encode, cache by content hash.
//!
//! Each source image becomes JPEG variants at [`WIDTHS`] (never upscaled). The names
//! carry a hash of the source bytes and the settings, so hosts may cache them forever.
//! Encoded variants are kept in a cache folder under the same key, so a rebuild only
//! links files and never decodes or encodes an unchanged image.
//!
//! Why JPEG only: the `image` crate's WebP encoder is lossless, and on the real
//! thumbnails (colour gradients with grain, 1368×768) a lossless WebP is about 8× larger
//! than the JPEG of the same size (mean over six: 320 px 9.5 KB JPEG vs 76 KB WebP,
//! 600 px 26 vs 233 KB, 1200 px 75 vs 790 KB; `measure_real_thumbnails` prints them).
//! A pure-Rust AVIF encoder (ravif/rav1e) would mean long builds on a 2-core machine, so
//! the variants are JPEG, encoded by `jpeg-encoder` (4:2:0, progressive, optimised
//! tables: 18% smaller than the `image` crate's own encoder).

use std::collections::BTreeSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, ImageReader};
use matome_model::{Image, ImageVariant};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::io::{read, write_atomic};
use crate::SiteError;
use matome_compiler::hash::hex_digest;

/// Widths of the variants: cards at 1x (the app shows them ~220 CSS px wide on
/// desktop), cards at 2x and phones, hero. The last one is `src`.
pub const WIDTHS: [u32; 3] = [320, 600, 1200];

/// JPEG quality of every variant.
pub const JPEG_QUALITY: u8 = 75;

/// Bumped whenever the output of the same settings changes (filter, encoder).
const SETTINGS_VERSION: &str = "thumbs-v3";

/// What the cache keeps besides the encoded files.
#[derive(Serialize, Deserialize)]
struct CacheEntry {
    /// `(width, height, cache file name)` per variant, smallest first.
    variants: Vec<(u32, u32, String)>,
}

/// Resizes `src` into `out_root/<rel_dir>/` and describes the result; see the module docs.
pub fn prepare_image(
    src: &Path,
    out_root: &Path,
    rel_dir: &str,
    cache_dir: &Path,
) -> Result<Image, SiteError> {
    let bytes = read(src)?;
    let key = cache_key(&bytes);
    USED.lock()
        .expect("no panics while held")
        .insert(key.clone());
    let stem = file_stem(src);
    let entry = match load_cache_entry(cache_dir, &key) {
        Some(entry) => entry,
        None => {
            let entry = encode_variants(src, &bytes, cache_dir, &key)?;
            crate::progress::thumbnail_encoded();
            entry
        }
    };

    let rel_dir = rel_dir.trim_matches('/');
    let dir = out_root.join(rel_dir);
    std::fs::create_dir_all(&dir).map_err(|source| SiteError::Io {
        path: dir.clone(),
        source,
    })?;
    let mut variants = Vec::with_capacity(entry.variants.len());
    for (width, height, cached) in &entry.variants {
        let name = format!("{stem}.{}-{width}w.jpg", &key[..12]);
        let dest = dir.join(&name);
        if !dest.exists() {
            crate::io::link(&cache_dir.join(cached), &dest)?;
        }
        let src = if rel_dir.is_empty() {
            name
        } else {
            format!("{rel_dir}/{name}")
        };
        variants.push(ImageVariant {
            src,
            width: *width,
            height: *height,
            mime: "image/jpeg".into(),
        });
    }
    let largest = variants.last().cloned().ok_or_else(|| SiteError::Image {
        path: src.to_path_buf(),
        message: "no variant produced".into(),
    })?;
    Ok(Image {
        src: largest.src,
        width: largest.width,
        height: largest.height,
        variants,
    })
}

/// Cache keys [`prepare_image`] was called with in this process.
static USED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Removes the cache entries (`<key>.json`, `<key>-<width>.jpg`) of images no call to
/// [`prepare_image`] in this process used: run after a complete build, it drops the
/// thumbnails no post uses any more. Other files and folders in `cache_dir` stay.
/// Returns how many files were removed.
pub fn prune_cache(cache_dir: &Path) -> Result<usize, SiteError> {
    let used = USED.lock().expect("no panics while held");
    let entries = match std::fs::read_dir(cache_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(source) => {
            return Err(SiteError::Io {
                path: cache_dir.to_path_buf(),
                source,
            })
        }
    };
    crate::progress::thumbnails_done();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(key) = name.get(..64) else { continue };
        let ours = key.bytes().all(|b| b.is_ascii_hexdigit())
            && (name.ends_with(".json") || name.ends_with(".jpg"))
            && entry.file_type().is_ok_and(|t| t.is_file());
        if ours && !used.contains(key) {
            std::fs::remove_file(entry.path()).map_err(|source| SiteError::Io {
                path: entry.path(),
                source,
            })?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Content hash of the source bytes plus every setting that changes the output.
fn cache_key(bytes: &[u8]) -> String {
    let settings = format!("{SETTINGS_VERSION};{WIDTHS:?};q{JPEG_QUALITY}");
    hex_digest(&[settings.as_bytes(), bytes])
}

/// A file name stem safe in URLs: ASCII letters, digits, `-` and `_` only.
fn file_stem(src: &Path) -> String {
    let raw = src
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() {
        "image".into()
    } else {
        clean
    }
}

fn entry_path(cache_dir: &Path, key: &str) -> PathBuf {
    cache_dir.join(format!("{key}.json"))
}

/// The cache entry for `key`, when it and every file it names exist.
fn load_cache_entry(cache_dir: &Path, key: &str) -> Option<CacheEntry> {
    let text = std::fs::read(entry_path(cache_dir, key)).ok()?;
    let entry: CacheEntry = serde_json::from_slice(&text).ok()?;
    let complete = !entry.variants.is_empty()
        && entry
            .variants
            .iter()
            .all(|(_, _, f)| cache_dir.join(f).is_file());
    complete.then_some(entry)
}

/// Decodes the source once, encodes every variant in parallel, stores them in the cache.
fn encode_variants(
    src: &Path,
    bytes: &[u8],
    cache_dir: &Path,
    key: &str,
) -> Result<CacheEntry, SiteError> {
    let image_error = |message: String| SiteError::Image {
        path: src.to_path_buf(),
        message,
    };
    let decoded = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| image_error(e.to_string()))?
        .decode()
        .map_err(|e| image_error(e.to_string()))?;
    let decoded = DynamicImage::ImageRgb8(decoded.to_rgb8());
    let (src_w, src_h) = decoded.dimensions();
    if src_w == 0 || src_h == 0 {
        return Err(image_error("empty image".into()));
    }

    let mut widths: Vec<u32> = WIDTHS.iter().map(|&w| w.min(src_w)).collect();
    widths.dedup();
    let variants = widths
        .par_iter()
        .map(|&width| {
            let height = ((u64::from(src_h) * u64::from(width) + u64::from(src_w) / 2)
                / u64::from(src_w))
            .max(1) as u32;
            let resized = if width == src_w {
                decoded.clone()
            } else {
                decoded.resize_exact(width, height, FilterType::CatmullRom)
            };
            let jpeg = encode_jpeg(&resized).map_err(&image_error)?;
            let name = format!("{key}-{width}.jpg");
            write_atomic(&cache_dir.join(&name), &jpeg)?;
            Ok((width, height, name))
        })
        .collect::<Result<Vec<_>, SiteError>>()?;
    let entry = CacheEntry { variants };
    let json = serde_json::to_vec(&entry).expect("cache entry serialises");
    write_atomic(&entry_path(cache_dir, key), &json)?;
    Ok(entry)
}

/// JPEG at [`JPEG_QUALITY`] with the `jpeg-encoder` crate: 4:2:0 chroma (box-averaged),
/// optimised Huffman tables, progressive. The `image` crate's own encoder keeps full
/// chroma and default tables, which made the real thumbnails about a third larger.
pub fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let rgb = image.to_rgb8();
    let (width, height) = (u16::try_from(rgb.width()), u16::try_from(rgb.height()));
    let (Ok(width), Ok(height)) = (width, height) else {
        return Err("image too large for JPEG".into());
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    encoder.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
    encoder.set_optimized_huffman_tables(true);
    encoder.set_progressive(true);
    encoder
        .encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(out)
}
