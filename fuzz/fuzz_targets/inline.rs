//! The inline parsers (comment bodies and paragraphs) on arbitrary text: no panic, the
//! nodes survive the bundle types, and every link goes to an http(s) URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use matome_compiler::inline::{parse_body, parse_paragraph};
use matome_model::{rules::is_web_url, Inline};

fn check_links(nodes: &[Inline]) {
    for node in nodes {
        match node {
            Inline::Link { href, children } => {
                assert!(is_web_url(href), "link to {href:?}");
                check_links(children);
            }
            Inline::InternalLink { children, .. } | Inline::Emphasis(children) | Inline::Strong(children) | Inline::QuoteLine(children) => {
                check_links(children)
            }
            Inline::Text(_) | Inline::Code(_) | Inline::CodeBlock(_) | Inline::Break => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for nodes in [parse_body(text), parse_paragraph(text)] {
        check_links(&nodes);
        let json = serde_json::to_string(&nodes).expect("nodes serialise");
        let back: Vec<Inline> = serde_json::from_str(&json).expect("nodes deserialise");
        assert_eq!(back, nodes);
    }
});
