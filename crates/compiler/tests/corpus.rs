//! The real corpus (`../shared/corpus` beside the repository): every post compiles, and
//! the output keeps every card, every section and no raw markup.

use crate::common;

use matome_compiler::{compile, parse_post, Config, Mode};
use matome_model::{Block, Inline};

/// (label, number of cards) of each details block, read straight from the source.
fn source_sections(src: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for chunk in src.split("{{< details ").skip(1) {
        let label = chunk
            .split("summary=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let end = chunk
            .find("{{< /details >}}")
            .or_else(|| chunk.find("{{</details>}}"))
            .unwrap();
        out.push((label, chunk[..end].matches("{{<matomeQuote").count()));
    }
    out
}

/// Every string the app would show or follow.
fn strings<'a>(nodes: &'a [Inline], out: &mut Vec<&'a str>) {
    for n in nodes {
        match n {
            Inline::Text(t) | Inline::Code(t) | Inline::CodeBlock(t) => out.push(t),
            Inline::Break => {}
            Inline::Link { href, children } => {
                out.push(href);
                strings(children, out);
            }
            Inline::InternalLink { route, children } => {
                out.push(route);
                strings(children, out);
            }
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::QuoteLine(c) => strings(c, out),
        }
    }
}

// Every corpus post parses; cards, sections and labels survive; no raw markup leaks.
#[test]
fn compiles_every_corpus_post_keeping_cards_sections_and_no_raw_markup() {
    let Some(corpus) = common::corpus_dir() else {
        common::skipped_without_corpus(
            "compiles_every_corpus_post_keeping_cards_sections_and_no_raw_markup",
        );
        return;
    };
    let files = common::index_files(&corpus.join("posts"));
    assert!(files.len() >= 100, "only {} posts found", files.len());
    let mut problems = Vec::new();
    for file in &files {
        let src = std::fs::read_to_string(file).unwrap();
        let name = file.display().to_string();
        let post = match parse_post(&name, &src) {
            Ok(p) => p,
            Err(errors) => {
                problems.extend(errors.iter().map(|e| e.to_string()));
                continue;
            }
        };
        let mut cards = 0;
        let mut sections = Vec::new();
        let mut texts: Vec<&str> = vec![&post.front.title];
        texts.extend(post.body.lead.as_deref());
        texts.extend(post.body.source.as_deref());
        for block in &post.body.blocks {
            match block {
                Block::Comment(c) => {
                    cards += 1;
                    strings(&c.body, &mut texts);
                    texts.push(&c.user);
                }
                Block::More { label, comments } => {
                    cards += comments.len();
                    sections.push((label.clone(), comments.len()));
                    comments.iter().for_each(|c| strings(&c.body, &mut texts));
                }
                Block::Paragraph(p) => strings(p, &mut texts),
                Block::RecentList { .. } => {}
            }
        }
        let expected_cards = src.matches("{{<matomeQuote").count();
        if cards != expected_cards || post.body.comments as usize != expected_cards {
            problems.push(format!(
                "{name}: {cards} cards, source has {expected_cards}"
            ));
        }
        if sections != source_sections(&src) {
            problems.push(format!(
                "{name}: sections {sections:?} != {:?}",
                source_sections(&src)
            ));
        }
        for t in texts {
            for bad in ["{{<", "<br>", "＜br＞"] {
                if t.contains(bad) {
                    problems.push(format!("{name}: output text contains {bad}: {t:.80}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );

    // The whole site links without errors (check mode: thumbnails resolved, not resized).
    let mut config = Config::new(
        corpus.join("posts"),
        std::env::temp_dir().join("matome-corpus-unused"),
    );
    config.assets = corpus.join("assets");
    let report = compile(&config, Mode::Check, None).unwrap();
    assert!(report.errors.is_empty(), "{}", report.errors[0]);
    assert!(report.warnings.is_empty(), "{}", report.warnings[0]);
    assert_eq!(report.posts as usize + report.drafts.len(), files.len());
    println!("corpus: {}", report.summary());
}
