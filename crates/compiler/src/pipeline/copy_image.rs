//! The image step [`compile`](super::compile) uses when the caller gives none (the
//! compiler alone links no image code): the file copied as it is, named by its bytes.

use std::path::Path;

use matome_model::Image;

/// The default of [`PrepareImageInto`]: copies `src` unresized to
/// `<out_root>/<rel_dir>/<stem>.<hash>.<ext>` (named by the SHA-256 of its bytes,
/// [`crate::hash::short_hash`], the same with every build of matome, so images
/// from different folders never collide and hosts may cache them forever). Its size is
/// not known without decoding it: width and height are 0, and there are no variants.
pub fn copy_image(
    src: &Path,
    out_root: &Path,
    rel_dir: &str,
    _cache_dir: &Path,
) -> Result<Image, String> {
    let bytes = std::fs::read(src).map_err(|e| format!("{}: {e}", src.display()))?;
    let hash = crate::hash::short_hash(&bytes);
    let safe = |s: &std::ffi::OsStr| -> String {
        s.to_string_lossy()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let stem = src
        .file_stem()
        .map(safe)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "image".into());
    let ext = src
        .extension()
        .map(|e| safe(e).to_ascii_lowercase())
        .unwrap_or_default();
    let name = if ext.is_empty() {
        format!("{stem}.{hash}")
    } else {
        format!("{stem}.{hash}.{ext}")
    };
    let rel_dir = rel_dir.trim_matches('/');
    let dir = out_root.join(rel_dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let dest = dir.join(&name);
    if !dest.exists() {
        std::fs::write(&dest, &bytes).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    let src = if rel_dir.is_empty() {
        name
    } else {
        format!("{rel_dir}/{name}")
    };
    Ok(Image {
        src,
        width: 0,
        height: 0,
        variants: Vec::new(),
    })
}
