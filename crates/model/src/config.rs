//! `build.json`: where the content is, where the bundle goes, and the site's metadata.
//! One type, parsed once ([`Config::load`]), for every command: the compiler, the
//! deployment step and the command line read it from here.

use std::path::{Path, PathBuf};

use crate::{rules, Analytics, AnalyticsProvider, Author, Precompress};
use serde::Deserialize;

/// The compiler's configuration, after command-line overrides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Folder holding `<section>/<slug>/index.md`.
    pub content: PathBuf,
    /// Folder that `featureimage` paths are relative to.
    pub assets: PathBuf,
    /// Output folder (replaced as a whole by `build`).
    pub output: PathBuf,
    /// Cache for prepared images, kept between builds.
    pub cache: PathBuf,
    /// Site title.
    pub title: String,
    /// Site description.
    pub description: String,
    /// Absolute base URL.
    pub base_url: String,
    /// Path the site is served under, starting and ending with `/`.
    pub base_path: String,
    /// Posts per list page.
    pub page_size: u32,
    /// Include drafts in the bundle.
    pub drafts: bool,
    /// Analytics to load after the first paint (`analytics`); none by default.
    pub analytics: Option<Analytics>,
    /// The author and their links for the footer (`author`).
    pub author: Option<Author>,
    /// Posts per home page of the Hugo site this one replaces (`hugo_paginate`).
    pub hugo_paginate: Option<u32>,
    /// The site's own files copied to the site root as they are (`static`: Hugo's
    /// `static/`, favicons and the like); they win over the app's files of the same name.
    pub static_dir: Option<PathBuf>,
    /// The home page's banner, author picture, headline and bio (`home`).
    pub home: Option<HomeConfig>,
    /// Which files of the site get `.gz`/`.br` copies (`precompress`); the deployment
    /// step reads it, the compiler only carries it so build.json is read once.
    pub precompress: Precompress,
}

/// The `home` key. Image paths are relative to `assets`, as a post's `featureimage` is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeConfig {
    /// The banner across the top of the home page.
    pub image: Option<PathBuf>,
    /// The author's picture.
    pub author_image: Option<PathBuf>,
    /// One line under the title.
    #[serde(default)]
    pub headline: String,
    /// A short paragraph about the site or its author.
    #[serde(default)]
    pub bio: String,
}

/// The JSON file as written.
#[derive(Deserialize)]
struct File {
    content: Option<PathBuf>,
    assets: Option<PathBuf>,
    output: Option<PathBuf>,
    cache: Option<PathBuf>,
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    base_path: Option<String>,
    page_size: Option<u32>,
    analytics: Option<Analytics>,
    author: Option<Author>,
    hugo_paginate: Option<u32>,
    #[serde(rename = "static")]
    static_dir: Option<PathBuf>,
    home: Option<HomeConfig>,
    precompress: Option<Precompress>,
}

/// A config file that cannot be read or is invalid.
#[derive(Debug)]
pub struct ConfigError {
    /// The config file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads `path`; relative paths in it are relative to the file's folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let file: File = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let rel = |p: Option<PathBuf>, default: &str| {
            let p = p.unwrap_or_else(|| PathBuf::from(default));
            if p.is_absolute() || dir.as_os_str().is_empty() {
                p
            } else {
                dir.join(p)
            }
        };
        // An empty folder would resolve to the config's own folder (or the current one),
        // which `build` would replace as a whole.
        for (key, value) in [
            ("content", &file.content),
            ("assets", &file.assets),
            ("output", &file.output),
            ("cache", &file.cache),
            ("static", &file.static_dir),
        ] {
            if value
                .as_ref()
                .is_some_and(|p| p.as_os_str().to_string_lossy().trim().is_empty())
            {
                return Err(err(format!(
                    "`{key}` must not be empty (leave the key out for its default)"
                )));
            }
        }
        let page_size = file.page_size.unwrap_or(10);
        if page_size == 0 {
            return Err(err("page_size must be at least 1".into()));
        }
        if let Some(a) = &file.analytics {
            check_analytics(a).map_err(err)?;
        }
        if let Some(author) = &file.author {
            for link in &author.links {
                if !rules::is_author_link(&link.url) {
                    return Err(err(format!(
                        "author link {:?}: expected an http(s) or mailto: URL, found {:?}",
                        link.label, link.url
                    )));
                }
            }
        }
        if file.hugo_paginate == Some(0) {
            return Err(err("hugo_paginate must be at least 1".into()));
        }
        let static_dir = file.static_dir.map(|p| rel(Some(p), ""));
        if let Some(dir) = static_dir.as_ref().filter(|d| !d.is_dir()) {
            return Err(err(format!(
                "static: expected a folder of files to copy to the site root, found no folder at {}",
                dir.display()
            )));
        }
        let assets = rel(file.assets, "public");
        let home = file
            .home
            .map(|h| home_files(h, &assets))
            .transpose()
            .map_err(err)?;
        Ok(Config {
            content: rel(file.content, "content/posts"),
            assets,
            output: rel(file.output, "target/bundle"),
            cache: rel(file.cache, "target/matome-cache"),
            title: file.title.unwrap_or_else(|| "matome".into()),
            description: file.description.unwrap_or_default(),
            base_url: file.base_url.unwrap_or_else(|| "/".into()),
            base_path: normalise_base_path(file.base_path.as_deref().unwrap_or("/")),
            page_size,
            drafts: false,
            analytics: file.analytics,
            author: file.author,
            hugo_paginate: file.hugo_paginate,
            static_dir,
            home,
            precompress: file.precompress.unwrap_or_default(),
        })
    }

    /// A config with defaults, for tests and library callers.
    pub fn new(content: impl Into<PathBuf>, output: impl Into<PathBuf>) -> Config {
        let output = output.into();
        Config {
            content: content.into(),
            assets: PathBuf::from("public"),
            cache: output.with_extension("cache"),
            output,
            title: "matome".into(),
            description: String::new(),
            base_url: "/".into(),
            base_path: "/".into(),
            page_size: 10,
            drafts: false,
            analytics: None,
            author: None,
            hugo_paginate: None,
            static_dir: None,
            home: None,
            precompress: Precompress::default(),
        }
    }
}

/// The `home` key with its image paths resolved below `assets`; a path that leaves it or
/// names no file is an error.
fn home_files(mut home: HomeConfig, assets: &Path) -> Result<HomeConfig, String> {
    for (key, path) in [
        ("home.image", &mut home.image),
        ("home.author_image", &mut home.author_image),
    ] {
        let Some(rel) = path.take() else { continue };
        let inside = rel
            .components()
            .skip_while(|c| matches!(c, std::path::Component::RootDir))
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        let rel = rel.strip_prefix("/").unwrap_or(&rel).to_path_buf();
        if !inside || rel.as_os_str().is_empty() {
            return Err(format!(
                "{key}: expected an image path inside the assets folder ({}), found {:?}",
                assets.display(),
                path_text(&rel)
            ));
        }
        let file = assets.join(&rel);
        if !file.is_file() {
            return Err(format!(
                "{key}: expected an image file below the assets folder, found no file at {}",
                file.display()
            ));
        }
        *path = Some(file);
    }
    Ok(home)
}

fn path_text(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// The `analytics` key: a safe id, and for Plausible and Umami an http(s) script URL
/// (Plausible's own when left out).
fn check_analytics(a: &Analytics) -> Result<(), String> {
    if !rules::is_analytics_id(&a.id) {
        return Err(format!(
            "analytics.id: expected a measurement id, domain or website id (letters, digits, `-`, `.`, `_`), found {:?}",
            a.id
        ));
    }
    match (a.provider, &a.src) {
        (_, Some(src)) if !rules::is_script_url(src) => Err(format!(
            "analytics.src: expected an https:// script URL, found {src:?}"
        )),
        (AnalyticsProvider::Umami, None) => {
            Err("analytics.src: Umami needs the URL of its script.js".into())
        }
        (AnalyticsProvider::Google, Some(_)) => {
            Err("analytics.src: Google Analytics takes no script URL (gtag.js is fixed)".into())
        }
        _ => Ok(()),
    }
}

/// `sub/path` → `/sub/path/`; empty → `/`. A full URL keeps only its path. The rule is
/// [`rules::normalise_base_path`], shared with the deployment step.
pub use crate::rules::normalise_base_path;
