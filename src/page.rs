//! One page of the site, defined once: its route (⇄ URL path), its data, its view and
//! its head (title, description, canonical route, OpenGraph). The router parses a
//! [`Route`], the loader loads a [`Page`] and renders [`Page::view`], the build
//! (`matome-site`) renders the same view and writes the same [`Head`] into the page's
//! `<head>` (as [`HeadTags`]); the app sets the same tags from it when it navigates. So
//! a page says the same thing whether the reader followed a link to it or navigated to
//! it in the app.
//!
//! A new kind of page is a variant here (in [`Route`], [`Page`] and [`HeadOf`]), its view
//! in `pages/` and its data.

use leptos::prelude::*;
use matome_model::{paths, Image, ListPage, MonthEntry, Post, PostSummary, Site, TagIndex};

use crate::components::list_view::ListView;
use crate::components::not_found::NotFoundMessage;
use crate::pages::{
    home::{HomePage, HomeView},
    month::{MonthPage, MonthView},
    months::{MonthsPage, MonthsView},
    not_found::NotFoundPage,
    post::{PostPage, PostView},
    post_list::{PostListPage, PostListView},
    search::{Results, SearchData, SearchIntro, SearchPage},
    tag::{self, TagPage},
    tags::{TagsPage, TagsView},
};
use crate::{api, format};

/// Longest description, in characters (longer ones are cut with `…`).
pub const DESCRIPTION_CHARS: usize = 160;

/// Where a URL leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`
    Home,
    /// `/posts/` (page 1) and `/posts/page/<n>/`; `None` for a malformed number.
    Posts(Option<u32>),
    /// `/posts/<section>/<slug>/`, as the post's path `<section>/<slug>`.
    Post(String),
    /// `/tags/`
    Tags,
    /// `/tags/<slug>/`
    Tag(String),
    /// `/months/`
    Months,
    /// `/months/<yyyy>/<mm>/`; `None` for a malformed month.
    Month(Option<(u16, u8)>),
    /// `/search/`
    Search,
    /// Anything else.
    NotFound,
}

impl Route {
    /// The route of a URL path (percent-encoded, base path included). Trailing slashes
    /// are optional, `index.html` is the folder itself.
    pub fn parse(pathname: &str, base: &str) -> Route {
        let Some(rest) = pathname.strip_prefix(base) else {
            return Route::NotFound;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return Route::NotFound;
        }
        let segments: Vec<String> = rest
            .split('/')
            .filter(|s| !s.is_empty() && *s != "index.html")
            .map(api::decode_param)
            .collect();
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        match parts.as_slice() {
            [] => Route::Home,
            ["posts"] => Route::Posts(Some(1)),
            ["posts", "page", n] => Route::Posts(n.parse().ok().filter(|n| *n >= 1)),
            ["posts", section, slug] => Route::Post(format!("{section}/{slug}")),
            ["tags"] => Route::Tags,
            ["tags", tag] => Route::Tag(tag.to_string()),
            ["months"] => Route::Months,
            ["months", y, m] => {
                let year = y.parse().ok().filter(|_| y.len() == 4);
                let month = m.parse().ok().filter(|m| (1..=12).contains(m));
                Route::Month(year.zip(month))
            }
            ["search"] => Route::Search,
            _ => Route::NotFound,
        }
    }

    /// The route below the site root (`""`, `posts/a/b/`, `tags/<slug>/`), the folder the
    /// build writes the page into; `None` for the routes no page has (malformed, 404).
    pub fn path(&self) -> Option<String> {
        Some(match self {
            Route::Home => String::new(),
            Route::Posts(n) => paths::page_route((*n)?),
            Route::Post(path) => paths::post_route(path),
            Route::Tags => paths::TAGS_ROUTE.into(),
            Route::Tag(slug) => paths::tag_route(slug),
            Route::Months => paths::MONTHS_ROUTE.into(),
            Route::Month(month) => {
                let (year, month) = (*month)?;
                paths::month_route(year, month)
            }
            Route::Search => paths::SEARCH_ROUTE.into(),
            Route::NotFound => return None,
        })
    }

    /// The page of this route in the app: it loads its [`Page`] and shows it.
    pub fn live_view(self) -> AnyView {
        match self {
            Route::Home => view! { <HomePage /> }.into_any(),
            Route::Posts(page) => view! { <PostListPage page /> }.into_any(),
            Route::Post(path) => view! { <PostPage path /> }.into_any(),
            Route::Tags => view! { <TagsPage /> }.into_any(),
            Route::Tag(slug) => view! { <TagPage slug /> }.into_any(),
            Route::Months => view! { <MonthsPage /> }.into_any(),
            Route::Month(month) => view! { <MonthPage month /> }.into_any(),
            Route::Search => view! { <SearchPage /> }.into_any(),
            Route::NotFound => view! { <NotFoundPage /> }.into_any(),
        }
    }
}

/// A page with its data: what a page's loader loads in the app and what the build
/// renders for each route. Views are made from it by [`Page::view`].
#[derive(Clone)]
pub enum Page {
    /// `/`: the site and the first list page.
    Home { site: Box<Site>, page: ListPage },
    /// `/posts/`, `/posts/page/N/`.
    Posts(ListPage),
    /// One post.
    Post(Box<Post>),
    /// `/tags/`.
    Tags(TagIndex),
    /// One tag's posts.
    Tag { slug: String, list: ListPage },
    /// `/months/`.
    Months(Vec<MonthEntry>),
    /// One month's posts.
    Month {
        list: ListPage,
        year: u16,
        month: u8,
    },
    /// `/search/`: in the app, what its results need (the form is outside the loader);
    /// at build time `None`, the form alone (searching needs the app).
    Search(Option<SearchData>),
    /// Any other URL (`404.html`).
    NotFound,
}

impl Page {
    /// The page's view (in the browser and at build time).
    pub fn view(self) -> AnyView {
        match self {
            Page::Home { site, page } => view! { <HomeView site=*site page /> }.into_any(),
            Page::Posts(page) => view! { <PostListView page /> }.into_any(),
            Page::Post(post) => view! { <PostView post=*post /> }.into_any(),
            Page::Tags(index) => view! { <TagsView index /> }.into_any(),
            Page::Tag { list, .. } => {
                let heading = tag::heading(&list.title);
                view! { <ListView list heading back=tag::BACK /> }.into_any()
            }
            Page::Months(months) => view! { <MonthsView months /> }.into_any(),
            Page::Month { list, year, month } => view! { <MonthView list year month /> }.into_any(),
            Page::Search(Some(data)) => view! { <Results data /> }.into_any(),
            Page::Search(None) => view! { <SearchIntro /> }.into_any(),
            Page::NotFound => view! { <NotFoundMessage /> }.into_any(),
        }
    }

    /// What the page's head is written from.
    pub fn head_of(&self) -> HeadOf<'_> {
        match self {
            Page::Home { site, page } => HeadOf::Home { site, page },
            Page::Posts(list) => HeadOf::Posts(list),
            Page::Post(post) => HeadOf::Post(&post.summary),
            Page::Tags(index) => HeadOf::Tags(index),
            Page::Tag { slug, list } => HeadOf::Tag { slug, list },
            Page::Months(months) => HeadOf::Months(months),
            Page::Month { list, year, month } => HeadOf::Month {
                list,
                year: *year,
                month: *month,
            },
            Page::Search(_) => HeadOf::Search,
            Page::NotFound => HeadOf::NotFound,
        }
    }

    /// The page's head, on a site titled `site_title`.
    pub fn head(&self, site_title: &str) -> Head {
        self.head_of().head(site_title)
    }
}

/// What a page's head is written from: its data, borrowed. A post's head needs only its
/// summary, so the build writes it without decoding the post.
#[derive(Clone, Copy)]
pub enum HeadOf<'a> {
    /// `/`.
    Home { site: &'a Site, page: &'a ListPage },
    /// A page of `/posts/`.
    Posts(&'a ListPage),
    /// One post.
    Post(&'a PostSummary),
    /// `/tags/`.
    Tags(&'a TagIndex),
    /// One tag's posts.
    Tag { slug: &'a str, list: &'a ListPage },
    /// `/months/`.
    Months(&'a [MonthEntry]),
    /// One month's posts.
    Month {
        list: &'a ListPage,
        year: u16,
        month: u8,
    },
    /// `/search/`.
    Search,
    /// The 404 page.
    NotFound,
}

/// A page's head: the tab's title, the description and what link previews show.
#[derive(Clone, Debug, PartialEq)]
pub struct Head {
    /// The `<title>`: `page | site`, the site's title alone on the home page.
    pub title: String,
    /// The page's own title (`og:title`): the site's on the home page.
    pub page_title: String,
    /// Meta, OpenGraph and Twitter description (at most [`DESCRIPTION_CHARS`]).
    pub description: String,
    /// The canonical route below the site root; `None` for the 404 page.
    pub canonical: Option<String>,
    /// `og:type`: `article` for a post, `website` otherwise.
    pub og_type: &'static str,
    /// The link preview's image: a post's thumbnail, a list's first.
    pub image: Option<Image>,
    /// A post's publication date as the bundle has it (`YYYY-MM-DDTHH:MM:SS`).
    pub published: Option<String>,
    /// Kept out of search engines (the 404 page).
    pub noindex: bool,
    /// The page has a feed of its own at `<route>index.xml` (a tag's, a month's).
    pub feed: bool,
}

impl HeadOf<'_> {
    /// The route the page is written for (`None` for the 404 page).
    pub fn route(&self) -> Route {
        match *self {
            HeadOf::Home { .. } => Route::Home,
            HeadOf::Posts(list) => Route::Posts(Some(list.page.max(1))),
            HeadOf::Post(summary) => Route::Post(summary.path.clone()),
            HeadOf::Tags(_) => Route::Tags,
            HeadOf::Tag { slug, .. } => Route::Tag(slug.to_string()),
            HeadOf::Months(_) => Route::Months,
            HeadOf::Month { year, month, .. } => Route::Month(Some((year, month))),
            HeadOf::Search => Route::Search,
            HeadOf::NotFound => Route::NotFound,
        }
    }

    /// The page's head on a site titled `site_title`: the one wording of each page,
    /// written into the built page and set by the app.
    pub fn head(&self, site_title: &str) -> Head {
        let n = |n: u32| format::thousands(n.into());
        let (title, description, image) = match *self {
            HeadOf::Home { site, page } => {
                let mut head = Head::new("", &site.title, site.description.clone());
                head.image = first_image(page);
                head.canonical = self.route().path();
                return head;
            }
            HeadOf::Posts(list) => {
                let all = format!("全{}本の記事を新しい順に", n(list.total));
                if list.page > 1 {
                    let page = format!("（{}ページ目）", n(list.page));
                    (
                        format!("記事一覧{page}"),
                        format!("{all}{page}"),
                        first_image(list),
                    )
                } else {
                    ("記事一覧".into(), all, first_image(list))
                }
            }
            HeadOf::Post(summary) => {
                let excerpt = summary.excerpt.trim();
                let description = if excerpt.is_empty() {
                    summary.title.clone()
                } else {
                    excerpt.to_string()
                };
                let mut head = Head::new(&summary.title, site_title, description);
                head.og_type = "article";
                head.image = summary.thumbnail.clone();
                head.published = Some(summary.date.clone());
                head.canonical = self.route().path();
                return head;
            }
            HeadOf::Tags(index) => (
                "タグ一覧".into(),
                format!("{}個のタグと記事数", n(index.tags.len() as u32)),
                None,
            ),
            HeadOf::Tag { list, .. } => (
                tag::heading(&list.title),
                format!("「{}」タグの記事{}本", list.title, n(list.total)),
                first_image(list),
            ),
            HeadOf::Months(_) => ("月別アーカイブ".into(), "月ごとの記事一覧".into(), None),
            HeadOf::Month { list, year, month } => {
                let title = month_title(year, month);
                let description = format!("{title}{}本", n(list.total));
                (title, description, first_image(list))
            }
            HeadOf::Search => (
                "検索".into(),
                "記事のタイトル・タグ・コメントを検索".into(),
                None,
            ),
            HeadOf::NotFound => {
                let mut head = Head::new(
                    "ページが見つかりません",
                    site_title,
                    "お探しのページは見つかりませんでした。".into(),
                );
                head.noindex = true;
                return head;
            }
        };
        let mut head = Head::new(&title, site_title, description);
        head.image = image;
        head.canonical = self.route().path();
        head.feed = matches!(self, HeadOf::Tag { .. } | HeadOf::Month { .. });
        head
    }
}

impl Head {
    /// A `website` page titled `page` (empty: the site's title alone), no image.
    fn new(page: &str, site_title: &str, description: String) -> Head {
        let (title, page_title) = if page.is_empty() {
            (site_title.to_string(), site_title.to_string())
        } else {
            (format!("{page} | {site_title}"), page.to_string())
        };
        Head {
            title,
            page_title,
            description: truncate(&description, DESCRIPTION_CHARS),
            canonical: None,
            og_type: "website",
            image: None,
            published: None,
            noindex: false,
            feed: false,
        }
    }
}

/// A page's head as its tags have it: every URL absolute, the site's name, the feeds.
/// The build writes these tags into the page (`matome-site`'s `head_tags`, which calls
/// this type `PageMeta`); the app sets the same ones when it navigates ([`HeadTags::metas`],
/// `dom::set_head`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadTags {
    /// The `<title>`.
    pub title: String,
    /// `og:title` and `twitter:title` (the title without the site name).
    pub og_title: String,
    /// Meta, OpenGraph and Twitter description.
    pub description: String,
    /// Absolute canonical URL (also `og:url`); `None` for the 404 page.
    pub canonical: Option<String>,
    /// `article` for posts, `website` otherwise.
    pub og_type: &'static str,
    /// Site name for `og:site_name`.
    pub site_name: String,
    /// Absolute image URL with its size.
    pub image: Option<(String, u32, u32)>,
    /// RFC 3339 publication time of a post.
    pub published: Option<String>,
    /// Keeps the page out of search engines (404).
    pub noindex: bool,
    /// `(title, absolute URL, MIME type)` of feeds to advertise.
    pub feeds: Vec<(String, String, &'static str)>,
}

/// Names of the `<meta>` tags [`HeadTags::metas`] writes, by attribute: what the app
/// replaces when it navigates (a tag the next page does not have is removed).
pub const META_TAGS: [(&str, &str); 16] = [
    ("name", "description"),
    ("name", "robots"),
    ("property", "og:site_name"),
    ("property", "og:type"),
    ("property", "og:title"),
    ("property", "og:description"),
    ("property", "og:locale"),
    ("property", "og:url"),
    ("property", "article:published_time"),
    ("name", "twitter:card"),
    ("name", "twitter:title"),
    ("name", "twitter:description"),
    ("property", "og:image"),
    ("property", "og:image:width"),
    ("property", "og:image:height"),
    ("name", "twitter:image"),
];

impl HeadTags {
    /// The page's `<meta>` tags in the order the build writes them: `(attribute, name,
    /// content)`, the attribute being `name` or `property`.
    pub fn metas(&self) -> Vec<(&'static str, &'static str, String)> {
        let mut tags = vec![("name", "description", self.description.clone())];
        if self.noindex {
            tags.push(("name", "robots", "noindex".into()));
        }
        tags.push(("property", "og:site_name", self.site_name.clone()));
        tags.push(("property", "og:type", self.og_type.into()));
        tags.push(("property", "og:title", self.og_title.clone()));
        tags.push(("property", "og:description", self.description.clone()));
        tags.push(("property", "og:locale", "ja_JP".into()));
        if let Some(url) = &self.canonical {
            tags.push(("property", "og:url", url.clone()));
        }
        if let Some(published) = &self.published {
            tags.push(("property", "article:published_time", published.clone()));
        }
        let card = if self.image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        };
        tags.push(("name", "twitter:card", card.into()));
        tags.push(("name", "twitter:title", self.og_title.clone()));
        tags.push(("name", "twitter:description", self.description.clone()));
        if let Some((url, width, height)) = &self.image {
            tags.push(("property", "og:image", url.clone()));
            tags.push(("property", "og:image:width", width.to_string()));
            tags.push(("property", "og:image:height", height.to_string()));
            tags.push(("name", "twitter:image", url.clone()));
        }
        tags
    }
}

impl Head {
    /// The head's tags on a site whose root is at the absolute URL `site_url` (see
    /// `matome_model::rules::site_url`), named `site_name`. The feeds and the
    /// publication time are left to the build, which knows the site's feeds and zone.
    pub fn tags(&self, site_url: &str, site_name: &str) -> HeadTags {
        let abs = |route: &str| {
            format!(
                "{site_url}{}",
                matome_model::rules::encode_path(route.trim_start_matches('/'))
            )
        };
        HeadTags {
            title: self.title.clone(),
            og_title: self.page_title.clone(),
            description: self.description.clone(),
            canonical: self.canonical.as_deref().map(abs),
            og_type: self.og_type,
            site_name: site_name.to_string(),
            image: self
                .image
                .as_ref()
                .map(|i| (abs(&i.src), i.width, i.height)),
            published: None,
            noindex: self.noindex,
            feeds: Vec::new(),
        }
    }
}

/// `2025年4月の記事`: a month page's title (its heading is the month alone).
pub fn month_title(year: u16, month: u8) -> String {
    format!("{}の記事", format::month_label(year, month))
}

/// `text` trimmed, cut after `max` characters with `…`.
fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// The first thumbnail of a list, for its link previews.
fn first_image(list: &ListPage) -> Option<Image> {
    list.posts.iter().find_map(|p| p.thumbnail.clone())
}
