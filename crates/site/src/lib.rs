//! Deployment output of a matome site.
//!
//! Two entry points, both called by the `matome` CLI:
//! - [`prepare_image`]: called by the compiler for each distinct thumbnail: resized JPEG
//!   variants with content-hashed names, cached between builds ([`thumbs`]);
//! - [`publish`]: run after Trunk wrote `index.html`; reads the bundle from disk and
//!   writes one HTML file per route, `404.html`, feeds, sitemap, hashed shard names and
//!   precompressed copies ([`publish`](mod@publish) lists the passes).

use std::path::PathBuf;

mod analytics;
pub mod app;
mod bundle;
mod compress;
pub mod csp;
mod dates;
pub mod deploy;
pub mod escape;
pub mod feeds;
mod head;
mod headers;
pub mod io;
pub mod legacy;
pub mod progress;
pub mod publish;
mod render_cache;
mod routes;
pub mod shards;
pub mod template;
pub mod thumbs;
pub mod urls;
pub mod worker;

pub use compress::Precompress;
pub use deploy::{deploy, DeployOptions, DeployReport};
pub use thumbs::{prepare_image, prune_cache};

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
    /// A bundle file is not the JSON the model describes.
    #[error("{path}: invalid bundle JSON: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// What serde said.
        message: String,
    },
    /// An image could not be decoded or encoded.
    #[error("{path}: image: {message}")]
    Image {
        /// The source image.
        path: PathBuf,
        /// What the codec said.
        message: String,
    },
    /// The template is not a Trunk `index.html` this step can fill in.
    #[error("{path}: template: {message}")]
    Template {
        /// The template file.
        path: PathBuf,
        /// What is missing.
        message: String,
    },
}

/// Options of [`publish`].
#[derive(Clone, Debug)]
pub struct PublishOptions {
    /// The site root being deployed (holds `index.html` and `data/`).
    pub root: PathBuf,
    /// The `index.html` Trunk wrote, used as the template of every page.
    pub template: PathBuf,
    /// Base path the site is served under (`/` or `/sub/path/`); empty means the one
    /// in `data/site.json`.
    pub base_path: String,
    /// Which files get `.gz` and `.br` copies (none for `trunk serve`).
    pub precompress: Precompress,
    /// Write into this site folder instead of `root`, bringing it up to date in place
    /// (see [`io::Writer`]); `root` is then only read.
    pub site: Option<PathBuf>,
    /// With `site`: the app Trunk built, whose files are placed in the site too.
    pub app: Option<PathBuf>,
    /// Cache folder for compressed copies, by content hash; `None` compresses every time.
    pub compress_cache: Option<PathBuf>,
    /// With `site`: cache folder of the manifest of rendered pages, so that pages whose
    /// inputs did not change are not rendered again; `None` renders every page.
    pub render_cache: Option<PathBuf>,
    /// With `site`: where the previous site is kept between publishes (a folder on the
    /// site folder's file system), so a publish that changes a few files swaps in
    /// that folder brought up to date instead of a new tree ([`io::Writer::with_spare`]).
    pub spare: Option<PathBuf>,
    /// With `site`: the site's own files (Hugo's `static/`), copied to the site root as
    /// they are. They win over the app's files of the same name (a `favicon.ico`), and
    /// the site's icons and web manifest are linked from every page instead of the
    /// app's icon; the pages, data and feeds this step writes win over them.
    pub static_dir: Option<PathBuf>,
}

impl PublishOptions {
    /// Options for `root`, with `root/index.html` as the template, default precompression
    /// ([`Precompress::Large`]), written into `root`, no cache.
    pub fn new(root: impl Into<PathBuf>, base_path: impl Into<String>) -> Self {
        let root = root.into();
        PublishOptions {
            template: root.join("index.html"),
            root,
            base_path: base_path.into(),
            precompress: Precompress::default(),
            site: None,
            app: None,
            compress_cache: None,
            render_cache: None,
            spare: None,
            static_dir: None,
        }
    }
}

/// Writes the per-route HTML files, `404.html`, feeds, sitemap, hashed shard names and
/// precompressed copies into `opts.root` (see [`mod@publish`] for the passes).
pub fn publish(opts: &PublishOptions) -> Result<publish::Counts, SiteError> {
    publish::run(opts, None)
}
