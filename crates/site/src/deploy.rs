//! A whole site folder (`dist/`) from the app Trunk built and the compiled bundle, without
//! Trunk: the content-only publish (`matome publish`, `make content`).
//!
//! The site folder is replaced as a whole ([`crate::io::Writer`], sync): files whose
//! content did not change are kept (hard-linked, same modification time), new and
//! changed ones are written into a staging folder beside it, and the two folders are
//! swapped in one rename when the site is complete; with nothing changed the folder is
//! not touched. A content error stops `matome publish` before this step, and a publish
//! killed part-way leaves the previous site as it was.

use std::path::PathBuf;

use crate::{publish, Precompress, PublishOptions, SiteError};

/// Options of [`deploy`].
#[derive(Clone, Debug)]
pub struct DeployOptions {
    /// What Trunk built (its `index.html` is the template of every page).
    pub app: PathBuf,
    /// The compiled bundle (`data/`, `images/`).
    pub bundle: PathBuf,
    /// The site folder to bring up to date.
    pub out: PathBuf,
    /// Base path the site is served under; empty means the bundle's.
    pub base_path: String,
    /// Which files get `.gz` and `.br` copies.
    pub precompress: Precompress,
    /// Cache folder of compressed copies.
    pub compress_cache: Option<PathBuf>,
    /// Cache folder of the manifest of rendered pages (see [`PublishOptions`]).
    pub render_cache: Option<PathBuf>,
    /// Folder keeping the previous site between publishes (see [`PublishOptions`]).
    pub spare: Option<PathBuf>,
    /// The site's own files for the site root (see [`PublishOptions`]).
    pub static_dir: Option<PathBuf>,
}

/// What [`deploy`] did.
pub type DeployReport = publish::Counts;

/// Writes the site; see the module docs. Refuses a non-empty folder that is not a
/// matome site (no `data/site.json`), whose files it would otherwise remove.
/// `compiled` is the bundle in `opts.bundle` as the build that just wrote it hands it
/// over: its site, tags and lists are then taken from it, not read back and hashed.
pub fn deploy(
    opts: &DeployOptions,
    compiled: Option<matome_compiler::bundle::Compiled>,
) -> Result<DeployReport, SiteError> {
    let template = opts.app.join("index.html");
    if !template.is_file() {
        return Err(SiteError::Template {
            path: template,
            message: "missing: build the app first (`make dist`)".into(),
        });
    }
    let foreign = std::fs::read_dir(&opts.out).is_ok_and(|mut d| d.next().is_some())
        && !opts.out.join(matome_model::paths::SITE_JSON).is_file();
    if foreign {
        return Err(SiteError::Template {
            path: opts.out.clone(),
            message:
                "not empty and not a matome site (no data/site.json): refusing to replace its files"
                    .into(),
        });
    }
    std::fs::create_dir_all(&opts.out).map_err(|source| SiteError::Io {
        path: opts.out.clone(),
        source,
    })?;
    publish::run(
        &PublishOptions {
            root: opts.bundle.clone(),
            template,
            base_path: opts.base_path.clone(),
            precompress: opts.precompress,
            site: Some(opts.out.clone()),
            app: Some(opts.app.clone()),
            compress_cache: opts.compress_cache.clone(),
            render_cache: opts.render_cache.clone(),
            spare: opts.spare.clone(),
            static_dir: opts.static_dir.clone(),
        },
        compiled,
    )
}
