//! Which pages the site has, where each lives, and which chat command answers the same: each
//! page's content is that command's own reply, run through the command table, so the page and
//! the chat can never disagree on what is listed, in what order, or how it is marked.

use maud::{html, Markup};

use super::clock::Stamp;
use super::common::{Built, Common};
use super::extras;
use super::layout::{self, Frame};
use super::paths::*;
use super::{Options, HOME, NOT_FOUND};
use crate::command::table::{ABUSE_HELP, COMMANDS, GUIDANCE};
use crate::index::Index;

/// Every page of the site for `index`.
pub fn build(index: &Index, options: &Options) -> Built {
    let common = Common {
        index,
        prefix: &options.prefix,
        generated: Stamp::from_system(options.generated),
    };
    let mut built = Built::default();
    extras::home(&common, &mut built);
    for p in &index.professions {
        let rest = format!("{GUIDANCE} {}", p.id);
        common.reply_page(&mut built, &profession_path(&p.id), &rest);
    }
    for u in &index.uncovered {
        let path = profession_path(&u.id);
        // A covered profession's page wins; the index keeps the two kinds of id apart anyway.
        if !built.pages.iter().any(|(p, _)| *p == path) {
            common.reply_page(&mut built, &path, &format!("{GUIDANCE} {}", u.id));
        }
    }
    abuse_page(&common, &mut built);
    // Every command whose reply is a page by itself, as its row says.
    for row in COMMANDS.iter() {
        if let Some(page) = row.page.filter(|p| p.printed) {
            common.reply_page(&mut built, page.path, row.name);
        }
    }
    extras::everything(&common, &mut built);
    extras::about(&common, &mut built);
    built
        .pages
        .push((NOT_FOUND.to_string(), not_found(&common)));
    built
}

/// The abuse-help page: every platform, then the UK lines; each platform's command named.
fn abuse_page(common: &Common<'_>, built: &mut Built) {
    let reply = common.answer(ABUSE_HELP);
    let mut commands = vec![ABUSE_HELP.to_string()];
    commands.extend(
        common
            .index
            .platforms
            .iter()
            .map(|p| format!("{ABUSE_HELP} {}", p.id)),
    );
    common.page(built, ABUSE, &reply.title, &commands, |w| {
        w.reply(&reply, 1)
    });
}

/// The page for paths the site does not have; its links start at the root, because it is
/// served at whatever depth was asked for.
fn not_found(common: &Common<'_>) -> Markup {
    let frame = Frame {
        path: NOT_FOUND,
        root: Some("/"),
        title: "Page not found",
        commands: &[],
        generated: common.generated,
        reviewed: &common.index.provenance.reviewed,
        search: false,
    };
    let content = html! {
        h1 { "Page not found" }
        p {
            "There is no page here. Start from the "
            a href=(frame.link(HOME)) { "home page" }
            ", or go straight to "
            a href=(frame.link(ABUSE)) { "help with online abuse" } "."
        }
    };
    layout::page(&frame, content)
}
