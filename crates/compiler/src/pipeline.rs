//! The compiler's passes, in order, each one function:
//!
//! 1. [`split_front_matter`](crate::front_matter::split_front_matter): TOML/YAML fields;
//! 2. [`scan_shortcodes`](crate::shortcode::scan_shortcodes): shortcodes with byte spans;
//! 3. [`build_blocks`](crate::blocks::build_blocks): lead, source, paragraphs (through the
//!    inline parser), comment cards and folded sections;
//! 4. [`link_site`](crate::site::link_site): order, tags, months, prev/next, related,
//!    thumbnails, refs;
//! 5. [`build_index`](crate::search_index::build_index): the full-text search index;
//! 6. [`write_changed`](crate::bundle::write_changed): JSON files (search index
//!    included), only those whose bytes changed, swapped in atomically.
//!
//! [`compile`] runs them: 1–3 per post in parallel, 4–6 once. When building, each post's
//! search text is put in a [`Spool`] file and its blocks are serialised as soon as they
//! are built and the tree is dropped ([`ParsedPost::pack`]), so neither the trees nor the
//! search text of all posts are ever in memory at once.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use matome_model::Image;
use rayon::prelude::*;

use crate::blocks::build_blocks;
use crate::bundle::{write_changed, Staging, WriteError};
use crate::config::Config;
use crate::error::{ContentError, ErrorKind, Warning};
use crate::front_matter::split_front_matter;
use crate::limits;
use crate::search_index::build_index;
use crate::shortcode::scan_shortcodes;
use crate::site::{link_site, ParsedPost};
use crate::spool::Spool;
use crate::text;

mod copy_image;
mod discover;
mod parse_cache;

pub use copy_image::copy_image;
use discover::{duplicate_paths, find_posts, PostFile};
pub use parse_cache::KeptPosts;
use parse_cache::ParseCache;

/// What [`compile`] does after parsing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write the bundle (and prepare thumbnails).
    Build,
    /// Validate only; write nothing.
    Check,
}

/// Outcome of a run over the content.
#[derive(Debug, Default)]
pub struct Report {
    /// Published posts (drafts not counted).
    pub posts: u32,
    /// Comment cards in published posts.
    pub comments: u32,
    /// Folded sections (`details`) in published posts.
    pub sections: u32,
    /// Draft posts found (paths), whether or not they were included.
    pub drafts: Vec<String>,
    /// Problems that did not fail the run.
    pub warnings: Vec<Warning>,
    /// Content errors; when non-empty nothing was written.
    pub errors: Vec<ContentError>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Wall time of each phase, in order (`MATOME_TIMINGS=1 matome build` prints them).
    pub phases: Vec<(&'static str, Duration)>,
    /// The bundle a build wrote, for the site step (`None` after a check or errors).
    pub bundle: Option<crate::bundle::Compiled>,
}

impl Report {
    /// `N posts, M comments, K sections in T ms`.
    pub fn summary(&self) -> String {
        format!(
            "{} posts, {} comments, {} sections in {} ms",
            self.posts,
            self.comments,
            self.sections,
            self.elapsed.as_millis()
        )
    }
}

/// Failures that are not about one post: the content folder or the output.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    /// The content folder does not exist or cannot be listed.
    #[error("content folder {}: {source}", path.display())]
    Content {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bundle could not be written (the previous output is left as it was).
    #[error("cannot write the bundle: {0}")]
    Write(#[from] WriteError),
}

/// How a build puts one thumbnail into the bundle being written: called as
/// `(source file, output root, folder under the root, cache folder)` once per distinct
/// image, in parallel. The compiler itself never decodes images: the caller passes the
/// resizer (the `matome` command passes `matome_site::prepare_image`); without one,
/// [`copy_image`] copies the file unresized.
pub type PrepareImageInto<'a> =
    dyn Fn(&Path, &Path, &str, &Path) -> Result<Image, String> + Sync + 'a;

/// Compiles the content named by `config`: parses every post, links the site and, in
/// [`Mode::Build`] when no post failed, writes the bundle atomically. In a build each
/// thumbnail goes through `images` ([`copy_image`] when `None`); `check` only describes
/// them and writes nothing.
pub fn compile(
    config: &Config,
    mode: Mode,
    images: Option<&PrepareImageInto<'_>>,
) -> Result<Report, CompileError> {
    compile_with(config, mode, images, None)
}

/// [`compile`] in a long-running process: with `kept`, the parse cache's entries stay in
/// memory from one call to the next (same output, without reading them again).
pub fn compile_with(
    config: &Config,
    mode: Mode,
    images: Option<&PrepareImageInto<'_>>,
    kept: Option<&KeptPosts>,
) -> Result<Report, CompileError> {
    let started = Instant::now();
    let mut report = Report::default();
    let mut lap = Instant::now();
    let mut phase = |report: &mut Report, name: &'static str| {
        report.phases.push((name, lap.elapsed()));
        lap = Instant::now();
    };
    let files = find_posts(&config.content)?;
    phase(&mut report, "find");

    // Created before parsing: the posts' search text is spooled into it as they are parsed.
    let staging = match mode {
        Mode::Build => Some(Staging::create(&config.output)?),
        Mode::Check => None,
    };
    let spool = match &staging {
        Some(s) => {
            let path = s.dir().join(SEARCH_SPOOL);
            Some(Arc::new(
                Spool::create(&path).map_err(|source| WriteError { path, source })?,
            ))
        }
        None => None,
    };
    // Builds take unchanged posts from the parse cache (a check parses every post).
    let cache = match mode {
        Mode::Build => ParseCache::open(&config.cache, kept),
        Mode::Check => None,
    };
    let results: Vec<Result<ParsedPost, Vec<ContentError>>> = files
        .par_iter()
        .map(|f| read_and_parse(&config.content, f, spool.as_deref(), cache.as_ref()))
        .collect();
    let mut posts = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => posts.push(p),
            Err(mut e) => report.errors.append(&mut e),
        }
    }
    report.errors.extend(duplicate_paths(&files));
    phase(&mut report, "parse");
    for p in &posts {
        if p.front.draft {
            report.drafts.push(p.path.clone());
        }
        if let Some(c) = p
            .path
            .chars()
            .find(|&c| !(c.is_alphanumeric() || "-_.~/".contains(c)))
        {
            report.warnings.push(Warning {
                path: p.file.clone(),
                message: format!("folder name contains {c:?}, which URLs must escape; links to /posts/{}/ may break", p.path),
            });
        }
    }
    if !config.drafts {
        posts.retain(|p| !p.front.draft);
    }
    if !report.errors.is_empty() {
        report.elapsed = started.elapsed();
        return Ok(report);
    }

    let images = images.unwrap_or(&copy_image);
    let prepare = |src: &Path, rel_dir: &str| match &staging {
        Some(s) => images(src, s.dir(), rel_dir, &config.cache),
        None => Ok(Image {
            src: format!(
                "{rel_dir}/{}",
                src.file_name().unwrap_or_default().to_string_lossy()
            ),
            width: 0,
            height: 0,
            variants: Vec::new(),
        }),
    };
    let mut linked = match link_site(posts, config, &prepare, &mut report.warnings) {
        Ok(l) => l,
        Err(errors) => {
            report.errors = errors;
            report.elapsed = started.elapsed();
            return Ok(report);
        }
    };
    phase(&mut report, "link");
    report.posts = linked.site.post_count;
    report.comments = linked.site.comment_count;
    report.sections = linked.sections;
    linked.spool = spool.clone();
    if let Some(staging) = staging {
        linked.index = build_index(&linked, Some(&config.cache)).map_err(|source| WriteError {
            path: staging.dir().join(SEARCH_SPOOL),
            source,
        })?;
        linked.site.search = linked.index.info();
        phase(&mut report, "index");
        let (kept, compiled) = write_changed(&linked, staging.dir(), &config.output)?;
        report.bundle = Some(compiled);
        // Closed (every handle dropped) before it is removed.
        linked.spool = None;
        if let Some(spool) = spool {
            let path = spool.path().to_path_buf();
            drop(spool);
            std::fs::remove_file(&path).map_err(|source| WriteError { path, source })?;
        }
        phase(&mut report, "write");
        staging.commit_changed(&kept, Some(&config.cache.join("bundle")))?;
        phase(&mut report, "swap");
        if let Some(cache) = &cache {
            cache.prune();
        }
    }
    // Freeing a 2,000-post site takes tens of milliseconds; the caller does not wait for it.
    std::thread::spawn(move || drop(linked));
    report.elapsed = started.elapsed();
    Ok(report)
}

/// File in the staging folder where the posts' search text waits until the search index
/// is built; removed before the swap.
const SEARCH_SPOOL: &str = ".search-spool";

/// Reads one file and runs the per-post passes, or takes their result from the parse
/// `cache` when it holds the file's digest. With a `spool` (builds), the search text
/// is put there and the blocks are serialised and their tree dropped
/// ([`ParsedPost::pack`]), so that peak memory stays low.
fn read_and_parse(
    content: &Path,
    found: &PostFile,
    spool: Option<&Spool>,
    cache: Option<&ParseCache<'_>>,
) -> Result<ParsedPost, Vec<ContentError>> {
    let full = content.join(&found.file);
    let shown = full.display().to_string();
    // A file whose size and time are those the cache recorded is not even read.
    let cache = cache.filter(|_| spool.is_some());
    let stamp = cache.and_then(|_| {
        std::fs::metadata(&full)
            .ok()
            .as_ref()
            .and_then(parse_cache::stamp)
    });
    let known = match (cache, stamp) {
        (Some(c), Some(s)) => c
            .known_digest(&shown, s)
            .and_then(|k| Some((k, c.get(&k)?))),
        _ => None,
    };
    let (mut post, key) = match known {
        Some((key, hit)) => (hit.post, Some(key)),
        None => {
            let bytes =
                read_limited(&full).map_err(|kind| vec![ContentError::whole_file(&shown, kind)])?;
            let key = cache.map(|_| crate::hash::digest(&bytes));
            match (cache.zip(key).and_then(|(c, k)| c.get(&k)), key) {
                (Some(hit), key) => (hit.post, key),
                (None, key) => {
                    let src = limits::decode(&shown, bytes).map_err(|e| vec![e])?;
                    (parse_post(&shown, &src)?, key)
                }
            }
        }
    };
    if let (Some(c), Some(s), Some(k)) = (cache, stamp, key) {
        c.saw(&shown, s, k);
    }
    post.file = shown;
    post.path = found.path.clone();
    post.feature = found.feature.as_ref().map(|f| content.join(f));
    // A post from the cache has its search digest; its text is not spooled (the index
    // takes it from the blocks in the rare build that must cut the post again).
    if let (Some(spool), None) = (spool, post.search_digest) {
        let text = text::search_text(&post.body.blocks);
        post.search_digest = Some(crate::hash::digest(text.as_bytes()));
        // On failure the text is taken from the packed blocks when the shard is written.
        post.search = spool.put(&text).ok();
        post.pack();
        if let (Some(c), Some(k)) = (cache, &key) {
            c.put(k, &post);
        }
    }
    Ok(post)
}

/// Reads a file unless it is larger than [`limits::MAX_FILE_BYTES`].
fn read_limited(path: &Path) -> Result<Vec<u8>, ErrorKind> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| ErrorKind::Unreadable(e.to_string());
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    limits::check_file_size(size).map_err(|e| e.kind)?;
    let mut bytes = Vec::with_capacity(size as usize);
    // One byte past the limit is enough to know a file that grew is too large.
    file.by_ref()
        .take(limits::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    Ok(bytes)
}

/// Runs passes 1–3 on the text of one file (`file` is used in messages only).
pub fn parse_post(file: &str, src: &str) -> Result<ParsedPost, Vec<ContentError>> {
    let at = |s: crate::error::Spanned| ContentError::at(file, src, s.offset, s.kind);
    limits::check_text(src).map_err(|e| vec![at(e)])?;
    let (front, body_start) = split_front_matter(src).map_err(|e| vec![at(e)])?;
    let (shortcodes, mut errors) = scan_shortcodes(src, body_start);
    limits::check_comments(&shortcodes).map_err(|e| vec![at(e)])?;
    let body = match build_blocks(src, body_start, &shortcodes) {
        Ok(b) if errors.is_empty() => b,
        Ok(_) => return Err(ContentError::at_all(file, src, errors)),
        Err(e) => {
            errors.extend(e);
            return Err(ContentError::at_all(file, src, errors));
        }
    };
    Ok(ParsedPost {
        path: String::new(),
        file: file.to_string(),
        feature: None,
        front,
        body,
        packed: None,
        search: None,
        search_digest: None,
    })
}
