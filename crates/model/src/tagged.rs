//! Reading [`Block`] and [`Inline`] back (`{"t": variant, "c": content}`, the tag first,
//! as serde writes them).
//!
//! serde's derived reader for adjacently tagged enums also accepts the content before
//! the tag, by buffering it in a generic value and reading it again: code for every
//! variant twice, the biggest single part of the app's JSON code in the wasm. The bundle
//! is only ever written by `Serialize` (tag first), so these readers take that order
//! only and refuse the other with an error.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::{Block, Comment, Inline, PostSummary};

const BLOCKS: &[&str] = &["Paragraph", "Comment", "More", "RecentList"];
const INLINES: &[&str] = &[
    "Text",
    "Break",
    "Link",
    "InternalLink",
    "Code",
    "CodeBlock",
    "Emphasis",
    "Strong",
    "QuoteLine",
];

/// The `t` entry, which must come first.
fn tag<'de, A: MapAccess<'de>>(map: &mut A) -> Result<String, A::Error> {
    match map.next_key::<String>()? {
        Some(k) if k == "t" => map.next_value(),
        _ => Err(de::Error::missing_field("t")),
    }
}

/// The `c` entry, right after the tag.
fn content<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A) -> Result<T, A::Error> {
    match map.next_key::<String>()? {
        Some(k) if k == "c" => map.next_value(),
        _ => Err(de::Error::missing_field("c")),
    }
}

/// Nothing may follow.
fn end<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    match map.next_key::<IgnoredAny>()? {
        None => Ok(()),
        Some(_) => Err(de::Error::custom("unexpected entry after the content")),
    }
}

#[derive(serde::Deserialize)]
struct More {
    label: String,
    comments: Vec<Comment>,
}

#[derive(serde::Deserialize)]
struct RecentList {
    limit: u32,
    posts: Vec<PostSummary>,
}

#[derive(serde::Deserialize)]
struct Link {
    href: String,
    children: Vec<Inline>,
}

#[derive(serde::Deserialize)]
struct InternalLink {
    route: String,
    children: Vec<Inline>,
}

struct BlockVisitor;

impl<'de> Visitor<'de> for BlockVisitor {
    type Value = Block;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a block {\"t\", \"c\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Block, A::Error> {
        let t = tag(&mut map)?;
        let block = match t.as_str() {
            "Paragraph" => Block::Paragraph(content(&mut map)?),
            "Comment" => Block::Comment(content(&mut map)?),
            "More" => {
                let c: More = content(&mut map)?;
                Block::More {
                    label: c.label,
                    comments: c.comments,
                }
            }
            "RecentList" => {
                let c: RecentList = content(&mut map)?;
                Block::RecentList {
                    limit: c.limit,
                    posts: c.posts,
                }
            }
            other => return Err(de::Error::unknown_variant(other, BLOCKS)),
        };
        end(&mut map)?;
        Ok(block)
    }
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(BlockVisitor)
    }
}

struct InlineVisitor;

impl<'de> Visitor<'de> for InlineVisitor {
    type Value = Inline;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an inline node {\"t\", \"c\"}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Inline, A::Error> {
        let t = tag(&mut map)?;
        let node = match t.as_str() {
            "Break" => Inline::Break,
            "Text" => Inline::Text(content(&mut map)?),
            "Code" => Inline::Code(content(&mut map)?),
            "CodeBlock" => Inline::CodeBlock(content(&mut map)?),
            "Emphasis" => Inline::Emphasis(content(&mut map)?),
            "Strong" => Inline::Strong(content(&mut map)?),
            "QuoteLine" => Inline::QuoteLine(content(&mut map)?),
            "Link" => {
                let c: Link = content(&mut map)?;
                Inline::Link {
                    href: c.href,
                    children: c.children,
                }
            }
            "InternalLink" => {
                let c: InternalLink = content(&mut map)?;
                Inline::InternalLink {
                    route: c.route,
                    children: c.children,
                }
            }
            other => return Err(de::Error::unknown_variant(other, INLINES)),
        };
        end(&mut map)?;
        Ok(node)
    }
}

impl<'de> Deserialize<'de> for Inline {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(InlineVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_round_trips() {
        let inline = vec![
            Inline::Text("a".into()),
            Inline::Break,
            Inline::Link {
                href: "https://x.test/".into(),
                children: vec![Inline::Code("c".into())],
            },
            Inline::InternalLink {
                route: "posts/".into(),
                children: vec![],
            },
            Inline::CodeBlock("b".into()),
            Inline::Emphasis(vec![Inline::Strong(vec![Inline::QuoteLine(vec![])])]),
        ];
        let json = serde_json::to_string(&inline).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Inline>>(&json).unwrap(), inline);
        let comment = Comment {
            n: 1,
            user: "u".into(),
            created_at: "t".into(),
            color: None,
            body: inline,
        };
        let blocks = vec![
            Block::Paragraph(vec![Inline::Text("p".into())]),
            Block::Comment(comment.clone()),
            Block::More {
                label: "もっと".into(),
                comments: vec![comment],
            },
            Block::RecentList {
                limit: 3,
                posts: vec![],
            },
        ];
        let json = serde_json::to_string(&blocks).unwrap();
        assert_eq!(serde_json::from_str::<Vec<Block>>(&json).unwrap(), blocks);
    }

    #[test]
    fn content_before_tag_and_unknown_variants_are_errors() {
        assert!(serde_json::from_str::<Inline>(r#"{"c":"a","t":"Text"}"#).is_err());
        assert!(serde_json::from_str::<Inline>(r#"{"t":"Nope","c":"a"}"#).is_err());
        assert!(serde_json::from_str::<Inline>(r#"{"t":"Text","c":"a","x":1}"#).is_err());
        assert!(serde_json::from_str::<Block>(r#"{"t":"Paragraph"}"#).is_err());
    }
}
