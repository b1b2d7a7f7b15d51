//! Components, one noun per file.

pub mod comment_card;
pub mod error_view;
pub mod header;
pub mod inline;
pub mod list_view;
pub mod more_comments;
pub mod not_found;
pub mod pager;
pub mod post_card;
pub mod skeleton;
pub mod tag_chip;
