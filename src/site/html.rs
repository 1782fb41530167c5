//! A [`Reply`] as HTML: the site's renderer, beside the chat renderers in [`crate::render`].
//!
//! Every piece of reply text passes through [`Clean`], which drops the characters no reply
//! shows ([`crate::unicode`]: bidi overrides, zero-width characters, controls) and lets maud
//! escape the rest. Commands in the text (`!guidance nurse`) link to the page that gives the
//! same answer, when there is one. Each item gets an anchor and an entry in the search list, so
//! search results point at the place on the page where the item is shown.

use std::collections::HashSet;

use maud::{html, Markup, Render};

use super::paths::page_for_command;
use super::search::Entry;
use crate::index::Index;
use crate::reply::{Badge, Inline, Item, Line, Reply, Section};

/// Index text made safe for a page: hidden characters dropped, then escaped by maud.
#[derive(Debug, Clone, Copy)]
pub struct Clean<'a>(pub &'a str);

impl Clean<'_> {
    /// The text without the characters that never reach a reply.
    pub fn to_text(self) -> String {
        self.0
            .chars()
            .filter(|&c| !crate::unicode::is_hidden(c))
            .collect()
    }
}

impl Render for Clean<'_> {
    fn render_to(&self, buffer: &mut String) {
        self.to_text().as_str().render_to(buffer);
    }
}

/// `to` (a path from the site's root, maybe with `#fragment`) as a link from the page at `from`.
pub fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

/// A heading of level `level` (clamped to 1–6) with an optional id.
pub fn heading(level: u8, id: Option<&str>, content: Markup) -> Markup {
    match level {
        0 | 1 => html! { h1 id=[id] { (content) } },
        2 => html! { h2 id=[id] { (content) } },
        3 => html! { h3 id=[id] { (content) } },
        4 => html! { h4 id=[id] { (content) } },
        5 => html! { h5 id=[id] { (content) } },
        _ => html! { h6 id=[id] { (content) } },
    }
}

/// A status badge: the word is the information, the colour only repeats it.
pub fn badge(badge: Badge) -> Markup {
    html! {
        span class={ "badge badge-" (badge.label()) } {
            span.visually-hidden { "Status: " } (badge.label())
        }
    }
}

/// Renders replies for one page, remembering its items for search.
#[derive(Debug)]
pub struct Writer<'a> {
    index: &'a Index,
    prefix: &'a str,
    /// The page being written, as a path from the site's root.
    page: &'a str,
    anchors: HashSet<String>,
    items: usize,
    /// The items written so far, for the search list.
    pub entries: Vec<Entry>,
}

impl<'a> Writer<'a> {
    /// A writer for the page at `page`, naming commands with `prefix`.
    pub fn new(index: &'a Index, prefix: &'a str, page: &'a str) -> Writer<'a> {
        Writer {
            index,
            prefix,
            page,
            anchors: HashSet::new(),
            items: 0,
            entries: Vec::new(),
        }
    }

    /// A link from this page to `to` (a path from the site's root).
    pub fn link(&self, to: &str) -> String {
        relative(self.page, to)
    }

    /// A whole reply, its title a heading of `level` and everything below it nested under it.
    pub fn reply(&mut self, reply: &Reply, level: u8) -> Markup {
        let title_id = self.anchor(&reply.title);
        html! {
            (heading(level, Some(&title_id), html! { (Clean(&reply.title)) }))
            @for line in &reply.intro {
                p.intro { (self.line(line)) }
            }
            @for section in &reply.sections {
                (self.section(section, level + 1))
            }
            @if !reply.notes.is_empty() {
                div.notes {
                    @for line in &reply.notes {
                        p { (self.line(line)) }
                    }
                }
            }
        }
    }

    /// A section: its heading at `level`, its lines, then its items one level below.
    pub fn section(&mut self, section: &Section, level: u8) -> Markup {
        let id = section.heading.as_deref().map(|h| self.anchor(h));
        let item_level = if section.heading.is_some() {
            level + 1
        } else {
            level
        };
        let items: Vec<Markup> = section
            .items
            .iter()
            .map(|item| self.item(item, item_level))
            .collect();
        html! {
            section aria-labelledby=[id.as_deref()] {
                @if let Some(text) = &section.heading {
                    (heading(level, id.as_deref(), html! { (Clean(text)) }))
                }
                @for line in &section.lines {
                    p { (self.line(line)) }
                }
                @if !items.is_empty() {
                    ul.items {
                        @for item in items { (item) }
                    }
                }
            }
        }
    }

    /// One item: title (linked when there is a link), badges and facts, then its lines.
    pub fn item(&mut self, item: &Item, level: u8) -> Markup {
        self.items += 1;
        let anchor = format!("item-{}", self.items);
        self.entries.push(Entry {
            title: Clean(&item.title).to_text(),
            href: format!("{}#{anchor}", self.page),
            about: Clean(&item.meta.join(" · ")).to_text(),
            badge: item.badge.map(Badge::label),
        });
        let title = html! {
            @match &item.url {
                Some(url) => a href=(url.as_str()) { (Clean(&item.title)) },
                None => (Clean(&item.title)),
            }
        };
        let status = item.badge.map_or("none", Badge::label);
        html! {
            li class={ "item status-" (status) } id=(anchor) {
                (heading(level, None, title))
                p.meta {
                    @if let Some(b) = item.badge { (badge(b)) " " }
                    @if item.url_unverified {
                        span.badge.badge-unconfirmed { "link not confirmed" } " "
                    }
                    @for (n, fact) in item.meta.iter().enumerate() {
                        @if n > 0 { " · " }
                        (Clean(fact))
                    }
                }
                @for line in &item.details {
                    p { (self.line(line)) }
                }
            }
        }
    }

    /// A line of inline pieces; commands link to their page when it is another page.
    pub fn line(&self, line: &Line) -> Markup {
        html! {
            @for piece in line {
                @match piece {
                    Inline::Text(text) => (Clean(text)),
                    Inline::Strong(text) => strong { (Clean(text)) },
                    Inline::Link { text, url } => a href=(url.as_str()) { (Clean(text)) },
                    Inline::Code(text) => (self.command(text)),
                }
            }
        }
    }

    /// A command as typed, linked to the page (or the place on this page) with the same answer.
    pub fn command(&self, typed: &str) -> Markup {
        let href = page_for_command(self.index, self.prefix, typed).and_then(|to| {
            match to.split_once('#') {
                Some((page, fragment)) if page == self.page => Some(format!("#{fragment}")),
                None if to == self.page => None,
                _ => Some(self.link(&to)),
            }
        });
        match href {
            Some(href) => html! { a href=(href) { code { (Clean(typed)) } } },
            None => html! { code { (Clean(typed)) } },
        }
    }

    /// A fresh id for a heading on this page, from its words.
    fn anchor(&mut self, text: &str) -> String {
        let mut slug = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let base = if slug.is_empty() { "section" } else { slug };
        let mut id = base.to_string();
        let mut n = 1;
        while !self.anchors.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markup, quotes and bidi overrides in text come out as inert, visible text.
    #[test]
    fn clean_text_is_escaped_and_stripped() {
        let out = html! { (Clean("<script>alert(\"x\")</script>\u{202E}evil")) }.into_string();
        assert_eq!(out, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;evil");
    }

    /// Links from nested pages climb back to the root.
    #[test]
    fn relative_links() {
        assert_eq!(relative("index.html", "about.html"), "about.html");
        assert_eq!(
            relative("professions/nurse.html", "style.css"),
            "../style.css"
        );
    }
}
