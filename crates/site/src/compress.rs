//! Precompressed `.gz` and `.br` copies next to every text or wasm file over 1 KiB, for
//! hosts that serve them as they are (nginx `gzip_static`, Netlify, Cloudflare, S3).

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::io::write;
use crate::SiteError;

/// Files smaller than this are not worth a second request path.
pub const MIN_SIZE: u64 = 1024;

const EXTENSIONS: [&str; 8] = ["html", "js", "wasm", "css", "json", "xml", "svg", "txt"];

/// The app's own files (few, long-lived) get brotli's best; the many page and data files
/// quality 5, which keeps a 2,000-post site fast to build: on the real corpus q9 made the
/// `.br` files only 2% smaller for 5× the time. Huge files (a debug wasm from `trunk
/// serve`) get quality 5 too. gzip uses the default level (level 9: 0.1% smaller, slower).
fn brotli_params(path: &Path, len: usize) -> brotli::enc::BrotliEncoderParams {
    let quality = match path.extension().and_then(|e| e.to_str()) {
        _ if len > 4 << 20 => 5,
        Some("wasm" | "js" | "css") => 11,
        _ => 5,
    };
    // A window no larger than the file: smaller tables to allocate and clear.
    let lgwin = (usize::BITS - len.leading_zeros()).clamp(15, 21) as i32 + 1;
    brotli::enc::BrotliEncoderParams {
        quality,
        lgwin,
        size_hint: len,
        ..Default::default()
    }
}

/// Writes `<file>.gz` and `<file>.br` for every eligible file below `root`.
pub fn precompress(root: &Path) -> Result<usize, SiteError> {
    let mut files = Vec::new();
    collect(root, &mut files)?;
    files
        .par_iter()
        .map(|path| compress_file(path))
        .collect::<Result<Vec<()>, _>>()?;
    Ok(files.len())
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), SiteError> {
    let io_err = |source| SiteError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let path = entry.path();
        let meta = entry.metadata().map_err(io_err)?;
        if meta.is_dir() {
            collect(&path, files)?;
        } else if meta.len() > MIN_SIZE
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            files.push(path);
        }
    }
    Ok(())
}

fn compress_file(path: &Path) -> Result<(), SiteError> {
    let data = crate::io::read(path)?;
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 3),
        flate2::Compression::default(),
    );
    gz.write_all(&data)
        .and_then(|_| gz.flush())
        .map_err(|source| SiteError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    let gz = gz.finish().map_err(|source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    write(&with_suffix(path, "gz"), &gz)?;

    let mut br = Vec::with_capacity(data.len() / 3);
    let params = brotli_params(path, data.len());
    brotli::BrotliCompress(&mut &data[..], &mut br, &params).map_err(|source| SiteError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    write(&with_suffix(path, "br"), &br)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
