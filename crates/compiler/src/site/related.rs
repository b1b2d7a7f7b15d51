//! Related posts: the posts sharing the most tags with each post, looked for in a window
//! of neighbours so the work stays linear.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::{ParsedPost, TagTable};

/// Candidates looked at per tag for related posts: the nearest posts in date order. Keeps
/// the work linear in the number of posts even when one tag is on half of them.
const RELATED_WINDOW: usize = 64;

/// Up to 5 posts sharing the most tags with each post (then the nearest in time).
pub(super) fn related_posts(posts: &[ParsedPost], tags: &TagTable) -> Vec<Vec<usize>> {
    posts
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut shared: HashMap<usize, u32> = HashMap::new();
            let mut seen = HashSet::new();
            for t in &p.front.tags {
                let Some(&k) = tags.by_key.get(&t.to_lowercase()) else {
                    continue;
                };
                if !seen.insert(k) {
                    continue;
                }
                let list = &tags.entries[k].posts;
                let at = list.binary_search(&i).unwrap_or_else(|x| x);
                let lo = at.saturating_sub(RELATED_WINDOW / 2);
                let hi = (at + RELATED_WINDOW / 2 + 1).min(list.len());
                for &j in &list[lo..hi] {
                    if j != i {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            let mut ranked: Vec<(usize, u32)> = shared.into_iter().collect();
            ranked.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| a.0.abs_diff(i).cmp(&b.0.abs_diff(i)))
                    .then(a.0.cmp(&b.0))
            });
            ranked.into_iter().take(5).map(|(j, _)| j).collect()
        })
        .collect()
}
