//! [`prepare`]: the template made ready once, before any page is filled in.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use lol_html::html_content::{ContentType, TextType};
use lol_html::{comments, element, end_tag, text};

use super::{rewrite, END_OF_PAGE};
use crate::head::is_owned;

/// The head's text since its last element, while [`prepare`] runs.
#[derive(Default)]
struct HeadText {
    pending: String,
    /// The last element was removed: the line break after it goes too.
    drop_newline: bool,
    /// `</head>` was seen.
    closed: bool,
}

impl HeadText {
    /// The pending text, to be written before the next element (or `</head>`); when
    /// that element is `removed`, without the spaces ending its line.
    fn take(&mut self, removed: bool) -> String {
        let mut text = std::mem::take(&mut self.pending);
        if std::mem::replace(&mut self.drop_newline, removed) && text.starts_with('\n') {
            text.remove(0);
        }
        if removed {
            text.truncate(text.trim_end_matches([' ', '\t']).len());
        }
        text
    }
}

/// The template without the owned tags ([`is_owned`], each with its line: the spaces
/// before it and the line break after it, so repeated runs leave no blank lines) and
/// without the content a previous run put into the body (up to [`END_OF_PAGE`]).
/// Errors when the template has no `</head>` or no `<body>`.
pub(super) fn prepare(html: &str) -> Result<String, String> {
    let marker = &END_OF_PAGE["<!--".len()..END_OF_PAGE.len() - "-->".len()];
    // A page this step filled in (publish run twice in the same folder)?
    let filled = Cell::new(false);
    rewrite(
        html,
        vec![comments!("body", |c| {
            filled.set(filled.get() || c.text() == marker);
            Ok(())
        })],
    )?;
    // The text between the head's elements waits until the next element (or `</head>`)
    // says whether it goes with a removed tag.
    let head = Rc::new(RefCell::new(HeadText::default()));
    let has_body = Cell::new(false);
    let in_old_page = Cell::new(false);
    let handlers = vec![
        text!("head", |t| {
            if t.text_type() == TextType::Data {
                head.borrow_mut().pending.push_str(t.as_str());
                t.remove();
            }
            Ok(())
        }),
        element!("head", |el| {
            let head = Rc::clone(&head);
            el.on_end_tag(end_tag!(move |end| {
                let mut head = head.borrow_mut();
                end.before(&head.take(false), ContentType::Html);
                head.closed = true;
                Ok(())
            }))
        }),
        element!("head *", |el| {
            let removed = is_owned(el);
            el.before(&head.borrow_mut().take(removed), ContentType::Html);
            if removed {
                el.remove();
            }
            Ok(())
        }),
        element!("body", |_| {
            has_body.set(true);
            in_old_page.set(filled.get());
            Ok(())
        }),
        element!("body *", |el| {
            if in_old_page.get() {
                el.remove();
            }
            Ok(())
        }),
        text!("body", |t| {
            if in_old_page.get() {
                t.remove();
            }
            Ok(())
        }),
        comments!("body", |c| {
            if in_old_page.get() && c.text() == marker {
                c.remove();
                in_old_page.set(false);
            }
            Ok(())
        }),
    ];
    let out = rewrite(html, handlers)?;
    if !head.borrow().closed {
        return Err("no </head>".into());
    }
    if !has_body.get() {
        return Err("no <body>".into());
    }
    Ok(out)
}
