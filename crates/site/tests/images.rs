//! `prepare_image`: variant widths, aspect ratio, cache reuse.

use crate::common;

use std::path::Path;

use common::temp_dir;
use image::{Rgb, RgbImage};
use matome_site::prepare_image;

/// A 1368×768 JPEG like the real thumbnails (a gradient with some texture).
fn write_source(path: &Path, width: u32, height: u32) {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 251) as u8])
    });
    img.save(path).unwrap();
}

// The variants are 320, 600 and 1200 px wide, keep the aspect ratio, and exist on disk
// with those sizes; `src` is the 1200 px JPEG.
#[test]
fn variants_have_the_promised_widths() {
    let dir = temp_dir("img-widths");
    let src = dir.join("cyan 1.jpg");
    write_source(&src, 1368, 768);
    let out = dir.join("out");
    let image = prepare_image(&src, &out, "thumbnails", &dir.join("cache")).unwrap();
    let widths: Vec<u32> = image.variants.iter().map(|v| v.width).collect();
    assert_eq!(widths, [320, 600, 1200]);
    assert_eq!((image.width, image.height), (1200, 674));
    assert_eq!(image.src, image.variants[2].src);
    for v in &image.variants {
        assert!(
            v.src.starts_with("thumbnails/cyan_1.")
                && v.src.ends_with(&format!("-{}w.jpg", v.width)),
            "{}",
            v.src
        );
        assert_eq!(v.mime, "image/jpeg");
        assert_eq!(v.height, (768 * v.width + 684) / 1368);
        let decoded = image::open(out.join(&v.src)).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (v.width, v.height));
    }
}

// A second build copies from the cache instead of encoding again.
#[test]
fn second_call_reuses_the_cache() {
    let dir = temp_dir("img-cache");
    let src = dir.join("a.png");
    write_source(&src, 700, 400);
    let cache = dir.join("cache");
    let first = prepare_image(&src, &dir.join("out1"), "t", &cache).unwrap();
    // Mark the cached 600 px file: if the next call re-encoded, the mark would be gone.
    let cached = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("-600.jpg"))
        .unwrap();
    std::fs::write(&cached, b"cached").unwrap();
    let second = prepare_image(&src, &dir.join("out2"), "t", &cache).unwrap();
    assert_eq!(first, second);
    assert_eq!(
        std::fs::read(dir.join("out2").join(&second.variants[1].src)).unwrap(),
        b"cached"
    );
}

// A small source is never upscaled, and a changed source gets new names.
#[test]
fn small_source_is_not_upscaled_and_names_follow_content() {
    let dir = temp_dir("img-small");
    let src = dir.join("s.jpg");
    write_source(&src, 500, 300);
    let a = prepare_image(&src, &dir.join("out"), "t", &dir.join("cache")).unwrap();
    assert_eq!(
        a.variants.iter().map(|v| v.width).collect::<Vec<_>>(),
        [320, 500]
    );
    assert_eq!((a.width, a.height), (500, 300));
    write_source(&src, 500, 301);
    let b = prepare_image(&src, &dir.join("out"), "t", &dir.join("cache")).unwrap();
    assert_ne!(a.src, b.src);
}

// Pruning the cache after a build drops the entries of images no call used and keeps
// the used ones and anything that is not an image entry.
#[test]
fn prune_drops_entries_no_image_used() {
    let dir = temp_dir("img-prune");
    let src = dir.join("a.png");
    write_source(&src, 400, 200);
    let cache = dir.join("cache");
    prepare_image(&src, &dir.join("out"), "images", &cache).unwrap();
    let used: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let gone = "0".repeat(64);
    std::fs::write(cache.join(format!("{gone}.json")), "{}").unwrap();
    std::fs::write(cache.join(format!("{gone}-320.jpg")), "x").unwrap();
    std::fs::create_dir_all(cache.join("compressed")).unwrap();
    std::fs::write(cache.join("notes.txt"), "kept").unwrap();

    let removed = matome_site::prune_cache(&cache).unwrap();
    assert_eq!(removed, 2);
    for name in &used {
        assert!(cache.join(name).exists(), "{name:?} was removed");
    }
    assert!(!cache.join(format!("{gone}.json")).exists());
    assert!(cache.join("notes.txt").exists() && cache.join("compressed").is_dir());
}
