//! Where each page of the site lives, and which page gives the same answer as a chat command:
//! the paths every other part of the site links to, in a module of their own so the page
//! builders, the layout and the HTML writer all name them without naming each other.

use crate::command;
use crate::command::table::GUIDANCE;
use crate::index::Index;

/// The pages that print a command's answer, as the command table names them.
pub use crate::command::names::pages::{
    ABOUT, ABUSE, ARTICLES, COMMANDS, PROFESSIONS, START_HERE, TIPS,
};
/// Every link in the index, by kind.
pub const EVERYTHING: &str = "all.html";

/// The page for a profession (covered or not), by id. Ids are lowercase a–z, 0–9 and `-`
/// (the index validates them), so they are safe as file names.
pub fn profession_path(id: &str) -> String {
    crate::command::names::pages::profession(id)
}

/// The page (path from the site's root, maybe with an anchor) that gives the same answer as the
/// command `typed` (with its prefix), if any.
pub fn page_for_command(index: &Index, prefix: &str, typed: &str) -> Option<String> {
    let cmd = command::parse(typed, prefix, false).ok()??;
    let page = cmd.spec.page?;
    if cmd.spec.name != GUIDANCE {
        return Some(page.path.to_string());
    }
    Some(match cmd.args.profession.as_deref() {
        None => page.path.to_string(),
        Some(name) => profession_path(index.profession_id(name)?),
    })
}
