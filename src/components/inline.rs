//! Typed inline nodes (`matome_model::Inline`) rendered as views.
//!
//! Text always becomes text nodes, never markup. Only http(s) URLs become external
//! links; anything else is shown as plain text.

use leptos::prelude::*;
use matome_model::Inline;

use crate::{api, format};

/// A run of inline nodes.
#[component]
pub fn Inlines(nodes: Vec<Inline>) -> impl IntoView {
    let mut after_quote = false;
    let mut breaks = 0;
    nodes
        .into_iter()
        .filter(|node| {
            // A quote line is a block of its own, so the break that ended it in the
            // source would only add an empty line; and more than one empty line in a
            // row is noise from the source's `<br><br><br>`.
            let is_break = matches!(node, Inline::Break);
            let skip = is_break && (after_quote || breaks >= 2);
            after_quote = matches!(node, Inline::QuoteLine(_)) || (after_quote && skip);
            breaks = if is_break { breaks + 1 } else { 0 };
            !skip
        })
        .map(inline_view)
        .collect_view()
}

/// One inline node as a view.
pub fn inline_view(node: Inline) -> AnyView {
    match node {
        Inline::Text(text) => text.into_any(),
        Inline::Break => view! { <br /> }.into_any(),
        Inline::Link { href, children } if format::is_web_url(&href) => view! {
            <a class="inline-link" href=href target="_blank" rel="noopener noreferrer">
                <Inlines nodes=children />
            </a>
        }
        .into_any(),
        Inline::Link { children, .. } => view! {
            <span class="inline-link-text"><Inlines nodes=children /></span>
        }
        .into_any(),
        Inline::InternalLink { route, children } if is_site_route(&route) => view! {
            <a class="inline-link" href=api::href(&route)><Inlines nodes=children /></a>
        }
        .into_any(),
        Inline::InternalLink { children, .. } => view! {
            <span class="inline-link-text"><Inlines nodes=children /></span>
        }
        .into_any(),
        Inline::Code(code) => view! { <code class="inline-code">{code}</code> }.into_any(),
        Inline::CodeBlock(code) => view! {
            <pre class="inline-pre"><code>{code}</code></pre>
        }
        .into_any(),
        Inline::Emphasis(children) => view! { <em><Inlines nodes=children /></em> }.into_any(),
        Inline::Strong(children) => {
            view! { <strong><Inlines nodes=children /></strong> }.into_any()
        }
        Inline::QuoteLine(children) => view! {
            <span class="inline-quote"><Inlines nodes=children /></span>
        }
        .into_any(),
    }
}

/// A route inside the site: relative, no scheme, no protocol-relative `//`.
fn is_site_route(route: &str) -> bool {
    !route.contains(':') && !route.starts_with("//") && !route.contains('\\')
}
