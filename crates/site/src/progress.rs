//! Progress bars (indicatif) on the long phases: thumbnails encoded on a cold cache,
//! pages rendered and written. Drawn on stderr only when it is a terminal and `CI` is
//! not set; otherwise hidden (nothing is printed).

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

/// Whether bars are drawn.
pub fn shown() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A bar of `len` steps named `what` (hidden unless [`shown`]).
pub fn bar(len: u64, what: &str) -> ProgressBar {
    if !shown() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} {eta}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// The thumbnail counter of this process: the number of images is not known ahead
/// (the compiler asks for them one by one), so it counts up.
static THUMBNAILS: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Counts one encoded thumbnail (the counter appears with the first).
pub(crate) fn thumbnail_encoded() {
    if !shown() {
        return;
    }
    let mut slot = THUMBNAILS.lock().unwrap_or_else(|e| e.into_inner());
    let bar = slot.get_or_insert_with(|| {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} thumbnails encoded") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    bar.inc(1);
}

/// Clears the thumbnail counter, if any.
pub(crate) fn thumbnails_done() {
    if let Some(bar) = THUMBNAILS.lock().unwrap_or_else(|e| e.into_inner()).take() {
        bar.finish_and_clear();
    }
}
