//! The search list: every item the pages show, once, with the page and anchor where it is
//! shown, as JSON for the optional search box ([`super::assets`]). Text is cleaned of hidden
//! characters here; the script only ever inserts it as text, never as markup.

use std::collections::HashSet;

use serde::Serialize;

/// Where the list is served and written.
pub const PATH: &str = "search.json";

/// Its content type.
pub const CONTENT_TYPE: &str = "application/json";

/// One item as the search box sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The item's title.
    pub title: String,
    /// Where it is shown: a path from the site's root with the item's anchor.
    pub href: String,
    /// Publisher, date and body, as the page shows them.
    pub about: String,
    /// The status badge's word, if any.
    pub badge: Option<&'static str>,
}

/// The list as JSON: each item once (the first page that shows it), in page order.
pub fn to_json(entries: &[Entry]) -> Vec<u8> {
    let mut seen = HashSet::new();
    let unique: Vec<&Entry> = entries
        .iter()
        .filter(|e| seen.insert((e.title.as_str(), e.about.as_str())))
        .collect();
    // Serializing plain strings and options cannot fail.
    serde_json::to_vec(&unique).unwrap_or_default()
}
