//! Limits on one post file, in one place, so that broken or hostile input fails fast
//! with a positioned error instead of eating time and memory.
//!
//! Real posts stay far below each one: the largest post of the reference site is 89 KB
//! with 247 comment cards, and its longest line (one comment) is about 10 KB.

use crate::error::{ContentError, ErrorKind, Spanned};
use crate::shortcode::{Name, Shortcode};

/// Bytes in one post file (checked before the file is read).
pub const MAX_FILE_BYTES: usize = 16 << 20;

/// Bytes in one line. A comment card is one line, so this is also the limit of a body.
pub const MAX_LINE_BYTES: usize = 256 << 10;

/// Comment cards (`matomeQuote`) in one post.
pub const MAX_COMMENTS: usize = 5_000;

/// Errors reported for one file; the rest are counted in a last
/// [`ErrorKind::TooManyErrors`].
pub const MAX_ERRORS: usize = 100;

/// Checks the size of a file before it is read.
pub fn check_file_size(bytes: u64) -> Result<(), Spanned> {
    if bytes > MAX_FILE_BYTES as u64 {
        return Err(Spanned::new(
            0,
            ErrorKind::FileTooLarge {
                bytes,
                limit: MAX_FILE_BYTES,
            },
        ));
    }
    Ok(())
}

/// Checks the text of a post before it is parsed: its size, NUL bytes (the sign of a
/// binary or UTF-16 file) and the length of every line. Linear in the size of `src`.
pub fn check_text(src: &str) -> Result<(), Spanned> {
    check_file_size(src.len() as u64)?;
    let bytes = src.as_bytes();
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(Spanned::new(at, ErrorKind::NulByte));
    }
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        if end - start > MAX_LINE_BYTES {
            return Err(Spanned::new(
                start,
                ErrorKind::LineTooLong {
                    bytes: end - start,
                    limit: MAX_LINE_BYTES,
                },
            ));
        }
        start = end + 1;
    }
    Ok(())
}

/// Checks the number of comment cards before they are built: an error at the first one
/// past [`MAX_COMMENTS`].
pub fn check_comments(shortcodes: &[Shortcode<'_>]) -> Result<(), Spanned> {
    let mut cards = shortcodes
        .iter()
        .filter(|s| s.name == Name::MatomeQuote && !s.closing);
    match cards.nth(MAX_COMMENTS) {
        Some(extra) => Err(Spanned::at(
            &extra.span,
            ErrorKind::TooManyComments(MAX_COMMENTS),
        )),
        None => Ok(()),
    }
}

/// The text of a post file: its bytes as UTF-8, within the limits of [`check_text`].
/// Invalid UTF-8 is an error at its first bad byte (`file` is used in messages only).
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String, ContentError> {
    match String::from_utf8(bytes) {
        Ok(src) => {
            check_text(&src).map_err(|e| ContentError::at(file, &src, e.offset, e.kind))?;
            Ok(src)
        }
        Err(e) => {
            let byte = e.utf8_error().valid_up_to();
            // The lossy copy keeps the same text up to the first bad byte.
            let lossy = String::from_utf8_lossy(e.as_bytes());
            Err(ContentError::at(
                file,
                &lossy,
                byte,
                ErrorKind::NotUtf8 { byte },
            ))
        }
    }
}
