//! Which pages the site has, where each lives, and which chat command answers the same: each
//! page's content is that command's own reply, run through the command table, so the page and
//! the chat can never disagree on what is listed, in what order, or how it is marked.

use maud::{html, Markup};

use super::clock::Stamp;
use super::html::Writer;
use super::layout::{self, Frame};
use super::search::Entry;
use super::{extras, Options, HOME, NOT_FOUND};
use crate::command::table::{ABOUT as ABOUT_CMD, ABUSE_HELP, ARTICLES as ARTICLES_CMD, GUIDANCE};
use crate::command::table::{HELP, START, TIPS as TIPS_CMD};
use crate::command::{self, Context, Origin};
use crate::index::{Index, NameMatch};
use crate::reply::Reply;

/// The abuse-help page.
pub const ABUSE: &str = "abuse-help.html";
/// The articles and policies page.
pub const ARTICLES: &str = "articles.html";
/// The tips page.
pub const TIPS: &str = "tips.html";
/// The about page.
pub const ABOUT: &str = "about.html";
/// Every link in the index, by kind.
pub const EVERYTHING: &str = "all.html";
/// The profession picker, on the home page.
pub const PROFESSIONS: &str = "index.html#professions";
/// The getting-started material, on the home page.
pub const START_HERE: &str = "index.html#getting-started";
/// The list of chat commands, on the about page.
pub const COMMANDS: &str = "about.html#commands";

/// The page for a profession (covered or not), by id. Ids are lowercase a–z, 0–9 and `-`
/// (the index validates them), so they are safe as file names.
pub fn profession_path(id: &str) -> String {
    format!("professions/{id}.html")
}

/// Every page of a site, and the items they show for the search list.
#[derive(Debug, Default)]
pub struct Built {
    /// Path from the site's root, and the page.
    pub pages: Vec<(String, Markup)>,
    /// Every item shown, in page order.
    pub entries: Vec<Entry>,
}

/// What every page of one site shares.
pub(super) struct Common<'a> {
    pub(super) index: &'a Index,
    pub(super) prefix: &'a str,
    pub(super) generated: Stamp,
}

impl Common<'_> {
    /// The reply a chat user gets for `rest` typed after the prefix, as the console sees it (so
    /// `abuse-help` covers every platform).
    pub(super) fn answer(&self, rest: &str) -> Reply {
        let ctx = Context::new(self.prefix, Origin::Console);
        let typed = format!("{}{rest}", self.prefix);
        match command::parse(&typed, self.prefix, false) {
            Ok(Some(cmd)) => command::run(self.index, &ctx, &cmd),
            Ok(None) => Reply::titled(rest.to_string()),
            Err(error) => command::parse_problem(&ctx, &error),
        }
    }

    /// `rest` as typed in chat, with the prefix.
    pub(super) fn typed(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }

    /// A page at `path` titled `title`: its shell around what `content` writes.
    pub(super) fn page(
        &self,
        built: &mut Built,
        path: &str,
        title: &str,
        commands: &[String],
        content: impl FnOnce(&mut Writer<'_>) -> Markup,
    ) {
        let mut writer = Writer::new(self.index, self.prefix, path);
        let body = content(&mut writer);
        let commands: Vec<String> = commands.iter().map(|c| self.typed(c)).collect();
        let frame = Frame {
            path,
            root: None,
            title,
            commands: &commands,
            generated: self.generated,
            reviewed: &self.index.provenance.reviewed,
            search: path == HOME,
        };
        built.entries.append(&mut writer.entries);
        built
            .pages
            .push((path.to_string(), layout::page(&frame, body)));
    }

    /// A page that is one command's reply.
    fn reply_page(&self, built: &mut Built, path: &str, rest: &str) {
        let reply = self.answer(rest);
        self.page(built, path, &reply.title, &[rest.to_string()], |w| {
            w.reply(&reply, 1)
        });
    }
}

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
    common.reply_page(&mut built, ARTICLES, ARTICLES_CMD);
    common.reply_page(&mut built, TIPS, TIPS_CMD);
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

/// The page (path from the site's root, maybe with an anchor) that gives the same answer as the
/// command `typed` (with its prefix), if any.
pub fn page_for_command(index: &Index, prefix: &str, typed: &str) -> Option<String> {
    let cmd = command::parse(typed, prefix, false).ok()??;
    let page = match cmd.spec.name {
        GUIDANCE => match cmd.args.profession.as_deref() {
            None => PROFESSIONS.to_string(),
            // As `!guidance` reads it: an uncovered profession is never fuzzed to a neighbour.
            Some(name) => match (index.find_profession(name), index.find_uncovered(name)) {
                (NameMatch::Exact(p), _) | (NameMatch::Confident(p), None) => {
                    profession_path(&index.professions[p].id)
                }
                (_, Some(u)) => profession_path(&u.id),
                _ => return None,
            },
        },
        ABUSE_HELP => ABUSE.to_string(),
        START => START_HERE.to_string(),
        TIPS_CMD => TIPS.to_string(),
        ARTICLES_CMD => ARTICLES.to_string(),
        ABOUT_CMD => ABOUT.to_string(),
        HELP => COMMANDS.to_string(),
        _ => return None,
    };
    Some(page)
}
