//! The post parser on arbitrary bytes, as `compile` reads a file: no panic; an accepted
//! post's blocks survive the bundle types; every error points inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matome_compiler::{limits, parse_post};
use matome_model::Block;

fuzz_target!(|data: &[u8]| {
    let src = match limits::decode("fuzz.md", data.to_vec()) {
        Ok(src) => src,
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1, "{e}");
            return;
        }
    };
    match parse_post("fuzz.md", &src) {
        Ok(post) => {
            let json = serde_json::to_string(&post.body.blocks).expect("blocks serialise");
            let back: Vec<Block> = serde_json::from_str(&json).expect("blocks deserialise");
            assert_eq!(back, post.body.blocks);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            let lines = src.split('\n').count() as u32;
            for e in &errors {
                assert!(e.line >= 1 && e.line <= lines, "{e} (file has {lines} lines)");
                let mut line = src.split('\n').nth(e.line as usize - 1).unwrap();
                if e.line == 1 {
                    line = line.strip_prefix('\u{feff}').unwrap_or(line);
                }
                let chars = line.chars().count() as u32;
                assert!(e.column >= 1 && e.column <= chars + 1, "{e} (line has {chars} characters)");
            }
        }
    }
});
