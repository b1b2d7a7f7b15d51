//! The home page's introduction (`home` in build.json): its images prepared by the image
//! step the caller passes in, into the same folder as the thumbnails.

use matome_model::Home;

use super::{PrepareImage, IMAGES_DIR};
use crate::config::Config;
use crate::error::Warning;

/// The site's [`Home`], `None` when build.json has no `home` or it holds nothing to show.
/// An image the image step cannot prepare is left out with a warning.
pub(super) fn home(
    config: &Config,
    prepare: &PrepareImage<'_>,
    warnings: &mut Vec<Warning>,
) -> Option<Home> {
    let h = config.home.as_ref()?;
    let mut image = |path: &Option<std::path::PathBuf>| {
        let path = path.as_ref()?;
        prepare(path, IMAGES_DIR)
            .map_err(|e| {
                warnings.push(Warning {
                    path: path.display().to_string(),
                    message: format!("home image could not be prepared: {e}; not shown"),
                })
            })
            .ok()
    };
    let home = Home {
        image: image(&h.image),
        author_image: image(&h.author_image),
        headline: h.headline.trim().to_string(),
        bio: h.bio.trim().to_string(),
    };
    (home != Home::default()).then_some(home)
}
