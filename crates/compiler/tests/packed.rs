//! Packed posts (blocks serialised right after parsing, tree dropped) are written byte for
//! byte as `matome_model::Post` built from the block trees would be; so are the lists.

use crate::common;

use std::path::{Path, PathBuf};

use common::Scratch;
use matome_compiler::bundle::write_bundle;
use matome_compiler::site::{link_site, Blocks, Linked, List, ParsedPost};
use matome_compiler::{parse_post, Config};
use matome_model::{paths, Image, ListPage, Post};

/// `(post path, file)` of every `index.md` below `dir`.
fn post_files(dir: &Path) -> Vec<(String, PathBuf)> {
    common::index_files(dir)
        .into_iter()
        .map(|p| {
            (
                p.parent()
                    .unwrap()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                p,
            )
        })
        .collect()
}

fn link(config: &Config, files: &[(String, PathBuf)], pack: bool) -> Linked {
    let posts: Vec<ParsedPost> = files
        .iter()
        .map(|(path, file)| {
            let src = std::fs::read_to_string(file).unwrap();
            let mut p = parse_post(&file.display().to_string(), &src).unwrap();
            p.path = path.clone();
            if pack {
                p.pack();
            }
            p
        })
        .filter(|p| !p.front.draft)
        .collect();
    let prepare = |src: &Path, rel: &str| {
        Ok(Image {
            src: format!("{rel}/{}", src.file_name().unwrap().to_string_lossy()),
            width: 1,
            height: 1,
            variants: vec![],
        })
    };
    link_site(posts, config, &prepare, &mut Vec::new()).unwrap()
}

/// Links `content` twice, from trees and packed, writes the packed one and compares every
/// post and list file with the model types built from the trees. Returns the number of
/// posts and of those the packed run kept as trees.
fn compare(content: &Path, assets: &Path) -> (usize, usize) {
    let s = Scratch::new("packed");
    let mut config = s.config();
    config.content = content.to_path_buf();
    config.assets = assets.to_path_buf();
    let files = post_files(content);
    let tree = link(&config, &files, false);
    let packed = link(&config, &files, true);
    assert!(tree
        .posts
        .iter()
        .all(|p| matches!(p.blocks, Blocks::Tree(_))));
    assert!(packed
        .posts
        .iter()
        .any(|p| matches!(p.blocks, Blocks::Json(_))));
    let out = s.path().join("out");
    write_bundle(&packed, &out).unwrap();

    let read = |name: &str| std::fs::read(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    for (i, p) in tree.posts.iter().enumerate() {
        let model: Post = tree.model_post(i);
        let written = read(&paths::post_json(&p.summary.path));
        assert_eq!(
            String::from_utf8(written.clone()).unwrap(),
            serde_json::to_string(&model).unwrap(),
            "{}",
            p.summary.path
        );
        let back: Post = serde_json::from_slice(&written).unwrap();
        assert_eq!(back, model, "{}", p.summary.path);
        assert_eq!(packed.model_post(i), model, "{}", p.summary.path);
    }
    let lists: Vec<(&String, &List)> = (tree.site.pages.iter().zip(&tree.pages))
        .chain(tree.tag_index.tags.iter().map(|t| &t.file).zip(&tree.tags))
        .chain(tree.site.months.iter().map(|m| &m.file).zip(&tree.months))
        .collect();
    assert!(lists.len() >= 3);
    for (name, list) in lists {
        let model: ListPage = tree.model_list(list);
        let written = read(name);
        assert_eq!(written, serde_json::to_vec(&model).unwrap(), "{name}");
        assert_eq!(
            serde_json::from_slice::<ListPage>(&written).unwrap(),
            model,
            "{name}"
        );
    }
    (
        tree.posts.len(),
        packed
            .posts
            .iter()
            .filter(|p| matches!(p.blocks, Blocks::Tree(_)))
            .count(),
    )
}

// The fixture posts, one with a recent list (kept as a tree, filled in at link time).
#[test]
fn packed_fixture_posts_are_written_as_the_model_types() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/posts");
    let (n, trees) = compare(&fixtures, &fixtures.join("no-assets"));
    assert_eq!(n, post_files(&fixtures).len());
    assert_eq!(trees, 1);
}

// Every post of the real corpus, when it is there.
#[test]
fn packed_corpus_posts_are_written_as_the_model_types() {
    let Some(corpus) = common::corpus_dir() else {
        common::skipped_without_corpus("packed_corpus_posts_are_written_as_the_model_types");
        return;
    };
    let (n, _) = compare(&corpus.join("posts"), &corpus.join("assets"));
    assert!(n > 0);
}
