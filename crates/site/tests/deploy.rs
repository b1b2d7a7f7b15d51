//! Precompression and the content-only publish (`deploy`) into a site folder, over the
//! same small bundle as `publish.rs`.

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;
use matome_model::paths;

// With `precompress: all`, every text file over 1 KiB gets .gz and .br copies that
// decompress to the same bytes; small files stay as they are.
#[test]
fn precompressed_copies_match_the_originals() {
    let root = temp_dir("compress");
    write_site(&root, "/");
    let mut opts = matome_site::PublishOptions::new(&*root, "/");
    opts.precompress = matome_site::Precompress::All;
    matome_site::publish(&opts).unwrap();
    let original = std::fs::read(root.join("posts/2025_04/hostile/index.html")).unwrap();
    assert!(original.len() > 1024);
    let mut gz = Vec::new();
    flate2::read::GzDecoder::new(
        &std::fs::read(root.join("posts/2025_04/hostile/index.html.gz")).unwrap()[..],
    )
    .read_to_end(&mut gz)
    .unwrap();
    assert_eq!(gz, original);
    let mut br = Vec::new();
    brotli::BrotliDecompress(
        &mut &std::fs::read(root.join("posts/2025_04/hostile/index.html.br")).unwrap()[..],
        &mut br,
    )
    .unwrap();
    assert_eq!(br, original);
    assert!(
        !root.join("robots.txt.gz").exists(),
        "small files stay as they are"
    );
}

// By default only the app's files and large files get copies: the sample's pages are
// small, so none of them does (hosts with file-count limits compress on their own).
#[test]
fn default_precompression_leaves_small_pages_alone() {
    let root = temp_dir("compress-default");
    write_site(&root, "/");
    let wasm = vec![7u8; 4096];
    std::fs::write(root.join("matome-web-1a2b3c_bg.wasm"), &wasm).unwrap();
    matome_site::publish(&matome_site::PublishOptions::new(&*root, "/")).unwrap();
    assert!(root.join("matome-web-1a2b3c_bg.wasm.br").is_file());
    assert!(root.join("matome-web-1a2b3c_bg.wasm.gz").is_file());
    assert!(!root.join("posts/2025_04/hostile/index.html.gz").exists());
    assert!(!root.join("index.html.br").exists());
}

// A content-only publish into a separate site folder: the bundle folder is only read,
// a second run with nothing changed writes no file, a file no longer produced is
// removed, and a changed post file replaces that file alone.
#[test]
fn deploy_syncs_a_site_folder_in_place() {
    let bundle = temp_dir("deploy-bundle");
    write_site(&bundle, "/");
    let app = temp_dir("deploy-app");
    std::fs::rename(bundle.join("index.html"), app.join("index.html")).unwrap();
    std::fs::write(app.join("matome-web-1a2b3c_bg.wasm"), vec![1u8; 2048]).unwrap();
    let bundle_files = files(&bundle);
    let site_root = temp_dir("deploy-site");
    let site = site_root.join("dist");
    let cache = temp_dir("deploy-cache");
    let opts = matome_site::DeployOptions {
        app: app.to_path_buf(),
        bundle: bundle.to_path_buf(),
        out: site.clone(),
        base_path: "/".into(),
        precompress: matome_site::Precompress::Large,
        compress_cache: Some(cache.to_path_buf()),
        render_cache: Some(cache.join("pages")),
        spare: Some(cache.join("site")),
        static_dir: None,
    };
    let first = matome_site::deploy(&opts, None).unwrap();
    assert_eq!(first.reused, 0);
    assert_eq!(
        files(&bundle),
        bundle_files,
        "the bundle folder is only read"
    );
    assert!(site.join("posts/2025_04/hostile/index.html").is_file());
    assert!(site.join("matome-web-1a2b3c_bg.wasm.br").is_file());
    assert!(
        read(&site, "index.html").contains("<!DOCTYPE html>")
            || read(&site, "index.html").contains("<!doctype html>")
    );

    std::fs::write(site.join("stale.html"), "old").unwrap();
    let second = matome_site::deploy(&opts, None).unwrap();
    assert_eq!(second.written, 0, "nothing changed: {second:?}");
    assert_eq!(second.removed, 1);
    assert!(!site.join("stale.html").exists());

    let post = bundle.join(paths::post_json("2025_04/hostile"));
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(
        &post,
        text.replacen("\"lead\":\"", "\"lead\":\"changed ", 1),
    )
    .unwrap();
    let third = matome_site::deploy(&opts, None).unwrap();
    // The post's JSON and its page (the lead is in the prerendered page), nothing else.
    assert_eq!(third.written, 2, "the post's JSON and page only: {third:?}");
    // Post files go into the site gzip-compressed.
    let packed = std::fs::read(site.join(paths::post_json("2025_04/hostile"))).unwrap();
    assert!(
        packed.starts_with(&[0x1f, 0x8b]),
        "the post file is gzip data"
    );
    let mut published = Vec::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_end(&mut published)
        .unwrap();
    assert_eq!(published, std::fs::read(&post).unwrap());
}

// Trunk's staging folder in the app folder (`trunk watch` leaves it there; `make serve`
// publishes from it) stays out of the site; the app's other files go in.
#[test]
fn deploy_leaves_out_trunks_staging_folder() {
    let bundle = temp_dir("deploy-stage-bundle");
    write_site(&bundle, "/");
    let app = temp_dir("deploy-stage-app");
    std::fs::rename(bundle.join("index.html"), app.join("index.html")).unwrap();
    std::fs::write(app.join("matome-web-1a2b3c.js"), "app").unwrap();
    std::fs::create_dir_all(app.join(".stage")).unwrap();
    std::fs::write(app.join(".stage/matome-web-4d5e6f.js"), "half built").unwrap();
    let site_root = temp_dir("deploy-stage-site");
    let site = site_root.join("dist");
    let opts = matome_site::DeployOptions {
        app: app.to_path_buf(),
        bundle: bundle.to_path_buf(),
        out: site.clone(),
        base_path: "/".into(),
        precompress: matome_site::Precompress::None,
        compress_cache: None,
        render_cache: None,
        spare: None,
        static_dir: None,
    };
    matome_site::deploy(&opts, None).unwrap();
    assert_eq!(read(&site, "matome-web-1a2b3c.js"), "app");
    assert!(!site.join(".stage").exists());
}

// A folder that is not a matome site is never emptied.
#[test]
fn deploy_refuses_a_foreign_folder() {
    let bundle = temp_dir("deploy-foreign-bundle");
    write_site(&bundle, "/");
    let site = temp_dir("deploy-foreign-site");
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    let opts = matome_site::DeployOptions {
        app: bundle.to_path_buf(),
        bundle: bundle.to_path_buf(),
        out: site.to_path_buf(),
        base_path: "/".into(),
        precompress: matome_site::Precompress::None,
        compress_cache: None,
        render_cache: None,
        spare: None,
        static_dir: None,
    };
    let err = matome_site::deploy(&opts, None).unwrap_err().to_string();
    assert!(err.contains("not a matome site"), "{err}");
    assert_eq!(read(&site, "notes.txt"), "mine");
}

/// Every file below `dir` with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
