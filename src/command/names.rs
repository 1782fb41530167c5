//! The names of the commands that other code points people to ("type `!help`") or prints as
//! pages: constants, so a rename is one edit and a typo is a compile error. The rows that use
//! them are in [`super::table`].

/// The name of the command that lists every command, which replies and adapters point to.
pub const HELP: &str = "help";

/// The names of the commands whose answers the site ([`crate::site`]) prints as pages, so each
/// page names the command that gives the same answer from the row itself.
pub const GUIDANCE: &str = "guidance";
/// See [`GUIDANCE`].
pub const ABUSE_HELP: &str = "abuse-help";
/// See [`GUIDANCE`].
pub const START: &str = "start";
/// See [`GUIDANCE`].
pub const TIPS: &str = "tips";
/// See [`GUIDANCE`].
pub const ARTICLES: &str = "articles";
/// See [`GUIDANCE`].
pub const ABOUT: &str = "about";
/// See [`GUIDANCE`].
pub const SEARCH: &str = "search";
/// See [`GUIDANCE`].
pub const RESOURCE: &str = "resource";
/// The store commands' names (see [`super::spec::CommandSpec::store`]).
pub const SUGGEST: &str = "suggest";
/// See [`SUGGEST`].
pub const SUGGESTIONS: &str = "suggestions";
/// See [`SUGGEST`].
pub const ACCEPT: &str = "accept";
/// See [`SUGGEST`].
pub const REJECT: &str = "reject";
/// See [`SUGGEST`].
pub const LOCAL: &str = "local";

/// Where the site keeps each command's answer (see [`super::spec::SitePage`]): paths from the
/// site's root, which the rows name and the site's own pages link to.
pub mod pages {
    /// The profession picker, on the home page.
    pub const PROFESSIONS: &str = "index.html#professions";
    /// The abuse-help page.
    pub const ABUSE: &str = "abuse-help.html";
    /// The getting-started material, on the home page.
    pub const START_HERE: &str = "index.html#getting-started";
    /// The tips page.
    pub const TIPS: &str = "tips.html";
    /// The articles and policies page.
    pub const ARTICLES: &str = "articles.html";
    /// The about page.
    pub const ABOUT: &str = "about.html";
    /// The list of chat commands, on the about page.
    pub const COMMANDS: &str = "about.html#commands";

    /// The page for a profession (covered or not), by id. Ids are lowercase a–z, 0–9 and `-`
    /// (the index validates them), so they are safe as file names.
    pub fn profession(id: &str) -> String {
        format!("professions/{id}.html")
    }
}
