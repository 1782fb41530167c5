//! Where each page of the site lives, and which page gives the same answer as a chat command:
//! the paths every other part of the site links to, in a module of their own so the page
//! builders, the layout and the HTML writer all name them without naming each other.

use crate::command;
use crate::command::table::{ABOUT as ABOUT_CMD, ABUSE_HELP, ARTICLES as ARTICLES_CMD, GUIDANCE};
use crate::command::table::{HELP, START, TIPS as TIPS_CMD};
use crate::index::{Index, NameMatch};

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
