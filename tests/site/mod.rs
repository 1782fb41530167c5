//! The site generated from the index: what its pages hold ([`pages`]), that hostile index text
//! stays inert ([`hostile`]), how the HTTP listener serves it ([`http`]), and how it behaves in
//! a real browser ([`browser`]).

mod browser;
mod hostile;
mod http;
mod pages;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use signpost::index::Index;
use signpost::site::{build, Options, Site};

/// A fixed generation time, so pages are the same on every run.
pub const GENERATED: u64 = 1_798_758_498;

/// The site for `index` with prefix `!`, generated at [`GENERATED`].
pub fn site_of(index: &Index) -> Site {
    build(
        index,
        &Options {
            prefix: "!".into(),
            generated: generated(),
        },
    )
}

/// [`GENERATED`] as a time.
pub fn generated() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(GENERATED)
}

/// The text of the page at `path`; panics when the site has none.
pub fn page<'a>(site: &'a Site, path: &str) -> &'a str {
    let file = site.get(path).unwrap_or_else(|| panic!("no page {path}"));
    std::str::from_utf8(&file.body).expect("pages are UTF-8")
}

/// Every HTML page: path and text.
pub fn html_pages(site: &Site) -> Vec<(&str, &str)> {
    site.files
        .keys()
        .filter(|path| path.ends_with(".html"))
        .map(|path| (path.as_str(), page(site, path)))
        .collect()
}

/// Text as maud escapes it into a page.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The targets of every `href` in `html`, unescaped.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&quot;", "\"").replace("&amp;", "&"))
        .collect()
}
