//! Prints the size of each thumbnail width as our JPEG, as the `image` crate's JPEG and
//! as lossless WebP, over the first six real thumbnails: the figures behind serving JPEG
//! variants only. Usage: `cargo run -p matome-site --example thumbnail_formats [DIR]`
//! (default: `../shared/corpus/assets/thumbnails` beside the repository).

use std::path::PathBuf;

use image::imageops::FilterType;
use matome_site::thumbs::{encode_jpeg, JPEG_QUALITY, WIDTHS};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus/assets/thumbnails")
        });
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    println!(
        "{:<24} {:>5} {:>10} {:>12} {:>14}",
        "file", "width", "ours B", "image-jpeg B", "webp-lossless B"
    );
    for path in files.iter().take(6) {
        let img = match image::open(path) {
            Ok(img) => img,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                continue;
            }
        };
        for width in WIDTHS {
            let height = img.height() * width / img.width();
            let resized = img.resize_exact(width, height, FilterType::CatmullRom);
            let ours = encode_jpeg(&resized).map(|b| b.len()).unwrap_or(0);
            let mut plain = Vec::new();
            let _ = resized.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
                &mut plain,
                JPEG_QUALITY,
            ));
            let mut webp = Vec::new();
            let _ = resized
                .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut webp));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            println!(
                "{name:<24} {width:>5} {ours:>10} {:>12} {:>14}",
                plain.len(),
                webp.len()
            );
        }
    }
}
