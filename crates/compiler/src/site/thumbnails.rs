//! Thumbnails: a post's `feature.*` file or `featureimage`, each distinct file prepared
//! once by the image step the caller passes in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use matome_model::Image;
use rayon::prelude::*;

use super::{ParsedPost, PrepareImage};
use crate::config::Config;
use crate::error::Warning;

/// Names beside `index.md` that win over `featureimage`, as in Blowfish (first found wins).
pub const FEATURE_FILES: [&str; 4] = ["feature.jpg", "feature.jpeg", "feature.png", "feature.webp"];

/// Folder of the bundle that thumbnails go to. The image step names its files by content
/// hash, so thumbnails from different folders cannot collide there.
pub const IMAGES_DIR: &str = "images";

/// Resolves each post's thumbnail, preparing each distinct image file once.
pub(super) fn thumbnails(
    posts: &[ParsedPost],
    config: &Config,
    prepare: &PrepareImage<'_>,
    warnings: &mut Vec<Warning>,
) -> Vec<Option<Image>> {
    let wanted: Vec<Option<PathBuf>> = posts
        .iter()
        .map(|p| {
            if let Some(f) = &p.feature {
                return Some(f.clone());
            }
            let rel = p.front.featureimage.as_deref()?;
            let rel_path = Path::new(rel.trim_start_matches('/'));
            if rel_path
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                warnings.push(Warning {
                    path: p.file.clone(),
                    message: format!(
                        "featureimage \"{rel}\" leaves the assets folder; no thumbnail"
                    ),
                });
                return None;
            }
            let src = config.assets.join(rel_path);
            if !src.is_file() {
                warnings.push(Warning {
                    path: p.file.clone(),
                    message: format!(
                        "featureimage \"{rel}\" not found at {}; no thumbnail",
                        src.display()
                    ),
                });
                return None;
            }
            Some(src)
        })
        .collect();
    let mut distinct: Vec<&PathBuf> = wanted.iter().flatten().collect();
    distinct.sort();
    distinct.dedup();
    let prepared: HashMap<&PathBuf, Result<Image, String>> = distinct
        .par_iter()
        .map(|&src| (src, prepare(src, IMAGES_DIR)))
        .collect();
    wanted
        .iter()
        .zip(posts)
        .map(|(w, p)| match prepared.get(w.as_ref()?)? {
            Ok(img) => Some(img.clone()),
            Err(e) => {
                warnings.push(Warning {
                    path: p.file.clone(),
                    message: format!("thumbnail could not be prepared: {e}"),
                });
                None
            }
        })
        .collect()
}
