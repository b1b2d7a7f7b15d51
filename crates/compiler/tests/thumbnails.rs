//! Thumbnails: feature.jpg before featureimage, one preparation per distinct file, the
//! unresized copy without an image step and the caller's image step, on small sites
//! written into scratch folders.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use common::{post, Scratch};
use matome_compiler::site::link_site;
use matome_compiler::{compile, parse_post, Mode};
use matome_model::{Image, Post};

fn read<T: serde::de::DeserializeOwned>(root: &Path, rel: &str) -> T {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

// feature.jpg beside index.md wins (its featureimage is not even looked up); a missing
// featureimage is a warning, not an error.
#[test]
fn resolves_thumbnails_with_feature_jpg_first_and_warns_on_missing() {
    let s = Scratch::new("thumbs");
    let with_image = |title: &str, image: &str| {
        post(title, "2025-01-01T00:00:00", &[], 1)
            .replace("+++\n\n>", &format!("featureimage = '{image}'\n+++\n\n>"))
    };
    s.write(
        "content/2025_01/own/index.md",
        with_image("own", "thumbnails/gone.jpg"),
    );
    s.write("content/2025_01/own/feature.jpg", "jpeg");
    s.write(
        "content/2025_01/shared/index.md",
        with_image("s1", "thumbnails/blue.jpg"),
    );
    s.write(
        "content/2025_01/missing/index.md",
        with_image("m", "thumbnails/nope.jpg"),
    );
    s.write("assets/thumbnails/blue.jpg", "jpeg");
    let report = compile(&s.config(), Mode::Check, None).unwrap();
    assert!(report.errors.is_empty());
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].path.ends_with("missing/index.md"));
    assert!(report.warnings[0].message.contains("thumbnails/nope.jpg"));
}

// Each distinct image file is prepared once and its Image reused by every post using it.
#[test]
fn prepares_each_distinct_image_once() {
    let s = Scratch::new("prepare");
    s.write("assets/thumbnails/blue.jpg", "jpeg");
    s.write("assets/thumbnails/red.jpg", "jpeg");
    let mut posts = Vec::new();
    for (i, image) in ["blue", "red", "blue", "blue"].iter().enumerate() {
        let text = post("t", "2025-01-01T00:00:00", &[], 1).replace(
            "+++\n\n>",
            &format!("featureimage = 'thumbnails/{image}.jpg'\n+++\n\n>"),
        );
        let mut p = parse_post("x", &text).unwrap();
        p.path = format!("2025_01/p{i}");
        posts.push(p);
    }
    // p3 has its own feature.jpg, which wins over its featureimage.
    let own = s.write("content/2025_01/p3/feature.jpg", "jpeg");
    posts[3].feature = Some(own.clone());
    let calls: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());
    let prepare = |src: &Path, rel: &str| {
        calls
            .lock()
            .unwrap()
            .push((src.to_path_buf(), rel.to_string()));
        Ok(Image {
            src: format!("{rel}/{}", src.file_name().unwrap().to_string_lossy()),
            width: 1,
            height: 1,
            variants: vec![],
        })
    };
    let mut warnings = Vec::new();
    let linked = link_site(posts, &s.config(), &prepare, &mut warnings).unwrap();
    let mut calls = calls.into_inner().unwrap();
    calls.sort();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(calls.iter().any(|(src, _)| *src == own));
    assert!(calls.iter().all(|(_, rel)| rel == "images"));
    let thumb = |path: &str| {
        let p = linked
            .posts
            .iter()
            .find(|p| p.summary.path == path)
            .unwrap();
        p.summary.thumbnail.as_ref().unwrap().src.clone()
    };
    assert_eq!(
        [thumb("2025_01/p0"), thumb("2025_01/p2")],
        ["images/blue.jpg", "images/blue.jpg"]
    );
    assert_eq!(thumb("2025_01/p1"), "images/red.jpg");
    assert_eq!(thumb("2025_01/p3"), "images/feature.jpg");
}

// Without an image step a build copies each thumbnail unresized under a name carrying a
// hash of its bytes (two feature.jpg of different posts do not collide; the hash is the
// SHA-256 of the bytes, so the name is the same with every toolchain); size unknown.
#[test]
fn copies_thumbnails_unresized_without_an_image_step() {
    let s = Scratch::new("copy-thumbs");
    let with_image = |title: &str| post(title, "2025-01-01T00:00:00", &[], 1);
    s.write("content/2025_01/a/index.md", with_image("a"));
    s.write("content/2025_01/a/feature.jpg", "jpeg a");
    s.write("content/2025_01/b/index.md", with_image("b"));
    s.write("content/2025_01/b/feature.jpg", "jpeg b");
    let report = compile(&s.config(), Mode::Build, None).unwrap();
    assert!(
        report.errors.is_empty() && report.warnings.is_empty(),
        "{:?} {:?}",
        report.errors,
        report.warnings
    );
    let out = s.path().join("out");
    let thumb = |path: &str| {
        read::<Post>(&out, &format!("data/posts/{path}.json"))
            .summary
            .thumbnail
            .unwrap()
    };
    let (a, b) = (thumb("2025_01/a"), thumb("2025_01/b"));
    assert_ne!(a.src, b.src);
    // printf '\6\0\0\0\0\0\0\0jpeg a' | sha256sum (length-prefixed), first 16 digits.
    assert_eq!(a.src, "images/feature.12fd1c4b500394eb.jpg");
    for (img, bytes) in [(&a, "jpeg a"), (&b, "jpeg b")] {
        assert!(
            img.src.starts_with("images/feature.") && img.src.ends_with(".jpg"),
            "{}",
            img.src
        );
        assert_eq!((img.width, img.height, img.variants.len()), (0, 0, 0));
        assert_eq!(std::fs::read_to_string(out.join(&img.src)).unwrap(), bytes);
    }
}

// A build hands each distinct thumbnail to the caller's image step with the bundle being
// written as the output root.
#[test]
fn builds_thumbnails_through_the_callers_image_step() {
    let s = Scratch::new("image-step");
    s.write(
        "content/2025_01/a/index.md",
        post("a", "2025-01-01T00:00:00", &[], 1),
    );
    s.write("content/2025_01/a/feature.png", "png");
    let seen: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let step = |src: &Path, root: &Path, rel: &str, cache: &Path| {
        seen.lock().unwrap().push(format!(
            "{} {rel} {}",
            src.file_name().unwrap().to_string_lossy(),
            cache == s.path().join("cache")
        ));
        std::fs::create_dir_all(root.join(rel)).unwrap();
        std::fs::write(root.join(rel).join("x-320w.jpg"), "small").unwrap();
        Ok(Image {
            src: format!("{rel}/x-320w.jpg"),
            width: 320,
            height: 180,
            variants: vec![],
        })
    };
    let report = compile(&s.config(), Mode::Build, Some(&step)).unwrap();
    assert!(
        report.errors.is_empty() && report.warnings.is_empty(),
        "{:?} {:?}",
        report.errors,
        report.warnings
    );
    assert_eq!(seen.into_inner().unwrap(), ["feature.png images true"]);
    let out = s.path().join("out");
    let p: Post = read(&out, "data/posts/2025_01/a.json");
    assert_eq!(p.summary.thumbnail.unwrap().width, 320);
    assert!(out.join("images/x-320w.jpg").is_file());
}

// build.json's `home` (Blowfish's hero): its images go through the image step into the
// bundle beside the thumbnails, its texts are trimmed, and site.json carries them; a site
// without `home` has no `home` key.
#[test]
fn the_home_hero_images_and_texts_reach_site_json() {
    let s = Scratch::new("home-hero");
    s.write(
        "content/2025_01/a/index.md",
        post("a", "2025-01-01T00:00:00", &[], 1),
    );
    s.write("assets/img/banner.jpg", "banner bytes");
    s.write("assets/img/me.png", "portrait bytes");
    let config_file = s.write(
        "build.json",
        r#"{"content": "content", "assets": "assets", "output": "out", "cache": "cache",
            "home": {"image": "img/banner.jpg", "author_image": "/img/me.png",
                     "headline": " 見出しの一行 ", "bio": "書き手の紹介。"}}"#,
    );
    let config = matome_compiler::Config::load(&config_file).unwrap();
    let report = compile(&config, Mode::Build, None).unwrap();
    assert!(
        report.errors.is_empty() && report.warnings.is_empty(),
        "{report:?}"
    );
    let out = s.path().join("out");
    let site: matome_model::Site = read(&out, "data/site.json");
    let home = site.home.expect("site.json has the home hero");
    assert_eq!(
        (home.headline.as_str(), home.bio.as_str()),
        ("見出しの一行", "書き手の紹介。")
    );
    for (image, bytes) in [
        (home.image.unwrap(), "banner bytes"),
        (home.author_image.unwrap(), "portrait bytes"),
    ] {
        assert!(image.src.starts_with("images/"), "{}", image.src);
        assert_eq!(
            std::fs::read_to_string(out.join(&image.src)).unwrap(),
            bytes
        );
    }

    let plain = compile(&s.config(), Mode::Build, None).unwrap();
    assert!(plain.errors.is_empty());
    let text = std::fs::read_to_string(s.path().join("out/data/site.json")).unwrap();
    assert!(!text.contains("\"home\""), "{text}");
}
