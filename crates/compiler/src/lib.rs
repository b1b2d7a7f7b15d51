//! The matome content compiler: Hugo-style matome posts → the typed JSON bundle of
//! `matome-model`. The passes and their order are described in [`pipeline`].

pub mod blocks;
pub mod bundle;
pub mod config;
pub mod error;
pub mod front_matter;
pub mod hash;
pub mod inline;
pub mod limits;
pub mod markdown;
pub mod pipeline;
pub mod search_index;
pub mod shortcode;
pub mod site;
pub mod slug;
pub mod spool;
pub mod swap;
pub mod text;

pub use config::{Config, HomeConfig, Precompress};
pub use error::{ContentError, ErrorKind, Warning};
pub use pipeline::{
    compile, compile_with, copy_image, parse_post, CompileError, KeptPosts, Mode, PrepareImageInto,
    Report,
};
