//! Deployment output of a matome site (skeleton: the deployment issue fills it in).
//!
//! Two entry points, both called by the `matome` CLI:
//! - [`prepare_image`]: called by the compiler for each thumbnail it resolves;
//! - [`publish`]: run after Trunk wrote `index.html`; reads the bundle from disk and
//!   writes one HTML file per route, `404.html`, feeds and the sitemap.

use std::path::{Path, PathBuf};

use matome_model::Image;

/// Errors of the deployment step.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Copies (later: resizes) the image `src` into `out_root/<rel_dir>/` and describes it.
/// `cache_dir` keeps resized variants between builds.
pub fn prepare_image(src: &Path, out_root: &Path, rel_dir: &str, cache_dir: &Path) -> Result<Image, SiteError> {
    let _ = cache_dir;
    let name = src.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = out_root.join(rel_dir);
    std::fs::create_dir_all(&dir).map_err(|source| SiteError::Io { path: dir.clone(), source })?;
    let dest = dir.join(&name);
    std::fs::copy(src, &dest).map_err(|source| SiteError::Io { path: src.to_path_buf(), source })?;
    Ok(Image { src: format!("{}/{}", rel_dir.trim_end_matches('/'), name), width: 0, height: 0, variants: vec![] })
}

/// Options of [`publish`].
#[derive(Clone, Debug)]
pub struct PublishOptions {
    /// The site root being deployed (holds `index.html` and `data/`).
    pub root: PathBuf,
    /// The `index.html` Trunk wrote, used as the template of every page.
    pub template: PathBuf,
    /// Base path the site is served under (`/` or `/sub/path/`).
    pub base_path: String,
}

/// Writes the per-route HTML files, `404.html`, feeds and sitemap into `opts.root`.
pub fn publish(opts: &PublishOptions) -> Result<(), SiteError> {
    let _ = opts;
    Ok(())
}
