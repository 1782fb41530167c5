//! The shell every page shares: a skip link, the header with the site's navigation, the main
//! content, the chat commands that give the same answer, and a footer saying when the page was
//! generated. Landmarks (`header`, `nav`, `main`, `footer`) let screen-reader users jump
//! straight to what they want; the current page is marked with `aria-current`.

use maud::{html, Markup, DOCTYPE};

use super::clock::Stamp;
use super::html::{relative, Clean};
use super::{assets, paths};
use crate::command::COMMANDS;

/// What a page's shell needs besides its content.
#[derive(Debug, Clone)]
pub struct Frame<'a> {
    /// The page's path from the site's root (`professions/nurse.html`).
    pub path: &'a str,
    /// How links reach the site's root from this page: `None` for relative links (the usual),
    /// or an absolute root (`/`) for a page served at any depth, such as the 404 page.
    pub root: Option<&'a str>,
    /// The page's title, for the tab and for the top of the page.
    pub title: &'a str,
    /// The commands (with prefix) that give the same answer in chat.
    pub commands: &'a [String],
    /// When the site was generated.
    pub generated: Stamp,
    /// When the index was last reviewed, as the index says it.
    pub reviewed: &'a str,
    /// Whether to load the search script.
    pub search: bool,
}

impl Frame<'_> {
    /// A link from this page to `to` (a path from the site's root).
    pub fn link(&self, to: &str) -> String {
        match self.root {
            Some(root) => format!("{root}{to}"),
            None => relative(self.path, to),
        }
    }
}

/// The whole page around `content`.
pub fn page(frame: &Frame<'_>, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (Clean(frame.title)) " — Signpost" }
                link rel="stylesheet" href=(frame.link(assets::STYLE));
                @if frame.search {
                    script src=(frame.link(assets::SCRIPT)) defer {}
                }
            }
            body {
                a.skip href="#main" { "Skip to main content" }
                header.site {
                    p.site-name {
                        a href=(frame.link(super::HOME)) { "Signpost" }
                        span.tagline { " — social media guidance and abuse help for UK health and care professionals" }
                    }
                    (navigation(frame))
                }
                main #main tabindex="-1" {
                    (content)
                    (in_chat(frame))
                }
                footer.site {
                    p {
                        "Generated "
                        time datetime=(frame.generated.to_rfc3339()) { (frame.generated.to_words()) }
                        " from the Signpost index, last reviewed " (Clean(frame.reviewed)) "."
                    }
                    p {
                        "Check a link before relying on it, and tell your professional body if you find a newer version. "
                        a href=(frame.link(paths::ABOUT)) { "About these links" } "."
                    }
                }
            }
        }
    }
}

/// The site's navigation, the current page marked.
fn navigation(frame: &Frame<'_>) -> Markup {
    // Home, the pages of the commands the table puts in the navigation, then every link.
    let mut places = vec![(super::HOME, "Home")];
    places.extend(
        COMMANDS
            .iter()
            .filter_map(|c| c.page)
            .filter_map(|p| p.nav.map(|name| (p.path, name))),
    );
    places.push((paths::EVERYTHING, "All links"));
    html! {
        nav aria-label="Site" {
            ul {
                @for (to, name) in places {
                    li {
                        @if to == frame.path {
                            a href=(frame.link(to)) aria-current="page" { (name) }
                        } @else {
                            a href=(frame.link(to)) { (name) }
                        }
                    }
                }
            }
        }
    }
}

/// The commands that give this page's answer in chat.
fn in_chat(frame: &Frame<'_>) -> Markup {
    html! {
        @if !frame.commands.is_empty() {
            section.in-chat aria-labelledby="in-chat" {
                h2 #in-chat { "The same answer in chat" }
                p {
                    "Ask Signpost on Discord, Slack or Matrix: "
                    @for (n, command) in frame.commands.iter().enumerate() {
                        @if n > 0 { ", " }
                        code { (Clean(command)) }
                    }
                    "."
                }
            }
        }
    }
}
