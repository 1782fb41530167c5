//! The pages that are more than one reply: the home page (what this is, the profession picker,
//! getting started, the search box), the about page (where the links come from, how many are
//! confirmed, and every chat command from the command table), and every link in the index by
//! kind, so material no command lists by itself (guidance for no one profession) is still on a
//! page. Items are the commands' own ([`crate::command::lists::by_kind`]), in the index's display order.

use maud::{html, Markup};

use super::common::{Built, Common};
use super::html::{Clean, Writer};
use super::paths::{profession_path, ABOUT, ABUSE, EVERYTHING};
use super::HOME;
use crate::command::lists::by_kind;
use crate::command::table::{ABOUT as ABOUT_CMD, GUIDANCE, HELP, RESOURCE, SEARCH, START};
use crate::command::COMMANDS;
use crate::index::{Index, Kind};
use crate::line;
use crate::reply::Reply;

/// The home page.
pub(super) fn home(common: &Common<'_>, built: &mut Built) {
    let start = common.answer(START);
    let commands = [START, GUIDANCE, HELP].map(String::from);
    let index = common.index;
    common.page(
        built,
        HOME,
        "Social media guidance and abuse help",
        &commands,
        |w| {
            html! {
                h1 { "Social media guidance and online-abuse help for UK health and care professionals" }
                p.intro {
                    "Current links to what regulators and professional bodies say about social media, and where to get help with online abuse. "
                    "These pages are generated from the same index the Signpost chat bot answers from, last reviewed "
                    (Clean(&index.provenance.reviewed)) "."
                }
                p.urgent {
                    strong { "Being abused or threatened online?" } " "
                    a href=(w.link(ABUSE)) { "How to report it, and UK support lines" } "."
                }
                (search_box())
                (picker(index, w))
                div #getting-started { (w.reply(&start, 2)) }
            }
        },
    );
}

/// The search box: hidden until the script has loaded the list, so nobody without JavaScript
/// meets a control that does nothing.
fn search_box() -> Markup {
    html! {
        div #site-search role="search" aria-label="Search every link" hidden {
            label for="search-words" { "Search every link by words" }
            input #search-words type="search" autocomplete="off" aria-describedby="search-status";
            p #search-status role="status" {}
            ul #search-results {}
        }
    }
}

/// Every profession, by name, each linking to its page; then those not covered yet.
fn picker(index: &Index, w: &Writer<'_>) -> Markup {
    let mut covered: Vec<(&str, &str)> = index
        .professions
        .iter()
        .map(|p| (p.name.as_str(), p.id.as_str()))
        .collect();
    covered.sort_unstable();
    let mut uncovered: Vec<(&str, &str)> = index
        .uncovered
        .iter()
        .filter(|u| !index.professions.iter().any(|p| p.id == u.id))
        .map(|u| (u.name.as_str(), u.id.as_str()))
        .collect();
    uncovered.sort_unstable();
    html! {
        section aria-labelledby="professions" {
            h2 #professions { "Find your profession" }
            p { "Each page lists your regulator's and professional body's guidance, current versions first, with older and unconfirmed ones marked." }
            ul.picker {
                @for (name, id) in &covered {
                    li { a href=(w.link(&profession_path(id))) { (Clean(name)) } }
                }
            }
            @if !uncovered.is_empty() {
                h3 #not-covered { "Not covered yet" }
                p { "No guidance for these yet; each page names the regulator most likely to apply." }
                ul.picker {
                    @for (name, id) in &uncovered {
                        li { a href=(w.link(&profession_path(id))) { (Clean(name)) } }
                    }
                }
            }
        }
    }
}

/// Every resource, grouped by kind, current first within each.
pub(super) fn everything(common: &Common<'_>, built: &mut Built) {
    let index = common.index;
    let kinds = [
        ("Guidance", Kind::Guidance),
        ("Policies", Kind::Policy),
        ("Getting started", Kind::GettingStarted),
        ("Articles and talks", Kind::Article),
        ("Reporting abuse", Kind::Reporting),
        ("Helplines", Kind::Helpline),
    ];
    let mut reply = Reply::titled("Every link in the index");
    reply.intro.push(line![format!(
        "All {} resources, by kind; within each, current versions first and newest first.",
        index.resources.len()
    )]);
    reply.sections = by_kind(index, &kinds);
    let commands = [format!("{SEARCH} <words>"), format!("{RESOURCE} <id>")];
    common.page(built, EVERYTHING, &reply.title, &commands, |w| {
        w.reply(&reply, 1)
    });
}

/// The about page: the `about` reply, then the links' state and every chat command.
pub(super) fn about(common: &Common<'_>, built: &mut Built) {
    let reply = common.answer(ABOUT_CMD);
    let commands = [ABOUT_CMD, HELP].map(String::from);
    let index = common.index;
    let prefix = common.prefix;
    common.page(built, ABOUT, &reply.title, &commands, |w| {
        html! {
            (w.reply(&reply, 1))
            (links(index))
            (command_list(prefix))
        }
    });
}

/// How many links are confirmed, best guesses, or missing.
fn links(index: &Index) -> Markup {
    let all = index.resources.len();
    let confirmed = index
        .resources
        .iter()
        .filter(|r| r.url.is_some() && r.url_confirmed)
        .count();
    let guessed = index
        .resources
        .iter()
        .filter(|r| r.url.is_some() && !r.url_confirmed)
        .count();
    let missing = all - confirmed - guessed;
    html! {
        section aria-labelledby="links" {
            h2 #links { "The links" }
            p {
                (confirmed) " of " (all) " links were confirmed when the index was last reviewed ("
                (Clean(&index.provenance.reviewed)) "); "
                (guessed) " are the best known address, marked “link not confirmed”; "
                (missing) " have no link yet."
            }
            p { "Third-party copies of documents are never linked: every link goes to the publisher." }
        }
    }
}

/// Every command from the command table, as typed with this prefix.
fn command_list(prefix: &str) -> Markup {
    html! {
        section aria-labelledby="commands" {
            h2 #commands { "Chat commands" }
            p { "Mention Signpost or send it a direct message and the prefix is optional; plain questions work too." }
            dl.commands {
                @for c in COMMANDS {
                    dt { code { (prefix) (c.usage()) } }
                    dd {
                        (c.summary) "."
                        @if !c.aliases.is_empty() {
                            " Also: "
                            @for (n, alias) in c.aliases.iter().enumerate() {
                                @if n > 0 { ", " }
                                code { (prefix) (alias) }
                            }
                            "."
                        }
                    }
                }
            }
        }
    }
}
